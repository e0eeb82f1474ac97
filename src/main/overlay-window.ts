// The overlay: a small always-on-top window that shows that Tingxie is listening, the level
// and the live text, and that owns the microphone for hands-free dictation. It must never take
// focus: the text goes to the window the person is typing in. Same lock-down as the main window.
import { BrowserWindow, screen } from 'electron';
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
  overlay.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  overlay.setIgnoreMouseEvents(true);
  overlay.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // The overlay never leaves its page, not even for another of ours.
  blockNavigation(overlay.webContents, () => false);
  void overlay.loadURL(`${options.origin.entry}#overlay`);
  return overlay;
}

/** Shows the overlay without taking focus, bottom centre of the screen with the pointer. */
export function showOverlay(overlay: BrowserWindow): void {
  if (overlay.isDestroyed() || overlay.isVisible()) return;
  const { workArea } = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
  overlay.setPosition(
    Math.round(workArea.x + (workArea.width - WIDTH) / 2),
    Math.round(workArea.y + workArea.height - HEIGHT - 48),
  );
  overlay.showInactive();
}
