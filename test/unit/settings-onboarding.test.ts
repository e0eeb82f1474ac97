// The first run's guided setup is shown once: to a new install only, never to someone whose
// settings an earlier release wrote, and not again once finished or skipped.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { migrateSettings } from '../../src/core/settings/migrate.ts';
import { SettingsRepository } from '../../src/core/settings/settings-repository.ts';
import type { Settings } from '../../src/shared/settings.ts';

function memoryBackend(stored: unknown) {
  const writes: Settings[] = [];
  return { writes, read: () => stored, write: (s: Settings) => void writes.push(s) };
}

/** Settings as the release before the guided setup wrote them: no `ui.onboardingDone`. */
function settingsOfAnEarlierRelease(): Record<string, unknown> {
  const old = defaultSettings();
  old.server.provider = 'custom';
  old.server.url = 'ws://127.0.0.1:8000/v1/realtime';
  old.ui = { locale: 'zh-CN' } as Settings['ui'];
  return JSON.parse(JSON.stringify(old)) as Record<string, unknown>;
}

describe('first run', () => {
  it('no settings at all: a first run, the guided setup shows', () => {
    expect(migrateSettings(undefined).settings.ui.onboardingDone).toBe(false);
    expect(new SettingsRepository(memoryBackend(undefined), silentLogger).current.ui).toEqual({
      locale: 'system',
      onboardingDone: false,
    });
  });

  it('settings of an earlier release: done, with everything else kept and nothing reset', () => {
    const { settings, repaired } = migrateSettings(settingsOfAnEarlierRelease());
    expect(settings.ui).toEqual({ locale: 'zh-CN', onboardingDone: true });
    expect(settings.server).toMatchObject({ provider: 'custom' });
    expect(repaired).toEqual([]);
  });

  it('an earlier release that only ever saved the provider (no ui group at all): done', () => {
    const { settings } = migrateSettings({ server: { provider: 'openai' } });
    expect(settings.ui).toEqual({ locale: 'system', onboardingDone: true });
  });

  it('a stored flag is kept either way (a setup not finished yet shows again)', () => {
    for (const done of [true, false]) {
      const stored = defaultSettings();
      stored.ui.onboardingDone = done;
      expect(migrateSettings(stored).settings.ui.onboardingDone).toBe(done);
    }
  });

  it('a flag of the wrong type counts as missing: the setup is not shown', () => {
    const stored = { ...settingsOfAnEarlierRelease(), ui: { onboardingDone: 'yes' } };
    expect(migrateSettings(stored).settings.ui.onboardingDone).toBe(true);
  });

  it('finishing is saved, and the next start reads it as done', () => {
    const backend = memoryBackend(undefined);
    const repo = new SettingsRepository(backend, silentLogger);
    const next = repo.current;
    next.ui.onboardingDone = true;
    expect(repo.save(next).ok).toBe(true);
    const restarted = new SettingsRepository(memoryBackend(backend.writes.at(-1)), silentLogger);
    expect(restarted.current.ui.onboardingDone).toBe(true);
  });
});
