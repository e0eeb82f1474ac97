// A tiny model shaped like SenseVoice-Small, for running sherpa-onnx's real loading, feature and
// decoding path in tests. It has SenseVoice's inputs (x [N, T, 560]; x_length, language and
// text_norm, int32 [N]), its output (logits [N, T + 4, vocab]: four tag frames, then one per
// stacked frame, decoded by CTC) and the metadata sherpa-onnx reads
// (offline-sense-voice-model.cc). Instead of a network it holds the tone detector of
// tone-detector.ts: LOW_TONE_HZ then HIGH_TONE_HZ decodes, through tokens.txt, to 听写 — or,
// with the language hint en, to "ting xie": the language input picks the pair of tokens, as
// SenseVoice's hint steers its output.
import {
  busyLayers,
  encodeModel,
  FLOAT,
  floats,
  INT32,
  intAttribute,
  ints,
  valueInfo,
  writeModelFiles,
} from './onnx-build.ts';
import { FEATURES, LFR_METADATA, toneScores } from './tone-detector.ts';

export { HIGH_TONE_HZ, LOW_TONE_HZ } from './tone-detector.ts';
/** What LOW_TONE_HZ then HIGH_TONE_HZ decodes to, by language hint. */
export const EXPECTED_TEXT = { zh: '听写', en: 'ting xie' } as const;

/** SenseVoice-Small's own ids for its language and text-normalization prompts. */
const LANGUAGE_IDS = { auto: 0, zh: 3, en: 4, yue: 7, ja: 11, ko: 12 } as const;
const WITH_ITN = 14;
const WITHOUT_ITN = 15;
/** tokens.txt, in id order. The first four decoded tokens are SenseVoice's language, emotion,
 * event and normalization tags, which sherpa-onnx leaves out of the text. */
const TOKENS = ['<blk>', '<|zh|>', '<|NEUTRAL|>', '<|Speech|>', '<|withitn|>'];
const ZH = { low: TOKENS.push('听') - 1, high: TOKENS.push('写') - 1 };
const EN = { low: TOKENS.push('▁ting') - 1, high: TOKENS.push('▁xie') - 1 };
const VOCAB = TOKENS.length;
const NEVER = -1000;

export interface SenseVoiceGraphOptions {
  /** 1024-wide MatMul layers per frame whose result is discarded: a model that takes a while to
   * decode, for tests of what runs meanwhile. Default 0. */
  busyLayers?: number;
}

/** Writes model.onnx and tokens.txt into `dir`; returns their paths. */
export function writeSenseVoiceModel(
  dir: string,
  options: SenseVoiceGraphOptions = {},
): { model: string; tokens: string } {
  return writeModelFiles(dir, { model: senseVoiceGraph(options) }, TOKENS);
}

export function senseVoiceGraph(options: SenseVoiceGraphOptions = {}): Uint8Array {
  // The tags (ids 1 to 4) never win on a text frame.
  const scores = toneScores('x', VOCAB, [ZH, EN], 5);
  // Per language id: the pair of tokens that language may say.
  const languageBias = new Float32Array((WITHOUT_ITN + 1) * VOCAB);
  for (let language = 0; language <= WITHOUT_ITN; language++) {
    const silenced = language === LANGUAGE_IDS.en ? ZH : EN;
    languageBias[language * VOCAB + silenced.low] = NEVER;
    languageBias[language * VOCAB + silenced.high] = NEVER;
  }
  // The four tag frames SenseVoice puts before the text.
  const prefix = new Float32Array(4 * VOCAB).fill(NEVER);
  for (let i = 0; i < 4; i++) prefix[i * VOCAB + i + 1] = 0;
  // Layers that only take time, after the scores.
  const busy = busyLayers({
    count: options.busyLayers ?? 0,
    input: 'x',
    inputWidth: FEATURES,
    base: 'scores',
    outputWidth: VOCAB,
    output: 'busy_scores',
  });

  return encodeModel(
    'sense_voice_shaped',
    {
      node: [
        ...scores.nodes,
        ...busy.nodes,
        { opType: 'Gather', input: ['language_bias', 'language'], output: ['hint'] },
        { opType: 'Unsqueeze', input: ['hint', 'axis_1'], output: ['hint_per_frame'] },
        { opType: 'Add', input: ['busy_scores', 'hint_per_frame'], output: ['text_logits'] },
        { opType: 'Shape', input: ['x'], output: ['x_shape'] },
        { opType: 'Slice', input: ['x_shape', 'zero', 'one'], output: ['batch'] },
        {
          opType: 'Concat',
          input: ['batch', 'tags_shape'],
          output: ['prefix_shape'],
          attribute: [intAttribute('axis', 0)],
        },
        { opType: 'Expand', input: ['prefix', 'prefix_shape'], output: ['tags'] },
        {
          opType: 'Concat',
          input: ['tags', 'text_logits'],
          output: ['logits'],
          attribute: [intAttribute('axis', 1)],
        },
      ],
      initializer: [
        ...scores.initializer,
        floats('language_bias', [WITHOUT_ITN + 1, VOCAB], languageBias),
        floats('prefix', [1, 4, VOCAB], prefix),
        ints('axis_1', [1]),
        ints('zero', [0]),
        ints('one', [1]),
        ints('tags_shape', [4, VOCAB]),
        ...busy.weights,
      ],
      input: [
        valueInfo('x', FLOAT, ['N', 'T', FEATURES]),
        valueInfo('x_length', INT32, ['N']),
        valueInfo('language', INT32, ['N']),
        valueInfo('text_norm', INT32, ['N']),
      ],
      output: [valueInfo('logits', FLOAT, ['N', 'T4', VOCAB])],
    },
    {
      model_type: 'sense_voice_ctc',
      vocab_size: VOCAB,
      normalize_samples: 0,
      with_itn: WITH_ITN,
      without_itn: WITHOUT_ITN,
      ...Object.fromEntries(Object.entries(LANGUAGE_IDS).map(([k, v]) => [`lang_${k}`, v])),
      ...LFR_METADATA,
    },
  );
}
