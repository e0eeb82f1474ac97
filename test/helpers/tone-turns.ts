// Turns of test audio for the sherpa engine's tests and bench: the two tones the test models
// hear (tone-detector.ts), silence, and the request the engine gets for a turn.
import { encodeWav } from '../../src/core/audio/wav.ts';
import type { Logger } from '../../src/core/log.ts';
import type { TranscriptionRequest } from '../../src/server/engines/engine.ts';
import { concatSamples } from './concat-samples.ts';
import { HIGH_TONE_HZ, LOW_TONE_HZ } from './tone-detector.ts';

export const RATE = 16000;

export const tone = (hz: number, ms: number): Int16Array =>
  Int16Array.from({ length: (RATE * ms) / 1000 }, (_, i) =>
    Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / RATE)),
  );

export const silence = (ms: number): Int16Array => new Int16Array((RATE * ms) / 1000);

/** The low tone, then the high one: 听写 to the test models. */
export const TONES = concatSamples(Int16Array, [
  silence(200),
  tone(LOW_TONE_HZ, 400),
  silence(200),
  tone(HIGH_TONE_HZ, 400),
  silence(200),
]);

/** The high tone, then the low one: 写听 to the models that hear the order. */
export const REVERSED = concatSamples(Int16Array, [
  tone(HIGH_TONE_HZ, 400),
  tone(LOW_TONE_HZ, 400),
]);

/** The engine's request for a turn of `samples` (16 kHz). */
export function request(
  samples: Int16Array,
  language = 'auto',
  signal: AbortSignal = new AbortController().signal,
): TranscriptionRequest {
  return {
    wav: encodeWav(samples, RATE),
    wavFile: () => Promise.reject(new Error('the sherpa engine reads no file')),
    sampleRate: RATE,
    language,
    signal,
  };
}

/** A logger that keeps what the server and engine say. */
export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string) => void lines.push(m);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}
