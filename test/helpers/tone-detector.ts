// The "acoustics" of the test models: two tones and a detector over sherpa-onnx's features.
// sherpa-onnx gives SenseVoice and Paraformer 80 log mel bins per 10 ms frame, 7 frames stacked
// (LFR) into 560 values; the detector is the mean log energy of the mel bins around LOW_TONE_HZ
// minus that of the bins around HIGH_TONE_HZ. Positive on the low tone, negative on the high
// one, zero on silence, so that a model can say one token for each tone and blank otherwise.

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
  const low = melBinsNear(LOW_TONE_HZ);
  const high = melBinsNear(HIGH_TONE_HZ);
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

/** The mel bins (of sherpa-onnx's 80, 20 Hz to 8 kHz, spaced as kaldi spaces them) whose centre
 * lies within 15% of `hz`. */
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

/** CMVN metadata that leaves the features as they are (SenseVoice and Paraformer read it). */
export const IDENTITY_CMVN = {
  neg_mean: new Array(FEATURES).fill(0).join(','),
  inv_stddev: new Array(FEATURES).fill(1).join(','),
};
