// Device audio (float, any rate) → the session's rate → PCM16 frames of a fixed duration.
// Pure and synchronous, so that the AudioWorklet stays a thin shell around it and the framing
// can be tested in Node: every input sample comes out, in order, in frames of exactly
// `frameSamples` (only the very last frame of a dictation, from flush(), may be shorter).
import { floatToPcm16 } from './pcm.ts';
import { Resampler, type ResamplerKernel } from './resampler.ts';

export class FrameEncoder {
  readonly frameSamples: number;
  private readonly resampler: Resampler | null;
  private buffer: Float32Array;
  private filled = 0;

  constructor(inRate: number, outRate: number, frameMs: number) {
    this.frameSamples = Math.round((outRate * frameMs) / 1000);
    this.resampler = inRate === outRate ? null : new Resampler(inRate, outRate);
    this.buffer = new Float32Array(this.frameSamples);
  }

  /** What resamples ('none': the rates are the same). */
  get resampling(): ResamplerKernel | 'none' {
    return this.resampler?.kernel ?? 'none';
  }

  /** Feeds one block of device audio; returns the frames it completed. */
  push(input: Float32Array): Int16Array[] {
    if (!this.resampler) return this.collect(input);
    // The filter runs once per frame, over all the input it needs, rather than on every
    // 128-sample block: the same frames, completed by the same block, but one hot loop
    // instead of a dozen cold starts on the audio thread.
    this.resampler.write(input);
    if (this.resampler.ready() < this.frameSamples - this.filled) return [];
    return this.collect(this.resampler.read());
  }

  /** Ends the stream: returns the remaining frames, the last one possibly short. */
  flush(): Int16Array[] {
    const frames = this.resampler ? this.collect(this.resampler.flush()) : [];
    if (this.filled > 0) {
      frames.push(floatToPcm16(this.buffer.subarray(0, this.filled)));
      this.filled = 0;
    }
    return frames;
  }

  private collect(samples: Float32Array): Int16Array[] {
    const frames: Int16Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const n = Math.min(this.frameSamples - this.filled, samples.length - offset);
      this.buffer.set(samples.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameSamples) {
        // A fresh Int16Array per frame: its buffer is transferred to the main thread.
        frames.push(floatToPcm16(this.buffer));
        this.filled = 0;
      }
    }
    return frames;
  }
}
