import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { migrateSettings } from '../../src/core/settings/migrate.ts';
import { SettingsRepository } from '../../src/core/settings/settings-repository.ts';
import { MissingApiKeyError, toSessionConfig } from '../../src/core/settings/session-config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { validateSettings } from '../../src/shared/settings.ts';

describe('settings schema', () => {
  it('accepts the defaults', () => {
    expect(validateSettings(defaultSettings()).ok).toBe(true);
  });

  it('puts a message key beside each wrong field', () => {
    const s = defaultSettings();
    s.server.provider = 'custom';
    s.server.url = 'http://example.com';
    s.server.model = ' ';
    s.server.vad.threshold = 2;
    s.server.language = 'Chinese';
    const result = validateSettings(s);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: 'server.url', message: 'validation.urlScheme' },
        { path: 'server.model', message: 'validation.modelRequired' },
        { path: 'server.vad.threshold', message: 'validation.threshold' },
        { path: 'server.language', message: 'validation.language' },
      ]),
    );
  });

  it('needs a URL for every provider but the local one', () => {
    const s = defaultSettings();
    s.server.provider = 'azure';
    const result = validateSettings(s);
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'server.url', message: 'validation.urlRequired' },
    ]);
  });
});

describe('migrateSettings', () => {
  it('fills a fresh install with defaults', () => {
    expect(migrateSettings(undefined)).toEqual({ settings: defaultSettings(), repaired: [] });
  });

  it('keeps valid fields and resets only the broken ones', () => {
    const { settings, repaired } = migrateSettings({
      server: { language: 'zh', vad: 'off', prompt: 42 },
      audio: { deviceLabel: 'USB Mic' },
      future: true,
    });
    expect(settings.server.language).toBe('zh');
    expect(settings.audio.deviceLabel).toBe('USB Mic');
    expect(settings.server.vad).toEqual(defaultSettings().server.vad);
    expect(repaired.sort()).toEqual(['server.prompt', 'server.vad']);
    expect(settings).not.toHaveProperty('future');
  });

  it('resets a group whose values clash', () => {
    const { settings, repaired } = migrateSettings({ server: { provider: 'custom', url: '' } });
    expect(settings.server).toEqual(defaultSettings().server);
    expect(repaired).toEqual(['server']);
  });
});

describe('SettingsRepository', () => {
  it('writes only valid settings', () => {
    let written: unknown;
    const repo = new SettingsRepository(
      { read: () => undefined, write: (s) => (written = s) },
      silentLogger,
    );
    const bad = { ...repo.current, shortcut: '' };
    expect(repo.save(bad).ok).toBe(false);
    expect(written).toBeUndefined();
    const good = repo.current;
    good.server.language = 'en';
    expect(repo.save(good).ok).toBe(true);
    expect(repo.current.server.language).toBe('en');
    expect(written).toEqual(good);
  });
});

describe('toSessionConfig', () => {
  it('uses the local server address and turns VAD off into push-to-talk', () => {
    const s = defaultSettings().server;
    s.vad.enabled = false;
    const config = toSessionConfig(s, undefined, 'ws://127.0.0.1:5000/v1/realtime');
    expect(config).toMatchObject({
      provider: 'local',
      url: 'ws://127.0.0.1:5000/v1/realtime',
      vad: null,
    });
    expect(config).not.toHaveProperty('apiKey');
  });

  it('asks for a key where the provider needs one', () => {
    const s = {
      ...defaultSettings().server,
      provider: 'openai' as const,
      url: 'wss://api.openai.com/v1/realtime',
    };
    expect(() => toSessionConfig(s, undefined)).toThrow(MissingApiKeyError);
    expect(toSessionConfig(s, 'sk-1').apiKey).toBe('sk-1');
  });
});
