// The vocabulary as a recognizer's prompt. Whisper-family models (OpenAI's, speaches', the
// local whisper.cpp and OpenAI-compatible engines) read the prompt as text that came before the
// turn: terms written in it are spelt that way when they are heard. The terms go after the
// person's own prompt, as one short line in the language of the dictation:
//   Chinese (the language is zh or yue, or auto and a term is Chinese): 术语：张伟、Kubernetes。
//   otherwise:                                                          Terms: Kubernetes, Tingxie.
// A Chinese line for an English dictation would pull the recognizer towards Chinese, and the
// other way round; with auto, a Chinese term says the person dictates Chinese.
// Recognizers read a prompt of a couple of hundred tokens at most (Whisper keeps the last 224):
// the list of terms is cut, at a whole term, to PROMPT_TERMS_MAX_CHARS characters. The replacement pass of the
// pipeline still fixes every "heard as" of the terms left out.
//
// Engines that take terms another way (OpenAI's `keywords`, sherpa-onnx hotwords) get them from
// `promptTerms` too: that is the place to pass them on, beside the prompt.
import { isCjk } from './characters.ts';
import type { Vocabulary } from './vocabulary.ts';

export const PROMPT_TERMS_MAX_CHARS = 600;

/** The terms a prompt names, in the vocabulary's order, as many as fit. */
export function promptTerms(vocabulary: Vocabulary): string[] {
  const terms: string[] = [];
  let length = 0;
  for (const { term } of vocabulary.terms) {
    // Each after the first comes after ", " (or "、").
    length += term.length + (terms.length > 0 ? 2 : 0);
    if (length > PROMPT_TERMS_MAX_CHARS) break;
    terms.push(term);
  }
  return terms;
}

const isChinese = (language: string) => /^(zh|yue)(-|$)/u.test(language);
const hasCjk = (text: string) => [...text].some((c) => isCjk(c));

/** `prompt` (the person's own, may be empty) with the vocabulary's terms after it; undefined
 * when both are empty. */
export function promptWithVocabulary(
  prompt: string | undefined,
  vocabulary: Vocabulary,
  language: string,
): string | undefined {
  const own = prompt?.trim() ?? '';
  const terms = promptTerms(vocabulary);
  if (terms.length === 0) return own || undefined;
  const chinese = isChinese(language) || (language === 'auto' && terms.some(hasCjk));
  const line = chinese ? `术语：${terms.join('、')}。` : `Terms: ${terms.join(', ')}.`;
  return own ? `${own}\n${line}` : line;
}
