// A tiny model shaped like SenseVoice-Small, for running sherpa-onnx's real loading, feature and
// decoding path in tests. It has SenseVoice's inputs (x [N, T, 560]: 7 stacked frames of 80 log
// mel bins; x_length, language and text_norm, int32 [N]), its output (logits [N, T + 4, vocab])
// and the metadata sherpa-onnx reads (offline-sense-voice-model.cc). Instead of a network it
// holds two detectors: a frame whose energy lies in the mel bins around LOW_TONE_HZ says one
// token, around HIGH_TONE_HZ another, silence says blank. So LOW_TONE_HZ then HIGH_TONE_HZ
// decodes, through CTC and tokens.txt, to 听写 — or, with the language hint en, to "ting xie":
// the language input picks the pair, as SenseVoice's hint steers its output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;

export const LOW_TONE_HZ = 300;
export const HIGH_TONE_HZ = 3000;
/** What LOW_TONE_HZ then HIGH_TONE_HZ decodes to, by language hint. */
export const EXPECTED_TEXT = { zh: '听写', en: 'ting xie' } as const;

const MEL_BINS = 80;
const LFR_WINDOW = 7;
const LFR_SHIFT = 6;
const FEATURES = MEL_BINS * LFR_WINDOW;
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
/** How far (in mean log mel energy) a tone's bins must stand above the other tone's to win over
 * blank. */
const THRESHOLD = 4;
const NEVER = -1000;

export interface SenseVoiceGraphOptions {
  /** Square MatMuls of this many 1024-wide layers per frame whose result is discarded: a model
   * that takes a while to decode, for tests of what runs meanwhile. Default 0. */
  busyLayers?: number;
}

/** Writes model.onnx and tokens.txt into `dir`; returns their paths. */
export function writeSenseVoiceModel(
  dir: string,
  options: SenseVoiceGraphOptions = {},
): { model: string; tokens: string } {
  mkdirSync(dir, { recursive: true });
  const model = join(dir, 'model.onnx');
  const tokens = join(dir, 'tokens.txt');
  writeFileSync(model, senseVoiceGraph(options));
  writeFileSync(tokens, TOKENS.map((t, id) => `${t} ${id}\n`).join(''));
  return { model, tokens };
}

