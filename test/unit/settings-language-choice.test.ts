// Settings' spoken language: the list's entry and the free entry, to and from the setting.
import { describe, expect, it } from 'vitest';
import { languageChoice, languageValue, OTHER_LANGUAGE } from '../../src/shared/language-choice.ts';
import { LANGUAGES, validateSettings } from '../../src/shared/settings.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';

describe('language list ↔ free entry', () => {
  it('shows a listed language as its entry, and stores it as it was', () => {
    for (const code of LANGUAGES) {
      const choice = languageChoice(code);
      expect(choice).toEqual({ choice: code, other: '' });
      expect(languageValue(choice)).toBe(code);
    }
  });

  it('shows any other code under Other, in the free entry', () => {
    expect(languageChoice('pt')).toEqual({ choice: OTHER_LANGUAGE, other: 'pt' });
    expect(languageChoice('zh-TW')).toEqual({ choice: OTHER_LANGUAGE, other: 'zh-TW' });
    expect(languageValue({ choice: OTHER_LANGUAGE, other: ' vi ' })).toBe('vi');
  });

  it('stores what the list says, not a free entry left from before', () => {
    expect(languageValue({ choice: 'ja', other: 'pt' })).toBe('ja');
  });

  it('a listed code typed into the free entry shows as its entry next time', () => {
    const stored = languageValue({ choice: OTHER_LANGUAGE, other: 'yue' });
    expect(languageChoice(stored)).toEqual({ choice: 'yue', other: '' });
  });

  it('an empty setting shows as automatic detection', () => {
    expect(languageChoice('')).toEqual({ choice: 'auto', other: '' });
  });

  it('an empty free entry is stored empty, and the schema says what is wrong', () => {
    const settings = defaultSettings();
    settings.server.language = languageValue({ choice: OTHER_LANGUAGE, other: '' });
    const result = validateSettings(settings);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toContainEqual({
        path: 'server.language',
        message: 'validation.language',
      });
    }
  });
});
