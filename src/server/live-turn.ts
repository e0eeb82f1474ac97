// The first of a turn's two passes: its audio, as it arrives, goes to the engine's streaming
// recognizer (resampled to the rate the engine needs), and what it hears comes back as
// `delta` events (live-deltas.ts). The turn's `completed` text is the second pass, the engine's
// decode of the whole committed turn.
import { pcm16ToFloat } from '../shared/audio/pcm.ts';
import { Resampler } from '../shared/audio/resampler.ts';
import type { LiveTranscription, TranscriptionEngine } from './engines/engine.ts';
import { LiveDeltas } from './live-deltas.ts';

export class LiveTurn {
  private readonly live: LiveTranscription;
  private readonly deltas: LiveDeltas;
  private readonly resampler?: Resampler;

  /** Undefined when the engine cannot follow the turn. `sampleRate`: the appended audio's. */
  static start(
    engine: TranscriptionEngine,
    sampleRate: number,
    sendDelta: (delta: string) => void,
  ): LiveTurn | undefined {
    const deltas = new LiveDeltas(sendDelta);
    const live = engine.startLive?.((text) => deltas.update(text));
    return live && new LiveTurn(live, deltas, sampleRate, engine.sampleRate ?? 16000);
  }

  private constructor(
    live: LiveTranscription,
    deltas: LiveDeltas,
    fromRate: number,
    toRate: number,
  ) {
    this.live = live;
    this.deltas = deltas;
    if (fromRate !== toRate) this.resampler = new Resampler(fromRate, toRate);
  }

  /** The turn's next samples (copied: the caller may reuse its array). */
  accept(samples: Int16Array): void {
    if (samples.length === 0) return;
    const floats = pcm16ToFloat(samples);
    const out = this.resampler ? this.resampler.process(floats) : floats;
    if (out.length > 0) this.live.accept(out);
  }

  /** The turn was committed: the last growth goes out, then no more. Returns whether any delta
   * was sent (then the final text comes without a delta of its own). */
  finish(): boolean {
    this.live.close();
    this.deltas.finish();
    return this.deltas.text !== '';
  }

  /** The turn went away uncommitted: no more deltas. */
  cancel(): void {
    this.live.close();
    this.deltas.cancel();
  }
}
