// Keystrokes on Wayland: wtype (wlroots compositors: Sway, Hyprland, …, through the
// virtual-keyboard protocol) or ydotool (any compositor, through /dev/uinput and its daemon).
// Wayland does not tell applications which window has focus, so there is no target window
// and no terminal detection: the paste chord is Ctrl+V.
import type { KeyBackend } from './key-backend.ts';
import { hasTool, runTool } from './run-tool.ts';

// Linux input event codes (linux/input-event-codes.h) for ydotool's `key CODE:STATE`.
const KEY_LEFTCTRL = 29;
const KEY_V = 47;
const YDOTOOL_MODIFIERS = [29, 97, 42, 54, 56, 100, 125, 126]; // ctrl, shift, alt, meta, left and right

export function createWaylandKeys(env: NodeJS.ProcessEnv): KeyBackend {
  const tool = (): 'wtype' | 'ydotool' | undefined =>
    hasTool('wtype', env) ? 'wtype' : hasTool('ydotool', env) ? 'ydotool' : undefined;
  const run = (name: string, args: string[], input?: string) =>
    runTool(name, args, { env, input, timeoutMs: 10_000 });

  return {
    pasteHint: 'Ctrl+V',

    unavailable() {
      if (tool()) return undefined;
      return 'Neither wtype nor ydotool is installed, so Tingxie cannot send keystrokes on Wayland. Install wtype (Sway, Hyprland and other wlroots desktops) or ydotool (GNOME, KDE; its ydotoold service must run).';
    },

    async focusedWindow() {
      return undefined;
    },

    async focus() {
      return undefined;
    },

    async paste() {
      // wtype's virtual keyboard has its own modifier state, so the user's held keys don't mix
      // in; ydotool's uinput device shares the seat, so its modifiers are released first.
      if (tool() === 'wtype') await run('wtype', ['-M', 'ctrl', 'v', '-m', 'ctrl']);
      else
        await run('ydotool', [
          'key',
          ...YDOTOOL_MODIFIERS.map((c) => `${c}:0`),
          `${KEY_LEFTCTRL}:1`,
          `${KEY_V}:1`,
          `${KEY_V}:0`,
          `${KEY_LEFTCTRL}:0`,
        ]);
    },

    async type(text) {
      // Text on stdin, never on the command line. ydotool can only type what the keyboard
      // layout has (no CJK or emoji); wtype types any Unicode character.
      if (tool() === 'wtype') await run('wtype', ['-'], text);
      else await run('ydotool', ['type', '--file', '-'], text);
    },
  };
}
