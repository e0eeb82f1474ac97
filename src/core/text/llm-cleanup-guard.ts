// What a chat model sends back is not always a cleaned text: it may be empty, an answer to a
// question the person dictated, a refusal, or a translation. The guard tells them apart, so
// that the rules text is inserted instead — never a model's chatter in someone's document.
import { hanShare } from './llm-cleanup-prompts.ts';

export type GuardFailure = 'empty' | 'too_long' | 'too_short' | 'refusal' | 'translated';

export type GuardResult = { ok: true; text: string } | { ok: false; failure: GuardFailure };

/** Room for what a clean-up legitimately adds: punctuation, "- " and line breaks of a list. */
const MAX_GROWTH = 1.6;
const MAX_GROWTH_SLACK = 24;
/** Below this, a text may lose half its length to fillers and repetitions being removed. */
const SHORT_TEXT = 40;
const MIN_KEPT = 0.35;

const REFUSALS = [
  /^(i['’]m sorry|i am sorry|sorry,|i can(?:not|['’]t) (?:help|assist|do|comply)|as an ai\b)/iu,
  /^(抱歉|很抱歉|对不起|對不起|我无法|我無法|我不能|作为一个?ai|作為一個?ai)/iu,
];

/** A fence or quotes around the whole answer, which some models add against instructions. */
function unwrap(text: string): string {
  let out = text.trim();
  const fence = /^```[\w-]*\n([\s\S]*?)\n```$/u.exec(out);
  if (fence) out = fence[1]!.trim();
  const quoted = /^(["“「『])([\s\S]*)(["”」』])$/u.exec(out);
  if (quoted && !/["“”「」『』]/u.test(quoted[2]!)) out = quoted[2]!.trim();
  return out;
}

/** The model's text, unwrapped, if it is a clean-up of `input`. */
export function guardCleanedText(input: string, output: string): GuardResult {
  const text = unwrap(output);
  if (!text) return { ok: false, failure: 'empty' };
  const before = input.trim();
  if (REFUSALS.some((r) => r.test(text) && !r.test(before)))
    return { ok: false, failure: 'refusal' };
  // Chinese in, English out (or the reverse) is a translation, however good (checked
  // first: lengths only compare within one script).
  const shareIn = hanShare(before);
  const shareOut = hanShare(text);
  if ((shareIn >= 0.5 && shareOut < 0.2) || (shareIn < 0.2 && shareOut >= 0.5))
    return { ok: false, failure: 'translated' };
  if (text.length > before.length * MAX_GROWTH + MAX_GROWTH_SLACK)
    return { ok: false, failure: 'too_long' };
  if (before.length >= SHORT_TEXT && text.length < before.length * MIN_KEPT)
    return { ok: false, failure: 'too_short' };
  return { ok: true, text };
}
