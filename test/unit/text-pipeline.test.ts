import { describe, expect, test } from 'vitest';
import {
  DEFAULT_TEXT_OPTIONS,
  createTextPipeline,
  runTextPipeline,
  type TextOptions,
} from '../../src/core/text/pipeline.ts';
import { parseRules, type Rule } from '../../src/core/text/rules.ts';
import { parseVocabulary, type Vocabulary } from '../../src/core/text/vocabulary.ts';

function vocabulary(text: string): Vocabulary {
  const parsed = parseVocabulary(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
}
function rules(text: string): Rule[] {
  const parsed = parseRules(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
}

const ALL_OFF: TextOptions = {
  ...DEFAULT_TEXT_OPTIONS,
  spacing: false,
  punctuationWidth: false,
};

const VOCABULARY = vocabulary('Kubernetes = cooper netties\n张伟 = 张卫');
const RULES = rules('軟件 => 軟體\n/(\\d+) percent/i => $1%');

/** Transcripts as recognizers write them, mistakes included. */
const TRANSCRIPTS = [
  '嗯，我们用cooper netties部署,张卫说50 percent.',
  '後來我們在臺灣的軟件公司裡面喝咖啡。',
  'Um, so we went to the store。',
  ' Hello，world ',
  '啊我忘了 uh 带钥匙\n明天见',
  '🎉 3.14 1,000 https://example.com/a_b... ~/notes.md',
  '\u3000全角空格\t和制表符  ',
  '',
];

describe('runTextPipeline', () => {
  test.each(TRANSCRIPTS)('with every step off, %j comes out byte for byte', (raw) => {
    const result = runTextPipeline(raw, ALL_OFF);
    expect(result).toEqual({ raw, final: raw, steps: [] });
  });

  test.each([
    '今天天气不错，我们出去走走吧。',
    'The meeting is at 10:30, in room 3.14.',
    '我用 ChatGPT 写了 3 个函数，见 https://example.com/a_b 和 ~/notes.md。',
    'I met 王伟 yesterday. 我们聊了 AI 的事。',
    '今天天氣不錯，我們出去走走吧。',
    '好啊。😀',
    '',
  ])('with every step on and nothing to change, %j is unchanged', (text) => {
    const result = runTextPipeline(text, {
      script: 'as-is',
      spacing: true,
      punctuationWidth: true,
      removeFillers: true,
      removeTrailingPeriod: false,
      vocabulary: VOCABULARY,
      rules: RULES,
    });
    expect(result.final).toBe(text);
    expect(result.steps.every((step) => step.text === text)).toBe(true);
  });

  test.each([
    ['simplified', '今天天气不错，我们用 ChatGPT 写了 3 个函数。'],
    ['traditional', '後來我們在臺灣喝咖啡，見 https://example.com/a_b。'],
    ['tw', '今天天氣不錯，我們出去走走吧。'],
    ['hk', 'Hello, world. 3.14 and 1,000 😀'],
  ] as const)('text already in the %s script is unchanged', async (script, text) => {
    const pipeline = await createTextPipeline({
      script,
      removeFillers: true,
      vocabulary: VOCABULARY,
      rules: RULES,
    });
    expect(pipeline(text).final).toBe(text);
  });

  test('runs the steps in their fixed order and keeps the raw transcript', async () => {
    const raw = '嗯，我们用cooper netties部署,张卫说软件要50 percent.';
    const pipeline = await createTextPipeline({
      script: 'tw',
      removeFillers: true,
      removeTrailingPeriod: true,
      vocabulary: VOCABULARY,
      rules: RULES,
    });
    expect(pipeline(raw)).toEqual({
      raw,
      final: '我們用 Kubernetes 部署，張偉說軟體要 50%',
      steps: [
        { step: 'fillers', text: '我们用cooper netties部署,张卫说软件要50 percent.' },
        // the vocabulary finds "heard as" as the recognizer wrote it, in its script
        { step: 'vocabulary', text: '我们用Kubernetes部署,张伟说软件要50 percent.' },
        { step: 'script', text: '我們用Kubernetes部署,張偉說軟件要50 percent.' },
        // the rules are written in the script the person reads
        { step: 'rules', text: '我們用Kubernetes部署,張偉說軟體要50%.' },
        { step: 'punctuationWidth', text: '我們用Kubernetes部署，張偉說軟體要50%。' },
        { step: 'spacing', text: '我們用 Kubernetes 部署，張偉說軟體要 50%。' },
        { step: 'trailingPeriod', text: '我們用 Kubernetes 部署，張偉說軟體要 50%' },
      ],
    });
  });

  test('the defaults: spacing and punctuation width on, the rest off', async () => {
    expect(DEFAULT_TEXT_OPTIONS).toMatchObject({
      script: 'as-is',
      spacing: true,
      punctuationWidth: true,
      removeFillers: false,
      removeTrailingPeriod: false,
    });
    const pipeline = await createTextPipeline();
    expect(pipeline('嗯，我用ChatGPT写代码,很快.').final).toBe('嗯，我用 ChatGPT 写代码，很快。');
    expect(pipeline('Hello，world。').final).toBe('Hello, world.');
  });

  test('a script other than as-is needs its converter', () => {
    expect(() => runTextPipeline('你好', { ...ALL_OFF, script: 'simplified' })).toThrow(
      /simplified script converter is not loaded/,
    );
  });

  test('a converter given for as-is is not used', () => {
    const result = runTextPipeline('你好', ALL_OFF, () => 'converted');
    expect(result.final).toBe('你好');
  });
});
