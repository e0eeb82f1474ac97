import { describe, expect, test } from 'vitest';
import { fixPunctuationWidth, sentenceLanguage } from '../../src/core/text/punctuation-width.ts';

describe('fixPunctuationWidth', () => {
  test.each([
    // Chinese sentences get full-width marks, without spaces around them.
    ['你好,世界.', '你好，世界。'],
    ['注意:这个很重要!', '注意：这个很重要！'],
    ['你吃饭了吗?我还没吃;你呢?', '你吃饭了吗？我还没吃；你呢？'],
    ['你好， 世界。', '你好，世界。'],
    ['我用了ChatGPT, 它很好用.', '我用了ChatGPT，它很好用。'],
    ['我用Node.js写的.', '我用Node.js写的。'],
    ['圆周率是3.14,大约.', '圆周率是3.14，大约。'],
    // English sentences get half-width marks, a space after, none before.
    ['Hello，world。How are you？', 'Hello, world. How are you?'],
    ['I met 王伟 yesterday。', 'I met 王伟 yesterday.'],
    ['Apples、pears and plums ！', 'Apples, pears and plums!'],
    ['Note：the office is closed。', 'Note: the office is closed.'],
    // Each sentence by its own language.
    ['今天开会.The meeting is at 10:30，OK？', '今天开会。The meeting is at 10:30, OK?'],
    // Marks inside numbers, URLs, addresses and paths stay.
    ['共1,000元,时间10:30.', '共1,000元，时间10:30。'],
    [
      '访问https://example.com/a?b=1,c=2,然后注册.',
      '访问https://example.com/a?b=1,c=2，然后注册。',
    ],
    ['邮件发到wang.wei@example.com,谢谢.', '邮件发到wang.wei@example.com，谢谢。'],
    ['文件在C:\\Users\\wang\\a.txt,打开看看.', '文件在C:\\Users\\wang\\a.txt，打开看看。'],
    ['Send it to 王伟，at wang@example.com。', 'Send it to 王伟, at wang@example.com.'],
  ])('%s → %s', (raw, expected) => {
    expect(fixPunctuationWidth(raw)).toBe(expected);
  });

  test.each([
    '今天天气不错，我们出去走走吧。',
    'Hello, world. How are you?',
    '我用 ChatGPT 写代码，效率很高。',
    '我想想...好吧',
    '我想想……好吧。',
    'Wait... what?',
    '他说：“你好。”',
    '版本号是v1.2.3，发布于2024年。',
    'It costs $1,000.50, not 3.14.',
    '😀！',
    '🎉🎉🎉',
    '',
  ])('keeps %s', (text) => {
    expect(fixPunctuationWidth(text)).toBe(text);
  });
});

describe('sentenceLanguage', () => {
  test.each([
    ['我用了ChatGPT，它很好。', 'zh'],
    ['I met 王伟 yesterday.', 'en'],
    ['共1,000元，时间10:30。', 'zh'],
    ['I love 北京', 'en'],
    ['？', undefined],
  ] as const)('%s is %s', (sentence, language) => {
    expect(sentenceLanguage(sentence)).toBe(language);
  });
});
