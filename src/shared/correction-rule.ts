// A correction made in History, as a replacement rule for the next time: the part of the text
// that changed, widened to whole Latin words (a plain rule that begins or ends with a letter
// or digit is found only as a whole word there, so "cooper" must not be cut from "coopers"),
// written in the rules file format (core/text/rules.ts). The renderer offers it (History →
// Correct…); pure code, so it lives in shared/.

const WORD = /[\p{L}\p{N}]/u;
const isLatinWordChar = (char: string | undefined) =>
  char !== undefined && WORD.test(char) && /[\p{sc=Latin}\p{N}]/u.test(char);

export interface CorrectionRule {
  pattern: string;
  replacement: string;
  /** The rules file line: `pattern => replacement`. */
  line: string;
}

/** A side of a rule, quoted where the format needs it: spaces at its ends, or a pattern that
 * starts with '/' or '"'. */
function quote(text: string, pattern: boolean): string {
  const needs = /^\s|\s$/u.test(text) || (pattern && /^[/"]/u.test(text));
  return needs ? `"${text}"` : text;
}

/** The rule that turns `before` into `after`, or undefined when there is none to write: no
 * change, only an insertion (nothing to find), or a pattern the format cannot hold ("=>", a
 * line break, a leading '#'). */
export function correctionRule(before: string, after: string): CorrectionRule | undefined {
  const a = [...before];
  const b = [...after];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a.at(-1 - end) === b.at(-1 - end))
    end++;
  // Whole words: back to the start of the word the change begins in, on to the end of the one
  // it ends in (the same characters on both sides, as they are common to both).
  while (start > 0 && isLatinWordChar(a[start - 1]) && isLatinWordChar(a[start])) start--;
  while (start > 0 && isLatinWordChar(a[start - 1]) && isLatinWordChar(b[start])) start--;
  while (end > 0 && isLatinWordChar(a.at(-end)) && isLatinWordChar(a.at(-1 - end))) end--;
  while (end > 0 && isLatinWordChar(a.at(-end)) && isLatinWordChar(b.at(-1 - end))) end--;
  const pattern = a
    .slice(start, a.length - end)
    .join('')
    .trim();
  const replacement = b
    .slice(start, b.length - end)
    .join('')
    .trim();
  if (pattern === '' || pattern === replacement) return undefined;
  if (/=>|[\r\n]/u.test(pattern) || /[\r\n]/u.test(replacement) || pattern.startsWith('#')) {
    return undefined;
  }
  const line = `${quote(pattern, true)} =>${replacement === '' ? '' : ` ${quote(replacement, false)}`}`;
  return { pattern, replacement, line };
}
