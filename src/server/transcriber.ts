// Runs the engine on one committed turn: resamples it to the rate the engine needs, encodes it
// as WAV (written to a file only for an engine that reads one), bounds the time it may take, and
// turns every outcome into a result (never a rejection), so that one bad turn cannot end a
// session.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../core/audio/wav.ts';
import type { Logger } from '../core/log.ts';
import { floatToPcm16, pcm16ToFloat } from '../shared/audio/pcm.ts';
import { Resampler } from '../shared/audio/resampler.ts';
import { TranscriptionError } from './engines/engine.ts';
import type { TranscriptionEngine } from './engines/engine.ts';
import { Limiter } from './limiter.ts';
import { LiveTurn } from './live-turn.ts';
import type { TranscriptionSettings } from './session-config.ts';

export type TurnResult =
  { ok: true; transcript: string } | { ok: false; error: TranscriptionError };

export interface TranscriberOptions {
  tempDir: string;
  /** A turn whose recognition takes longer fails with `engine_timeout`. */
  timeoutMs: number;
  /** Recognizer processes running at once, across connections. */
  concurrency: number;
  log: Logger;
}

export class Transcriber {
  private readonly engine: TranscriptionEngine;
  private readonly options: TranscriberOptions;
  private readonly limiter: Limiter;
  private turns = 0;

  constructor(engine: TranscriptionEngine, options: TranscriberOptions) {
    this.engine = engine;
    this.options = options;
    this.limiter = new Limiter(options.concurrency);
  }

  /** Follows a turn while it is spoken, when the engine can: its live text goes to `sendDelta`
   * as append-only pieces. `sampleRate`: the audio's, resampled here to the engine's. */
  follow(sampleRate: number, sendDelta: (delta: string) => void): LiveTurn | undefined {
    return LiveTurn.start(this.engine, sampleRate, sendDelta);
  }

  /** A session's settings changed: the engine prepares for its turns (engine.ts prepare). */
  prepare(settings: TranscriptionSettings): void {
    this.engine.prepare?.(settings);
  }

  transcribe(
    samples: Int16Array,
    sampleRate: number,
    settings: TranscriptionSettings,
    cancel: AbortSignal,
  ): Promise<TurnResult> {
    return this.limiter.run(() => this.run(samples, sampleRate, settings, cancel));
  }

  private async run(
    samples: Int16Array,
    sampleRate: number,
    settings: TranscriptionSettings,
    cancel: AbortSignal,
  ): Promise<TurnResult> {
    if (cancel.aborted)
      return failed('engine_failed', 'The connection closed before transcription.');
    const rate = this.engine.sampleRate ?? sampleRate;
    const wav = encodeWav(
      rate === sampleRate ? samples : resample(samples, sampleRate, rate),
      rate,
    );
    const wavPath = join(this.options.tempDir, `turn-${++this.turns}.wav`);
    // Only engines that run a command read a file: the others get the bytes.
    let written: Promise<string> | undefined;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const started = performance.now();
    try {
      const transcript = await this.engine.transcribe({
        wav,
        wavFile: () => (written ??= writeFile(wavPath, wav).then(() => wavPath)),
        sampleRate: rate,
        language: settings.language,
        prompt: settings.prompt,
        keywords: settings.keywords,
        model: settings.model,
        signal: AbortSignal.any([cancel, timeout]),
      });
      const ms = Math.round(performance.now() - started);
      this.options.log.debug(`${this.engine.name}: turn of ${samples.length} samples in ${ms} ms`);
      return { ok: true, transcript };
    } catch (err) {
      if (timeout.aborted) {
        const s = this.options.timeoutMs / 1000;
        return failed(
          'engine_timeout',
          `${this.engine.name} did not finish the turn within ${s} s.`,
        );
      }
      const error =
        err instanceof TranscriptionError
          ? err
          : new TranscriptionError(
              'engine_failed',
              `${this.engine.name}: ${(err as Error).message}`,
            );
      this.options.log.warn(`Transcription failed (${error.code}): ${error.message}`);
      return { ok: false, error };
    } finally {
      if (written) await rm(wavPath, { force: true });
    }
  }
}

function failed(code: 'engine_failed' | 'engine_timeout', message: string): TurnResult {
  return { ok: false, error: new TranscriptionError(code, message) };
}

function resample(samples: Int16Array, from: number, to: number): Int16Array {
  const resampler = new Resampler(from, to);
  const head = resampler.process(pcm16ToFloat(samples));
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return floatToPcm16(out);
}
