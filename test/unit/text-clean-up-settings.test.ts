// The LLM clean-up's settings: off by default and valid as they come; switched on, a URL, a
// model and (for a prompt of one's own) a prompt are needed, and the budget stays in a sane
// range; a settings file from before the clean-up gets its defaults, and a hand-edited clean-up
// that is not valid goes back to its defaults alone — the vocabulary and rules stay.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { migrateSettings } from '../../src/core/settings/migrate.ts';
import { CLEANUP_BUDGET_MS, validateSettings, type Settings } from '../../src/shared/settings.ts';
import { cleanUpPrompt } from '../../src/core/dictation/clean-up-step.ts';
import { cleanupPresetPrompt } from '../../src/shared/llm-cleanup-presets.ts';

const withCleanUp = (change: Partial<Settings['text']['cleanUp']>): Settings => {
  const settings = defaultSettings();
  Object.assign(settings.text.cleanUp, change);
  return settings;
};
const issuesOf = (settings: Settings) => {
  const result = validateSettings(settings);
  return result.ok ? [] : result.issues;
};

describe('clean-up settings', () => {
  it('are off by default, with a 1.5 s budget, and valid', () => {
    const { cleanUp } = defaultSettings().text;
    expect(cleanUp).toMatchObject({ enabled: false, budgetMs: 1500, promptPreset: 'punctuation' });
    expect(issuesOf(defaultSettings())).toEqual([]);
  });

  it('switched on, need an http(s) URL and a model', () => {
    expect(issuesOf(withCleanUp({ enabled: true, baseUrl: '', model: '' }))).toEqual([
      { path: 'text.cleanUp.baseUrl', message: 'validation.cleanUpUrlRequired' },
      { path: 'text.cleanUp.model', message: 'validation.modelRequired' },
    ]);
    expect(
      issuesOf(withCleanUp({ enabled: true, baseUrl: 'ws://127.0.0.1:11434/v1', model: 'q' })),
    ).toEqual([{ path: 'text.cleanUp.baseUrl', message: 'validation.cleanUpUrlScheme' }]);
    expect(
      issuesOf(withCleanUp({ enabled: true, baseUrl: 'http://127.0.0.1:11434/v1', model: 'q' })),
    ).toEqual([]);
    // Off, a half-filled form is kept for later.
    expect(issuesOf(withCleanUp({ enabled: false, baseUrl: 'nonsense', model: '' }))).toEqual([]);
  });

  it('a prompt of one’s own must say something; a preset is written in the text’s language', () => {
    const base = { enabled: true, baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini' };
    expect(issuesOf(withCleanUp({ ...base, promptPreset: 'custom', prompt: '  ' }))).toEqual([
      { path: 'text.cleanUp.prompt', message: 'validation.cleanUpPrompt' },
    ]);
    const mine = withCleanUp({ ...base, promptPreset: 'custom', prompt: 'Fix it.' }).text.cleanUp;
    expect(cleanUpPrompt(mine, '今天天气很好')).toBe('Fix it.');
    const written = withCleanUp({ ...base, promptPreset: 'written' }).text.cleanUp;
    expect(cleanUpPrompt(written, '今天天气很好')).toBe(cleanupPresetPrompt('written', 'zh'));
    expect(cleanUpPrompt(written, 'the weather is fine')).toBe(
      cleanupPresetPrompt('written', 'en'),
    );
  });

  it('keep the budget between 200 ms and 10 s, in whole milliseconds', () => {
    for (const budgetMs of [CLEANUP_BUDGET_MS.min - 1, CLEANUP_BUDGET_MS.max + 1])
      expect(issuesOf(withCleanUp({ budgetMs }))).toEqual([
        { path: 'text.cleanUp.budgetMs', message: 'validation.cleanUpBudget' },
      ]);
    expect(issuesOf(withCleanUp({ budgetMs: 1500.5 }))).toEqual([
      { path: 'text.cleanUp.budgetMs', message: 'validation.integer' },
    ]);
    expect(issuesOf(withCleanUp({ budgetMs: CLEANUP_BUDGET_MS.min }))).toEqual([]);
    expect(issuesOf(withCleanUp({ budgetMs: CLEANUP_BUDGET_MS.max }))).toEqual([]);
  });

  it('a settings file from before the clean-up gets it off, the rest as it was', () => {
    const stored = defaultSettings() as unknown as { text: Record<string, unknown> };
    stored.text.rules = 'AI => A.I.\n';
    delete stored.text.cleanUp;
    const { settings, repaired } = migrateSettings(stored);
    expect(settings.text.cleanUp).toEqual(defaultSettings().text.cleanUp);
    expect(settings.text.rules).toBe('AI => A.I.\n');
    expect(repaired).toEqual([]);
  });

  it('a hand-edited clean-up that is not valid goes back to its defaults alone', () => {
    const stored = withCleanUp({ enabled: true, baseUrl: 'http://127.0.0.1:8080/v1', model: '' });
    stored.text.vocabulary = 'Kubernetes = cooper netties\n';
    stored.text.rules = 'AI => A.I.\n';
    const { settings, repaired } = migrateSettings(stored);
    expect(repaired).toEqual(['text.cleanUp']);
    expect(settings.text.cleanUp).toEqual(defaultSettings().text.cleanUp);
    expect(settings.text).toMatchObject({
      vocabulary: 'Kubernetes = cooper netties\n',
      rules: 'AI => A.I.\n',
    });
  });
});
