import { describe, expect, test } from 'vitest';
import { createInserter } from '../../src/core/output/inserter.ts';
import type { Clipboard, ClipboardSnapshot, KeyBackend } from '../../src/core/output/index.ts';
import { isTerminal, primaryFormat } from '../../src/core/output/index.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

/** A clipboard that records what happens to it; `reads` says whether an offer gets read. */
function fakeClipboard(options: { offer?: boolean; reads?: boolean } = {}) {
  const log: string[] = [];
  let text = 'before';
  const clipboard: Clipboard = {
    snapshot: async () => ({ formats: [{ type: 'UTF8_STRING', data: bytes(text) }] }),
    restore: async (s: ClipboardSnapshot) => {
      text = new TextDecoder().decode(s.formats[0]!.data);
      log.push(`restore ${text}`);
    },
    readText: async () => text,
    writeText: async (t) => {
      text = t;
      log.push(`write ${t}`);
    },
  };
  if (options.offer)
    clipboard.offer = async (t) => {
      text = t;
      log.push(`offer ${t}`);
      return { nextRead: async () => options.reads ?? true };
    };
  return { clipboard, log, text: () => text };
}

function fakeKeys(options: { unavailable?: string; fail?: Error } = {}) {
  const log: string[] = [];
  const keys: KeyBackend = {
    pasteHint: 'Ctrl+V',
    unavailable: () => options.unavailable,
    focusedWindow: async () => ({ id: '42', appClass: 'xterm XTerm' }),
    focus: async (target) => {
      log.push(`focus ${target?.id ?? '(none)'}`);
      return target ?? { id: '42', appClass: 'xterm XTerm' };
    },
    paste: async (window) => {
      if (options.fail) throw options.fail;
      log.push(`paste → ${window?.id}`);
    },
    type: async (t, window) => {
      if (options.fail) throw options.fail;
      log.push(`type ${t} → ${window?.id}`);
    },
  };
  return { keys, log };
}

describe('createInserter', () => {
  test('paste with an observable clipboard: offer, paste, restore after the read', async () => {
    const c = fakeClipboard({ offer: true });
    const k = fakeKeys();
    const r = await createInserter({ keys: k.keys, clipboard: c.clipboard }).insert('你好', {
      mode: 'paste',
      trailingSpace: true,
      target: { id: '7' },
    });
    expect(r).toEqual({ ok: true, mode: 'paste' });
    expect(k.log).toEqual(['focus 7', 'paste → 7']);
    expect(c.log).toEqual(['offer 你好 ', 'restore before']);
  });

  test('paste never read: the text stays on the clipboard, with a notice', async () => {
    const c = fakeClipboard({ offer: true, reads: false });
    const r = await createInserter({ keys: fakeKeys().keys, clipboard: c.clipboard }).insert(
      'hello',
      { mode: 'paste' },
    );
    expect(r.ok).toBe(false);
    expect(r.notice).toMatch(/did not read the clipboard.*paste it with Ctrl\+V/);
    expect(c.log).toEqual(['offer hello', 'write hello']);
    expect(c.text()).toBe('hello');
  });

  test('paste with a clipboard that cannot observe reads restores after a bounded settle', async () => {
    const c = fakeClipboard();
    const r = await createInserter({ keys: fakeKeys().keys, clipboard: c.clipboard }).insert('x', {
      mode: 'paste',
    });
    expect(r.ok).toBe(true);
    expect(c.log).toEqual(['write x', 'restore before']);
  });

  test('leaveOnClipboard: no snapshot, no restore', async () => {
    const c = fakeClipboard({ offer: true });
    await createInserter({ keys: fakeKeys().keys, clipboard: c.clipboard }).insert('x', {
      mode: 'paste',
      leaveOnClipboard: true,
    });
    expect(c.log).toEqual(['write x']);
    expect(c.text()).toBe('x');
  });

  test('type sends characters and leaves the clipboard alone', async () => {
    const c = fakeClipboard({ offer: true });
    const k = fakeKeys();
    const r = await createInserter({ keys: k.keys, clipboard: c.clipboard }).insert('🎤 ok', {
      mode: 'type',
    });
    expect(r).toEqual({ ok: true, mode: 'type' });
    expect(k.log).toEqual(['focus (none)', 'type 🎤 ok → 42']);
    expect(c.log).toEqual([]);
  });

  test('copy only writes the clipboard', async () => {
    const c = fakeClipboard({ offer: true });
    const k = fakeKeys();
    expect(
      await createInserter({ keys: k.keys, clipboard: c.clipboard }).insert('x', { mode: 'copy' }),
    ).toEqual({ ok: true, mode: 'copy' });
    expect(k.log).toEqual([]);
    expect(c.log).toEqual(['write x']);
  });

  test('a missing tool: the text goes on the clipboard and the notice says how to fix it', async () => {
    for (const mode of ['paste', 'type'] as const) {
      const c = fakeClipboard({ offer: true });
      const r = await createInserter({
        keys: fakeKeys({ unavailable: 'xdotool is not installed. Install it.' }).keys,
        clipboard: c.clipboard,
      }).insert('text', { mode });
      expect(r).toEqual({
        ok: false,
        mode,
        notice:
          'xdotool is not installed. Install it. The text is on the clipboard: paste it with Ctrl+V.',
      });
      expect(c.text()).toBe('text');
    }
  });

  test('a failing keystroke tool: the text goes on the clipboard', async () => {
    const c = fakeClipboard({ offer: true });
    const r = await createInserter({
      keys: fakeKeys({ fail: new Error("xdotool failed (exit 1): Can't open display.") }).keys,
      clipboard: c.clipboard,
    }).insert('text', { mode: 'type' });
    expect(r.ok).toBe(false);
    expect(r.notice).toMatch(/could not be typed: xdotool failed.*on the clipboard/);
    expect(c.text()).toBe('text');
  });

  test('when the clipboard fails too, the notice says the text is only in history', async () => {
    const c = fakeClipboard();
    c.clipboard.writeText = async () => {
      throw new Error('xclip is not installed.');
    };
    const r = await createInserter({
      keys: fakeKeys({ unavailable: 'xdotool is not installed.' }).keys,
      clipboard: c.clipboard,
    }).insert('text', { mode: 'paste' });
    expect(r.ok).toBe(false);
    expect(r.notice).toMatch(/xclip is not installed.*history/);
  });
});

describe('isTerminal', () => {
  test('knows common terminals by WM_CLASS, and not other apps', () => {
    for (const c of [
      'xterm XTerm',
      'gnome-terminal-server Gnome-terminal',
      'konsole konsole',
      'Alacritty Alacritty',
      'kitty kitty',
      'org.wezfurlong.wezterm org.wezfurlong.wezterm',
    ])
      expect(isTerminal(c)).toBe(true);
    for (const c of ['Navigator firefox', 'gedit Gedit', undefined, ''])
      expect(isTerminal(c)).toBe(false);
  });
});

describe('primaryFormat', () => {
  const f = (type: string) => ({ type, data: bytes(type) });
  test('prefers an image, then UTF-8 text, then the first format', () => {
    expect(
      primaryFormat({ formats: [f('text/html'), f('UTF8_STRING'), f('image/png')] })?.type,
    ).toBe('image/png');
    expect(primaryFormat({ formats: [f('text/html'), f('STRING'), f('UTF8_STRING')] })?.type).toBe(
      'UTF8_STRING',
    );
    expect(primaryFormat({ formats: [f('application/x-foo')] })?.type).toBe('application/x-foo');
    expect(primaryFormat({ formats: [] })).toBeUndefined();
  });
});
