// Text insertion into the focused window: paste, type or copy, on X11, Wayland, macOS, Windows.
import type { Logger } from '../log.ts';
import type { Clipboard } from './clipboard.ts';
import { createCommandClipboard } from './command-clipboard.ts';
import { createInserter } from './inserter.ts';
import type { TextInserter } from './inserter.ts';
import type { KeyBackend } from './key-backend.ts';
import { createMacKeys } from './macos-keys.ts';
import { createWaylandClipboard } from './wayland-clipboard.ts';
import { createWaylandKeys } from './wayland-keys.ts';
import { createWindowsKeys } from './windows-keys.ts';
import { createX11Clipboard } from './x11-clipboard.ts';
import { createX11Keys } from './x11-keys.ts';

export type { InsertMode, InsertOptions, InsertResult, TextInserter } from './inserter.ts';
export { createInserter } from './inserter.ts';
export type { WindowRef, KeyBackend } from './key-backend.ts';
export type { Clipboard, ClipboardFormat, ClipboardOffer, ClipboardSnapshot } from './clipboard.ts';
export { primaryFormat } from './clipboard.ts';
export { isTerminal } from './terminal.ts';
export { createX11Clipboard } from './x11-clipboard.ts';
export { createWaylandClipboard } from './wayland-clipboard.ts';

/** Whether a Linux session is Wayland (where X11 tools reach only XWayland windows). */
export function isWaylandSession(env: NodeJS.ProcessEnv): boolean {
  return env.XDG_SESSION_TYPE === 'wayland' || Boolean(env.WAYLAND_DISPLAY && !env.DISPLAY);
}

/**
 * The inserter for this machine. `clipboard` defaults to the command-line one (xclip,
 * wl-clipboard, pbcopy, PowerShell); the app passes Electron's. `env` is the environment the
 * tools run in (its PATH decides which tools exist).
 */
export function createSystemInserter(
  deps: {
    log?: Logger;
    clipboard?: Clipboard;
    env?: NodeJS.ProcessEnv;
    platform?: NodeJS.Platform;
  } = {},
): TextInserter {
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;
  let keys: KeyBackend;
  let clipboard: Clipboard;
  if (platform === 'darwin' || platform === 'win32') {
    keys = platform === 'darwin' ? createMacKeys(env) : createWindowsKeys(env);
    clipboard = deps.clipboard ?? createCommandClipboard(platform, env);
  } else if (isWaylandSession(env)) {
    keys = createWaylandKeys(env);
    clipboard = deps.clipboard ?? createWaylandClipboard(env);
  } else {
    keys = createX11Keys(env);
    clipboard = deps.clipboard ?? createX11Clipboard({ env, log: deps.log });
  }
  return createInserter({ keys, clipboard, log: deps.log });
}
