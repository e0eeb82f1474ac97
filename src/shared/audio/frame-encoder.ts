// Device audio (float, any rate) → the session's rate → PCM16 frames of a fixed duration.
// Pure and synchronous, so that the AudioWorklet stays a thin shell around it and the framing
// can be tested in Node: every input sample comes out, in order, in frames of exactly
// `frameSamples` (only the very last frame of a dictation, from flush(), may be shorter).
import { floatToPcm16 } from './pcm.ts';
import { Resampler, type ResamplerKernel } from './resampler.ts';

/** What push() returns when no frame is complete (most blocks). */
const NO_FRAMES: readonly Int16Array[] = Object.freeze([]);

export class FrameEncoder {
  readonly frameSamples: number;
  private readonly resampler: Resampler | null;
  /** The frame being filled; a new one for every frame, as each is handed on (transferred). */
  private frame: Int16Array | null = null;
  private filled = 0;

  constructor(inRate: number, outRate: number, frameMs: number) {
    this.frameSamples = Math.round((outRate * frameMs) / 1000);
    this.resampler = inRate === outRate ? null : new Resampler(inRate, outRate);
  }

  /** What resamples ('none': the rates are the same). */
  get resampling(): ResamplerKernel | 'none' {
    return this.resampler?.kernel ?? 'none';
  }

  /** Feeds one block of device audio; returns the frames it completed. */
  push(input: Float32Array): readonly Int16Array[] {
    if (!this.resampler) return this.collect(input);
    // The filter runs once per frame, over all the input it needs, rather than on every
    // 128-sample block: the same frames, completed by the same block, but one hot loop
    // instead of a dozen cold starts on the audio thread.
    this.resampler.write(input);
    if (this.resampler.ready() < this.frameSamples - this.filled) return NO_FRAMES;
    return this.collect(this.resampler.readPcm16View());
  }

  /** Ends the stream: returns the remaining frames, the last one possibly short. */
  flush(): Int16Array[] {
    const frames = this.resampler ? [...this.collect(this.resampler.flush())] : [];
    if (this.frame && this.filled > 0) frames.push(this.frame.slice(0, this.filled));
    this.frame = null;
    this.filled = 0;
    return frames;
  }

  /** Copies (PCM16) or converts (float) `samples` straight into frames. */
  private collect(samples: Float32Array | Int16Array): readonly Int16Array[] {
    let frames = NO_FRAMES;
    let offset = 0;
    while (offset < samples.length) {
      const frame = (this.frame ??= new Int16Array(this.frameSamples));
      const n = Math.min(this.frameSamples - this.filled, samples.length - offset);
      if (samples instanceof Int16Array)
        frame.set(samples.subarray(offset, offset + n), this.filled);
      else floatToPcm16(samples, frame, offset, this.filled, n);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameSamples) {
        frames = frames === NO_FRAMES ? [frame] : [...frames, frame];
        this.frame = null;
        this.filled = 0;
      }
    }
    return frames;
  }
}
