// main's hands-free wiring against a stand-in electron module and key hook. Where no key hook
// can run (Wayland) the dictation hotkey falls back to toggle through globalShortcut, a shortcut
// another app holds becomes a problem the Settings view shows, Esc is taken only while
// listening, and a new plan releases the old shortcuts. On X11 the hook watches the hotkey,
// and globalShortcut only holds it, so that the focused application does not get it.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import type { MainEventMessage } from '../../src/shared/ipc.ts';
import type { Settings } from '../../src/shared/settings.ts';
import type * as UiohookModule from 'uiohook-napi';

const shortcuts = vi.hoisted(() => {
  const held = new Map<string, () => void>();
  return {
    held,
    /** Accelerators another application has taken. */
    taken: new Set<string>(),
    register(accelerator: string, run: () => void): boolean {
      if (shortcuts.taken.has(accelerator) || held.has(accelerator)) return false;
      held.set(accelerator, run);
      return true;
    },
    unregister(accelerator: string): void {
      held.delete(accelerator);
    },
  };
});

const fakeHook = vi.hoisted(() => {
  const listeners = {
    keydown: new Set<(e: { keycode: number }) => void>(),
    keyup: new Set<(e: { keycode: number }) => void>(),
  };
  return {
    listeners,
    started: 0,
    on(event: 'keydown' | 'keyup', listener: (e: { keycode: number }) => void) {
      listeners[event].add(listener);
    },
    off(event: 'keydown' | 'keyup', listener: (e: { keycode: number }) => void) {
      listeners[event].delete(listener);
    },
    start() {
      fakeHook.started++;
    },
    stop() {},
    emit(event: 'keydown' | 'keyup', keycode: number) {
      for (const l of listeners[event]) l({ keycode });
    },
  };
});

// The real keycode table; only the hook itself is a stand-in.
vi.mock('uiohook-napi', async (importOriginal) => ({
  ...(await importOriginal<typeof UiohookModule>()),
  uIOhook: fakeHook,
}));

vi.mock('electron', () => ({
  globalShortcut: { register: shortcuts.register, unregister: shortcuts.unregister },
  Notification: { isSupported: () => false },
  systemPreferences: {},
  clipboard: {},
  ClipboardItem: class {},
}));

const { startHandsFree } = await import('../../src/main/hands-free.ts');
const { UiohookKey } = await import('uiohook-napi');

async function start(settings: Settings = defaultSettings()) {
  const overlay: MainEventMessage[] = [];
  const everyone: MainEventMessage[] = [];
  const handsFree = await startHandsFree({
    settings: () => settings,
    toOverlay: (m) => overlay.push(m),
    broadcast: (m) => everyone.push(m),
    onState: () => {},
    recent: () => ['from the history'],
    log: silentLogger,
  });
  return { handsFree, overlay, everyone };
}

/** Ctrl, Shift, then Space down, as the key hook reports them. */
function pressHotkey(): void {
  fakeHook.emit('keydown', UiohookKey.Ctrl);
  fakeHook.emit('keydown', UiohookKey.Shift);
  fakeHook.emit('keydown', UiohookKey.Space);
}

