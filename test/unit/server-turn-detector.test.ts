import { expect, test } from 'vitest';
import { rmsDbfs } from '../../src/shared/audio/pcm.ts';
import { DEFAULT_VAD } from '../../src/shared/providers.ts';
import type { SileroStream } from '../../src/server/vad/silero-model.ts';
import { TurnDetector } from '../../src/server/vad/turn-detector.ts';
import type { TurnListener } from '../../src/server/vad/turn-detector.ts';

const W = 512;

/** Stands in for Silero: speech is any window louder than -30 dBFS, and, like Silero, it keeps
 * saying "speech" for `lag` windows after the voice fades. */
function fakeSilero(lag: number) {
  const capacity = 32;
  const windows = new Float32Array(capacity * W);
  let sinceLoud = Infinity;
  let before: number[] = []; // sinceLoud before each window of the last run, and after it
  let position = 0; // windows of the stream heard or skipped before the last run
  // runs: windows heard; calls: times the model was asked; heard: the windows kept, in order.
  const stats = { runs: 0, calls: 0, heard: [] as number[] };
  const stream = {
    capacity,
    windows,
    stats,
    async run(count: number, gated: Uint8Array) {
      const probabilities = new Float32Array(count);
      if (gated.subarray(0, count).includes(0)) stats.calls++;
      before = [];
      for (let k = 0; k < count; k++) {
        before.push(sinceLoud);
        if (gated[k]) continue;
        stats.runs++;
        stats.heard.push(position + k);
        sinceLoud = rmsDbfs(windows.subarray(k * W, (k + 1) * W)) > -30 ? 0 : sinceLoud + 1;
        probabilities[k] = sinceLoud <= lag ? 0.95 : 0.02;
      }
      before.push(sinceLoud);
      position += count;
      return probabilities;
    },
    keep(count: number) {
      position += count - (before.length - 1);
      sinceLoud = before[count]!;
      stats.heard = stats.heard.filter((w) => w < position);
    },
    reset() {},
  };
  return stream as unknown as SileroStream & { stats: typeof stats };
}

/** PCM16 windows at these dBFS levels (-Infinity: digital silence). */
function windows(levels: number[], samplesPerWindow = W): Int16Array {
  const out = new Int16Array(levels.length * samplesPerWindow);
  levels.forEach((db, w) => {
    const amplitude = db === -Infinity ? 0 : Math.round(32767 * Math.SQRT2 * 10 ** (db / 20));
    // A 500 Hz tone (it survives resampling to 16 kHz) whose RMS is `db`.
    const rate = (samplesPerWindow / W) * 16000;
    for (let i = 0; i < samplesPerWindow; i++) {
      const n = w * samplesPerWindow + i;
      out[n] = Math.round(amplitude * Math.sin((2 * Math.PI * 500 * n) / rate));
    }
  });
  return out;
}

const repeat = (n: number, db: number) => Array<number>(n).fill(db);

function record() {
  const events: string[] = [];
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const listener: TurnListener = {
    speechStarted: (p) => events.push(`started ${p}`),
    speechStopped: (s, p) => {
      events.push(`stopped ${s} ${p}`);
      resolveStopped();
    },
    silence: () => {},
    failed: (e) => events.push(`failed ${e.message}`),
  };
  return { events, listener, stopped };
}

test('the silence clock starts where the voice faded, not where the model noticed', async () => {
  const silero = fakeSilero(3);
  const { events, listener, stopped } = record();
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 320 }; // 10 windows
  const detector = new TurnDetector(silero, 16000, vad, 0, listener);
  detector.push(windows([...repeat(10, -Infinity), ...repeat(20, -12), ...repeat(30, -60)]));
  await stopped;
  // Speech: windows 10–29. The model lags 3 windows; the quiet tail begins at window 30.
  expect(events).toEqual([`started ${10 * W}`, `stopped ${30 * W} ${30 * W + 5120}`]);
  // Digital silence before the speech never reached the model: 60 windows, 50 heard.
  await detector.heardUntil(60 * W);
  expect(silero.stats.runs).toBe(50);
});

test('digital silence skips the model only outside speech, even when a batch starts and ends speech', async () => {
  const silero = fakeSilero(0);
  const { events, listener, stopped } = record();
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 320 }; // 10 windows
  const detector = new TurnDetector(silero, 16000, vad, 0, listener);
  detector.push(windows([...repeat(5, -12), ...repeat(25, -Infinity), ...repeat(2, -12)]));
  await stopped;
  await detector.heardUntil(32 * W);
  // As window by window: the speech, its 10 windows of silence, then speech again.
  expect(events).toEqual(['started 0', `stopped ${5 * W} ${5 * W + 5120}`, `started ${30 * W}`]);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  expect(silero.stats.heard).toEqual([...range(0, 15), 30, 31]);
});

test('speech ends when silence_duration_ms has passed, inside a window not yet whole', async () => {
  const { events, listener, stopped } = record();
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 330 }; // 5280 samples
  const detector = new TurnDetector(fakeSilero(0), 16000, vad, 0, listener);
  const audio = windows([...repeat(5, -12), ...repeat(11, -Infinity)]);
  detector.push(audio.subarray(0, 7900)); // 15 windows and 220 samples of the 16th
  await stopped;
  // Silence from window 5 (2560); due at 2560 + 5280 = 7840, inside the partial 16th window.
  expect(events).toEqual(['started 0', 'stopped 2560 7840']);
});

