// The text pipeline: a turn's transcript, as the server completed it, → the text Tingxie
// inserts. The raw transcript is always kept beside the final text.
//
// The order is fixed:
//   1. fillers      the recognizer's own words, before anything is added to them: no term or
//                   rule output is ever taken for a filler, and rules see the text without
//                   hesitations.
//   2. vocabulary   "heard as" → the term. Before the script: a "heard as" is what the
//                   recognizer writes, in its script (copied from a raw transcript); the term
//                   then comes out in the chosen script like every other word.
//   3. script       Simplified ↔ Traditional.
//   4. rules        the person's own rules, in the file's order, after the script: they are
//                   written in the script the person reads, and they get the last word over
//                   OpenCC's dictionaries and the vocabulary (軟件 => 軟體 works after s2tw).
//   5. punctuation width, then
//   6. CJK spacing  typography of the words as they now are, rules' output included; spacing
//                   after width, since no space goes next to full-width punctuation.
//   7. trailing period, last: only the final text shows whether it is one sentence and
//                   what its last mark is.
// Each step is a pure function of its own file; a step that is off is skipped. With every
// step off, or nothing for any step to do, the final text is the raw transcript exactly.
import { spaceCjkAndLatin } from './cjk-spacing.ts';
import { removeFillers } from './fillers.ts';
import { fixPunctuationWidth } from './punctuation-width.ts';
import { applyRules, type Rule } from './rules.ts';
import {
  convertScript,
  loadScriptConverter,
  type OutputScript,
  type ScriptConverter,
} from './script-conversion.ts';
import { removeTrailingPeriod } from './trailing-period.ts';
import { EMPTY_VOCABULARY, replaceHeardAs, type Vocabulary } from './vocabulary.ts';

export interface TextOptions {
  /** Off (`as-is`) by default: converting loads OpenCC's dictionaries, and most people read
   * the script their recognizer already writes. */
  script: OutputScript;
  /** On by default: "用ChatGPT写" → "用 ChatGPT 写" is what bilingual writing expects, and
   * recognizers never put those spaces in. */
  spacing: boolean;
  /** On by default: recognizers put half-width marks in Chinese and full-width ones in
   * English, which nobody wants; the step changes nothing in text that is right. */
  punctuationWidth: boolean;
  /** Off by default: it deletes words the person said, and 嗯 or 啊 is sometimes meant. */
  removeFillers: boolean;
  /** Off by default: most dictations are sentences; on, it suits search boxes and chats. */
  removeTrailingPeriod: boolean;
  vocabulary: Vocabulary;
  rules: readonly Rule[];
}

export const DEFAULT_TEXT_OPTIONS: TextOptions = {
  script: 'as-is',
  spacing: true,
  punctuationWidth: true,
  removeFillers: false,
  removeTrailingPeriod: false,
  vocabulary: EMPTY_VOCABULARY,
  rules: [],
};

export type TextStep =
  'fillers' | 'vocabulary' | 'script' | 'rules' | 'punctuationWidth' | 'spacing' | 'trailingPeriod';

export interface TextResult {
  /** The transcript as the server completed it. */
  raw: string;
  /** What Tingxie inserts. */
  final: string;
  /** Each step that ran, in order, with the text it left. */
  steps: { step: TextStep; text: string }[];
}

/** Runs the pipeline on one transcript. */
export type TextPipeline = (raw: string) => TextResult;

/** The pipeline for `options` (defaults for what they leave out), once the dictionaries its
 * script needs are loaded. */
export async function createTextPipeline(
  options: Partial<TextOptions> = {},
): Promise<TextPipeline> {
  const all = { ...DEFAULT_TEXT_OPTIONS, ...options };
  const converter = all.script === 'as-is' ? undefined : await loadScriptConverter(all.script);
  return (raw) => runTextPipeline(raw, all, converter);
}

/** The pipeline's steps on `raw`. `converter` is the script's (loadScriptConverter); it is
 * needed unless the script is `as-is`. */
export function runTextPipeline(
  raw: string,
  options: TextOptions,
  converter?: ScriptConverter,
): TextResult {
  const convert = options.script === 'as-is' ? undefined : converter;
  if (options.script !== 'as-is' && convert === undefined) {
    throw new Error(`The ${options.script} script converter is not loaded (loadScriptConverter).`);
  }
  const { vocabulary, rules } = options;
  // Each step, or undefined where it is off.
  const plan: [TextStep, ((text: string) => string) | undefined][] = [
    ['fillers', options.removeFillers ? removeFillers : undefined],
    [
      'vocabulary',
      vocabulary.terms.length > 0 ? (text) => replaceHeardAs(text, vocabulary) : undefined,
    ],
    ['script', convert && ((text) => convertScript(text, convert))],
    ['rules', rules.length > 0 ? (text) => applyRules(text, rules) : undefined],
    ['punctuationWidth', options.punctuationWidth ? fixPunctuationWidth : undefined],
    ['spacing', options.spacing ? spaceCjkAndLatin : undefined],
    ['trailingPeriod', options.removeTrailingPeriod ? removeTrailingPeriod : undefined],
  ];
  const steps: TextResult['steps'] = [];
  let text = raw;
  for (const [step, run] of plan) {
    if (run === undefined) continue;
    text = run(text);
    steps.push({ step, text });
  }
  return { raw, final: text, steps };
}
