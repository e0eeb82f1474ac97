// What the model manager (catalog, downloads, installed models) and the local server's neural
// engine agree on. The manager knows where a model's files are; the engine only what each file
// is for.

/** The model families the local server's sherpa-onnx engine can run. */
export const MODEL_KINDS = [
  'sense-voice', // offline CTC: model + tokens; zh, en, ja, ko, yue; punctuation and ITN built in
  'paraformer', // offline: model + tokens; zh (+ en); no punctuation (pair it with 'punctuation')
  'whisper', // offline: encoder + decoder + tokens; multilingual
  'nemo-transducer', // offline: encoder + decoder + joiner + tokens (Parakeet TDT)
  'streaming-zipformer', // online transducer: encoder + decoder + joiner + tokens (live partials)
  'streaming-paraformer', // online: encoder + decoder + tokens (live partials)
  'punctuation', // CT-Transformer: model (adds punctuation to text)
] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The part a file plays for its engine (sherpa-onnx's config field it goes to). */
export type ModelRole = 'model' | 'encoder' | 'decoder' | 'joiner' | 'tokens';

/** A model on disk, ready to load: every file present and verified. */
export interface LocalModel {
  id: string;
  kind: ModelKind;
  /** Absolute paths, by role. */
  files: Partial<Record<ModelRole, string>>;
  /** Languages it recognizes (ISO 639-1, plus 'yue'). */
  languages: string[];
}
