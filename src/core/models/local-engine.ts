// Which neural model the local server runs, for the CLI and the app alike: the one chosen, or
// the best installed one for the person's language; a Paraformer gets the installed
// punctuation model, since it writes none itself.
import { bestInstalledModel, installedModel, installedModels } from './installed.ts';
import type { LocalModel } from './model-types.ts';

/** `startLocalServer`'s engine settings for a neural model. */
export interface NeuralEngineSettings {
  engine: 'sherpa';
  engineOptions: { model: LocalModel; punctuation?: LocalModel };
}

/**
 * The sherpa engine's settings for `modelId` (throws, saying what to run, when it is not
 * installed), or, with no id, for the best installed model for `locale`. `undefined` when no id
 * is given and no neural model is installed: the server then uses a recognizer that needs no
 * download.
 */
export function neuralEngineSettings(
  modelsDir: string,
  choice: { modelId?: string; locale?: string },
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
  return { engine: 'sherpa', engineOptions: { model, ...(punctuation && { punctuation }) } };
}
