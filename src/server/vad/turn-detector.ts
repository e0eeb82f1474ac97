// Server VAD: runs Silero over a connection's audio as it arrives and turns speech
// probabilities into turns, honouring threshold, prefix_padding_ms and silence_duration_ms.
// Positions are absolute sample positions in the session's rate (see InputAudioBuffer).
import { pcm16ToFloat, rmsDbfs } from '../../shared/audio/pcm.ts';
import { Resampler } from '../../shared/audio/resampler.ts';
import type { VadConfig } from '../../shared/providers.ts';
import { VAD_SAMPLE_RATE, VAD_WINDOW } from './silero-model.ts';
import type { SileroStream } from './silero-model.ts';
import { HYSTERESIS } from './speech-span.ts';

export interface TurnListener {
  /** Speech began at `position` (the start of the first window heard as speech). */
  speechStarted(position: number): void;
  /** Silence lasted `silence_duration_ms`: speech ended at `silenceStart`, noticed at `position`. */
  speechStopped(silenceStart: number, position: number): void;
  /** Everything up to `position` was heard, no speech open: older audio is only prefix padding. */
  silence(position: number): void;
  failed(error: Error): void;
}

/** Silero's probability trails a fading voice by ~100 ms (its LSTM decays). So when it hears
 * silence, the silence clock starts back where the signal itself fell this far under the turn's
 * loudest window, looking back at most LOOKBACK windows: the commit then comes
 * silence_duration_ms after the last audible speech, not ~100 ms later. */
const QUIET_DB = 30;
const LOOKBACK = 8;
/** Levels are kept per 8 ms block, so silence can start inside a window. */
const BLOCKS = 4;
const BLOCK = VAD_WINDOW / BLOCKS;
/** Outside speech, a window this quiet is silence without asking the model: far below any
 * voice (microphone noise floors sit around -50 to -65 dBFS), and it saves the CPU of the
 * long silences between dictated sentences. */
const GATE_DB = -70;
/** A window heard on its own after the process idled costs the model ~3–5× what one heard
 * right after another does (its weights have left the CPU's caches), so windows wait and the
 * model hears them as one batch (see silero-batch-graph.ts) — but never so long that a commit
 * would come late: see `mayWait()`. Decisions are the same either way; only events with no
 * deadline (speech_started, the silence clock starting) come later.
 * Outside speech, up to MAX_BATCH windows wait: speech_started (the speaking indicator) comes
 * at most that much late. In speech nothing is announced but the end, whose deadline is
 * silence_duration_ms after the voice stops, so batches there may fill two thirds of it (the
 * rest covers Silero trailing the voice), up to MAX_SPEECH_BATCH: per window, after 256 ms
 * idle, a batch of 16 costs ~0.24 ms of CPU here against ~0.34 ms for a batch of 8. */
const MAX_BATCH = 8;
const MAX_SPEECH_BATCH = 16;
/** Once the silence clock runs, the windows before its deadline wait too, but are heard this
 * many windows before it, so that little is left to hear when it comes (with many streams
 * reaching their deadlines together, each one's last run delays the others' commits). */
