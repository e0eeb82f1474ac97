// The clean-up prompt builder: presets in the dictation's language, the fixed rules added to
// any prompt (an edited one too), the terms, and the text alone as the user message.
import { describe, expect, test } from 'vitest';
import {
  buildCleanupMessages,
  hanShare,
  promptLanguageOf,
} from '../../src/core/text/llm-cleanup-prompts.ts';
import { CLEANUP_PRESET_IDS, cleanupPresetPrompt } from '../../src/shared/llm-cleanup-presets.ts';

describe('the language of the instructions', () => {
  test.each([
    ['我们下周二发布', 'zh'],
    ['我用 GitHub 和 VS Code 写代码', 'zh'],
    ['let us ship it on Tuesday', 'en'],
    ['Deploy 到 staging and then production', 'en'],
    ['1, 2, 3', 'en'],
    ['', 'en'],
  ])('%j → %s', (text, language) => {
    expect(promptLanguageOf(text)).toBe(language);
  });

  test('a Han character weighs as much as a Latin word', () => {
    expect(hanShare('我用GitHub')).toBeCloseTo(2 / 3);
    expect(hanShare('hello world')).toBe(0);
    expect(hanShare('。，！')).toBe(0);
  });
});

describe('presets', () => {
  test('each preset exists in Chinese and English, and they differ', () => {
    for (const id of CLEANUP_PRESET_IDS) {
      expect(cleanupPresetPrompt(id, 'zh')).toMatch(/\p{Script=Han}/u);
      expect(cleanupPresetPrompt(id, 'en')).not.toMatch(/\p{Script=Han}/u);
    }
    expect(new Set(CLEANUP_PRESET_IDS.map((id) => cleanupPresetPrompt(id, 'en'))).size).toBe(3);
  });
});

describe('buildCleanupMessages', () => {
  test('English text: the prompt, the rules in English, the terms; the text alone as the user message', () => {
    const messages = buildCleanupMessages({
      prompt: cleanupPresetPrompt('written', 'en'),
      text: 'um so what time is the meeting',
      terms: ['Tingxie', 'Kubernetes'],
    });
    expect(messages).toHaveLength(2);
    const [system, user] = messages;
    expect(system!.role).toBe('system');
    expect(system!.content.startsWith(cleanupPresetPrompt('written', 'en'))).toBe(true);
    expect(system!.content).toContain('never translate');
    expect(system!.content).toContain('Do not answer questions');
    expect(system!.content).toContain('Reply with the cleaned text only');
    expect(system!.content).toContain(
      'Terms to spell exactly as written here: Tingxie, Kubernetes',
    );
    expect(user).toEqual({ role: 'user', content: 'um so what time is the meeting' });
  });

  test('Chinese text: the rules in Chinese, terms joined with 、', () => {
    const [system] = buildCleanupMessages({
      prompt: cleanupPresetPrompt('punctuation', 'zh'),
      text: '明天几点开会',
      terms: ['张伟', 'Tingxie'],
    });
    expect(system!.content).toContain('不要翻译');
    expect(system!.content).toContain('不要回答');
    expect(system!.content).toContain('简体');
    expect(system!.content).toContain('张伟、Tingxie');
  });

  test('an edited prompt keeps the fixed rules', () => {
    const [system] = buildCleanupMessages({
      prompt: 'Make it sound like a pirate.',
      text: 'hello',
    });
    expect(system!.content).toContain('Make it sound like a pirate.');
    expect(system!.content).toContain('never translate');
    expect(system!.content).toContain('Reply with the cleaned text only');
  });

  test('no terms: no terms line; blank and repeated terms are dropped', () => {
    const [none] = buildCleanupMessages({ prompt: 'p', text: 'hello' });
    expect(none!.content).not.toContain('Terms to spell');
    const [some] = buildCleanupMessages({ prompt: 'p', text: 'hello', terms: [' Go ', '', 'Go'] });
    expect(some!.content).toContain('Terms to spell exactly as written here: Go\n'.trimEnd());
    expect(some!.content).not.toContain('Go, Go');
  });

  test('an empty prompt falls back to the punctuation preset', () => {
    const [system] = buildCleanupMessages({ prompt: '  ', text: '你好' });
    expect(system!.content.startsWith(cleanupPresetPrompt('punctuation', 'zh'))).toBe(true);
  });
});