describe('main hands-free wiring without a key hook', () => {
  const env = { ...process.env };
  beforeEach(() => {
    process.env.XDG_SESSION_TYPE = 'wayland';
    process.env.WAYLAND_DISPLAY = 'wayland-0';
    delete process.env.DISPLAY;
    shortcuts.held.clear();
    shortcuts.taken.clear();
  });
  afterEach(() => {
    process.env = { ...env };
  });

  test('the hotkey toggles through globalShortcut, and the reason for the fallback is told', async () => {
    const { handsFree, overlay, everyone } = await start();
    expect(handsFree.info).toMatchObject({ mode: 'toggle', keyHook: false, problems: [] });
    expect(handsFree.info.fallback?.reason).toMatch(/Wayland/);
    expect(everyone.at(-1)).toEqual({ name: 'handsFree', payload: handsFree.info });
    expect([...shortcuts.held.keys()]).toEqual(['Control+Shift+Space', 'Control+Alt+V']);

    shortcuts.held.get('Control+Shift+Space')!();
    expect(overlay).toEqual([{ name: 'command', payload: { action: 'start' } }]);
    // Esc is ours only while listening.
    expect(shortcuts.held.has('Escape')).toBe(true);
    shortcuts.held.get('Escape')!();
    expect(overlay.at(-1)).toEqual({ name: 'command', payload: { action: 'cancel' } });
    expect(shortcuts.held.has('Escape')).toBe(false);
    expect(handsFree.controller.recent).toEqual(['from the history']);
    handsFree.dispose();
  });

  test('a shortcut held by another application is a problem with what to do', async () => {
    shortcuts.taken.add('Control+Alt+V');
    const { handsFree } = await start();
    expect(handsFree.info.problems).toEqual([
      {
        action: 'pasteLast',
        code: 'taken',
        key: 'Ctrl+Alt+V',
        message:
          'Ctrl+Alt+V is taken by another application (or the desktop); choose another shortcut in Settings.',
      },
    ]);
    handsFree.dispose();
  });

  test('new hotkeys release the old ones', async () => {
    const settings = defaultSettings();
    const { handsFree, everyone } = await start(settings);
    const next = structuredClone(settings);
    next.shortcut = 'F9';
    next.handsFree.pasteLastShortcut = '';
    handsFree.apply(next);
    await vi.waitFor(() => expect(everyone.length).toBe(2));
    expect([...shortcuts.held.keys()]).toEqual(['F9']);
    handsFree.dispose();
  });
});

describe('main hands-free wiring with the key hook (X11)', () => {
  const env = { ...process.env };
  beforeEach(() => {
    process.env.DISPLAY = ':99';
    delete process.env.WAYLAND_DISPLAY;
    delete process.env.XDG_SESSION_TYPE;
    shortcuts.held.clear();
    shortcuts.taken.clear();
  });
  afterEach(() => {
    process.env = { ...env };
  });

  test('the hook watches the hold hotkey; Esc from the hook cancels; globalShortcut runs paste-last and only holds the hotkey', async () => {
    const { handsFree, overlay } = await start();
    expect(fakeHook.started).toBe(1);
    expect(handsFree.info).toEqual({ mode: 'hold', keyHook: true, problems: [] });
    expect([...shortcuts.held.keys()]).toEqual(['Control+Shift+Space', 'Control+Alt+V']);
    // Held only to keep the key from the focused window: pressing it there does nothing.
    shortcuts.held.get('Control+Shift+Space')!();
    expect(overlay).toEqual([]);

    pressHotkey();
    expect(overlay).toEqual([{ name: 'command', payload: { action: 'start' } }]);
    fakeHook.emit('keydown', UiohookKey.Escape);
    expect(overlay.at(-1)).toEqual({ name: 'command', payload: { action: 'cancel' } });
    expect(shortcuts.held.has('Escape')).toBe(false);

    handsFree.dispose();
    expect(fakeHook.listeners.keydown.size).toBe(0);
  });

  test('a hotkey another application holds too is a problem, and the hook still watches it', async () => {
    shortcuts.taken.add('Control+Shift+Space');
    const { handsFree, overlay } = await start();
    expect(handsFree.info.keyHook).toBe(true);
    expect(handsFree.info.problems).toEqual([
      {
        action: 'dictate',
        code: 'also-taken',
        key: 'Ctrl+Shift+Space',
        message: expect.stringMatching(/Ctrl\+Shift\+Space is also taken by another application/),
      },
    ]);
    pressHotkey();
    expect(overlay).toEqual([{ name: 'command', payload: { action: 'start' } }]);
    handsFree.dispose();
  });
});