test('silence can start inside a window: levels are kept per 8 ms block', async () => {
  const { events, listener, stopped } = record();
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 320 };
  const detector = new TurnDetector(fakeSilero(3), 16000, vad, 0, listener);
  const audio = windows([...repeat(10, -Infinity), ...repeat(20, -12), ...repeat(30, -60)]);
  audio.fill(0, 29 * W + 256, 30 * W); // the voice stops halfway through window 29
  detector.push(audio);
  await stopped;
  const silence = 29 * W + 256;
  expect(events).toEqual([`started ${10 * W}`, `stopped ${silence} ${silence + 5120}`]);
});

test('a tail that is not quiet enough is not moved back', async () => {
  const { events, listener, stopped } = record();
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 320 };
  const detector = new TurnDetector(fakeSilero(3), 16000, vad, 0, listener);
  // -35 dBFS: not speech for the model, but only 23 dB under the peak.
  detector.push(windows([...repeat(5, -12), ...repeat(30, -35)]));
  await stopped;
  expect(events).toEqual([`started 0`, `stopped ${8 * W} ${8 * W + 5120}`]);
});

test('positions are in the session rate, from the given origin', async () => {
  const { events, listener, stopped } = record();
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 320 };
  const detector = new TurnDetector(fakeSilero(0), 24000, vad, 1000, listener);
  detector.push(
    windows([...repeat(10, -Infinity), ...repeat(10, -12), ...repeat(20, -Infinity)], 768),
  );
  await stopped;
  const [started, stoppedAt] = events.map((e) => e.split(' ').slice(1).map(Number));
  // Speech from 10 × 32 ms = 320 ms (7680 samples at 24 kHz), give or take the resampler's window.
  expect(Math.abs(started![0]! - (1000 + 7680))).toBeLessThanOrEqual(768);
  expect(Math.abs(stoppedAt![0]! - (1000 + 2 * 7680))).toBeLessThanOrEqual(768);
  expect(stoppedAt![1]! - stoppedAt![0]!).toBeGreaterThanOrEqual(7680);
});

test('restartAt forgets open speech; heardUntil waits for the model to catch up', async () => {
  const silero = fakeSilero(0);
  const { events, listener } = record();
  const detector = new TurnDetector(silero, 16000, { ...DEFAULT_VAD }, 0, listener);
  detector.push(windows(repeat(10, -12)));
  await detector.heardUntil(10 * W);
  expect(detector.inSpeech).toBe(true);
  expect(silero.stats.runs).toBe(10);
  detector.restartAt(10 * W);
  expect(detector.inSpeech).toBe(false);
  detector.push(windows(repeat(40, -Infinity)));
  await detector.heardUntil(50 * W);
  expect(events).toEqual(['started 0']);
  detector.close();
});

test('windows wait for a batch, yet speech stops on the very append that completes the silence', async () => {
  const silero = fakeSilero(3);
  const events: string[] = [];
  let pushed = 0; // samples appended before the append being handled
  let heardAtStop = -1;
  let callsAtStop = -1;
  const listener: TurnListener = {
    speechStarted: (p) => events.push(`started ${p}`),
    speechStopped: (s, p) => {
      events.push(`stopped ${s} ${p}`);
      heardAtStop = pushed + 320;
      callsAtStop = silero.stats.calls;
    },
    silence: () => {},
    failed: (e) => events.push(`failed ${e.message}`),
  };
  const vad = { ...DEFAULT_VAD, silenceDurationMs: 800 }; // 25 windows: batches of 8, 16 in speech
  const detector = new TurnDetector(silero, 16000, vad, 0, listener);
  const audio = windows([...repeat(20, -12), ...repeat(40, -60)]);
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  const append = async (until: number) => {
    for (; pushed < until; pushed += 320) {
      detector.push(audio.subarray(pushed, pushed + 320));
      await settled();
    }
  };

  await append(5 * W); // 20 ms appends, as a client sends them
  expect(silero.stats.runs).toBe(0);
  expect(events).toEqual([]);
  await append(8 * W);
  expect(silero.stats.runs).toBe(8);
  expect(events).toEqual(['started 0']);
  // In speech only the end has a deadline (800 ms after the voice stops): up to 16 wait.
  await append(23 * W);
  expect(silero.stats.runs).toBe(8);
  await append(24 * W);
  expect(silero.stats.runs).toBe(24);
  // Silero trails the voice by 3 windows, so the next batch starts the silence clock (back at
  // window 20, where the voice fell)...
  await append(40 * W);
  expect(silero.stats.runs).toBe(40);
  const calls = silero.stats.calls;
  // ...and the windows after it wait: they are heard together shortly before the deadline...
  await append(43 * W - 320);
  expect(silero.stats.calls).toBe(calls);
  await append(43 * W);
  expect(silero.stats.calls).toBe(calls + 1);
  expect(silero.stats.runs).toBe(43);
  // ...and the last two with the one that reaches it: two runs, not five.
  await append(45 * W - 320);
  expect(silero.stats.calls).toBe(calls + 1);
  expect(events).toEqual(['started 0']);

  await append(audio.length);
  // The same decision as window by window: speech to window 20, then 800 ms of silence...
  const due = 20 * W + 12800;
  expect(events).toEqual(['started 0', `stopped ${20 * W} ${due}`]);
  // ...taken on the first append that reached it.
  expect(heardAtStop).toBeGreaterThanOrEqual(due);
  expect(heardAtStop - due).toBeLessThan(320);
  expect(callsAtStop).toBe(calls + 2);
  detector.close();
});

test('a client waiting on heardUntil does not wait for a batch to fill', async () => {
  const silero = fakeSilero(0);
  const { events, listener } = record();
  const detector = new TurnDetector(silero, 16000, { ...DEFAULT_VAD }, 0, listener);
  detector.push(windows(repeat(3, -12)));
  expect(silero.stats.runs).toBe(0);
  await detector.heardUntil(3 * W);
  expect(silero.stats.runs).toBe(3);
  expect(events).toEqual(['started 0']);
  detector.close();
});
