// A dictation of one phrase — a search query, a chat reply, a file name — should not end in a
// full stop the recognizer added: "明天见。" → "明天见", "Sounds good." → "Sounds good". Only a
// final 。 or '.' goes, and only when the text is one sentence: "今天下雨。我不去了。" keeps both.
// A question or exclamation mark is meaning, not a full stop, and stays, as does an ellipsis
// (...). A '.' that ends a URL, a path or code is not a full stop (protected-spans.ts).
import { withProtectedSpans } from './protected-spans.ts';
import { endsSentence, splitSentences } from './sentences.ts';

/** `text` without its final 。 or '.' when it is a single sentence (see above). */
export function removeTrailingPeriod(text: string): string {
  return withProtectedSpans(text, (masked) => {
    const end = masked.trimEnd().length - 1;
    const last = masked[end];
    if ((last !== '。' && last !== '.') || !endsSentence(masked, end)) return masked;
    const sentences = splitSentences(masked).filter((sentence) => sentence.trim() !== '');
    if (sentences.length !== 1) return masked;
    return masked.slice(0, end) + masked.slice(end + 1);
  });
}
