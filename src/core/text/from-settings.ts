// The text pipeline's options from the settings' `text` group (or the CLI's flags and files),
// with every mistake of the vocabulary and the rules, each with its line. Nothing runs with a
// part of a file: one mistake and the whole file is refused.
import type { TextSettings } from '../../shared/settings.ts';
import type { LineProblem } from './line-file.ts';
import type { TextOptions } from './pipeline.ts';
import { parseRules } from './rules.ts';
import { parseVocabulary } from './vocabulary.ts';

/** The two files of the text settings. */
export type TextFile = 'vocabulary' | 'rules';

export interface TextFileProblem extends LineProblem {
  file: TextFile;
}

export type TextOptionsParse =
  { ok: true; options: TextOptions } | { ok: false; problems: TextFileProblem[] };

/** The pipeline's options for `text`, or every mistake in its vocabulary and rules. */
export function textOptionsFrom(text: TextSettings): TextOptionsParse {
  const vocabulary = parseVocabulary(text.vocabulary);
  const rules = parseRules(text.rules);
  const problems: TextFileProblem[] = [
    ...(vocabulary.ok
      ? []
      : vocabulary.problems.map((p) => ({ file: 'vocabulary' as const, ...p }))),
    ...(rules.ok ? [] : rules.problems.map((p) => ({ file: 'rules' as const, ...p }))),
  ];
  if (!vocabulary.ok || !rules.ok) return { ok: false, problems };
  return {
    ok: true,
    options: {
      script: text.script,
      spacing: text.spacing,
      punctuationWidth: text.punctuationWidth,
      removeFillers: text.removeFillers,
      removeTrailingPeriod: text.removeTrailingPeriod,
      vocabulary: vocabulary.value,
      rules: rules.value,
    },
  };
}
