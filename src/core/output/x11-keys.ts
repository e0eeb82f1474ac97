// Keystrokes on X11 through xdotool (XTEST).
import type { KeyBackend, WindowRef } from './key-backend.ts';
import { hasTool, runTool, startTool } from './run-tool.ts';
import type { StartedTool } from './run-tool.ts';
import { isTerminal } from './terminal.ts';
import { mappingArgs, planRuns, spareKeycodes } from './x11-unicode-keys.ts';

// The user may still hold the hotkey (Right Alt, Ctrl+Shift) when the text arrives; a held
// modifier would turn the paste chord or typed letters into other shortcuts. Releasing a key
// that is not down is a no-op in the X server. (`--clearmodifiers` is not used: it presses
// the modifiers again afterwards, which can leave one stuck if the user let go meanwhile.)
const MODIFIER_KEYSYMS = [
  'Shift_L',
  'Shift_R',
  'Control_L',
  'Control_R',
  'Alt_L',
  'Alt_R',
  'Meta_L',
  'Meta_R',
  'Super_L',
  'Super_R',
  'ISO_Level3_Shift',
];

export function createX11Keys(env: NodeJS.ProcessEnv): KeyBackend {
  const xdotool = (args: string[], input?: string) =>
    runTool('xdotool', args, { env, input, timeoutMs: 10_000 });

  const windowClass = async (id: string): Promise<string | undefined> => {
    try {
      const { stdout } = await runTool('xprop', ['-id', id, 'WM_CLASS'], { env, timeoutMs: 1000 });
      // WM_CLASS(STRING) = "xterm", "XTerm"
      const names = [...stdout.toString('utf8').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      return names.length ? names.join(' ') : undefined;
    } catch {
      return undefined;
    }
  };

  const focusedId = async (): Promise<string | undefined> => {
    try {
      const id = (await xdotool(['getwindowfocus'])).stdout.toString().trim();
      return /^\d+$/.test(id) && id !== '1' ? id : undefined; // 1 is PointerRoot, no window
    } catch {
      return undefined;
    }
  };

  const currentWindow = async (): Promise<WindowRef | undefined> => {
    const id = await focusedId();
    return id ? { id, appClass: await windowClass(id) } : undefined;
  };

  // The remembered window gets the keyboard focus in the same xdotool command that sends the
  // keys: `windowfocus` (XSetInputFocus) works with or without a window manager and costs
  // nothing when the window has the focus already. It does not raise the window; a paste
  // does not need that.
  const focusArgs = (window: WindowRef | undefined): string[] =>
    window ? ['windowfocus', '--sync', window.id] : [];
  const release = ['keyup', '--delay', '0', ...MODIFIER_KEYSYMS];

  // The paste keystroke's xdotool is started ahead and waits for its commands on stdin, so
  // that no process start (a fork of all of Node) lies between the text and the keystroke.
  // Idle, it keeps nothing alive; if we exit, it reads an empty script and exits too.
  let standby: StartedTool | undefined;
  const prepare = (): void => {
    if (!standby && hasTool('xdotool', env))
      standby = startTool('xdotool', ['-'], { env, timeoutMs: 10_000 }, true);
  };

  /** Spare keycodes for characters the keyboard lacks; none without xmodmap (xdotool then
   * remaps by itself, which is racy for busy applications). */
  const spareKeys = async (): Promise<number[]> => {
    if (!hasTool('xmodmap', env)) return [];
    const { stdout } = await runTool('xmodmap', ['-pke'], { env, timeoutMs: 5000 });
    return spareKeycodes(stdout.toString('utf8'));
  };

  return {
    pasteHint: 'Ctrl+V (Ctrl+Shift+V in a terminal)',

    unavailable() {
      const missing = ['xdotool', 'xprop'].filter((t) => !hasTool(t, env));
      if (missing.length === 0) return undefined;
      return `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed, so Tingxie cannot send keystrokes. Install ${missing.length > 1 ? 'them' : 'it'} (Debian/Ubuntu: sudo apt install xdotool x11-utils).`;
    },

    focusedWindow: currentWindow,

    async focus(target) {
      prepare();
      return target ?? currentWindow();
    },

    async paste(window) {
      const chord = isTerminal(window?.appClass) ? 'ctrl+shift+v' : 'ctrl+v';
      // --delay 0: xdotool otherwise waits 12 ms between the keys it releases.
      const script = [...focusArgs(window), ...release, 'key', '--delay', '0', chord];
      const started = standby;
      standby = undefined;
      if (started?.child.pid !== undefined && started.child.exitCode === null)
        await started.finish(`${script.join(' ')}\n`);
      else await xdotool(script);
      prepare(); // for the next paste, while the application handles this one
    },

    async type(text, window) {
      standby?.child.kill(); // typing reads the text from stdin, so it runs on its own
      standby = undefined;
      // The text goes on stdin (`--file -`): byte for byte, whatever it holds, and never
      // parsed as options.
      const typeRun = (run: string) =>
        xdotool([...focusArgs(window), ...release, 'type', '--file', '-'], run);
      const spare = await spareKeys();
      const half = Math.floor(spare.length / 2);
      const runs = planRuns(text, half);
      if (half === 0 || runs.every((r) => r.chars.length === 0)) {
        await typeRun(text);
        return;
      }
      for (const [i, run] of runs.entries()) {
        const keycodes = i % 2 === 0 ? spare.slice(0, half) : spare.slice(half, 2 * half);
        if (run.chars.length)
          await runTool('xmodmap', mappingArgs(run.chars, keycodes), { env, timeoutMs: 5000 });
        await typeRun(run.text);
      }
    },
  };
}
