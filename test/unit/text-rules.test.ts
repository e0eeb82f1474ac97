import { describe, expect, test } from 'vitest';
import { describeProblems } from '../../src/core/text/line-file.ts';
import { applyRules, parseRules, type Rule } from '../../src/core/text/rules.ts';

function rules(text: string): Rule[] {
  const parsed = parseRules(text);
  if (!parsed.ok) throw new Error(`expected rules: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}
function problems(text: string): string[] {
  const parsed = parseRules(text);
  if (parsed.ok) throw new Error(`expected "${text}" to be refused`);
  return parsed.problems.map(({ line, message }) => `line ${line}: ${message}`);
}

const FILE = `
# Spoken punctuation
逗号 => ，
句号 => 。
# Plain Latin patterns are whole words, case-sensitive
AI => 人工智能
C# => C sharp
# Regular expressions, with flags and groups
/(\\d+) percent/i => $1%
/(?<first>\\w+)@(?<host>\\w+) dot com/ => $<first>@$<host>.com
/\\s*（笑）/ =>
" - " => "——"
`;

describe('parseRules', () => {
  test('reads plain and regular-expression rules, in order, with their lines', () => {
    const parsed = rules(FILE);
    expect(parsed.map((r) => [r.line, r.plain, r.replacement])).toEqual([
      [3, true, '，'],
      [4, true, '。'],
      [6, true, '人工智能'],
      [7, true, 'C sharp'],
      [9, false, '$1%'],
      [10, false, '$<first>@$<host>.com'],
      [11, false, ''],
      [12, true, '——'],
    ]);
    expect(parsed[4]?.pattern.flags).toBe('giu');
  });

  test('refuses the whole file, listing every mistake with its line', () => {
    const text = [
      '逗号 => ，', // 1 fine
      'no arrow here', // 2
      ' => nothing', // 3
      '/(ab/ => x', // 4
      '// => x', // 5
      '/a*/ => -', // 6
      '/x/q => y', // 7
      '/(a)(b)/ => $3', // 8
      '/(?<x>a)/ => $<y>', // 9
      '/a/ => $0', // 10
      '/abc => x', // 11
      '# fine', // 12
      '句号 => 。', // 13 fine
    ].join('\n');
    const found = problems(text);
    expect(found).toHaveLength(10);
    expect(found[0]).toMatch(/^line 2: no "=>"/);
    expect(found[1]).toMatch(/^line 3: the pattern before "=>" is empty/);
    expect(found[2]).toMatch(/^line 4: \/\(ab\/ is not a valid regular expression: .*group/i);
    expect(found[3]).toMatch(/^line 5: the regular expression \/\/ is empty/);
    expect(found[4]).toMatch(/^line 6: \/a\*\/ matches empty text/);
    expect(found[5]).toMatch(/^line 7: unknown flag "q"/);
    expect(found[6]).toMatch(/^line 8: the replacement uses \$3, but \/\(a\)\(b\)\/ has 2 groups/);
    expect(found[7]).toMatch(/^line 9: .*no group named "y"/);
    expect(found[8]).toMatch(/^line 10: .*\$&/);
    expect(found[9]).toMatch(/^line 11: .*closing "\/"/);
    const parsed = parseRules(text);
    if (parsed.ok) return;
    expect(describeProblems('rules.txt', parsed.problems)).toMatch(
      /^rules\.txt: 10 mistakes, so none of its lines are used:\n {2}line 2: /,
    );
  });

  test('a path is a plain pattern when quoted; unquoted, the mistake says to quote it', () => {
    expect(applyRules('cd /usr/bin', rules('"/usr/bin" => ~/bin'))).toBe('cd ~/bin');
    expect(problems('/usr/bin => ~/bin')[0]).toMatch(/^line 1: unknown flag "bn".*double quotes/);
  });

  test('a zero-width pattern at a chosen place is allowed', () => {
    expect(applyRules('abc123def', rules('/(?<=[a-z])(?=\\d)/ => -'))).toBe('abc-123def');
    expect(applyRules('你好', rules('/^/ => "> "'))).toBe('> 你好');
  });

  test('a regular expression may contain slashes and "=>" in a class or escaped', () => {
    const [rule] = rules('/a\\/b|[/=>]x/ => y');
    expect(applyRules('a/b and =x', [rule!])).toBe('y and y');
  });
});

describe('applyRules', () => {
  const fileRules = rules(FILE);
  test.each([
    ['你好逗号世界句号', '你好，世界。'],
    ['AI is not RAID, nor SAID, nor AIM.', '人工智能 is not RAID, nor SAID, nor AIM.'],
    ['I write C# daily', 'I write C sharp daily'],
    ['增长了50 percent，然后30 PERCENT', '增长了50%，然后30%'],
    ['mail wang@example dot com', 'mail wang@example.com'],
    ['这太好了（笑）', '这太好了'],
    ['北京 - 上海', '北京——上海'],
    // A plain replacement is literal text.
    ['', ''],
  ])('%s → %s', (raw, expected) => {
    expect(applyRules(raw, fileRules)).toBe(expected);
  });

  test('rules apply in order, each to what the one before left', () => {
    expect(applyRules('cat', rules('cat => dog\ndog => bird'))).toBe('bird');
    expect(applyRules('cat', rules('dog => bird\ncat => dog'))).toBe('dog');
  });

  test('a plain replacement with $ is written as it is', () => {
    expect(applyRules('price', rules('price => $1 each'))).toBe('$1 each');
  });

  test('text with nothing to match is unchanged, byte for byte', () => {
    const text = 'Hello, 世界！ 3.14 😀 https://example.com/a_b';
    expect(applyRules(text, fileRules)).toBe(text);
  });
});
