// Text insertion into real xterm windows under Xvfb: paste and type, ASCII and CJK + emoji,
// the clipboard restored, held modifiers released, the remembered window targeted, and a
// missing xdotool leaving the text on the clipboard.
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSystemInserter } from '../../src/core/output/index.ts';
import type { TextInserter } from '../../src/core/output/index.ts';
import { missingTools } from '../helpers/tools.ts';
import {
  X11_TOOLS,
  setClipboard as setX11Clipboard,
  startXterm,
  startXvfb,
} from '../helpers/x11.ts';
import type { XServer, Xterm } from '../helpers/x11.ts';

const skip = missingTools('text insertion under Xvfb', X11_TOOLS);
const ASCII = 'The quick brown fox jumps over the lazy dog.';
const MIXED = '听写测试 — 你好，世界 🎤👍 mixed English';

describe.skipIf(skip)('text insertion into xterm (X11)', () => {
  let x: XServer;
  let term: Xterm;
  let inserter: TextInserter;
  const clipboardTargets = async () =>
    (await x.run('xclip', ['-selection', 'clipboard', '-o', '-t', 'TARGETS']).catch(() => ''))
      .split('\n')
      .filter(Boolean);
  const clipboardText = () => x.run('xclip', ['-selection', 'clipboard', '-o']);
  const setClipboard = (data: string, type?: string) => setX11Clipboard(x, data, type);
  /** Inserts, then checks the terminal received exactly `expected` after what it had. */
  const insertAndRead = async (text: string, options: Parameters<TextInserter['insert']>[1]) => {
    const before = term.received();
    const result = await inserter.insert(text, options);
    expect(result).toEqual({ ok: true, mode: options.mode });
    const expected = before + text + (options.trailingSpace ? ' ' : '');
    await term.waitForText(expected);
    expect(term.received()).toBe(expected);
  };

  beforeAll(async () => {
    x = await startXvfb();
    term = await startXterm(x);
    await term.focus();
    inserter = createSystemInserter({ env: x.env, platform: 'linux' });
  });
  afterAll(async () => {
    await term?.stop();
    await x?.stop();
  });

  test('the focused window is found, and recognized as a terminal', async () => {
    const w = await inserter.focusedWindow();
    expect(w).toEqual({ id: term.window, appClass: 'xterm XTerm' });
  });

  test('paste into an empty clipboard leaves it empty again', async () => {
    expect(await clipboardTargets()).toEqual([]);
    await insertAndRead(ASCII, { mode: 'paste' });
    await expect.poll(clipboardTargets).toEqual([]);
  });

  test('paste: an ASCII sentence arrives and the clipboard from before is restored', async () => {
    await setClipboard('what I copied before 之前');
    await insertAndRead(ASCII, { mode: 'paste', trailingSpace: true });
    expect(await clipboardText()).toBe('what I copied before 之前');
  });

  test('paste: CJK and emoji arrive byte for byte', async () => {
    await setClipboard('before');
    await insertAndRead(MIXED, { mode: 'paste' });
    expect(await clipboardText()).toBe('before');
  });

  test('paste restores a non-text clipboard (an image)', async () => {
    const png = '\x89PNG fake image bytes';
    await setClipboard(png, 'image/png');
    await insertAndRead('image kept', { mode: 'paste' });
    expect(await clipboardTargets()).toContain('image/png');
    expect(await x.run('xclip', ['-selection', 'clipboard', '-o', '-t', 'image/png'])).toBe(png);
  });

  test('paste with leaveOnClipboard leaves the text there', async () => {
    await setClipboard('old');
    await insertAndRead('keep me', { mode: 'paste', leaveOnClipboard: true });
    expect(await clipboardText()).toBe('keep me');
  });

  test('type: an ASCII sentence and CJK + emoji arrive byte for byte', async () => {
    await setClipboard('untouched');
    await insertAndRead(ASCII, { mode: 'type' });
    await insertAndRead(MIXED, { mode: 'type' });
    // More distinct characters than the spare keycodes hold at once: typed in several runs.
    await insertAndRead('床前明月光，疑是地上霜。举头望明月，低头思故乡。🌙✨', { mode: 'type' });
    expect(await clipboardText()).toBe('untouched');
  });

  test('a held modifier does not leak into typed or pasted keys', async () => {
    // With Ctrl leaking, "cat" would arrive as the control bytes ^C ^A ^T.
    await x.run('xdotool', ['keydown', 'ctrl']);
    await insertAndRead('cat and 猫', { mode: 'type' });
    await x.run('xdotool', ['keydown', 'alt']);
    await insertAndRead('paste with Alt held', { mode: 'paste' });
    await x.run('xdotool', ['keyup', 'ctrl', 'alt']);
  });

  test('copy mode puts the text on the clipboard and sends no keys', async () => {
    const before = term.received();
    expect(await inserter.insert(MIXED, { mode: 'copy' })).toEqual({ ok: true, mode: 'copy' });
    await expect.poll(clipboardText).toBe(MIXED);
    expect(term.received()).toBe(before);
  });

  test('the text goes to the window focused at key down, not the one focused now', async () => {
    const other = await startXterm(x, 'other');
    try {
      const target = await inserter.focusedWindow(); // the first xterm has focus
      expect(target?.id).toBe(term.window);
      await other.focus();
      await insertAndRead('to the remembered window', { mode: 'paste', target });
      await insertAndRead(' and typed there too', { mode: 'type', target });
      expect(other.received()).toBe('');
    } finally {
      await other.stop();
      await term.focus();
    }
  });

  test('without xdotool, the text stays on the clipboard and a notice says why', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'tingxie-path-'));
    try {
      // This machine's PATH, less xdotool.
      const linked = new Set(['xdotool']);
      for (const dir of ['/usr/local/bin', '/usr/bin', '/bin'])
        for (const name of existsSync(dir) ? readdirSync(dir) : [])
          if (!linked.has(name)) {
            linked.add(name);
            symlinkSync(join(dir, name), join(bin, name));
          }
      const limited = createSystemInserter({ env: { ...x.env, PATH: bin }, platform: 'linux' });
      await setClipboard('old');
      for (const mode of ['paste', 'type'] as const) {
        const result = await limited.insert(`${mode}: ${MIXED}`, { mode });
        expect(result.ok).toBe(false);
        expect(result.notice).toMatch(/xdotool .*not installed/);
        expect(result.notice).toMatch(/on the clipboard: paste it with Ctrl\+V/);
        await expect.poll(clipboardText).toBe(`${mode}: ${MIXED}`);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
