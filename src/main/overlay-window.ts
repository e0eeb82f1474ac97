// The overlay: a small always-on-top window that shows that Tingxie is listening, the level
// and the live text, and that owns the microphone for hands-free dictation. It must never take
// focus: the text goes to the window the person is typing in. Same lock-down as the main window.
import { app, BrowserWindow, screen } from 'electron';
import { isWaylandSession } from '../core/output/index.ts';
import { blockNavigation, lockedDownWebPreferences } from './locked-down-page.ts';
import type { TrustedOrigin } from './trusted-origin.ts';

const WIDTH = 360;
const HEIGHT = 84;

export function createOverlayWindow(options: {
  origin: TrustedOrigin;
  preload: string;
}): BrowserWindow {
  const overlay = new BrowserWindow({
    width: WIDTH,
    height: HEIGHT,
    show: false,
    frame: false,
    transparent: true,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    focusable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    hasShadow: false,
    title: 'Tingxie overlay',
    webPreferences: {
      ...lockedDownWebPreferences(options.preload),
      // The hotkey, not a click, starts the microphone and the sounds: no user gesture here.
      autoplayPolicy: 'no-user-gesture-required',
      // Hidden between dictations, yet it must answer a key down at once.
      backgroundThrottling: false,
    },
  });
  overlay.setAlwaysOnTop(true, 'screen-saver');
  // macOS: on every Space. Without skipTransformProcessType, visibleOnFullScreen makes
  // Electron hide the Dock icon (what app.dock.hide() does): the whole app would lose its Dock
  // icon and menu bar (browser-window.md, setVisibleOnAllWorkspaces; electron#26350). The price:
  // since macOS 10.14 only such a hidden app's windows float over another app's full-screen
  // Space (Electron's native_window_mac.mm says why it hides the Dock).
  overlay.setVisibleOnAllWorkspaces(true, {
    visibleOnFullScreen: true,
    skipTransformProcessType: true,
  });
  overlay.setIgnoreMouseEvents(true);
  overlay.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // The overlay never leaves its page, not even for another of ours.
  blockNavigation(overlay.webContents, () => false);
  void overlay.loadURL(`${options.origin.entry}#overlay`);
  return overlay;
}

/** What decides whether the overlay can be shown without taking focus. */
export interface OverlayDisplay {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The Ozone platform Chromium chose at start-up (`x11`, `wayland`), or '' if unknown. */
  ozonePlatform: string;
}

/**
 * Whether the overlay may be shown. Not where Electron is a native Wayland client: there
 * showInactive, setPosition and setAlwaysOnTop are not supported (browser-window.md), so
 * showing it could take the focus the paste needs. It is still created, since it owns the
 * microphone; the tray icon shows the state instead. Under XWayland (`--ozone-platform=x11`)
 * it shows as on X11.
 */
export function overlayMayShow({ platform, env, ozonePlatform }: OverlayDisplay): boolean {
  if (platform !== 'linux') return true;
  if (ozonePlatform === 'x11') return true;
  if (ozonePlatform === 'wayland') return false;
  // Electron 38+ runs natively on Wayland in a Wayland session (breaking-changes.md, 38.0).
  return !isWaylandSession(env);
}

/**
 * This process's display. On Linux, Chromium resolves `--ozone-platform-hint` (default
 * `auto` since Electron 38) into `--ozone-platform` on the browser process's command line
 * before any of our code runs, and app.commandLine reads that command line.
 */
function currentDisplay(): OverlayDisplay {
  return {
    platform: process.platform,
    env: process.env,
    ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'),
  };
}

/**
 * Shows the overlay without taking focus, bottom centre of the screen with the pointer; where
 * that cannot be done without taking focus ({@link overlayMayShow}), leaves it hidden.
 */
export function showOverlay(overlay: BrowserWindow, display = currentDisplay()): void {
  if (!overlayMayShow(display)) return;
  if (overlay.isDestroyed() || overlay.isVisible()) return;
  const { workArea } = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
  overlay.setPosition(
    Math.round(workArea.x + (workArea.width - WIDTH) / 2),
    Math.round(workArea.y + workArea.height - HEIGHT - 48),
  );
  overlay.showInactive();
}
