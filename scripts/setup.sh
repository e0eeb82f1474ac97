#!/usr/bin/env bash
# Sets Tingxie up on a fresh machine: system packages (Debian/Ubuntu), npm dependencies
# (which bring Node.js 24 along on Linux x64), and — where the internet is reachable — the
# Electron binary. `scripts/setup.sh --start` then starts the app.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  echo "Tingxie needs Node.js and npm (any version from 20 on) to bootstrap. Install them first." >&2
  exit 1
fi

npm ci --no-audit --no-fund
# npm scripts run with node_modules/.bin first on PATH: there, `node` is Node.js 24.
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
