// The "acoustics" of the test models: two tones and a detector over sherpa-onnx's features.
// sherpa-onnx gives SenseVoice and Paraformer 80 log mel bins per 10 ms frame, 7 frames stacked
// (LFR) into 560 values; the detector is the mean log energy of the mel bins around LOW_TONE_HZ
// minus that of the bins around HIGH_TONE_HZ. Positive on the low tone, negative on the high
// one, zero on silence, so that a model can say one token for each tone and blank otherwise.

import { floats } from './onnx-build.ts';
import type { NodeProto, TensorProto } from './onnx-build.ts';

export const LOW_TONE_HZ = 300;
export const HIGH_TONE_HZ = 3000;
export const MEL_BINS = 80;
export const LFR_WINDOW = 7;
export const LFR_SHIFT = 6;
/** Values per stacked frame: the models' input width. */
export const FEATURES = MEL_BINS * LFR_WINDOW;
/** How far (in mean log mel energy) one tone's bins must stand above the other's for its token
 * to win over blank. */
export const THRESHOLD = 4;

/** Per input value: the detector's weight (FEATURES values). */
export function toneDetector(): Float32Array {
  const low = melBinsNear(LOW_TONE_HZ, kaldiMel);
  const high = melBinsNear(HIGH_TONE_HZ, kaldiMel);
  const detector = new Float32Array(FEATURES);
  for (let frame = 0; frame < LFR_WINDOW; frame++) {
    for (const b of low) detector[frame * MEL_BINS + b] = 1 / (LFR_WINDOW * low.length);
    for (const b of high) detector[frame * MEL_BINS + b] = -1 / (LFR_WINDOW * high.length);
  }
  return detector;
}

/** A [FEATURES, vocab] weight matrix: token `low` rises with the low tone, `high` with the
 * high one, every other token's column is zero. */
export function toneWeights(vocab: number, pairs: { low: number; high: number }[]): Float32Array {
  const detector = toneDetector();
  const weights = new Float32Array(FEATURES * vocab);
  for (let d = 0; d < FEATURES; d++) {
    for (const pair of pairs) {
      weights[d * vocab + pair.low] = detector[d]!;
      weights[d * vocab + pair.high] = -detector[d]!;
    }
  }
  return weights;
}

/** Per stacked frame of `input` [N, T, FEATURES], `scores` [N, T, vocab]: blank (id 0) wins
 * unless a tone's token clears the threshold, and ids 1 to `silent` - 1 never win. */
export function toneScores(
  input: string,
  vocab: number,
  pairs: { low: number; high: number }[],
  silent: number,
): { nodes: NodeProto[]; initializer: TensorProto[] } {
  const bias = Float32Array.from({ length: vocab }, (_, id) =>
    id === 0 ? 0 : id < silent ? -1000 : -THRESHOLD,
  );
  return {
    nodes: [
      { opType: 'MatMul', input: [input, 'weights'], output: ['detected'] },
      { opType: 'Add', input: ['detected', 'bias'], output: ['scores'] },
    ],
    initializer: [
      floats('weights', [FEATURES, vocab], toneWeights(vocab, pairs)),
      floats('bias', [vocab], bias),
    ],
  };
}

/** For Whisper's features (80 log mel bins per frame, 0 Hz to 8 kHz on the Slaney mel scale as
 * librosa spaces them, normalized to about [-1, 1.5]): the weight of each bin in one frame. */
export function whisperToneDetector(): Float32Array {
  const low = melBinsNear(LOW_TONE_HZ, slaneyMel, 0);
  const high = melBinsNear(HIGH_TONE_HZ, slaneyMel, 0);
  const detector = new Float32Array(MEL_BINS);
  for (const b of low) detector[b] = 1 / low.length;
  for (const b of high) detector[b] = -1 / high.length;
  return detector;
}

/** For NeMo's features (80 log mel bins per frame, librosa's Slaney mel filters from 0 Hz to
 * 7.6 kHz): [2, 80] weights, the first row the detector, the second its negation (one channel
 * per tone). */
export function nemoToneDetector(): Float32Array {
  return toneChannels(slaneyMel, 0, 7600);
}

/** For the features sherpa-onnx computes for streaming models by default (kaldi's fbank, 80 mel
 * bins from 20 Hz to 7.6 kHz): [2, 80] weights, as nemoToneDetector's. */
export function streamingToneDetector(): Float32Array {
  return toneChannels(kaldiMel, 20, 7600);
}

function toneChannels(mel: (f: number) => number, lowest: number, highest: number): Float32Array {
  const low = melBinsNear(LOW_TONE_HZ, mel, lowest, highest);
  const high = melBinsNear(HIGH_TONE_HZ, mel, lowest, highest);
  const detector = new Float32Array(2 * MEL_BINS);
  for (const [row, sign] of [
    [0, 1],
    [1, -1],
  ]) {
    for (const b of low) detector[row! * MEL_BINS + b] = sign! / low.length;
    for (const b of high) detector[row! * MEL_BINS + b] = -sign! / high.length;
  }
  return detector;
}

/** Kaldi's mel scale (sherpa-onnx's fbank for SenseVoice and Paraformer). */
const kaldiMel = (f: number) => 1127 * Math.log(1 + f / 700);
/** Slaney's (librosa's default, Whisper's): linear to 1 kHz, logarithmic above. */
const slaneyMel = (f: number) =>
  f < 1000 ? (3 * f) / 200 : 15 + (27 * Math.log(f / 1000)) / Math.log(6.4);

/** The mel bins (of 80, from `lowest` to `highest` Hz on the scale `mel`) whose centre lies
 * within 15% of `hz`. */
function melBinsNear(
  hz: number,
  mel: (f: number) => number,
  lowest = 20,
  highest = 8000,
): number[] {
  const step = (mel(highest) - mel(lowest)) / (MEL_BINS + 1);
  const bins: number[] = [];
  for (let b = 0; b < MEL_BINS; b++) {
    const centre = mel(lowest) + (b + 1) * step;
    if (centre >= mel(hz * 0.85) && centre <= mel(hz * 1.15)) bins.push(b);
  }
  return bins;
}

/** CMVN metadata that leaves the features as they are (SenseVoice and Paraformer read it). */
export const IDENTITY_CMVN = {
  neg_mean: new Array(FEATURES).fill(0).join(','),
  inv_stddev: new Array(FEATURES).fill(1).join(','),
};

/** The metadata of a model fed stacked frames (SenseVoice, Paraformer): how they are stacked,
 * and CMVN that leaves them as they are. */
export const LFR_METADATA = {
  lfr_window_size: LFR_WINDOW,
  lfr_window_shift: LFR_SHIFT,
  ...IDENTITY_CMVN,
};
