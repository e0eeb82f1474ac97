// Spans that no formatting step may change: URLs, e-mail addresses, file paths and code-like
// tokens. Their '.', ',' and ':' must stay half-width, and no space may be put inside them.
// A step runs on the text with each span replaced by PLACEHOLDER, which the steps treat as
// one Latin word (so "访问example.com了解" still gets its spaces), and the spans are put
// back afterwards. Numbers (3.14, 1,000, 10:30) and ellipses need no span: a mark between
// two digits, or next to another '.', is never taken for sentence punctuation.
import { CJK, PLACEHOLDER } from './characters.ts';

/** Characters no span runs into: whitespace, CJK, full-width punctuation and forms, quotes. */
const STOP = `\\s<>"'${CJK}\\u3000-\\u303F\\uFF00-\\uFFEF`;
/** What a span may hold but not end with: the '.' of "see https://example.com." ends a
 * sentence, and a '/' before CJK stays outside, so that no space comes between it and the
 * CJK name that follows (/home/用户, https://zh.wikipedia.org/wiki/中文). */
const NOT_AT_END = '(?<![.,;:!?)\\]}/])';

const SPANS = [
  // scheme://… or www.…
  `\\b(?:[A-Za-z][A-Za-z0-9+.-]*://|www\\.)[^${STOP}]+${NOT_AT_END}`,
  // user@example.com
  `[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+`,
  // C:\Users\me
  `\\b[A-Za-z]:\\\\[^${STOP}]*${NOT_AT_END}`,
  // /usr/bin, ~/notes.md, ./src, ../a; not km/h or 1/2 (nothing word-like just before '/')
  `(?<![\\w./~])(?:~|\\.{1,2})?(?:/[\\w@%+~-]+(?:\\.[\\w@%+~-]+)*)+`,
  // Node.js, os.path.join(), std::vector, foo(), a->b
  `(?<![\\w$.])[A-Za-z_$][\\w$]*(?:(?:(?:\\.|::|->)[A-Za-z_$][\\w$]*)+(?:\\(\\))?|\\(\\))`,
  // snake_case, __init__
  `(?<![\\w$])\\w*_\\w*`,
  // A placeholder already in the text stands for itself.
  PLACEHOLDER,
];
const SPAN = new RegExp(SPANS.join('|'), 'gu');

/** Runs `step` on `text` with its protected spans out of reach (see above). */
export function withProtectedSpans(text: string, step: (masked: string) => string): string {
  const spans: string[] = [];
  const masked = text.replace(SPAN, (span) => {
    spans.push(span);
    return PLACEHOLDER;
  });
  if (spans.length === 0) return step(text);
  let next = 0;
  return step(masked).replaceAll(PLACEHOLDER, () => spans[next++] ?? '');
}
