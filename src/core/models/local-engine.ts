// Which neural model the local server runs, for the CLI and the app alike: the one chosen, or
// the best installed one for the person's language; a Paraformer gets the installed
// punctuation model, since it writes none itself; an offline model gets an installed streaming
// model that speaks the language, for live text while speaking (two passes: the streaming
// model's text as the person speaks, the offline model's for the turn).
import {
  bestInstalledModel,
  installedModel,
  installedModels,
  localeLanguage,
} from './installed.ts';
import type { LocalModel } from './model-types.ts';

/** `startLocalServer`'s engine settings for a neural model. */
export interface NeuralEngineSettings {
  engine: 'sherpa';
  engineOptions: {
    model: LocalModel;
    punctuation?: LocalModel;
    /** The streaming model for live text, beside an offline `model`. */
    streaming?: LocalModel;
    /** false: no live text, not even from a streaming `model`. */
    livePartials?: false;
  };
}

const STREAMING_KINDS: readonly string[] = ['streaming-zipformer', 'streaming-paraformer'];

/**
 * The sherpa engine's settings for `modelId` (throws, saying what to run, when it is not
 * installed), or, with no id, for the best installed model for `locale`. `undefined` when no id
 * is given and no neural model is installed: the server then uses a recognizer that needs no
 * download.
 */
export function neuralEngineSettings(
  modelsDir: string,
  choice: { modelId?: string; locale?: string; livePartials?: boolean },
): NeuralEngineSettings | undefined {
  const model = choice.modelId
    ? installedModel(modelsDir, choice.modelId)
    : bestInstalledModel(modelsDir, choice.locale);
  if (!model) return undefined;
  if (model.kind === 'punctuation') {
    throw new Error(
      `${model.id} adds punctuation to text; it does not recognize speech. Choose a speech model (\`tingxie models list\`).`,
    );
  }
  const punctuation =
    model.kind === 'paraformer'
      ? installedModels(modelsDir).find((m) => m.kind === 'punctuation')
      : undefined;
  const live = choice.livePartials !== false;
  // A streaming model chosen for turns gives the live text itself (the engine's default).
  const streaming =
    live && !STREAMING_KINDS.includes(model.kind)
      ? liveTextModel(modelsDir, choice.locale ? localeLanguage(choice.locale) : undefined, model)
      : undefined;
  return {
    engine: 'sherpa',
    engineOptions: {
      model,
      ...(punctuation && { punctuation }),
      ...(streaming && { streaming }),
      ...(!live && { livePartials: false as const }),
    },
  };
}

/** An installed streaming model that speaks `language` (without one: a language of `model`). */
function liveTextModel(
  modelsDir: string,
  language: string | undefined,
  model: LocalModel,
): LocalModel | undefined {
  const speaks = (m: LocalModel) =>
    language
      ? m.languages.includes(language)
      : m.languages.some((l) => model.languages.includes(l));
  return installedModels(modelsDir).find((m) => STREAMING_KINDS.includes(m.kind) && speaks(m));
}
