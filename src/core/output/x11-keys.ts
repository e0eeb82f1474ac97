// Keystrokes on X11 through xdotool (XTEST).
import type { KeyBackend, WindowRef } from './key-backend.ts';
import { runTool, hasTool } from './run-tool.ts';
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

  const focus = async (target: WindowRef | undefined): Promise<WindowRef | undefined> => {
    const current = await focusedId();
    if (!target) return current ? { id: current, appClass: await windowClass(current) } : undefined;
    if (current === target.id) return target;
    try {
      // A window manager raises and focuses the window properly …
      await xdotool(['windowactivate', '--sync', target.id]);
    } catch {
      // … without one (_NET_ACTIVE_WINDOW unsupported), set the input focus directly.
      await xdotool(['windowfocus', '--sync', target.id]);
    }
    return target;
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

    async focusedWindow() {
      const id = await focusedId();
      return id ? { id, appClass: await windowClass(id) } : undefined;
    },

    focus,

    async paste(window) {
      const chord = isTerminal(window?.appClass) ? 'ctrl+shift+v' : 'ctrl+v';
      // --delay 0: xdotool otherwise waits 12 ms between the keys it releases.
      await xdotool(['keyup', '--delay', '0', ...MODIFIER_KEYSYMS, 'key', '--delay', '0', chord]);
    },

    async type(text) {
      // The text goes on stdin (`--file -`): byte for byte, whatever it holds, and never
      // parsed as options.
      const typeRun = (run: string) =>
        xdotool(['keyup', '--delay', '0', ...MODIFIER_KEYSYMS, 'type', '--file', '-'], run);
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
