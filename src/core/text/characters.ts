// The character classes the text steps agree on, as regular-expression fragments (all used
// with the `u` flag).

/** Han ideographs, kana and bopomofo: the scripts written without spaces between words.
 * Hangul is left out: Korean puts spaces between words itself. */
export const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Bopomofo}';

/** Latin letters, with the accented ones of Latin-1, Extended-A/B and Vietnamese. Not
 * `\p{sc=Latin}`: that includes full-width Ｌａｔｉｎ, which sits in Chinese text like a Han
 * character. */
export const LATIN_LETTERS = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u1E00-\\u1EFF';

/** Latin letters and ASCII digits. */
export const LATIN = `${LATIN_LETTERS}0-9`;

/** Stands in for a protected span (a URL, a path, code) while a step runs: see
 * protected-spans.ts. A private-use character, which a recognizer never writes. */
export const PLACEHOLDER = '\uE000';

/** Full-width punctuation that ends a sentence in Chinese text. */
export const FULL_STOPS = '。！？';
/** Half-width punctuation that may end a sentence (a '.' only where it is not inside a
 * number, an abbreviation or an ellipsis: see sentences.ts). */
export const HALF_STOPS = '.!?';

/** Full-width marks inside a sentence. */
export const FULL_PAUSES = '，、；：';

const cjkChar = new RegExp(`[${CJK}]`, 'u');
const latinChar = new RegExp(`[${LATIN}${PLACEHOLDER}]`, 'u');

/** Whether `char` (one code point) is a CJK character. */
export const isCjk = (char: string | undefined): boolean =>
  char !== undefined && cjkChar.test(char);

/** Whether `char` (one code point) is a Latin letter, a digit or a protected span. */
export const isLatin = (char: string | undefined): boolean =>
  char !== undefined && latinChar.test(char);

/** The last code point of `text` (a whole emoji, not half of it), or undefined. */
export const lastChar = (text: string): string | undefined => /.$/su.exec(text)?.[0];

/** The first code point of `text`, or undefined. */
export const firstChar = (text: string): string | undefined => /^./su.exec(text)?.[0];
