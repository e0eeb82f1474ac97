// Every kind of mistake the vocabulary and rules parsers report has a code, and the window has
// a translation of each in both languages (text.problems.<code> in the i18n files, read as
// text: the node tests do not compile the renderer).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseRules, parseVocabulary } from '../../src/core/text/index.ts';

const VOCABULARY = ['a => b', '= x', 'Term =', 'Term = a,,b', 'One = x\nTwo = x'];
const RULES = [
  'no arrow',
  ' => x',
  '/abc => x',
  '// => x',
  '/a/q => x',
  '/(a/ => x',
  '/a*/ => x',
  '/(a)/ => $0',
  '/(a)/ => $2',
  '/(?<x>a)/ => $<y>',
];

test('each kind of mistake has a code with a translation in English and Chinese', () => {
  const codes = [
    ...VOCABULARY.map((text) => parseVocabulary(text)),
    ...RULES.map((text) => parseRules(text)),
  ].map((parsed) => (parsed.ok ? 'none' : parsed.problems[0]!.code));
  expect(new Set(codes).size).toBe(codes.length);
  expect(codes).not.toContain('none');
  for (const file of ['en.ts', 'zh-CN.ts']) {
    const messages = readFileSync(
      join(import.meta.dirname, '../../src/renderer/src/i18n', file),
      'utf8',
    );
    const problems = messages.slice(messages.indexOf('    problems: {'));
    for (const code of codes) expect(problems, `${file}: ${code}`).toMatch(`      ${code}:`);
  }
});
