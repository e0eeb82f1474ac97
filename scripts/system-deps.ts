// The Debian/Ubuntu packages Tingxie's local engine and its tests need. `--install` installs
// the missing ones with apt-get (as root, or through sudo); without it, lists them.
import { execFileSync, spawnSync } from 'node:child_process';

/** package → a command (or file) that shows it is installed */
const PACKAGES: Record<string, string> = {
  // the local server's default recognizer
  pocketsphinx: 'pocketsphinx_continuous',
  'pocketsphinx-en-us': '/usr/share/pocketsphinx/model/en-us/en-us/mdef',
  // tests: speech synthesis and audio tools
  festival: 'text2wave',
  'festvox-us-slt-hts': '/usr/share/festival/voices/us/cmu_us_slt_arctic_hts',
  'espeak-ng': 'espeak-ng',
  sox: 'sox',
  // tests: real X11 windows, keys and clipboard
  xvfb: 'Xvfb',
  xdotool: 'xdotool',
  xterm: 'xterm',
  xclip: 'xclip',
  'x11-utils': 'xprop',
  // xmodmap: spare keycodes for typing CJK and emoji (src/core/output/x11-unicode-keys.ts)
  'x11-xserver-utils': 'xmodmap',
  'fonts-noto-cjk': '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  'fonts-noto-color-emoji': '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf',
  // the global key hook (uiohook-napi's prebuilt binary links these X11 libraries)
  libxtst6: '/usr/lib/x86_64-linux-gnu/libXtst.so.6',
  libxt6: '/usr/lib/x86_64-linux-gnu/libXt.so.6',
  libxrandr2: '/usr/lib/x86_64-linux-gnu/libXrandr.so.2',
  // tests: the renderer in a real browser with a fake microphone
  chromium: '/usr/bin/chromium',
};

function present(probe: string): boolean {
  if (probe.startsWith('/')) return spawnSync('test', ['-e', probe]).status === 0;
  return spawnSync('sh', ['-c', `command -v ${probe}`], { stdio: 'ignore' }).status === 0;
}

const missing = Object.entries(PACKAGES)
  .filter(([, probe]) => !present(probe))
  .map(([pkg]) => pkg);

if (missing.length === 0) process.exit(0);

const install = process.argv.includes('--install');
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;
const sudo = isRoot ? [] : ['sudo'];
const command = [...sudo, 'apt-get', 'install', '-y', ...missing];

if (!install || !hasApt) {
  console.error(`Missing system packages: ${missing.join(' ')}`);
  console.error(
    hasApt
      ? `Install them with: ${command.join(' ')}`
      : 'Install their equivalents with your package manager.',
  );
  process.exit(install ? 0 : 1);
}

console.error(`Installing system packages: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync(sudo[0] ?? 'apt-get', [...(isRoot ? [] : ['apt-get']), 'update', '-qq'], {
    stdio: 'inherit',
    env,
  });
  const [cmd, ...args] = command;
  execFileSync(cmd!, args, { stdio: 'inherit', env });
} catch {
  console.error(`Could not install them. Run: ${command.join(' ')}`);
  process.exit(1);
}
