// Server VAD: runs Silero over a connection's audio as it arrives and turns speech
// probabilities into turns, honouring threshold, prefix_padding_ms and silence_duration_ms.
// Positions are absolute sample positions in the session's rate (see InputAudioBuffer).
import { pcm16ToFloat } from '../../shared/audio/pcm.ts';
import { Resampler } from '../../shared/audio/resampler.ts';
import type { VadConfig } from '../../shared/providers.ts';
import { VAD_SAMPLE_RATE, VAD_WINDOW } from './silero-model.ts';
import type { SileroStream } from './silero-model.ts';

export interface TurnListener {
  /** Speech began at `position` (the start of the first window heard as speech). */
  speechStarted(position: number): void;
  /** Silence lasted `silence_duration_ms`: speech ended at `silenceStart`, noticed at `position`. */
  speechStopped(silenceStart: number, position: number): void;
  /** Everything up to `position` was heard, no speech open: older audio is only prefix padding. */
  silence(position: number): void;
  failed(error: Error): void;
}

/** Hysteresis as in Silero's own segmenter: speech ends only below threshold - 0.15. */
const HYSTERESIS = 0.15;

export class TurnDetector {
  private config: VadConfig;
  private readonly stream: SileroStream;
  private readonly rate: number;
  private readonly origin: number;
  private readonly listener: TurnListener;
  private readonly resampler?: Resampler;
  private scratch = new Float32Array(4096);
  private pending = new Float32Array(16384); // 16 kHz samples not yet run through the model
  private pendingStart = 0;
  private pendingEnd = 0;
  private windows = 0; // windows processed
  private speaking = false;
  private silenceStart: number | null = null;
  private ignoreUntil: number;
  private running = false;
  private closed = false;
  private waiters: { position: number; resolve: () => void }[] = [];

  /** `origin`: the absolute position of the first sample that will be pushed. */
  constructor(
    stream: SileroStream,
    sampleRate: number,
    config: VadConfig,
    origin: number,
    listener: TurnListener,
  ) {
    this.stream = stream;
    this.rate = sampleRate;
    this.config = config;
    this.origin = origin;
    this.ignoreUntil = origin;
    this.listener = listener;
    if (sampleRate !== VAD_SAMPLE_RATE) this.resampler = new Resampler(sampleRate, VAD_SAMPLE_RATE);
    stream.reset();
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  configure(config: VadConfig): void {
    this.config = config;
  }

  push(samples: Int16Array): void {
    if (this.closed) return;
    if (this.scratch.length < samples.length) this.scratch = new Float32Array(samples.length);
    const floats = pcm16ToFloat(samples, this.scratch.subarray(0, samples.length));
    this.enqueue(this.resampler ? this.resampler.process(floats) : floats);
    if (!this.running) void this.pump();
  }

  /** Forgets any open speech and ignores audio before `position` (committed or cleared by the client). */
  restartAt(position: number): void {
    this.speaking = false;
    this.silenceStart = null;
    this.ignoreUntil = Math.max(this.ignoreUntil, position);
  }

  /** Resolves once every whole window of audio before `position` has been heard. */
  heardUntil(position: number): Promise<void> {
    if (this.closed || this.caughtUp(position)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private caughtUp(position: number): boolean {
    const heard = this.toPosition(this.windows * VAD_WINDOW);
    const window = this.toPosition(VAD_WINDOW) - this.origin;
    return heard + window > position || (!this.running && !this.hasWindow());
  }

  private hasWindow(): boolean {
    return this.pendingEnd - this.pendingStart >= VAD_WINDOW;
  }

  private toPosition(vadSamples: number): number {
    return this.origin + Math.round((vadSamples * this.rate) / VAD_SAMPLE_RATE);
  }

  private enqueue(samples: Float32Array): void {
    const queued = this.pendingEnd - this.pendingStart;
    if (this.pendingEnd + samples.length > this.pending.length) {
      if (queued + samples.length <= this.pending.length / 2) {
        this.pending.copyWithin(0, this.pendingStart, this.pendingEnd);
      } else {
        const grown = new Float32Array(
          Math.max(2 * this.pending.length, 2 * (queued + samples.length)),
        );
        grown.set(this.pending.subarray(this.pendingStart, this.pendingEnd));
        this.pending = grown;
      }
      this.pendingStart = 0;
      this.pendingEnd = queued;
    }
    this.pending.set(samples, this.pendingEnd);
    this.pendingEnd += samples.length;
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed && this.hasWindow()) {
        this.stream.window.set(
          this.pending.subarray(this.pendingStart, this.pendingStart + VAD_WINDOW),
        );
        this.pendingStart += VAD_WINDOW;
        const probability = await this.stream.run();
        if (this.closed) return;
        this.decide(probability);
        this.wakeWaiters();
      }
    } catch (err) {
      this.listener.failed(err as Error);
    } finally {
      this.running = false;
      this.wakeWaiters();
    }
  }

  private decide(probability: number): void {
    const start = this.toPosition(this.windows * VAD_WINDOW);
    this.windows++;
    const end = this.toPosition(this.windows * VAD_WINDOW);
    if (end <= this.ignoreUntil) return;
    const { threshold, silenceDurationMs } = this.config;
    if (!this.speaking) {
      if (probability >= threshold) {
        this.speaking = true;
        this.silenceStart = null;
        this.listener.speechStarted(Math.max(start, this.ignoreUntil));
      } else {
        this.listener.silence(end);
      }
      return;
    }
    if (probability >= threshold) this.silenceStart = null;
    else if (probability < Math.max(threshold - HYSTERESIS, 0.01)) this.silenceStart ??= start;
    const silenceSamples = (silenceDurationMs * this.rate) / 1000;
    if (this.silenceStart !== null && end - this.silenceStart >= silenceSamples) {
      const silenceStart = this.silenceStart;
      this.speaking = false;
      this.silenceStart = null;
      this.listener.speechStopped(silenceStart, end);
    }
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.caughtUp(w.position)) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
