// The overlay window against a stand-in for the electron module that records what is done to
// it: where it may be shown at all (never on native Wayland, where it could take the focus the
// paste needs), and that on macOS it floats over full-screen apps without hiding Tingxie's Dock
// icon and menu bar.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; calls: unknown[][] }[] = [];
  class BrowserWindow {
    readonly record: (typeof windows)[number];
    readonly webContents = { setWindowOpenHandler: () => {}, on: () => {} };
    constructor(options: Record<string, unknown>) {
      this.record = { options, calls: [] };
      windows.push(this.record);
    }
    private call(...args: unknown[]) {
      this.record.calls.push(args);
    }
    setAlwaysOnTop(...args: unknown[]) {
      this.call('setAlwaysOnTop', ...args);
    }
    setVisibleOnAllWorkspaces(...args: unknown[]) {
      this.call('setVisibleOnAllWorkspaces', ...args);
    }
    setIgnoreMouseEvents(...args: unknown[]) {
      this.call('setIgnoreMouseEvents', ...args);
    }
    loadURL(url: string) {
      this.call('loadURL', url);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isVisible() {
      return this.record.calls.some(([name]) => name === 'showInactive' || name === 'show');
    }
    setPosition(...args: unknown[]) {
      this.call('setPosition', ...args);
    }
    showInactive() {
      this.call('showInactive');
    }
    show() {
      this.call('show');
    }
    focus() {
      this.call('focus');
    }
  }
  const screen = {
    getCursorScreenPoint: () => ({ x: 2000, y: 300 }),
    getDisplayNearestPoint: () => ({ workArea: { x: 1920, y: 0, width: 1280, height: 1000 } }),
  };
  const switches: Record<string, string> = {};
  const app = { commandLine: { getSwitchValue: (name: string) => switches[name] ?? '' } };
  return { windows, BrowserWindow, screen, app, switches };
});

vi.mock('electron', () => ({
  app: electron.app,
  BrowserWindow: electron.BrowserWindow,
  screen: electron.screen,
}));

const { createOverlayWindow, overlayMayShow, showOverlay } =
  await import('../../src/main/overlay-window.ts');
const { trustedOrigin } = await import('../../src/main/trusted-origin.ts');

function newOverlay() {
  const overlay = createOverlayWindow({
    origin: trustedOrigin('file:///app/out/renderer/index.html'),
    preload: '/app/out/preload/index.cjs',
  });
  return { overlay, record: electron.windows.at(-1)! };
}

const names = (calls: unknown[][]) => calls.map(([name]) => name);

const x11 = { platform: 'linux', env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' } } as const;
const wayland = {
  platform: 'linux',
  env: { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' },
} as const;

describe('overlay window on macOS', () => {
  test('floats over full-screen apps without turning Tingxie into a Dock-less UI element', () => {
    const { record } = newOverlay();
    // Without skipTransformProcessType, visibleOnFullScreen makes Electron hide the Dock icon
    // (and with it the menu bar) of the whole app (electron/electron#26350).
    expect(record.calls).toContainEqual([
      'setVisibleOnAllWorkspaces',
      true,
      { visibleOnFullScreen: true, skipTransformProcessType: true },
    ]);
  });
});

describe('overlayMayShow', () => {
  test('shows on macOS, Windows and X11', () => {
    expect(overlayMayShow({ platform: 'darwin', env: {}, ozonePlatform: '' })).toBe(true);
    expect(overlayMayShow({ platform: 'win32', env: {}, ozonePlatform: '' })).toBe(true);
    expect(overlayMayShow({ ...x11, ozonePlatform: 'x11' })).toBe(true);
  });

  test('never shows where Electron runs as a native Wayland client', () => {
    expect(overlayMayShow({ ...wayland, ozonePlatform: 'wayland' })).toBe(false);
    // Chromium's choice wins over the session's name, both ways.
    expect(overlayMayShow({ ...x11, ozonePlatform: 'wayland' })).toBe(false);
  });

  test('shows in a Wayland session when Electron was started with --ozone-platform=x11', () => {
    expect(overlayMayShow({ ...wayland, ozonePlatform: 'x11' })).toBe(true);
  });

  test("without Chromium's answer, a Wayland session is taken to mean native Wayland", () => {
    expect(overlayMayShow({ ...wayland, ozonePlatform: '' })).toBe(false);
    expect(
      overlayMayShow({
        platform: 'linux',
        env: { WAYLAND_DISPLAY: 'wayland-0' },
        ozonePlatform: '',
      }),
    ).toBe(false);
    expect(overlayMayShow({ ...x11, ozonePlatform: '' })).toBe(true);
  });
});

describe('showOverlay', () => {
  let platform: PropertyDescriptor;
  beforeEach(() => {
    platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    for (const name of Object.keys(electron.switches)) delete electron.switches[name];
  });
  afterEach(() => {
    Object.defineProperty(process, 'platform', platform);
  });

  test('on X11: bottom centre of the screen with the pointer, without taking focus', () => {
    const { overlay, record } = newOverlay();
    record.calls.length = 0;
    showOverlay(overlay, { ...x11, ozonePlatform: 'x11' });
    expect(record.calls).toEqual([
      ['setPosition', 1920 + (1280 - 360) / 2, 1000 - 84 - 48],
      ['showInactive'],
    ]);
  });

  test('on native Wayland: stays hidden and unmoved (the tray shows the state)', () => {
    const { overlay, record } = newOverlay();
    record.calls.length = 0;
    showOverlay(overlay, { ...wayland, ozonePlatform: 'wayland' });
    expect(record.calls).toEqual([]);
  });

  test('by default asks Electron which Ozone platform Chromium chose at start-up', () => {
    Object.defineProperty(process, 'platform', { ...platform, value: 'linux' });
    electron.switches['ozone-platform'] = 'wayland';
    const { overlay, record } = newOverlay();
    record.calls.length = 0;
    showOverlay(overlay);
    expect(names(record.calls)).toEqual([]);
    electron.switches['ozone-platform'] = 'x11';
    showOverlay(overlay);
    expect(names(record.calls)).toEqual(['setPosition', 'showInactive']);
  });
});
