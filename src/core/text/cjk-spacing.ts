// A space between CJK and Latin letters or digits: "我用ChatGPT写了3个函数" → "我用 ChatGPT 写了
// 3 个函数", the convention of the Chinese copywriting guidelines and of most Chinese tech
// writing. A symbol that belongs to the Latin side goes with it: 50% 的人, C++ 开发, C# 语言,
// 花了 $100. Spaces are only added, never removed, and never next to punctuation (full-width
// punctuation already separates). URLs, paths and code count as one Latin word and nothing is
// put inside them (protected-spans.ts).
import { CJK, LATIN, PLACEHOLDER } from './characters.ts';
import { withProtectedSpans } from './protected-spans.ts';

const cjkThenLatin = new RegExp(`([${CJK}])(?=[$@]?[${LATIN}${PLACEHOLDER}])`, 'gu');
const latinThenCjk = new RegExp(`([${LATIN}${PLACEHOLDER}][%#+]*)(?=[${CJK}])`, 'gu');

/** `text` with a space wherever CJK meets a Latin letter or a digit (see above). */
export function spaceCjkAndLatin(text: string): string {
  return withProtectedSpans(text, (masked) =>
    masked.replace(cjkThenLatin, '$1 ').replace(latinThenCjk, '$1 '),
  );
}
