// The global key hook (uiohook-napi) and what connects it to the push-to-talk machine.
// uiohook sees key downs and ups anywhere on the desktop, which Electron's globalShortcut
// cannot (it only reports presses), so hold-to-talk needs it.
import type { HookFallbackCode } from '../../shared/ipc.ts';
import { KEYS } from './accelerator.ts';
import type { Accelerator, Modifier } from './accelerator.ts';
import type { KeyChord, PushToTalk } from './push-to-talk.ts';

/** The part of uiohook-napi's `uIOhook` that Tingxie uses; tests may pass a fake. */
export interface KeyHook {
  on(event: 'keydown' | 'keyup', listener: (e: { keycode: number }) => void): unknown;
  off(event: 'keydown' | 'keyup', listener: (e: { keycode: number }) => void): unknown;
  start(): void;
  stop(): void;
}

/** Key name → keycode, as uiohook-napi's `UiohookKey`. */
export type HookKeycodes = Readonly<Record<string, number>>;

const MODIFIER_KEY: Record<Modifier, string> = {
  ctrl: 'Ctrl',
  alt: 'Alt',
  shift: 'Shift',
  meta: 'Super',
};

function codesOf(keyName: string, keycodes: HookKeycodes): number[] {
  const codes = (KEYS[keyName]?.hook ?? []).map((name) => keycodes[name]);
  if (codes.length === 0 || codes.some((c) => c === undefined))
    throw new Error(`The key hook has no keycode for ${keyName}.`);
  return codes as number[];
}

/** The keycodes of an accelerator: its modifiers and key must be down, other modifiers up.
 * A lone modifier key (Right Alt) excludes nothing, so it also works while Shift is held. */
export function chordFor(accelerator: Accelerator, keycodes: HookKeycodes): KeyChord {
  const parts = [
    ...accelerator.modifiers.map((m) => codesOf(MODIFIER_KEY[m], keycodes)),
    codesOf(accelerator.key, keycodes),
  ];
  const lone = accelerator.modifiers.length === 0 && KEYS[accelerator.key]?.modifier;
  const excluded = lone
    ? []
    : (Object.keys(MODIFIER_KEY) as Modifier[])
        .filter((m) => !accelerator.modifiers.includes(m))
        .flatMap((m) => codesOf(MODIFIER_KEY[m], keycodes));
  return { parts, excluded };
}

/** Feeds a key hook's events to the machine. Returns a function that disconnects them. */
export function connectKeyHook(hook: KeyHook, machine: PushToTalk): () => void {
  const down = (e: { keycode: number }): void => machine.keyDown(e.keycode);
  const up = (e: { keycode: number }): void => machine.keyUp(e.keycode);
  hook.on('keydown', down);
  hook.on('keyup', up);
  return () => {
    hook.off('keydown', down);
    hook.off('keyup', up);
  };
}

/** Loads uiohook-napi (a native module, so only when the hook is wanted). */
export async function loadUiohook(): Promise<{ hook: KeyHook; keycodes: HookKeycodes }> {
  const { uIOhook, UiohookKey } = await import('uiohook-napi');
  return { hook: uIOhook, keycodes: UiohookKey };
}

export type HookSupport = { ok: true } | ({ ok: false } & HookFallback);

/** Why hold-to-talk can't work here (`reason`) and what the person can do (`fix`), in English
 * for the log; the window says it in the person's language from `code` (and `detail`, the
 * error of a hook that failed). The app falls back to toggle mode through globalShortcut. */
export interface HookFallback {
  code: HookFallbackCode;
  reason: string;
  fix: string;
  detail?: string;
}

/**
 * Whether a global key hook can work in this session. `accessibilityTrusted` is the macOS
 * answer from the app (Electron's systemPreferences.isTrustedAccessibilityClient).
 */
export function keyHookSupport(options: {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  accessibilityTrusted?: boolean;
}): HookSupport {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (platform === 'linux') {
    if (env.XDG_SESSION_TYPE === 'wayland' || (env.WAYLAND_DISPLAY && !env.DISPLAY))
      return {
        ok: false,
        code: 'wayland',
        reason:
          'This is a Wayland session, and Wayland does not let applications see key presses made in other windows, so hold-to-talk cannot work.',
        fix: 'Tingxie uses toggle mode instead: press the shortcut once to start and once to stop. For hold-to-talk, log in to an X11 session (e.g. "GNOME on Xorg").',
      };
    if (!env.DISPLAY)
      return {
        ok: false,
        code: 'no-display',
        reason: 'No X display is set (DISPLAY is empty), so there is no keyboard to listen to.',
        fix: 'Start Tingxie from your desktop session.',
      };
  }
  if (platform === 'darwin' && options.accessibilityTrusted === false)
    return {
      ok: false,
      code: 'macos-permission',
      reason: 'macOS has not given Tingxie permission to see key presses in other apps.',
      fix: 'Open System Settings → Privacy & Security → Accessibility and Input Monitoring, turn Tingxie on, then restart Tingxie. Until then, toggle mode works.',
    };
  return { ok: true };
}

/** Starts the hook, turning a failure (no X server, no permission) into a reason a person can read. */
export function startKeyHook(hook: KeyHook): HookSupport {
  try {
    hook.start();
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      code: 'hook-failed',
      detail: (err as Error).message,
      reason: `The global key hook could not start: ${(err as Error).message}`,
      fix: 'Tingxie uses toggle mode instead. On macOS, allow Tingxie under Accessibility and Input Monitoring; on Linux, use an X11 session.',
    };
  }
}
