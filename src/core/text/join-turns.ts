// Turns of one dictation arrive one after another, each already through the pipeline, and are
// inserted one after another: what goes in after a turn must fit what is already there. The
// first turn's end cannot change any more (it is typed), so the fix is in what follows it:
// - no doubled punctuation: after "你好。" a turn "。今天" goes in as "今天", after "OK," a
//   turn ", then" as "then" (a recognizer that ends a turn with a mark sometimes starts the
//   next one with another);
// - a space where the two texts need one: between two Latin words, after English
//   punctuation ("Hello." + "How are you" → "Hello. How are you"), and between CJK and Latin
//   when CJK spacing is on; none between Chinese and Chinese or after full-width punctuation.
import { FULL_PAUSES, FULL_STOPS, firstChar, isCjk, isLatin, lastChar } from './characters.ts';

/** A turn's leading marks, when the text before it already ends with one. Not a half-width
 * mark that belongs to what follows (the '.' of ".NET" or ".5", an ellipsis). */
const LEADING_MARKS = new RegExp(
  `^\\s*(?:[${FULL_STOPS}${FULL_PAUSES}]|[,.!?;:](?![.…A-Za-z0-9]))+\\s*`,
  'u',
);
const ENDING_MARK = new RegExp(`[,.!?;:${FULL_STOPS}${FULL_PAUSES}…]$`, 'u');
const HALF_WIDTH_MARK = /[,.!?;:]$/u;

export interface JoinOptions {
  /** CJK spacing (cjk-spacing.ts) is on: CJK and Latin meeting at the join get a space. */
  spacing: boolean;
}

/** What to insert after `previous` (the text so far) for the next turn, `next`. */
export function textToAppend(previous: string, next: string, options: JoinOptions): string {
  if (previous.trim() === '') return next;
  let text = next.trimStart();
  if (ENDING_MARK.test(previous.trimEnd())) text = text.replace(LEADING_MARKS, '');
  if (text === '' || /\s$/u.test(previous)) return text;
  return needsSpace(previous, text, options.spacing) ? ` ${text}` : text;
}

/** The turns as one text, each joined to the ones before it as `textToAppend` does. */
export function joinTurns(turns: readonly string[], options: JoinOptions): string {
  return turns.reduce((text, turn) => text + textToAppend(text, turn, options), '');
}

function needsSpace(previous: string, next: string, spacing: boolean): boolean {
  const before = lastChar(previous);
  const after = firstChar(next);
  if (isLatin(before) && isLatin(after)) return true;
  if (HALF_WIDTH_MARK.test(previous)) return spacing || !isCjk(after);
  return spacing && ((isCjk(before) && isLatin(after)) || (isLatin(before) && isCjk(after)));
}
