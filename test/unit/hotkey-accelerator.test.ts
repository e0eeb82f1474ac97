import { describe, expect, test } from 'vitest';
import { checkHotkeys, parseAccelerator } from '../../src/core/hotkey/accelerator.ts';

function ok(text: string, platform: NodeJS.Platform = 'linux') {
  const r = parseAccelerator(text, platform);
  if (!r.ok) throw new Error(`expected "${text}" to parse: ${r.message}`);
  return r.accelerator;
}
function refused(text: string, platform: NodeJS.Platform = 'linux'): string {
  const r = parseAccelerator(text, platform);
  if (r.ok) throw new Error(`expected "${text}" to be refused, got ${r.accelerator.text}`);
  return r.message;
}

describe('parseAccelerator', () => {
  test('normalizes Electron accelerators and keeps their Electron form', () => {
    expect(ok('Ctrl+Shift+Space')).toMatchObject({
      text: 'Ctrl+Shift+Space',
      modifiers: ['ctrl', 'shift'],
      key: 'Space',
      electron: 'Control+Shift+Space',
    });
    expect(ok(' shift + control + space ').text).toBe('Ctrl+Shift+Space');
    expect(ok('Alt+Return').text).toBe('Alt+Enter');
    expect(ok('Ctrl++').text).toBe('Ctrl+Plus');
    expect(ok('F9')).toMatchObject({ text: 'F9', modifiers: [], electron: 'F9' });
  });

  test('CommandOrControl depends on the platform', () => {
    expect(ok('CommandOrControl+Shift+D', 'linux').text).toBe('Ctrl+Shift+D');
    expect(ok('CommandOrControl+Shift+D', 'darwin').text).toBe('Shift+Super+D');
    expect(ok('CmdOrCtrl+Shift+D', 'win32').electron).toBe('Control+Shift+D');
  });

  test('a lone modifier key is a hook-only hotkey', () => {
    for (const spelling of ['Right Alt', 'RightAlt', 'AltRight', 'AltGr', 'right alt']) {
      const a = ok(spelling);
      expect(a).toMatchObject({ text: 'Right Alt', modifiers: [], key: 'Right Alt' });
      expect(a.electron).toBeUndefined();
    }
    expect(ok('Alt').key).toBe('Alt');
    expect(ok('Right Ctrl').key).toBe('Right Ctrl');
  });

  test('refuses invalid shortcuts with a message that says what to do', () => {
    expect(refused('')).toMatch(/empty/);
    expect(refused('Ctrl+Foo')).toMatch(/"Foo" is not a key/);
    expect(refused('Ctrl+A+B')).toMatch(/2 keys/);
    expect(refused('Ctrl+Shift')).toMatch(/only modifiers/);
    expect(refused('Ctrl+Ctrl+A')).toMatch(/twice/);
    expect(refused('Ctrl+Right Alt')).toMatch(/on its own/);
    expect(refused('A')).toMatch(/add a modifier/);
    expect(refused('Space')).toMatch(/add a modifier/);
    expect(refused('Ctrl+Escape')).toMatch(/Esc cancels/);
    expect(refused('Ctrl+ +A')).toMatch(/empty part/);
  });

  test('refuses shortcuts the system already uses', () => {
    expect(refused('Ctrl+V')).toMatch(/Paste/);
    expect(refused('control+c')).toMatch(/Copy/);
    expect(refused('Alt+Tab')).toMatch(/window switching/);
    expect(refused('CommandOrControl+V', 'darwin')).toMatch(/Paste/);
    expect(ok('Super+V', 'linux').text).toBe('Super+V');
  });
});

describe('checkHotkeys', () => {
  test('accepts distinct hotkeys', () => {
    const r = checkHotkeys({ dictate: 'Right Alt', pasteLast: 'Ctrl+Shift+V' }, 'linux');
    expect(r.ok && r.hotkeys.dictate.text).toBe('Right Alt');
  });

  test('refuses two actions on the same shortcut, however it is spelled', () => {
    const r = checkHotkeys({ dictate: 'Ctrl+Shift+D', pasteLast: 'shift+control+d' }, 'linux');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ action: 'pasteLast' });
      expect(r.errors[0]!.message).toMatch(/already the shortcut for "dictate"/);
    }
  });

  test('reports every invalid binding', () => {
    const r = checkHotkeys({ dictate: 'Ctrl+Nope', pasteLast: 'Ctrl+V' }, 'linux');
    expect(r.ok ? [] : r.errors.map((e) => e.action)).toEqual(['dictate', 'pasteLast']);
  });
});
