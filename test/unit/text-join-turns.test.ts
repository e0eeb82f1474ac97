import { describe, expect, test } from 'vitest';
import { joinTurns, textToAppend } from '../../src/core/text/join-turns.ts';

describe('textToAppend', () => {
  test.each([
    // No doubled punctuation where a turn starts with a mark and the text ends with one.
    ['你好。', '。今天天气不错。', true, '今天天气不错。'],
    ['我们先开会，', '，然后吃饭。', true, '然后吃饭。'],
    ['OK,', ', then we go.', true, ' then we go.'],
    ['Really?', '? Yes.', true, ' Yes.'],
    ['你好。', '。', true, ''],
    // Chinese after Chinese or full-width punctuation: nothing between.
    ['今天天气不错。', '我们出去走走吧。', true, '我们出去走走吧。'],
    ['今天天气不错', '我们出去走走吧', true, '我们出去走走吧'],
    // English: a space between words and after English punctuation.
    ['Hello.', 'How are you?', true, ' How are you?'],
    ['Hello', 'world', false, ' world'],
    ['Hello.', '你好。', false, '你好。'],
    // CJK and Latin meet: a space when CJK spacing is on.
    ['我用', 'ChatGPT 写代码。', true, ' ChatGPT 写代码。'],
    ['我用', 'ChatGPT 写代码。', false, 'ChatGPT 写代码。'],
    ['I love', '北京', true, ' 北京'],
    ['Hello.', '你好。', true, ' 你好。'],
    // The recognizer's leading space is not doubled; a text that ends in a space needs none.
    ['Hello.', ' How are you?', true, ' How are you?'],
    ['Hello. ', 'How are you?', true, 'How are you?'],
    // A mark that belongs to what follows stays.
    ['我用的是', '.NET 框架。', true, '.NET 框架。'],
    ['我想想。', '...好吧', true, '...好吧'],
    ['数值是', ',1000', true, ',1000'],
    // Nothing before
    ['', '，你好', true, '，你好'],
  ])('%j + %j (spacing %s) → %j', (previous, next, spacing, expected) => {
    expect(textToAppend(previous, next, { spacing })).toBe(expected);
  });
});

describe('joinTurns', () => {
  test('joins a dictation of several turns as it was inserted', () => {
    expect(
      joinTurns(['今天开会。', '。会议在10:30开始，', '，Alice will present.', 'Then we eat.'], {
        spacing: true,
      }),
    ).toBe('今天开会。会议在10:30开始，Alice will present. Then we eat.');
  });
});