const DEADLINE_LEAD = 2;

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
  private speechStartWindow = 0;
  private peakDb = -Infinity;
  private readonly levels = new Float64Array(LOOKBACK * BLOCKS); // dBFS of recent blocks, a ring
  private readonly batchLevels: Float64Array; // dBFS of each window of the batch
  private readonly gated: Uint8Array; // which windows of the batch skip the model
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
    this.batchLevels = new Float64Array(stream.capacity);
    this.gated = new Uint8Array(stream.capacity);
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
    if (this.running) return;
    if (this.hasWindow()) {
      if (!this.mayWait()) void this.pump();
    } else {
      // Less than a window queued (most appends): what pump() would do, without its promise.
      this.endSilenceInTail();
      this.wakeWaiters();
    }
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
    const heard = new Promise<void>((resolve) => this.waiters.push({ position, resolve }));
    if (!this.running) void this.pump(); // a client waits: no more batching
    return heard;
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private caughtUp(position: number): boolean {
    const heard = this.toPosition(this.windows * VAD_WINDOW);
    const window = this.toPosition(VAD_WINDOW) - this.origin;
    return this.closed || heard + window > position || (!this.running && !this.hasWindow());
  }

  /** Whether the queued windows may wait for more (see MAX_BATCH): no client waits for them,
   * the batch is not full, and the silence clock, if it runs, is not yet due within them. */
  private mayWait(): boolean {
    if (this.waiters.length > 0) return false;
    const queued = this.pendingEnd - this.pendingStart;
    // Short silences get short batches: a batch also delays when the silence clock starts.
    const silenceWindows = (this.config.silenceDurationMs * VAD_SAMPLE_RATE) / 1000 / VAD_WINDOW;
    const batch = this.speaking
      ? Math.min(MAX_SPEECH_BATCH, Math.floor((silenceWindows * 2) / 3))
      : Math.min(MAX_BATCH, Math.floor(silenceWindows / 3));
    if (queued >= batch * VAD_WINDOW) return false;
    if (!this.speaking || this.silenceStart === null) return true;
    // The silence clock runs: the one decision with a deadline is the window that reaches it, so
    // the windows before it wait, rather than each being heard alone, cold (DEADLINE_LEAD).
    const due = this.silenceStart + Math.round((this.config.silenceDurationMs * this.rate) / 1000);
    const end = this.toPosition(this.windows * VAD_WINDOW + queued);
    if (end >= due) return false;
    const lead = this.toPosition(DEADLINE_LEAD * VAD_WINDOW) - this.origin;
    return end < due - lead || queued < (DEADLINE_LEAD + 1) * VAD_WINDOW;
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
        const queued = Math.floor((this.pendingEnd - this.pendingStart) / VAD_WINDOW);
        const count = Math.min(queued, this.stream.capacity);
        const windows = this.stream.windows;
        windows.set(
          this.pending.subarray(this.pendingStart, this.pendingStart + count * VAD_WINDOW),
        );
        for (let k = 0; k < count; k++) {
          this.batchLevels[k] = rmsDbfs(windows.subarray(k * VAD_WINDOW, (k + 1) * VAD_WINDOW));
          this.gated[k] = this.isGated(this.batchLevels[k]!) ? 1 : 0;
        }
        const probabilities = await this.stream.run(count, this.gated);
        for (let k = 0; k < count && !this.closed; k++) {
          const level = this.batchLevels[k]!;
          // Gating was chosen before the batch ran: if speech started or stopped inside it (or
          // the client restarted it), this window and the rest are heard again.
          if (k > 0 && this.gated[k] !== (this.isGated(level) ? 1 : 0)) {
            this.stream.keep(k);
            break;
          }
          const window = windows.subarray(k * VAD_WINDOW, (k + 1) * VAD_WINDOW);
          const slot = (this.windows % LOOKBACK) * BLOCKS;
          for (let b = 0; b < BLOCKS; b++) {
            this.levels[slot + b] = rmsDbfs(window.subarray(b * BLOCK, (b + 1) * BLOCK));
          }
          this.pendingStart += VAD_WINDOW;
          this.decide(probabilities[k]!, level);
          this.wakeWaiters();
        }
      }
      if (!this.closed) this.endSilenceInTail();
    } catch (err) {
      if (this.closed) return; // closed mid-run: the connection is gone
      this.closed = true; // a model that failed once is not asked again
      this.listener.failed(err as Error);
    } finally {
      this.running = false;
      this.wakeWaiters();
    }
  }

  /** Outside speech, a window under GATE_DB is silence without asking the model. */
  private isGated(level: number): boolean {
    return !this.speaking && level < GATE_DB;
  }

  private decide(probability: number, level: number): void {
    const index = this.windows++;
    const start = this.toPosition(index * VAD_WINDOW);
    const end = this.toPosition(this.windows * VAD_WINDOW);
    if (end <= this.ignoreUntil) return;
    const { threshold, silenceDurationMs } = this.config;
    if (!this.speaking) {
      if (probability >= threshold) {
        this.speaking = true;
        this.silenceStart = null;
        this.speechStartWindow = index;
        this.peakDb = level;
        this.listener.speechStarted(Math.max(start, this.ignoreUntil));
      } else {
        this.listener.silence(end);
      }
      return;
    }
    if (probability >= threshold) {
      this.silenceStart = null;
      this.peakDb = Math.max(this.peakDb, level);
    } else if (probability < Math.max(threshold - HYSTERESIS, 0.01)) {
      this.silenceStart ??= this.toPosition(this.quietSince(index));
    }
    const silenceSamples = Math.round((silenceDurationMs * this.rate) / 1000);
    if (this.silenceStart !== null && end - this.silenceStart >= silenceSamples) {
      const silenceStart = this.silenceStart;
      this.speaking = false;
      this.silenceStart = null;
      this.listener.speechStopped(silenceStart, silenceStart + silenceSamples);
    }
  }

  /** Ends speech as soon as silence_duration_ms has passed, even inside a window the model has
   * not had whole yet (up to 32 ms sooner), as long as that partial window is quiet too. */
  private endSilenceInTail(): void {
    if (!this.speaking || this.silenceStart === null) return;
    const queued = this.pendingEnd - this.pendingStart;
    const due = this.silenceStart + Math.round((this.config.silenceDurationMs * this.rate) / 1000);
    if (queued === 0 || this.toPosition(this.windows * VAD_WINDOW + queued) < due) return;
    const tail = this.pending.subarray(this.pendingStart, this.pendingEnd);
    if (rmsDbfs(tail) >= this.peakDb - QUIET_DB) return;
    const silenceStart = this.silenceStart;
    this.speaking = false;
    this.silenceStart = null;
    this.ignoreUntil = Math.max(this.ignoreUntil, due);
    this.listener.speechStopped(silenceStart, due);
  }

  /** Where the quiet before window `index` began, in 16 kHz samples (see QUIET_DB). */
  private quietSince(index: number): number {
    const quiet = this.peakDb - QUIET_DB;
    const inReach = (w: number) => w > this.speechStartWindow && index - w < LOOKBACK;
    const isQuiet = (w: number, b: number) => this.levels[(w % LOOKBACK) * BLOCKS + b]! < quiet;
    const allQuiet = (w: number) => {
      for (let b = 0; b < BLOCKS; b++) if (!isQuiet(w, b)) return false;
      return true;
    };
    let first = index;
    while (inReach(first - 1) && allQuiet(first - 1)) first--;
    // In the window before, the quiet starts after its last loud block.
    const before = first - 1;
    if (!inReach(before)) return first * VAD_WINDOW;
    let b = BLOCKS;
    while (b > 0 && isQuiet(before, b - 1)) b--;
    return before * VAD_WINDOW + b * BLOCK;
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
