// Punctuation width by context: full-width marks in a Chinese sentence (你好，世界。), half-width
// ones in an English sentence (Hello, world.). Recognizers get this wrong both ways: Whisper
// writes "你好,世界." and Paraformer writes "Hello，world。".
//
// A sentence is Chinese when it has more CJK characters than Latin words: "我用了ChatGPT, 它很好."
// is Chinese, "I met 王伟 yesterday。" is English. Only the sentence marks , . ? ! : ; (and 、,
// which English writes as a comma) change; brackets and quotes are left as they are, their
// width depends on more than the sentence. A mark between two digits (1,000, 3.14, 10:30), a
// '.' inside a word or next to another '.' (e.g, ...), and everything inside a URL, a path or
// code (protected-spans.ts) stays as it is.
import { CJK, LATIN, LATIN_LETTERS, PLACEHOLDER } from './characters.ts';
import { withProtectedSpans } from './protected-spans.ts';
import { endsSentence, splitSentences } from './sentences.ts';

const TO_FULL: Record<string, string> = {
  ',': '，',
  '.': '。',
  '?': '？',
  '!': '！',
  ':': '：',
  ';': '；',
};
const TO_HALF: Record<string, string> = {
  '，': ',',
  '、': ',',
  '。': '.',
  '？': '?',
  '！': '!',
  '：': ':',
  '；': ';',
};

const cjkChar = new RegExp(`[${CJK}]`, 'gu');
/** A run of Latin letters and digits with a letter (or a protected span) in it: numbers are
 * written the same way in both languages and count for neither. */
const latinWord = new RegExp(
  `[${LATIN}${PLACEHOLDER}]*[${LATIN_LETTERS}${PLACEHOLDER}][${LATIN}${PLACEHOLDER}]*`,
  'gu',
);
const digit = /[0-9]/;
/** Spaces around a full-width mark: Chinese puts none there. */
const spacesAroundFull = /[ \t]*([，、。？！：；])[ \t]*/gu;
/** After a half-width mark, English puts a space before the next word. */
const needsSpaceAfter = /[^\s"'”’」』）)\]】》,.!?;:，。！？；：、]/u;

/** `text` with its punctuation in the width each sentence's language uses (see above). */
export function fixPunctuationWidth(text: string): string {
  return withProtectedSpans(text, (masked) =>
    splitSentences(masked)
      .map((sentence, i, sentences) => {
        const language = sentenceLanguage(sentence);
        if (language === 'zh') return toFullWidth(sentence);
        if (language === 'en') return toHalfWidth(sentence, sentences[i + 1]?.[0]);
        return sentence;
      })
      .join(''),
  );
}

/** 'zh' when the sentence has more CJK characters than Latin words; undefined when it has
 * neither (a lone "？" or an emoji stays as it is). */
export function sentenceLanguage(sentence: string): 'zh' | 'en' | undefined {
  const cjk = sentence.match(cjkChar)?.length ?? 0;
  const words = sentence.match(latinWord)?.length ?? 0;
  if (cjk === 0 && words === 0) return undefined;
  return cjk > words ? 'zh' : 'en';
}

/** Whether the half-width mark at `i` is not sentence punctuation: a ',' or ':' between two
 * digits, a '.' that does not end a sentence. */
function staysHalfWidth(sentence: string, i: number): boolean {
  const mark = sentence[i];
  if (mark === '.') return !endsSentence(sentence, i);
  const before = sentence[i - 1];
  const after = sentence[i + 1];
  return (
    (mark === ',' || mark === ':') &&
    before !== undefined &&
    after !== undefined &&
    digit.test(before) &&
    digit.test(after)
  );
}

function toFullWidth(sentence: string): string {
  let out = '';
  for (let i = 0; i < sentence.length; i++) {
    const char = sentence[i] ?? '';
    const full = TO_FULL[char];
    out += full !== undefined && !staysHalfWidth(sentence, i) ? full : char;
  }
  return out.replace(spacesAroundFull, '$1');
}

/** `following`: the first character of the next sentence, which a mark at the very end of
 * this one may need a space before ("Hello。World" → "Hello. World"). */
function toHalfWidth(sentence: string, following: string | undefined): string {
  let out = '';
  for (let i = 0; i < sentence.length; i++) {
    const char = sentence[i] ?? '';
    const half = TO_HALF[char];
    if (half === undefined) {
      out += char;
      continue;
    }
    out = out.replace(/[ \t]+$/u, '') + half;
    const spaces = /^[ \t]*/u.exec(sentence.slice(i + 1))?.[0] ?? '';
    const next = sentence[i + 1 + spaces.length];
    if (next === undefined) {
      // The sentence ends here: its own spaces separate it from the next one.
      if (spaces === '' && following !== undefined && needsSpaceAfter.test(following)) out += ' ';
      continue;
    }
    if (needsSpaceAfter.test(next)) out += ' ';
    i += spaces.length;
  }
  return out;
}