export function senseVoiceGraph(options: SenseVoiceGraphOptions = {}): Uint8Array {
  const low = melBinsNear(LOW_TONE_HZ);
  const high = melBinsNear(HIGH_TONE_HZ);
  // Mean log energy of the low tone's bins minus the high tone's, over the 7 stacked frames.
  const detector = new Float32Array(FEATURES);
  for (let frame = 0; frame < LFR_WINDOW; frame++) {
    for (const b of low) detector[frame * MEL_BINS + b] = 1 / (LFR_WINDOW * low.length);
    for (const b of high) detector[frame * MEL_BINS + b] = -1 / (LFR_WINDOW * high.length);
  }
  const weights = new Float32Array(FEATURES * VOCAB);
  for (let d = 0; d < FEATURES; d++) {
    for (const pair of [ZH, EN]) {
      weights[d * VOCAB + pair.low] = detector[d]!;
      weights[d * VOCAB + pair.high] = -detector[d]!;
    }
  }
  const bias = Array.from({ length: VOCAB }, (_, id) =>
    id === 0 ? 0 : id < 5 ? NEVER : -THRESHOLD,
  );
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

  const busy = options.busyLayers ?? 0;
  const busyNodes: onnxProto.onnx.INodeProto[] = [];
  const busyWeights: onnxProto.onnx.ITensorProto[] = [];
  let frames = 'scores';
  if (busy > 0) {
    const width = 1024;
    busyWeights.push(
      floats('busy_in', [FEATURES, width], new Float32Array(FEATURES * width).fill(1e-3)),
      floats('busy_layer', [width, width], new Float32Array(width * width).fill(1e-3)),
      floats('busy_out', [width, VOCAB], new Float32Array(width * VOCAB)),
    );
    busyNodes.push({ opType: 'MatMul', input: ['x', 'busy_in'], output: ['busy_0'] });
    for (let i = 1; i <= busy; i++) {
      busyNodes.push({
        opType: 'MatMul',
        input: [`busy_${i - 1}`, 'busy_layer'],
        output: [`busy_${i}`],
      });
    }
    // Zero weights: the layers change nothing but the time a decode takes.
    busyNodes.push(
      { opType: 'MatMul', input: [`busy_${busy}`, 'busy_out'], output: ['busy_logits'] },
      { opType: 'Add', input: ['scores', 'busy_logits'], output: ['busy_scores'] },
    );
    frames = 'busy_scores';
  }

  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'tingxie-tests',
    metadataProps: Object.entries({
      model_type: 'sense_voice_ctc',
      vocab_size: VOCAB,
      lfr_window_size: LFR_WINDOW,
      lfr_window_shift: LFR_SHIFT,
      normalize_samples: 0,
      with_itn: WITH_ITN,
      without_itn: WITHOUT_ITN,
      ...Object.fromEntries(Object.entries(LANGUAGE_IDS).map(([k, v]) => [`lang_${k}`, v])),
      neg_mean: new Array(FEATURES).fill(0).join(','),
      inv_stddev: new Array(FEATURES).fill(1).join(','),
    }).map(([key, value]) => ({ key, value: String(value) })),
    graph: {
      name: 'sense_voice_shaped',
      node: [
        { opType: 'MatMul', input: ['x', 'weights'], output: ['detected'] },
        { opType: 'Add', input: ['detected', 'bias'], output: ['scores'] },
        ...busyNodes,
        { opType: 'Gather', input: ['language_bias', 'language'], output: ['hint'] },
        { opType: 'Unsqueeze', input: ['hint', 'axis_1'], output: ['hint_per_frame'] },
        { opType: 'Add', input: [frames, 'hint_per_frame'], output: ['text_logits'] },
        { opType: 'Shape', input: ['x'], output: ['x_shape'] },
        { opType: 'Slice', input: ['x_shape', 'zero', 'one'], output: ['batch'] },
        {
          opType: 'Concat',
          input: ['batch', 'tags_shape'],
          output: ['prefix_shape'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
        },
        {
          opType: 'Expand',
          input: ['prefix', 'prefix_shape'],
          output: ['tags'],
        },
        {
          opType: 'Concat',
          input: ['tags', 'text_logits'],
          output: ['logits'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
        },
      ],
      initializer: [
        floats('weights', [FEATURES, VOCAB], weights),
        floats('bias', [VOCAB], Float32Array.from(bias)),
        floats('language_bias', [WITHOUT_ITN + 1, VOCAB], languageBias),
        floats('prefix', [1, 4, VOCAB], prefix),
        ints('axis_1', [1]),
        ints('zero', [0]),
        ints('one', [1]),
        ints('tags_shape', [4, VOCAB]),
        ...busyWeights,
      ],
      input: [
        valueInfo('x', FLOAT, ['N', 'T', FEATURES]),
        valueInfo('x_length', INT32, ['N']),
        valueInfo('language', INT32, ['N']),
        valueInfo('text_norm', INT32, ['N']),
      ],
      output: [valueInfo('logits', FLOAT, ['N', 'T4', VOCAB])],
    },
  }).finish();
}

/** The mel bins (of sherpa-onnx's 80, 20 Hz to 8 kHz, as kaldi spaces them) whose centre lies
 * within 15% of `hz`. */
function melBinsNear(hz: number): number[] {
  const mel = (f: number) => 1127 * Math.log(1 + f / 700);
  const step = (mel(8000) - mel(20)) / (MEL_BINS + 1);
  const bins: number[] = [];
  for (let b = 0; b < MEL_BINS; b++) {
    const centre = mel(20) + (b + 1) * step;
    if (centre >= mel(hz * 0.85) && centre <= mel(hz * 1.15)) bins.push(b);
  }
  return bins;
}

function floats(name: string, dims: number[], data: Float32Array): onnxProto.onnx.ITensorProto {
  return { name, dataType: FLOAT, dims, rawData: new Uint8Array(data.buffer) };
}

function ints(name: string, values: number[]): onnxProto.onnx.ITensorProto {
  return { name, dataType: INT64, dims: [values.length], int64Data: values };
}

function valueInfo(
  name: string,
  type: number,
  dims: (number | string)[],
): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: type, shape: { dim } } } };
}
