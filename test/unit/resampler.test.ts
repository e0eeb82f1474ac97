import { describe, expect, it } from 'vitest';
import { Resampler, type ResamplerKernel } from '../../src/shared/audio/resampler.ts';
import { concatSamples } from '../helpers/concat-samples.ts';

function sine(rate: number, freq: number, seconds: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
}

/** Zero crossings per second, a frequency estimate. */
function frequency(x: Float32Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) crossings++;
  return (crossings / 2) * (rate / x.length);
}

function resampleInChunks(r: Resampler, input: Float32Array, chunk: number): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(r.process(input.subarray(i, i + chunk)));
  parts.push(r.flush());
  return concatSamples(Float32Array, parts);
}

const KERNELS: ResamplerKernel[] = ['wasm-simd', 'js'];

describe.each(KERNELS)('Resampler (%s)', (kernel) => {
  for (const [from, to] of [
    [48000, 16000],
    [44100, 16000],
    [48000, 24000],
    [32000, 24000],
    [16000, 24000],
    [22050, 16000],
  ] as const) {
    it(`${from} → ${to}: a 440 Hz sine keeps its frequency and level, count in = count out`, () => {
      const input = sine(from, 440, 1);
      const out = resampleInChunks(new Resampler(from, to, { kernel }), input, 128);
      expect(out.length).toBe(Math.ceil((input.length * to) / from));
      const inner = out.subarray(to / 10, out.length - to / 10); // away from the edges
      expect(frequency(inner, to)).toBeCloseTo(440, -1);
      expect(rms(inner)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    });
  }

  it('removes content above the new Nyquist frequency (no aliasing)', () => {
    // 11 kHz at 48 kHz would fold to 5 kHz at 16 kHz without a low-pass.
    const out = resampleInChunks(
      new Resampler(48000, 16000, { kernel }),
      sine(48000, 11000, 1),
      480,
    );
    expect(rms(out, 1600, out.length - 1600)).toBeLessThan(0.5 * 0.001);
  });

  for (const from of [48000, 44100]) {
    it(`${from} → 16000: whatever would fold into the band kept is ≥ 80 dB down`, () => {
      // Above 16 − 6.8 kHz a tone folds to below 6.8 kHz, where speech is; PCM16's own noise
      // floor is about -98 dB.
      for (const freq of [9300, 11000, 14000, 20000]) {
        const out = resampleInChunks(
          new Resampler(from, 16000, { kernel }),
          sine(from, freq, 0.5),
          128,
        );
        const level = rms(out, 1600, out.length - 1600) / (0.5 / Math.SQRT2);
        expect(20 * Math.log10(level), `${freq} Hz`).toBeLessThan(-80);
      }
    });

    it(`${from} → 16000: the speech band passes (≤ 0.5 dB down to 5 kHz, ≤ 2 dB to 6.8 kHz)`, () => {
      for (const [freq, maxLossDb] of [
        [1000, 0.5],
        [5000, 0.5],
        [6800, 2],
      ] as const) {
        const out = resampleInChunks(
          new Resampler(from, 16000, { kernel }),
          sine(from, freq, 0.5),
          128,
        );
        const level = rms(out, 1600, out.length - 1600) / (0.5 / Math.SQRT2);
        expect(-20 * Math.log10(level), `${freq} Hz`).toBeLessThan(maxLossDb);
      }
    });
  }

  it('gives the same output whatever the chunk size (no discontinuity at frame edges)', () => {
    const input = sine(48000, 1000, 0.5);
    const whole = resampleInChunks(new Resampler(48000, 16000, { kernel }), input, input.length);
    for (const chunk of [1, 128, 441, 960]) {
      const chunked = resampleInChunks(new Resampler(48000, 16000, { kernel }), input, chunk);
      expect(chunked.length).toBe(whole.length);
      let maxDiff = 0;
      for (let i = 0; i < whole.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(whole[i]! - chunked[i]!));
      expect(maxDiff).toBeLessThan(1e-6);
    }
  });

  it('is reusable after flush', () => {
    const r = new Resampler(44100, 16000, { kernel });
    const a = resampleInChunks(r, sine(44100, 300, 0.2), 100);
    const b = resampleInChunks(r, sine(44100, 300, 0.2), 100);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

/** Uniform noise in [-0.5, 0.5), the same every time. */
function noise(length: number): Float32Array {
  const out = new Float32Array(length);
  let seed = 7;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = seed / 0x7fffffff - 0.5;
  }
  return out;
}

/** The largest difference between two signals of the same length. */
function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('Resampler kernels', () => {
  it('WebAssembly SIMD runs here (Node, as Chromium and Electron): the tests above test it', () => {
    expect(new Resampler(48000, 16000).kernel).toBe('wasm-simd');
  });

  for (const [from, to] of [
    [48000, 16000],
    [44100, 16000],
    [48000, 24000], // 54 taps, padded to 56
    [16000, 24000],
  ] as const) {
    it(`${from} → ${to}: fir.wat and the JavaScript loop give the same samples`, () => {
      // Noise, so that every tap matters, fed in blocks of an AudioWorklet's size.
      const input = noise(from);
      const wasm = resampleInChunks(new Resampler(from, to, { kernel: 'wasm-simd' }), input, 128);
      const js = resampleInChunks(new Resampler(from, to, { kernel: 'js' }), input, 128);
      // float32 sums in another order: far below PCM16's step (3e-5)
      expect(maxDifference(wasm, js)).toBeLessThan(1e-6);
    });
  }

  it('the WebAssembly memory grows mid-stream (a long chunk between blocks) and nothing shifts', () => {
    const input = noise(48000 * 3);
    for (const sizes of [
      [100_000, 128],
      [128, 60_000, 128],
      [5000, 40_000, 128],
    ]) {
      const run = (kernel: ResamplerKernel) => {
        const r = new Resampler(48000, 16000, { kernel });
        const parts: Float32Array[] = [];
        for (let i = 0, k = 0; i < input.length; k++) {
          const n = sizes[Math.min(k, sizes.length - 1)]!;
          parts.push(r.process(input.subarray(i, i + n)));
          i += n;
        }
        parts.push(r.flush());
        return concatSamples(Float32Array, parts);
      };
      expect(maxDifference(run('wasm-simd'), run('js')), String(sizes)).toBeLessThan(1e-6);
    }
  });

  it('a ratio with more phases than the table holds runs in JavaScript; asking for SIMD says why', () => {
    expect(new Resampler(44100, 44101).kernel).toBe('js');
    expect(() => new Resampler(44100, 44101, { kernel: 'wasm-simd' })).toThrow(/phase/);
  });

  it('a NaN left in memory past the input never reaches an output (the padded taps)', () => {
    const r = new Resampler(48000, 24000, { kernel: 'wasm-simd' });
    const first = resampleInChunks(r, new Float32Array(4800).fill(NaN), 128);
    expect(Number.isNaN(first[100])).toBe(true);
    const out = resampleInChunks(r, new Float32Array(4800).fill(0.25), 128);
    expect(out.every((x) => Number.isFinite(x))).toBe(true);
  });
});
