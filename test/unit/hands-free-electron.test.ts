// main's Electron pieces for hands-free, against a stand-in for the electron module: the
// overlay window's lock-down and the clipboard that a paste borrows and gives back.
import { beforeEach, describe, expect, test, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; url?: string; calls: string[] }[] = [];
  class BrowserWindow {
    readonly record: (typeof windows)[number];
    readonly webContents = {
      setWindowOpenHandler: vi.fn(),
      on: vi.fn(),
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options, calls: [] };
      windows.push(this.record);
    }
    setAlwaysOnTop(...args: unknown[]) {
      this.record.calls.push(`setAlwaysOnTop ${args.join(' ')}`);
    }
    setVisibleOnAllWorkspaces() {}
    setIgnoreMouseEvents(ignore: boolean) {
      this.record.calls.push(`setIgnoreMouseEvents ${ignore}`);
    }
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
  }
  class ClipboardItem {
    readonly types: string[];
    readonly items: Record<string, Blob>;
    constructor(items: Record<string, Blob>) {
      this.items = items;
      this.types = Object.keys(items);
    }
    async getType(type: string) {
      return this.items[type]!;
    }
  }
  const board = { items: [] as ClipboardItem[], writes: 0 };
  const text = async () => {
    const blob = board.items[0]?.items['text/plain'];
    return blob ? blob.text() : '';
  };
  const clipboard = {
    read: async () => board.items,
    readText: text,
    writeText: async (value: string) => {
      board.items = [new ClipboardItem({ 'text/plain': new Blob([value]) })];
    },
    write: async (items: ClipboardItem[]) => {
      board.writes++;
      board.items = items;
    },
    clear: () => {
      board.items = [];
    },
  };
  return { windows, BrowserWindow, ClipboardItem, clipboard, board };
});

vi.mock('electron', () => ({
  BrowserWindow: electron.BrowserWindow,
  ClipboardItem: electron.ClipboardItem,
  clipboard: electron.clipboard,
  screen: {},
}));

const { createOverlayWindow } = await import('../../src/main/overlay-window.ts');
const { createElectronClipboard } = await import('../../src/main/electron-clipboard.ts');
const { trustedOrigin } = await import('../../src/main/trusted-origin.ts');

describe('overlay window', () => {
  test('never takes focus, stays on top, and is locked down like the main window', () => {
    createOverlayWindow({
      origin: trustedOrigin('file:///app/out/renderer/index.html'),
      preload: '/app/out/preload/index.cjs',
    });
    const overlay = electron.windows.at(-1)!;
    expect(overlay.options).toMatchObject({
      show: false,
      focusable: false,
      transparent: true,
      skipTaskbar: true,
      alwaysOnTop: true,
      webPreferences: {
        preload: '/app/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    expect(overlay.calls).toContain('setIgnoreMouseEvents true');
    // The same (trusted) page as the main window, showing the overlay view.
    expect(overlay.url).toBe('file:///app/out/renderer/index.html#overlay');
    expect(trustedOrigin('file:///app/out/renderer/index.html').isTrusted(overlay.url!)).toBe(true);
  });
});

describe('Electron clipboard', () => {
  beforeEach(() => {
    electron.board.items = [];
    electron.board.writes = 0;
  });

  const bytes = (f: { data: Uint8Array }) => new TextDecoder().decode(f.data);

  test('a paste gives back every format the clipboard held', async () => {
    electron.board.items = [
      new electron.ClipboardItem({
        'text/plain': new Blob(['before']),
        'text/html': new Blob(['<b>before</b>']),
      }),
    ];
    const board = createElectronClipboard();
    const snapshot = await board.snapshot();
    expect(snapshot.formats.map((f) => [f.type, bytes(f)])).toEqual([
      ['text/plain', 'before'],
      ['text/html', '<b>before</b>'],
    ]);
    await board.writeText('听写 ✍️');
    expect(await board.readText()).toBe('听写 ✍️');
    await board.restore(snapshot);
    const restored = electron.board.items[0]!;
    expect(restored.types).toEqual(['text/plain', 'text/html']);
    expect(await restored.items['text/html']!.text()).toBe('<b>before</b>');
    expect(await board.readText()).toBe('before');
  });

  test('what another program copied meanwhile is not overwritten', async () => {
    const board = createElectronClipboard();
    const snapshot = await board.snapshot();
    await board.writeText('dictated');
    await electron.clipboard.writeText('copied by someone else');
    await board.restore(snapshot);
    expect(await board.readText()).toBe('copied by someone else');
    expect(electron.board.writes).toBe(0);
  });

  test('an empty clipboard is emptied again', async () => {
    const board = createElectronClipboard();
    const snapshot = await board.snapshot();
    expect(snapshot.formats).toEqual([]);
    await board.writeText('dictated');
    await board.restore(snapshot);
    expect(electron.board.items).toEqual([]);
  });
});
