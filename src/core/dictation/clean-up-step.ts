// The optional LLM clean-up as the step after the text pipeline (desktop-services.ts's
// `refineText`), and the options of one clean-up from the settings (the app's and the CLI's):
// the prompt of the preset in the dictation's language, or the person's own; the vocabulary's
// terms, to be spelled as written; the latency budget.
import { cleanupPresetPrompt } from '../../shared/llm-cleanup-presets.ts';
import type { CleanUpSettings, TextSettings } from '../../shared/settings.ts';
import type { Logger } from '../log.ts';
import { cleanUpText, type CleanupOptions } from '../text/llm-cleanup.ts';
import { promptLanguageOf } from '../text/llm-cleanup-prompts.ts';
import {
  checkedTextOptions,
  promptTerms,
  type TextResult,
  type Vocabulary,
} from '../text/index.ts';

/** The prompt `cleanUp` sends for `text`: a preset's in the text's language, or the person's. */
export function cleanUpPrompt(cleanUp: CleanUpSettings, text: string): string {
  return cleanUp.promptPreset === 'custom'
    ? cleanUp.prompt
    : cleanupPresetPrompt(cleanUp.promptPreset, promptLanguageOf(text));
}

/** The options of one clean-up of `text`, with the terms of `vocabulary`. */
export function cleanUpOptions(
  cleanUp: CleanUpSettings,
  vocabulary: Vocabulary,
  text: string,
  apiKey: string | undefined,
  log: Logger,
): CleanupOptions {
  return {
    baseUrl: cleanUp.baseUrl,
    model: cleanUp.model,
    apiKey,
    prompt: cleanUpPrompt(cleanUp, text),
    terms: promptTerms(vocabulary),
    budgetMs: cleanUp.budgetMs,
    log,
  };
}

export interface CleanUpStepOptions {
  /** The text settings of the moment (the clean-up's, and the vocabulary's terms). */
  settings: () => TextSettings;
  /** The clean-up key, decrypted for this request only. */
  apiKey: () => Promise<string | undefined>;
  log: Logger;
}

/** The pipeline's result → the text to insert: cleaned up when the settings say so, else (and
 * on any failure, which cleanUpText logs with its reason) the rules text. */
export function createCleanUpStep(
  options: CleanUpStepOptions,
): (result: TextResult) => string | Promise<string> {
  return (result) => {
    const settings = options.settings();
    // A turn of fillers alone has nothing to clean up (and nothing to wait for).
    if (!settings.cleanUp.enabled || !result.final.trim()) return result.final;
    return options
      .apiKey()
      .then((key) => {
        const { vocabulary } = checkedTextOptions(settings);
        const { cleanUp } = settings;
        return cleanUpText(
          result.final,
          cleanUpOptions(cleanUp, vocabulary, result.final, key, options.log),
        );
      })
      .then((cleaned) => cleaned.text);
  };
}
