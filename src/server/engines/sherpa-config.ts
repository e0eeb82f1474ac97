// What sherpa-onnx-node is given for a LocalModel: the recognizer's config by model kind, the
// punctuation model's, and the language hint each kind understands. Pure, so that every kind's
// config is checked by unit tests, including the kinds no test has a model for.
import { existsSync, statSync } from 'node:fs';
import type { LocalModel, ModelKind, ModelRole } from '../../core/models/model-types.ts';
import { HOTWORDS_SCORE, MAX_ACTIVE_PATHS } from './sherpa-hotwords.ts';
import type { ModelingUnit } from './sherpa-hotwords.ts';

/** The files each kind needs, by role. */
export const REQUIRED_FILES: Record<ModelKind, ModelRole[]> = {
  'sense-voice': ['model', 'tokens'],
  paraformer: ['model', 'tokens'],
  whisper: ['encoder', 'decoder', 'tokens'],
  'nemo-transducer': ['encoder', 'decoder', 'joiner', 'tokens'],
  'streaming-zipformer': ['encoder', 'decoder', 'joiner', 'tokens'],
  'streaming-paraformer': ['encoder', 'decoder', 'tokens'],
  punctuation: ['model'],
};

/** The language hints SenseVoice-Small was trained with ('auto': it detects the language). */
const SENSE_VOICE_LANGUAGES = ['zh', 'en', 'ja', 'ko', 'yue'];

/** sherpa-onnx-node's OfflineRecognizer or OnlineRecognizer config (its field names). */
export interface RecognizerConfig {
  /** Streaming models run through OnlineRecognizer, on the whole turn at once. */
  streaming: boolean;
  config: {
    featConfig: { sampleRate: number; featureDim: number };
    modelConfig: Record<string, unknown> & { tokens: string; numThreads: number };
    /** 'modified_beam_search' where turns may carry hotwords; sherpa-onnx's greedy search
     * otherwise. */
    decodingMethod?: string;
    maxActivePaths?: number;
    hotwordsScore?: number;
    /** A streaming model's hotwords, one a line (its streams take none of their own). */
    hotwordsBuf?: string;
    hotwordsBufSize?: number;
  };
}

/** How a model that takes hotwords spells them (sherpa-hotwords.ts). */
export interface HotwordsSetup {
  modelingUnit: ModelingUnit;
  /** The sentencepiece vocabulary file, for the units that cut Latin words into pieces. */
  bpeVocab?: string;
  /** For a model that takes hotwords 'when-loaded': them ('/' between terms). */
  hotwords?: string;
}

/** How a `kind` model takes hotwords (transducers only, in modified beam search): 'per-turn',
 * each turn's own on its stream (OfflineRecognizer.createStream(hotwords); any other offline
 * kind ends the process there: offline-recognizer-impl.h); 'when-loaded', in the recognizer's
 * config, so loaded again when they change (sherpa-onnx-node's OnlineRecognizer.createStream
 * takes none); undefined: none at all. */
export function takesHotwords(kind: ModelKind): 'per-turn' | 'when-loaded' | undefined {
  if (kind === 'nemo-transducer') return 'per-turn';
  return kind === 'streaming-zipformer' ? 'when-loaded' : undefined;
}

/** `recognizer` searching with modified beam search, so that hotwords count. */
function withHotwords(recognizer: RecognizerConfig, hotwords: HotwordsSetup): RecognizerConfig {
  const lines = hotwords.hotwords?.replaceAll('/', '\n');
  return {
    ...recognizer,
    config: {
      ...recognizer.config,
      modelConfig: {
        ...recognizer.config.modelConfig,
        modelingUnit: hotwords.modelingUnit,
        ...(hotwords.bpeVocab && { bpeVocab: hotwords.bpeVocab }),
      },
      decodingMethod: 'modified_beam_search',
      maxActivePaths: MAX_ACTIVE_PATHS,
      hotwordsScore: HOTWORDS_SCORE,
      ...(lines && { hotwordsBuf: lines, hotwordsBufSize: Buffer.byteLength(lines) }),
    },
  };
}

export interface PunctuationConfig {
  model: { ctTransformer: string; numThreads: number };
}

/** Why `model` cannot be loaded (a file missing or empty), or undefined when its files are
 * there. Checked before sherpa-onnx sees them. */
