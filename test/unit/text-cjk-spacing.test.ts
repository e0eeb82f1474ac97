import { describe, expect, test } from 'vitest';
import { spaceCjkAndLatin } from '../../src/core/text/cjk-spacing.ts';

describe('spaceCjkAndLatin', () => {
  test.each([
    ['我用ChatGPT写了3个函数', '我用 ChatGPT 写了 3 个函数'],
    ['iPhone15发布了', 'iPhone15 发布了'],
    ['价格：100元', '价格：100 元'],
    ['C++开发和C#语言', 'C++ 开发和 C# 语言'],
    ['50%的人花了$100', '50% 的人花了 $100'],
    ['Café和Zürich', 'Café 和 Zürich'],
    ['日本語のテキストとEnglish', '日本語のテキストと English'],
    // URLs, addresses, paths and code are one word, nothing goes inside them.
    ['访问https://example.com/a?b=1了解', '访问 https://example.com/a?b=1 了解'],
    ['邮件发到wang.wei@example.com吧', '邮件发到 wang.wei@example.com 吧'],
    ['打开/usr/local/bin看看', '打开 /usr/local/bin 看看'],
    ['变量my_var的值', '变量 my_var 的值'],
    ['调用os.path.join()拼路径', '调用 os.path.join() 拼路径'],
    // Only added, never doubled.
    ['我用 ChatGPT写', '我用 ChatGPT 写'],
  ])('%s → %s', (raw, expected) => {
    expect(spaceCjkAndLatin(raw)).toBe(expected);
  });

  test.each([
    '我用 ChatGPT 写代码。',
    '今天天气不错，我们出去走走吧。',
    'Hello, world.',
    '我买了ＡＢＣ牌的',
    '你好😀世界',
    '和/或',
    '路径是 /home/用户/文档。',
    '见 https://zh.wikipedia.org/wiki/中文',
    '他说“OK”就走了',
    '한국어Korean',
    '',
  ])('keeps %s', (text) => {
    expect(spaceCjkAndLatin(text)).toBe(text);
  });
});
