import { describe, expect, test } from 'vitest';
import {
  parseVocabulary,
  replaceHeardAs,
  type Vocabulary,
} from '../../src/core/text/vocabulary.ts';

function vocabulary(text: string): Vocabulary {
  const parsed = parseVocabulary(text);
  if (!parsed.ok) throw new Error(`expected a vocabulary: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

const FILE = `
# Names and terms the recognizer does not know
Tingxie
Kubernetes = cooper netties, kuber nettis
张伟 = 张卫, 章伟
GitHub = github
AI = A I，a eye
PostgreSQL = postgres QL, post gress
`;

describe('parseVocabulary', () => {
  test('reads terms, with and without "heard as", skipping comments and blank lines', () => {
    expect(vocabulary(FILE).terms).toEqual([
      { term: 'Tingxie', heardAs: [] },
      { term: 'Kubernetes', heardAs: ['cooper netties', 'kuber nettis'] },
      { term: '张伟', heardAs: ['张卫', '章伟'] },
      { term: 'GitHub', heardAs: ['github'] },
      { term: 'AI', heardAs: ['A I', 'a eye'] },
      { term: 'PostgreSQL', heardAs: ['postgres QL', 'post gress'] },
    ]);
  });

  test('a term on several lines gets them all; a BOM and Windows line ends are fine', () => {
    expect(vocabulary('\uFEFFVue = view\r\nVue = vew\r\n').terms).toEqual([
      { term: 'Vue', heardAs: ['view', 'vew'] },
    ]);
  });

  test('refuses the file with every mistake and its line', () => {
    const parsed = parseVocabulary(
      [
        'Kubernetes = cooper netties', // 1
        '= nothing', // 2
        'Vue =', // 3
        'React = re act,, reakt', // 4
        '# a comment', // 5
        'Cooper = Cooper  Netties', // 6: already Kubernetes's
        'AI => 人工智能', // 7: a rule
      ].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3, 4, 6, 7]);
    const [noTerm, nothing, emptyItem, taken, rule] = parsed.problems.map((p) => p.message);
    expect(noTerm).toMatch(/no term before "="/);
    expect(nothing).toMatch(/nothing follows "="/);
    expect(emptyItem).toMatch(/empty "heard as"/);
    expect(taken).toMatch(/"Cooper {2}Netties" is already heard as "Kubernetes" \(line 1\)/);
    expect(rule).toMatch(/rules file/);
  });
});

describe('replaceHeardAs', () => {
  const words = vocabulary(FILE);
  test.each([
    ['我们用cooper netties部署', '我们用Kubernetes部署'],
    ['Deploy it on Kuber  Nettis today.', 'Deploy it on Kubernetes today.'],
    ['张卫和章伟是同一个人', '张伟和张伟是同一个人'],
    ['Push it to Github, then to GITHUB.', 'Push it to GitHub, then to GitHub.'],
    ['We use postgres QL and post gress.', 'We use PostgreSQL and PostgreSQL.'],
    ['the a eye said hi', 'the AI said hi'],
    // Longest first, once: "postgres QL" is not left as "postgres" + term.
    ['POSTGRES ql', 'PostgreSQL'],
  ])('%s → %s', (raw, expected) => {
    expect(replaceHeardAs(raw, words)).toBe(expected);
  });

  test.each([
    // Latin "heard as" only as whole words
    'githubusercontent and mygithub',
    'A Ideal world', // "A I" must not match inside "A Ideal"
    'the cooper nettiesque style',
    // the term itself is left as it is
    'Kubernetes and GitHub',
    // nothing to do
    '今天天气不错。',
    '',
  ])('keeps %s', (text) => {
    expect(replaceHeardAs(text, words)).toBe(text);
  });

  test('an empty vocabulary changes nothing', () => {
    expect(replaceHeardAs('github', { terms: [] })).toBe('github');
  });
});
