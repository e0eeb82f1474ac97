// Text to find as written, as a regular expression: what a vocabulary's "heard as" and a
// plain rule both need. Where the text begins or ends with a Latin letter or digit, it
// matches only a whole word there, so that "AI" is not found inside "RAID" or "said"; CJK
// has no word boundaries to respect, so "天气" is found in "今天天气".
import { LATIN } from './characters.ts';

/** The characters that mean something in a `u`-mode regular expression (escaping any other
 * character, '-' included, is an error there). */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/gu;
const latinAtStart = new RegExp(`^[${LATIN}]`, 'u');
const latinAtEnd = new RegExp(`[${LATIN}]$`, 'u');

/** A `u`-mode pattern that finds `text` (see above); with `anySpaces`, each run of spaces in
 * it also matches any other run of spaces ("cooper  netties"). */
export function literalPattern(text: string, anySpaces = false): string {
  let pattern = text.replace(SYNTAX, '\\$&');
  if (anySpaces) pattern = pattern.replace(/\s+/gu, '\\s+');
  if (latinAtStart.test(text)) pattern = `(?<![${LATIN}])${pattern}`;
  if (latinAtEnd.test(text)) pattern = `${pattern}(?![${LATIN}])`;
  return pattern;
}
