// Real sherpa-onnx models for the accuracy tests and the bench, where someone has one: an
// environment variable names the folder, as sherpa-onnx's releases unpack it (the app gets its
// models from the model manager instead). The int8 files are preferred, as the app's are.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LocalModel, ModelKind, ModelRole } from '../../src/core/models/model-types.ts';

export interface RealModel {
  env: string;
  kind: ModelKind;
  languages: string[];
  /** A release whose folder fits, for the message printed when the variable is unset. */
  example: string;
  /** What the accuracy test has it transcribe: festival's English, espeak-ng's Mandarin. */
  hears: ('en' | 'zh')[];
}

export const REAL_MODELS: RealModel[] = [
  {
    env: 'TINGXIE_SENSE_VOICE_MODEL',
    kind: 'sense-voice',
    languages: ['zh', 'en', 'ja', 'ko', 'yue'],
    example: 'sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17',
    hears: ['en', 'zh'],
  },
  {
    env: 'TINGXIE_PARAFORMER_MODEL',
    kind: 'paraformer',
    languages: ['zh', 'en'],
    example: 'sherpa-onnx-paraformer-zh-2024-03-09',
    hears: ['zh'],
  },
  {
    env: 'TINGXIE_WHISPER_MODEL',
    kind: 'whisper',
    languages: ['en', 'zh', 'de', 'es', 'fr', 'ja', 'ko', 'ru', 'yue'],
    example: 'sherpa-onnx-whisper-tiny',
    hears: ['en'],
  },
  {
    env: 'TINGXIE_PARAKEET_MODEL',
    kind: 'nemo-transducer',
    languages: ['en'],
    example: 'sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8',
    hears: ['en'],
  },
];

export const PUNCTUATION_MODEL: RealModel = {
  env: 'TINGXIE_PUNCTUATION_MODEL',
  kind: 'punctuation',
  languages: ['zh', 'en'],
  example: 'sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12',
  hears: [],
};

const ROLES: Record<ModelKind, ModelRole[]> = {
  'sense-voice': ['model', 'tokens'],
  paraformer: ['model', 'tokens'],
  whisper: ['encoder', 'decoder', 'tokens'],
  'nemo-transducer': ['encoder', 'decoder', 'joiner', 'tokens'],
  'streaming-zipformer': ['encoder', 'decoder', 'joiner', 'tokens'],
  'streaming-paraformer': ['encoder', 'decoder', 'tokens'],
  punctuation: ['model'],
};

/** The model in the folder `real.env` names, or why there is none (a sentence). */
export function realModel(real: RealModel): LocalModel | string {
  const folder = process.env[real.env];
  if (!folder) {
    return `${real.env} is not set (set it to a ${real.kind} folder from sherpa-onnx's releases, e.g. ${real.example}).`;
  }
  if (!existsSync(folder)) return `${real.env}=${folder} does not exist.`;
  const names = readdirSync(folder);
  const files: LocalModel['files'] = {};
  for (const role of ROLES[real.kind]) {
    const found =
      role === 'tokens'
        ? names.find((n) => n.endsWith('tokens.txt'))
        : (names.find((n) => n.endsWith(`${role}.int8.onnx`)) ??
          names.find((n) => n.endsWith(`${role}.onnx`)));
    if (!found) return `${real.env}=${folder} has no ${role} file.`;
    files[role] = join(folder, found);
  }
  return { id: basename(folder), kind: real.kind, files, languages: real.languages };
}
