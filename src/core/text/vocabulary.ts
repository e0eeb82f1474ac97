// The vocabulary: the names and terms a person dictates that a recognizer does not know, each
// with what the recognizer writes instead ("heard as"). Each engine is told the terms its own
// way (a prompt, keywords, hotwords); here every engine's text then gets its "heard as"
// replaced by the term.
//
// File format, one term a line:
//
//   # Comments start with '#'. Blank lines are ignored.
//   Tingxie
//   Kubernetes = cooper netties, kuber nettis
//   张伟 = 张卫, 章伟
//   GitHub = github
//
// A line is a term alone, or `term = heard as, heard as, …` (',' or '，' between them). The
// term is written exactly as it should appear; a term cannot contain '='. A term on several
// lines gets all of them. "Heard as" is found case-insensitively and as whole words for Latin
// ("kuber nettis" also finds "Kuber  Nettis", never the inside of a longer word), literally for
// CJK. A term is never found by itself: "GitHub = github" is what fixes its case, so that a
// term such as "Go" or "US" does not capitalize every "go" and "us".
import type { FileParse, LineProblem, Mistake } from './line-file.ts';
import { contentLines, mistake } from './line-file.ts';
import { literalPattern } from './literal-pattern.ts';

export interface VocabularyTerm {
  /** As it should appear. */
  term: string;
  /** What recognizers write instead; may be empty. */
  heardAs: readonly string[];
}

export interface Vocabulary {
  terms: readonly VocabularyTerm[];
}

export const EMPTY_VOCABULARY: Vocabulary = { terms: [] };

/** Two "heard as" that only differ in case or spacing are the same. */
const key = (heardAs: string) => heardAs.toLowerCase().replace(/\s+/gu, ' ');

/** The vocabulary in `text` (the file format above), or every mistake in it. */
export function parseVocabulary(text: string): FileParse<Vocabulary> {
  const problems: LineProblem[] = [];
  const terms = new Map<string, string[]>();
  /** Which term each "heard as" (by key) belongs to, and the line that said so. */
  const owners = new Map<string, { term: string; line: number }>();
  for (const { line, text: entry } of contentLines(text)) {
    const fail = (problem: Mistake) => problems.push({ line, ...problem });
    if (entry.includes('=>')) {
      fail(
        mistake(
          'arrowInVocabulary',
          `"=>" belongs in the rules file. A vocabulary line is a term, or "term = heard as, heard as".`,
        ),
      );
      continue;
    }
    const equals = entry.indexOf('=');
    const term = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    if (term === '') {
      fail(mistake('noTerm', `there is no term before "=". Write "term = heard as, heard as".`));
      continue;
    }
    const heardAs: string[] = [];
    if (equals >= 0) {
      const list = entry.slice(equals + 1).trim();
      if (list === '') {
        fail(
          mistake(
            'nothingAfterEquals',
            `nothing follows "=". List what the recognizer writes instead of "${term}", or remove the "=".`,
            { term },
          ),
        );
        continue;
      }
      const items = list.split(/[,，]/u).map((item) => item.trim());
      if (items.some((item) => item === '')) {
        fail(
          mistake(
            'emptyHeardAs',
            `an empty "heard as": two commas in a row, or a comma at the start or end.`,
          ),
        );
        continue;
      }
      for (const item of items) {
        const owner = owners.get(key(item));
        if (owner !== undefined && owner.term !== term) {
          fail(
            mistake(
              'heardAsTaken',
              `"${item}" is already heard as "${owner.term}" (line ${owner.line}).`,
              { item, term: owner.term, otherLine: owner.line },
            ),
          );
        } else if (item !== term && owner === undefined) {
          owners.set(key(item), { term, line });
          heardAs.push(item);
        }
      }
    }
    terms.set(term, [...(terms.get(term) ?? []), ...heardAs]);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: { terms: [...terms].map(([term, heardAs]) => ({ term, heardAs })) },
  };
}

interface Replacer {
  pattern: RegExp;
  terms: Map<string, string>;
}

const replacers = new WeakMap<Vocabulary, Replacer | null>();

/** One pattern for every "heard as" of the vocabulary, longest first, so that each place in
 * the text is replaced once and a term put in is never replaced again. */
function replacerFor(vocabulary: Vocabulary): Replacer | null {
  let replacer = replacers.get(vocabulary);
  if (replacer !== undefined) return replacer;
  const terms = new Map<string, string>();
  for (const { term, heardAs } of vocabulary.terms) {
    for (const item of heardAs) terms.set(key(item), term);
  }
  const alternatives = [...terms.keys()]
    .sort((a, b) => b.length - a.length)
    .map((item) => literalPattern(item, true));
  replacer =
    alternatives.length === 0
      ? null
      : { pattern: new RegExp(alternatives.join('|'), 'giu'), terms };
  replacers.set(vocabulary, replacer);
  return replacer;
}

/** `text` with each "heard as" of the vocabulary replaced by its term (see above). */
export function replaceHeardAs(text: string, vocabulary: Vocabulary): string {
  const replacer = replacerFor(vocabulary);
  if (replacer === null) return text;
  return text.replace(replacer.pattern, (found) => replacer.terms.get(key(found)) ?? found);
}
