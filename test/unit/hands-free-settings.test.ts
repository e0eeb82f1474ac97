import { describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { hotkeyIssues } from '../../src/core/settings/hotkey-issues.ts';
import { migrateSettings } from '../../src/core/settings/migrate.ts';
import { SettingsRepository } from '../../src/core/settings/settings-repository.ts';
import type { Settings } from '../../src/shared/settings.ts';

function memoryBackend(stored: unknown) {
  const writes: Settings[] = [];
  return { writes, read: () => stored, write: (s: Settings) => void writes.push(s) };
}

describe('hands-free settings', () => {
  test('settings saved before hands-free existed get its defaults and keep everything else', () => {
    const old = defaultSettings() as Partial<Settings>;
    delete old.handsFree;
    old.shortcut = 'F9';
    const { settings, repaired } = migrateSettings(old);
    expect(settings.shortcut).toBe('F9');
    expect(settings.handsFree).toEqual({
      mode: 'hold',
      pasteLastShortcut: 'CommandOrControl+Alt+V',
      output: 'paste',
      trailingSpace: false,
      leaveOnClipboard: false,
      sounds: false,
      keepMicrophoneWarm: false,
      overlay: true,
    });
    expect(repaired).toEqual([]);
  });

  test('a hand-edited field of the wrong type falls back alone; an unknown mode resets the group', () => {
    const stored = structuredClone(defaultSettings()) as unknown as Record<string, unknown>;
    stored.handsFree = { mode: 'toggle', output: 'type', sounds: 'yes' };
    const first = migrateSettings(stored);
    expect(first.settings.handsFree).toMatchObject({
      mode: 'toggle',
      output: 'type',
      sounds: false,
    });
    expect(first.repaired).toEqual(['handsFree.sounds']);

    stored.handsFree = { mode: 'sometimes', output: 'type' };
    const second = migrateSettings(stored);
    expect(second.settings.handsFree).toEqual(defaultSettings().handsFree);
    expect(second.repaired).toEqual(['handsFree']);
  });

  test('saving refuses an invalid or clashing hotkey and writes nothing', () => {
    const backend = memoryBackend(defaultSettings());
    const repo = new SettingsRepository(backend, silentLogger);
    const reserved = { ...repo.current, shortcut: 'Ctrl+C' };
    expect(repo.save(reserved)).toEqual({
      ok: false,
      issues: [{ path: 'shortcut', message: 'validation.hotkey' }],
    });
    const clash = repo.current;
    clash.handsFree.pasteLastShortcut = 'Control+Shift+Space';
    clash.shortcut = 'Ctrl+Shift+Space';
    expect(repo.save(clash)).toEqual({
      ok: false,
      issues: [{ path: 'handsFree.pasteLastShortcut', message: 'validation.hotkey' }],
    });
    expect(backend.writes).toEqual([]);
    const fine = repo.current;
    fine.shortcut = 'Right Alt';
    fine.handsFree.pasteLastShortcut = '';
    expect(repo.save(fine).ok).toBe(true);
    expect(backend.writes).toHaveLength(1);
  });

  test('hotkey problems carry the reason for the log', () => {
    const s = defaultSettings();
    s.shortcut = 'A';
    const [issue] = hotkeyIssues(s, 'linux');
    expect(issue?.detail).toMatch(/A alone would fire whenever you type it/);
  });
});
