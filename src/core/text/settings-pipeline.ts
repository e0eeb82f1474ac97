// The text pipeline of the person's settings, built once for each version of them: a dictation
// turn gets it at once, unless the settings changed and a script's dictionaries are still
// loading (then a promise). Settings with a mistake in the vocabulary or rules throw, naming
// the line: nothing is transcribed with part of a file.
import type { TextSettings } from '../../shared/settings.ts';
import { describeProblems } from './line-file.ts';
import { textOptionsFrom } from './from-settings.ts';
import { createTextPipeline, type TextPipeline } from './pipeline.ts';

/** The vocabulary or rules of the settings have a mistake; the message names the lines. */
export class TextSettingsError extends Error {
  override name = 'TextSettingsError';
}

/** Throws a TextSettingsError for `text` with a mistake; returns its options otherwise. */
export function checkedTextOptions(text: TextSettings) {
  const parsed = textOptionsFrom(text);
  if (parsed.ok) return parsed.options;
  const message = (['vocabulary', 'rules'] as const)
    .map((file) => {
      const problems = parsed.problems.filter((p) => p.file === file);
      return problems.length > 0 ? describeProblems(`Settings → Text → ${file}`, problems) : '';
    })
    .filter(Boolean)
    .join('\n');
  throw new TextSettingsError(`${message}\nFix it in Settings → Text.`);
}

export class SettingsTextPipeline {
  #key: string | undefined;
  #pipeline: TextPipeline | Promise<TextPipeline> | undefined;

  /** The pipeline for `text`. */
  get(text: TextSettings): TextPipeline | Promise<TextPipeline> {
    const key = JSON.stringify(text);
    if (key === this.#key && this.#pipeline !== undefined) return this.#pipeline;
    const building = createTextPipeline(checkedTextOptions(text));
    this.#key = key;
    this.#pipeline = building;
    building.then(
      (pipeline) => {
        if (this.#pipeline === building) this.#pipeline = pipeline;
      },
      () => {
        // A failed load (the dictionaries) is tried again next time.
        if (this.#pipeline === building) this.#pipeline = this.#key = undefined;
      },
    );
    return building;
  }
}
