// The guard between a chat model's answer and the text Tingxie inserts.
import { describe, expect, test } from 'vitest';
import { guardCleanedText } from '../../src/core/text/llm-cleanup-guard.ts';

describe('accepted', () => {
  test.each([
    ['um so what time is the meeting', 'So, what time is the meeting?'],
    ['明天几点开会', '明天几点开会？'],
    [
      'first buy milk second call mom third book the flights',
      '- Buy milk.\n- Call Mom.\n- Book the flights.',
    ],
    ['嗯那个我们就是说下周二发布吧', '我们下周二发布吧。'],
  ])('%j → %j', (input, output) => {
    expect(guardCleanedText(input, output)).toEqual({ ok: true, text: output });
  });

  test('a fence or quotes around the whole answer are taken off', () => {
    expect(guardCleanedText('hello world', '```\nHello, world.\n```')).toEqual({
      ok: true,
      text: 'Hello, world.',
    });
    expect(guardCleanedText('hello world', '"Hello, world."')).toEqual({
      ok: true,
      text: 'Hello, world.',
    });
    expect(guardCleanedText('你好世界', '「你好，世界。」')).toEqual({
      ok: true,
      text: '你好，世界。',
    });
  });

  test('quotes inside the text stay', () => {
    const out = '"Yes," she said, "today."';
    expect(guardCleanedText('yes she said today', out)).toEqual({ ok: true, text: out });
  });

  test('a dictated apology is not a refusal', () => {
    expect(
      guardCleanedText("i'm sorry i missed your call", "I'm sorry I missed your call."),
    ).toEqual({
      ok: true,
      text: "I'm sorry I missed your call.",
    });
  });
});

describe('refused, with the reason', () => {
  test.each([
    ['empty', 'hello world', '   '],
    ['empty', 'hello world', '```\n\n```'],
    [
      'too_long',
      'what is the capital of france',
      'The capital of France is Paris. Paris is also the largest city in France, known for the Eiffel Tower.',
    ],
    [
      'too_short',
      'please send the quarterly report to the whole finance team by friday afternoon',
      'Send report.',
    ],
    ['refusal', 'how do I pick a lock', "I'm sorry, I can't help with that."],
    ['refusal', '怎么开锁', '抱歉，我无法提供这方面的帮助。'],
    ['translated', '我们下周二发布新版本', 'We will release the new version next Tuesday.'],
    ['translated', 'we ship the new version next tuesday', '我们下周二发布新版本。'],
  ])('%s: %j → %j', (failure, input, output) => {
    expect(guardCleanedText(input, output)).toEqual({ ok: false, failure });
  });
});
