// The text settings as main keeps them: the vocabulary and rules checked line by line on save
// (each mistake beside its field, with its line), and the vocabulary's terms in the session's
// prompt after the person's own.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { migrateSettings } from '../../src/core/settings/migrate.ts';
import { toSessionConfig } from '../../src/core/settings/session-config.ts';
import { SettingsRepository } from '../../src/core/settings/settings-repository.ts';
import { textIssues } from '../../src/core/settings/text-issues.ts';
import {
  PROMPT_TERMS_MAX_CHARS,
  parseVocabulary,
  promptWithVocabulary,
  type Vocabulary,
} from '../../src/core/text/index.ts';
import type { Settings } from '../../src/shared/settings.ts';

const vocabularyOf = (text: string): Vocabulary => {
  const parsed = parseVocabulary(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
};

describe('the text settings on save', () => {
  it('names each mistake of the vocabulary and the rules with its line, beside its field', () => {
    const text = {
      ...defaultSettings().text,
      vocabulary: 'Tingxie\n\nKubernetes =\n张伟 = 张卫',
      rules: '# fixes\n逗号 => ，\n/(ab/ => x\nno arrow here',
    };
    expect(textIssues(text)).toEqual([
      {
        path: 'text.vocabulary',
        message: 'validation.textLine',
        params: {
          line: 3,
          detail: expect.stringContaining('nothing follows "="'),
          // The kind and its values, for the window's translation.
          code: 'nothingAfterEquals',
          term: 'Kubernetes',
        },
      },
      {
        path: 'text.rules',
        message: 'validation.textLine',
        params: {
          line: 3,
          detail: '/(ab/ is not a valid regular expression: Unterminated group.',
          code: 'invalidRegex',
          body: '(ab',
          reason: 'Unterminated group',
        },
      },
      {
        path: 'text.rules',
        message: 'validation.textLine',
        params: { line: 4, detail: expect.stringContaining('no "=>"'), code: 'noArrow' },
      },
    ]);
  });

  it('refuses to save settings with a broken rule, and stores nothing', () => {
    const written: Settings[] = [];
    const repository = new SettingsRepository(
      { read: () => undefined, write: (s) => void written.push(s) },
      silentLogger,
    );
    const settings = defaultSettings();
    settings.text.rules = 'AI => A.I.\n/[a-/ => x';
    const result = repository.save(settings);
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: 'text.rules', message: 'validation.textLine', params: { line: 2 } }],
    });
    expect(written).toEqual([]);
    expect(repository.current.text.rules).toBe('');

    settings.text.rules = 'AI => A.I.\n/(\\d+) percent/i => $1%';
    settings.text.vocabulary = 'Kubernetes = cooper netties';
    expect(repository.save(settings).ok).toBe(true);
    expect(written.at(-1)!.text).toMatchObject({ rules: settings.text.rules });
  });

  it('gives settings from before the text group its defaults, keeping the rest', () => {
    const stored = structuredClone(defaultSettings()) as Partial<Settings>;
    delete stored.text;
    stored.shortcut = 'Alt+Space';
    const { settings } = migrateSettings(stored);
    expect(settings.text).toEqual(defaultSettings().text);
    expect(settings.shortcut).toBe('Alt+Space');
  });
});

describe('the vocabulary in the session prompt', () => {
  const vocabulary = vocabularyOf('Kubernetes = cooper netties\nTingxie\n张伟 = 张卫');

  it('puts the terms after the person’s own prompt, in the dictation’s language', () => {
    expect(promptWithVocabulary('Meeting notes.', vocabulary, 'en')).toBe(
      'Meeting notes.\nTerms: Kubernetes, Tingxie, 张伟.',
    );
    expect(promptWithVocabulary('', vocabulary, 'zh')).toBe('术语：Kubernetes、Tingxie、张伟。');
    // auto: a Chinese term says the person dictates Chinese.
    expect(promptWithVocabulary(undefined, vocabulary, 'auto')).toBe(
      '术语：Kubernetes、Tingxie、张伟。',
    );
    expect(promptWithVocabulary(' ', vocabularyOf('Kubernetes'), 'auto')).toBe(
      'Terms: Kubernetes.',
    );
  });

  it('leaves the prompt alone without terms, and cuts a long list at a whole term', () => {
    expect(promptWithVocabulary(' Names: Ada. ', vocabularyOf(''), 'en')).toBe('Names: Ada.');
    expect(promptWithVocabulary('', vocabularyOf('# only a comment'), 'en')).toBeUndefined();
    const many = Array.from({ length: 200 }, (_, i) => `Term${i}`).join('\n');
    const prompt = promptWithVocabulary('', vocabularyOf(many), 'en')!;
    expect(prompt.length).toBeLessThanOrEqual(PROMPT_TERMS_MAX_CHARS + 'Terms: .'.length);
    expect(prompt).toMatch(/^Terms: Term0, Term1, .*, Term\d+\.$/);
  });

  it('reaches the session configuration of every provider', () => {
    const server = { ...defaultSettings().server, prompt: 'Meeting notes.', language: 'en' };
    for (const provider of ['local', 'openai', 'dashscope', 'speaches', 'custom'] as const) {
      const config = toSessionConfig(
        { ...server, provider, url: 'wss://example.com/v1/realtime' },
        'sk-1',
        'ws://127.0.0.1:5000/v1/realtime',
        vocabulary,
      );
      expect(config.prompt).toBe('Meeting notes.\nTerms: Kubernetes, Tingxie, 张伟.');
    }
    expect(toSessionConfig(server, undefined, 'ws://x').prompt).toBe('Meeting notes.');
  });
});
