import { describe, expect, test } from 'vitest';
import { removeTrailingPeriod } from '../../src/core/text/trailing-period.ts';

describe('removeTrailingPeriod', () => {
  test.each([
    ['明天见。', '明天见'],
    ['Sounds good.', 'Sounds good'],
    ['我用 ChatGPT 写的。', '我用 ChatGPT 写的'],
    ['见example.com.', '见example.com'],
    ['圆周率是3.14.', '圆周率是3.14'],
    ['好的。\n', '好的\n'],
  ])('%s → %s', (raw, expected) => {
    expect(removeTrailingPeriod(raw)).toBe(expected);
  });

  test.each([
    // more than one sentence
    '今天下雨。我不去了。',
    'It rains. I stay home.',
    // not a full stop
    '真的吗？',
    'Really?',
    '太好了！',
    '我想想...',
    '我想想……',
    '版本3.14',
    'Node.js',
    '他说：“好。”',
    '',
  ])('keeps %s', (text) => {
    expect(removeTrailingPeriod(text)).toBe(text);
  });
});
