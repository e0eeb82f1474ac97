// The batch model against the package's own model file, run window by window as Silero is
// meant to be run: the same probabilities and LSTM states over festival speech.
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { pcm16ToFloat, rmsDbfs } from '../../src/shared/audio/pcm.ts';
import { sileroBatchModel } from '../../src/server/vad/silero-batch-graph.ts';
import { SileroModel, VAD_WINDOW, sileroModelPath } from '../../src/server/vad/silero-model.ts';
import { SPEECH_TOOLS, speakSentences } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const skip = missingTools('Silero batch model', SPEECH_TOOLS);
const W = VAD_WINDOW;
const CONTEXT = 64;
const STATE = 256;
const TOLERANCE = 1e-5;

interface Reference {
  probabilities: number[]; // 0 where gated
  states: Float32Array[]; // after each window
}

/** One run of the package's model per window; a gated window leaves the state as it is. */
async function windowByWindow(
  session: InferenceSession,
  audio: Float32Array,
  gated: (w: number) => boolean,
): Promise<Reference> {
  const input = new Float32Array(CONTEXT + W);
  let state = new Float32Array(STATE);
  const sr = new Tensor('int64', BigInt64Array.from([16000n]), []);
  const out: Reference = { probabilities: [], states: [] };
  for (let w = 0; (w + 1) * W <= audio.length; w++) {
    input.set(audio.subarray(w * W, (w + 1) * W), CONTEXT);
    let probability = 0;
    if (!gated(w)) {
      const result = await session.run({
        input: new Tensor('float32', input.slice(), [1, input.length]),
        state: new Tensor('float32', state, [2, 1, 128]),
        sr,
      });
      probability = (result.output!.data as Float32Array)[0]!;
      state = (result.stateN!.data as Float32Array).slice();
    }
    out.probabilities.push(probability);
    out.states.push(state);
    input.copyWithin(0, W);
  }
  return out;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe.skipIf(skip)('Silero heard a batch of windows per run', () => {
  let whole: InferenceSession;
  let model: SileroModel;
  let audio: Float32Array;
  let windows: number;
  const quiet = (w: number) => rmsDbfs(audio.subarray(w * W, (w + 1) * W)) < -70;

  beforeAll(async () => {
    whole = await InferenceSession.create(sileroModelPath(), { logSeverityLevel: 3 });
    model = await SileroModel.load();
    const spoken = speakSentences(
      ['The quick brown fox jumps over the lazy dog.', 'Please call me back when you get home.'],
      1500,
    );
    audio = pcm16ToFloat(await readWavAsPcm16(spoken.path, 16000));
    windows = Math.floor(audio.length / W);
  });
  afterAll(async () => {
    await whole?.release();
    await model?.release();
  });

  test('the batch graph gives the probability and the state after every window', async () => {
    const reference = await windowByWindow(whole, audio, () => false);
    const batch = await InferenceSession.create(sileroBatchModel(readFileSync(sileroModelPath())));
    const inputs = new Float32Array(windows * (CONTEXT + W));
    for (let w = 0; w < windows; w++) {
      const row = w * (CONTEXT + W);
      if (w > 0) inputs.set(audio.subarray(w * W - CONTEXT, w * W), row);
      inputs.set(audio.subarray(w * W, (w + 1) * W), row + CONTEXT);
    }
    const result = await batch.run({
      windows: new Tensor('float32', inputs, [windows, CONTEXT + W]),
      state: new Tensor('float32', new Float32Array(STATE), [2, 1, 128]),
    });
    const states = result.states!.data as Float32Array;
    const probabilities = result.probabilities!.data as Float32Array;
    expect(windows).toBeGreaterThan(200);
    expect(Math.max(...reference.probabilities)).toBeGreaterThan(0.9); // it heard the speech
    expect(maxDifference(probabilities, reference.probabilities)).toBeLessThan(TOLERANCE);
    for (let w = 0; w < windows; w++) {
      const state = states.subarray(w * STATE, (w + 1) * STATE);
      expect(maxDifference(state, reference.states[w]!)).toBeLessThan(TOLERANCE);
    }
    await batch.release();
  });

  test.each([1, 8, 16, 32])(
    'a stream in batches of %i windows, digital silence gated, hears as window by window',
    async (size) => {
      const reference = await windowByWindow(whole, audio, quiet);
      expect(reference.probabilities.filter((_, w) => quiet(w)).length).toBeGreaterThan(20);
      const stream = model.createStream();
      stream.reset();
      const heard: number[] = [];
      const gated = new Uint8Array(size);
      for (let start = 0; start < windows; start += size) {
        const count = Math.min(size, windows - start);
        stream.windows.set(audio.subarray(start * W, (start + count) * W));
        for (let k = 0; k < count; k++) gated[k] = quiet(start + k) ? 1 : 0;
        heard.push(...(await stream.run(count, gated)));
      }
      expect(maxDifference(heard, reference.probabilities)).toBeLessThan(TOLERANCE);
    },
  );

  test('keep() takes a batch back to a window, and the rest is heard again', async () => {
    const reference = await windowByWindow(whole, audio, quiet);
    const stream = model.createStream();
    stream.reset();
    const heard: number[] = [];
    const gated = new Uint8Array(stream.capacity);
    for (let start = 0; start < windows;) {
      const count = Math.min(16, windows - start);
      stream.windows.set(audio.subarray(start * W, (start + count) * W));
      // First with only the first window gated if quiet, kept up to the next quiet window.
      gated.fill(0);
      gated[0] = quiet(start) ? 1 : 0;
      const first = await stream.run(count, gated);
      let kept = 1;
      while (kept < count && !quiet(start + kept)) kept++;
      heard.push(...first.subarray(0, kept));
      stream.keep(kept);
      start += kept;
      if (kept === count || start >= windows) continue;
      // Then the quiet window gated, as the detector does when speech stopped inside a batch.
      stream.windows.set(audio.subarray(start * W, (start + 1) * W));
      gated[0] = 1;
      heard.push(...(await stream.run(1, gated)));
      start++;
    }
    expect(maxDifference(heard, reference.probabilities)).toBeLessThan(TOLERANCE);
  });
});
