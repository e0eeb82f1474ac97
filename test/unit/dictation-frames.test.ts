// The capture worklet's framing (FrameEncoder): exact frame sizes, every sample accounted for.
import { describe, expect, it } from 'vitest';
import { FrameEncoder } from '../../src/shared/audio/frame-encoder.ts';
import { Resampler } from '../../src/shared/audio/resampler.ts';

function sine(rate: number, seconds: number, freq = 440, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** Feeds `input` in render quanta of 128 samples, as an AudioWorklet receives it. */
function encode(encoder: FrameEncoder, input: Float32Array): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < input.length; i += 128)
    frames.push(...encoder.push(input.subarray(i, i + 128)));
  frames.push(...encoder.flush());
  return frames;
}

describe('FrameEncoder', () => {
  it.each([
    [48000, 16000, 320],
    [44100, 16000, 320],
    [48000, 24000, 480],
    [16000, 16000, 320],
    [8000, 24000, 480],
  ])('%i Hz → %i Hz: 20 ms frames of %i samples, count in = count out', (inRate, outRate, size) => {
    const seconds = 1.337;
    const input = sine(inRate, seconds);
    const frames = encode(new FrameEncoder(inRate, outRate, 20), input);
    const total = frames.reduce((n, f) => n + f.length, 0);
    // The resampler's contract: out = ceil(in × outRate / inRate), with nothing lost or added.
    expect(total).toBe(Math.ceil((input.length * outRate) / inRate));
    for (const f of frames.slice(0, -1)) expect(f.length).toBe(size);
    expect(frames.at(-1)!.length).toBeGreaterThan(0);
    expect(frames.at(-1)!.length).toBeLessThanOrEqual(size);
  });

  it.each([
    [48000, 16000],
    [44100, 16000],
    [8000, 24000],
  ])(
    '%i Hz → %i Hz: each frame comes out of the very block that completes it',
    (inRate, outRate) => {
      // Resampling is deferred until a frame's input is all there: no frame may come later than
      // when resampling each block at once would have completed it.
      const encoder = new FrameEncoder(inRate, outRate, 40);
      const eager = new Resampler(inRate, outRate);
      const input = sine(inRate, 1);
      let resampled = 0;
      let framed = 0;
      for (let i = 0; i < input.length; i += 128) {
        const block = input.subarray(i, i + 128);
        resampled += eager.process(block).length;
        framed += encoder.push(block).length;
        expect(framed, `after block ${i / 128}`).toBe(Math.floor(resampled / encoder.frameSamples));
      }
    },
  );

  it('gives each frame its own buffer, so that it can be transferred', () => {
    const frames = encode(new FrameEncoder(48000, 16000, 20), sine(48000, 0.2));
    const buffers = new Set(frames.map((f) => f.buffer));
    expect(buffers.size).toBe(frames.length);
    for (const f of frames) expect(f.byteLength).toBe(f.buffer.byteLength);
  });

  it('keeps the signal continuous across frame edges', () => {
    const frames = encode(new FrameEncoder(48000, 16000, 20), sine(48000, 0.5, 200, 0.8));
    const all = Int16Array.from(frames.flatMap((f) => [...f]));
    // A 200 Hz sine at 16 kHz moves at most 2π·200/16000·0.8·32767 ≈ 2060 per sample.
    let maxStep = 0;
    for (let i = 400; i < all.length - 400; i++)
      maxStep = Math.max(maxStep, Math.abs(all[i]! - all[i - 1]!));
    expect(maxStep).toBeLessThan(2200);
  });

  it('passes audio through untouched when the rates match', () => {
    const input = Float32Array.from({ length: 700 }, (_, i) => ((i % 200) - 100) / 100);
    const frames = encode(new FrameEncoder(16000, 16000, 20), input);
    expect(frames.map((f) => f.length)).toEqual([320, 320, 60]);
    expect(frames[0]![100]).toBe(0);
    expect(frames[0]![0]).toBe(-32768);
  });
});
