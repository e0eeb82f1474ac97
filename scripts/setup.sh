#!/usr/bin/env bash
# Sets Tingxie up on a fresh machine: npm dependencies (which bring Node.js 24 along where npm
# has a build of it for this platform), system packages (Debian/Ubuntu), and — where the
# internet is reachable — the Electron binary. `scripts/setup.sh --start` then starts the app.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  echo "Tingxie needs Node.js and npm (any version from 20 on) to bootstrap. Install them first." >&2
  exit 1
fi

npm ci --no-audit --no-fund

# npm scripts run with node_modules/.bin first on PATH, and run TypeScript directly, which takes
# Node.js 24. npm ci put it there from the optional dependency for this platform, if npm has one
# (package.json: Linux x64 and arm64, macOS on Intel, Windows x64); elsewhere the Node.js on
# PATH must be 24 or later.
export PATH="$PWD/node_modules/.bin:$PATH"
version=$(node -p process.versions.node 2>/dev/null || echo none)
major=${version%%.*}
if ! [[ $major =~ ^[0-9]+$ ]] || [ "$major" -lt 24 ]; then
  platform=$(node -p 'process.platform + "-" + process.arch' 2>/dev/null || echo unknown)
  package=node-${platform/#win32-/win-}
  echo "Tingxie's npm scripts need Node.js 24 or later (they run its TypeScript directly), but" >&2
  echo "the Node.js they would run is ${version} ($(command -v node || echo "not found"))." >&2
  if grep -q "\"${package}\":" package.json; then
    echo "npm ci should have installed it from ${package}, one of the optional dependencies: make" >&2
    echo "sure npm does not omit them (npm config get omit), then run scripts/setup.sh again." >&2
  else
    echo "npm has no Node.js 24 for this machine (${platform}). Install Node.js 24 from" >&2
    echo "https://nodejs.org/en/download (or with a version manager: nvm install 24), then run" >&2
    echo "scripts/setup.sh again." >&2
  fi
  exit 1
fi

npm run --silent setup:system

if [ ! -f node_modules/electron/path.txt ]; then
  # Electron downloads its binary on first use; fetch it now so that the app starts at once.
  if ! log=$(node node_modules/electron/install.js 2>&1); then
    echo "Electron's binary could not be downloaded ($(printf '%s\n' "$log" | grep -m1 -i error || echo "no details"))." >&2
    echo "The app cannot start on this machine, but the CLI, the local server and the tests run without it." >&2
  fi
fi

if [ "${1:-}" = "--start" ]; then
  exec npm start
fi