export function missingFiles(
  model: LocalModel,
  use: 'recognizer' | 'punctuation',
): string | undefined {
  if (use === 'recognizer' && model.kind === 'punctuation') {
    return `The model "${model.id}" adds punctuation; it cannot recognize speech. Choose a speech model.`;
  }
  if (use === 'punctuation' && model.kind !== 'punctuation') {
    return `The model "${model.id}" (${model.kind}) is not a punctuation model.`;
  }
  for (const role of REQUIRED_FILES[model.kind]) {
    const path = model.files[role];
    if (!path) {
      return `The model "${model.id}" has no ${role} file. Delete the model and download it again.`;
    }
    if (!existsSync(path)) {
      return `The model "${model.id}" is missing its ${role} file (${path}). Delete the model and download it again.`;
    }
    if (statSync(path).size === 0) {
      return `The model "${model.id}"'s ${role} file is empty (${path}). Delete the model and download it again.`;
    }
  }
  return undefined;
}

/** The hint the model is given for a turn's `language` ('auto', 'en', 'zh-CN' …): SenseVoice
 * takes one of its five languages or 'auto'; Whisper a language it knows or '' (it detects
 * one: sherpa-onnx exits the process on a language Whisper does not know); the others none. */
export function languageHint(model: LocalModel, language: string): string {
  const code = language.toLowerCase().split(/[-_]/)[0] ?? '';
  switch (model.kind) {
    case 'sense-voice':
      return SENSE_VOICE_LANGUAGES.includes(code) ? code : 'auto';
    case 'whisper':
      return code !== 'auto' && model.languages.includes(code) ? code : '';
    default:
      return '';
  }
}

/** The recognizer's config for `model` with the language hint `hint` (from languageHint);
 * with `hotwords` (a model that takesHotwords), searched so that a turn's hotwords count. */
export function recognizerConfig(
  model: LocalModel,
  hint: string,
  numThreads: number,
  hotwords?: HotwordsSetup,
): RecognizerConfig {
  const file = (role: ModelRole): string => {
    const path = model.files[role];
    if (!path) throw new Error(`The model "${model.id}" has no ${role} file.`);
    return path;
  };
  const config = (modelConfig: Record<string, unknown>, streaming = false): RecognizerConfig => ({
    streaming,
    config: {
      featConfig: { sampleRate: 16000, featureDim: 80 },
      modelConfig: { ...modelConfig, tokens: file('tokens'), numThreads, debug: 0 },
    },
  });
  switch (model.kind) {
    case 'sense-voice':
      // Inverse text normalization on: dictation wants "3点" rather than "三点", and punctuation.
      return config({
        senseVoice: { model: file('model'), language: hint, useInverseTextNormalization: 1 },
      });
    case 'paraformer':
      return config({ paraformer: { model: file('model') } });
    case 'whisper':
      return config({
        whisper: {
          encoder: file('encoder'),
          decoder: file('decoder'),
          language: hint,
          task: 'transcribe',
        },
      });
    case 'nemo-transducer': {
      const transducer = config({
        transducer: { encoder: file('encoder'), decoder: file('decoder'), joiner: file('joiner') },
        modelType: 'nemo_transducer',
      });
      return hotwords ? withHotwords(transducer, hotwords) : transducer;
    }
    case 'streaming-zipformer': {
      const transducer = config(
        {
          transducer: {
            encoder: file('encoder'),
            decoder: file('decoder'),
            joiner: file('joiner'),
          },
        },
        true,
      );
      return hotwords ? withHotwords(transducer, hotwords) : transducer;
    }
    case 'streaming-paraformer':
      return config({ paraformer: { encoder: file('encoder'), decoder: file('decoder') } }, true);
    case 'punctuation':
      throw new Error(`The model "${model.id}" adds punctuation; it cannot recognize speech.`);
  }
}

export function punctuationConfig(model: LocalModel, numThreads: number): PunctuationConfig {
  const path = model.files.model;
  if (model.kind !== 'punctuation' || !path) {
    throw new Error(`The model "${model.id}" is not a punctuation model.`);
  }
  return { model: { ctTransformer: path, numThreads } };
}

/** A LocalModel as createEngine receives it (engineOptions.model), checked by shape. */
export function isLocalModel(value: unknown): value is LocalModel {
  const m = value as Partial<LocalModel> | undefined;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.id === 'string' &&
    typeof m.kind === 'string' &&
    m.kind in REQUIRED_FILES &&
    typeof m.files === 'object' &&
    m.files !== null &&
    Array.isArray(m.languages)
  );
}
