// Where sentences end, for the steps that decide by sentence (punctuation width) or count
// them (the trailing period). A '.' ends a sentence only where it is not inside a number or
// a word (3.14, e.g) and not part of an ellipsis (...).
import { FULL_STOPS, HALF_STOPS, LATIN, PLACEHOLDER } from './characters.ts';

/** A Latin letter, a digit or a protected span (a '.' between two of them is inside a word). */
const latinOrDigit = new RegExp(`[${LATIN}${PLACEHOLDER}]`, 'u');
/** What may follow a sentence's last mark and still belong to it: more marks, closing
 * quotes and brackets. */
const CLOSERS = `${FULL_STOPS}${HALF_STOPS}"'”’」』）)]】》`;

/** Whether the character at `i` ends a sentence. */
export function endsSentence(text: string, i: number): boolean {
  const char = text[i];
  if (char === undefined) return false;
  if (char === '\n' || FULL_STOPS.includes(char) || char === '!' || char === '?') return true;
  if (char !== '.') return false;
  const before = text[i - 1];
  const after = text[i + 1];
  if (before === '.' || after === '.') return false;
  return !(
    before !== undefined &&
    after !== undefined &&
    latinOrDigit.test(before) &&
    latinOrDigit.test(after)
  );
}

/** `text` cut after each sentence's end (its marks, closing quotes and the spaces after
 * them): the pieces joined are `text`. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (!endsSentence(text, i)) {
      i++;
      continue;
    }
    i++;
    while (i < text.length && CLOSERS.includes(text[i] ?? '')) i++;
    while (i < text.length && /[ \t]/.test(text[i] ?? '')) i++;
    sentences.push(text.slice(start, i));
    start = i;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}
