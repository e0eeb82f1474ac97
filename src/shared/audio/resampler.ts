// A streaming band-limited resampler (windowed-sinc, polyphase). It runs in the renderer's
// AudioWorklet and in Node alike, so it lives in shared/ and uses nothing but typed arrays.
//
// Output sample n sits at input time n * inRate / outRate exactly (integer phase arithmetic,
// no drift over hours of audio). Each phase's kernel is normalized to unit DC gain, and the
// cut-off sits below the lower Nyquist frequency, so downsampling does not alias.
//
// It runs on the audio thread for every second of a dictation, so its cost is its taps per
// output sample: a Kaiser window (β 9: about -90 dB where aliases would land in the band
// kept, below PCM16's own noise) needs fewer taps than Blackman-Harris for the same
// stopband. Where WebAssembly SIMD is available (Chromium, Electron and Node alike) the dot
// products run in fir.wat, four taps at a time; elsewhere (a page whose CSP forbids compiling
// WebAssembly) in JavaScript, where integer ratios (48 → 16 or 24 kHz) have one symmetric
// kernel, folded so that each multiply serves two samples. Both give the same samples to
// within float rounding (the unit tests compare them).
import { FIR_WASM } from './fir-wasm.ts';
import { floatToPcm16 } from './pcm.ts';

const MAX_PHASES = 4096;
const KAISER_BETA = 9;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** The modified Bessel function I0, by its power series (converges fast for β ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; term > sum * 1e-12; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** Kaiser window on [-1, 1]. */
function window(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
}

/** What computes the filter: fir.wat with SIMD, or plain JavaScript. */
export type ResamplerKernel = 'wasm-simd' | 'js';

export interface ResamplerOptions {
  /** Zero crossings of the sinc on each side: quality against CPU. Default 12. */
  zeroCrossings?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency. Default 0.92. */
  rolloff?: number;
  /** Default: 'wasm-simd' where it can run, else 'js'. Asking for 'wasm-simd' where it cannot
   * run throws. */
  kernel?: ResamplerKernel;
}

/** The little of WebAssembly used here: shared code compiles without the DOM's types, and
 * runs where WebAssembly may be missing. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** fir.wat, compiled once per thread; null where it cannot be (no WebAssembly, no SIMD, or a
 * Content-Security-Policy without 'wasm-unsafe-eval'). */
let firModule: object | null | undefined;

function compiledFir(): object | null {
  if (firModule === undefined) {
    try {
      firModule = wasm ? new wasm.Module(FIR_WASM) : null;
    } catch {
      firModule = null;
    }
  }
  return firModule;
}

type FirFunction = (
  history: number,
  table: number,
  taps: number,
  out: number,
  count: number,
  phase: number,
  up: number,
  down: number,
) => void;

/** One resampler's WebAssembly memory: its kernel table (rows padded to `taps`, a multiple of
 * 4), then its history, then room for the outputs of one drain. */
interface Fir {
  run: FirFunction;
  pcm16: (src: number, dst: number, count: number) => void;
  memory: WasmMemory;
  /** The whole memory as floats; a new view whenever the memory grows. */
  heap: Float32Array;
  taps: number;
  /** Float index of the history's first sample. */
  historyAt: number;
}

const WASM_PAGE = 65536;

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  readonly kernel: ResamplerKernel;
  private readonly up: number; // L: output steps per `down` input samples
  private readonly down: number; // M
  private readonly halfWidth: number; // W, in input samples
  private readonly phases: number;
  private readonly table: Float32Array; // phases+1 rows of 2W taps
  private readonly fir: Fir | null;
  /** Input from absolute index `historyStart`; with `fir`, a view of its memory. */
  private history: Float32Array;
  /** With `fir`: the history's room, in samples (a view's length reads 0 once the memory has
   * grown under it). */
  private historyRoom = 0;
  private historyStart: number;
  private historyLength = 0;
  private pos = 0; // absolute input index of the next output (floor of its time)
  private phase = 0; // its fractional part, in units of 1/up
  private consumed = 0; // input samples received
  private produced = 0; // output samples emitted

  constructor(inRate: number, outRate: number, options: ResamplerOptions = {}) {
    if (!(inRate > 0 && outRate > 0) || !Number.isInteger(inRate) || !Number.isInteger(outRate)) {
      throw new RangeError(`Sample rates must be positive integers (got ${inRate} → ${outRate}).`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    const cutoff = Math.min(1, outRate / inRate) * (options.rolloff ?? 0.92);
    this.halfWidth = Math.ceil((options.zeroCrossings ?? 12) / cutoff);
    this.phases = Math.min(this.up, MAX_PHASES);
    const taps = 2 * this.halfWidth;
    this.table = new Float32Array((this.phases + 1) * taps);
    for (let p = 0; p <= this.phases; p++) {
      const frac = p / this.phases;
      let sum = 0;
      const row = p * taps;
      for (let j = 0; j < taps; j++) {
        // tap j multiplies input k = pos - W + 1 + j; its distance from the output time:
        const d = frac + this.halfWidth - 1 - j;
        const h = cutoff * sinc(cutoff * d) * window(d / this.halfWidth);
        this.table[row + j] = h;
        sum += h;
      }
      for (let j = 0; j < taps; j++) this.table[row + j]! /= sum;
    }
    this.fir = this.makeFir(options.kernel);
    this.kernel = this.fir ? 'wasm-simd' : 'js';
    // W-1 samples of silence before the start, so the first outputs need no special case.
    this.history = this.fir ? this.historyView(4096 + taps) : new Float32Array(4096 + taps);
    this.historyStart = -(this.halfWidth - 1);
    this.historyLength = this.halfWidth - 1;
  }

  /** Feeds input; returns every output sample whose input window is complete. */
  process(input: Float32Array): Float32Array {
    this.write(input);
    return this.read();
  }

  /** Feeds input without resampling it yet: read() later does the work for all of it. */
  write(input: Float32Array): void {
    this.append(input);
    this.consumed += input.length;
  }

  /** How many output samples read() would return now. */
  ready(): number {
    const W = this.halfWidth;
    // Largest n whose window end pos_n + W <= available - 1 (pos_n grows by down/up per output).
    const lastPos = this.historyStart + this.historyLength - W - 1;
    if (lastPos < this.pos) return 0;
    const count =
      Math.floor(((lastPos - this.pos) * this.up + (this.up - 1 - this.phase)) / this.down) + 1;
    return Math.min(count, Math.ceil((this.consumed * this.up) / this.down) - this.produced);
  }

  /** Returns every output sample whose input window is complete. */
  read(): Float32Array {
    return this.own(this.drain(false));
  }

  /** As read(), in PCM16 (as floatToPcm16 converts), by fir.wat where it runs; the samples
   * may be a view of the resampler's own memory, good until the next call on it: for a caller
   * that copies them at once (FrameEncoder), no allocation. */
  readPcm16View(): Int16Array {
    const out = this.drain(false);
    const fir = this.fir;
    if (!fir) return floatToPcm16(out);
    const [src, count] = [out.byteOffset, out.length];
    // After the floats, and one spare float (an odd count reads and writes one past them).
    const dst = src + (count + 1) * 4;
    this.reserve(fir, dst / 4 + count);
    fir.pcm16(src, dst, count);
    return new Int16Array(fir.memory.buffer, dst, count);
  }

  /** Ends the stream: returns the remaining outputs, so that
   * total out = ceil(total in × outRate / inRate). The resampler can then be reused. */
  flush(): Float32Array {
    const out = this.own(this.drain(true));
    this.reset();
    return out;
  }

  /** The caller's own copy of what drain() returned. */
  private own(out: Float32Array): Float32Array {
    return this.fir ? out.slice() : out;
  }

  reset(): void {
    this.historyStart = -(this.halfWidth - 1);
    this.historyLength = this.halfWidth - 1;
    this.history.fill(0, 0, this.historyLength);
    this.pos = 0;
    this.phase = 0;
    this.consumed = 0;
    this.produced = 0;
  }

  private makeFir(kernel: ResamplerKernel | undefined): Fir | null {
    if (kernel === 'js') return null;
    const module = compiledFir();
    // The kernel steps through every phase of `up`: a table of fewer rows (MAX_PHASES) is
    // looked up by rounding, which only the JavaScript loop does.
    if (!module || this.phases !== this.up) {
      if (kernel === 'wasm-simd') {
        throw new Error(
          module
            ? `The WebAssembly kernel needs one kernel row per phase (${this.up} > ${MAX_PHASES}).`
            : 'WebAssembly SIMD is not available here.',
        );
      }
      return null;
    }
    const instance = new wasm!.Instance(module);
    const memory = instance.exports.memory as WasmMemory;
    const taps = Math.ceil((2 * this.halfWidth) / 4) * 4;
    const fir: Fir = {
      run: instance.exports.fir as FirFunction,
      pcm16: instance.exports.pcm16 as Fir['pcm16'],
      memory,
      heap: new Float32Array(memory.buffer),
      taps,
      historyAt: this.phases * taps,
    };
    this.reserve(fir, fir.historyAt);
    const rows = 2 * this.halfWidth;
    for (let p = 0; p < this.phases; p++) {
      fir.heap.set(this.table.subarray(p * rows, (p + 1) * rows), p * taps);
    }
    return fir;
  }

  /** Grows `fir`'s memory to hold `floats` floats; the views of it follow. */
  private reserve(fir: Fir, floats: number): void {
    const bytes = floats * 4;
    if (bytes <= fir.memory.buffer.byteLength) return;
    fir.memory.grow(Math.ceil((bytes - fir.memory.buffer.byteLength) / WASM_PAGE));
    // The old views now see a detached buffer.
    fir.heap = new Float32Array(fir.memory.buffer);
    this.history = fir.heap.subarray(fir.historyAt, fir.historyAt + this.historyRoom);
  }

  /** The history, with room for `capacity` samples and the zero-padded taps past them. */
  private historyView(capacity: number): Float32Array {
    const fir = this.fir!;
    this.historyRoom = capacity;
    this.reserve(fir, fir.historyAt + capacity + fir.taps);
    return fir.heap.subarray(fir.historyAt, fir.historyAt + capacity);
  }

  private append(input: Float32Array): void {
    const needed = this.historyLength + input.length;
    if (needed > this.history.length) {
      const capacity = Math.max(needed, this.history.length * 2);
      if (this.fir) {
        this.history = this.historyView(capacity); // in place: the memory only grows
      } else {
        const grown = new Float32Array(capacity);
        grown.set(this.history.subarray(0, this.historyLength));
        this.history = grown;
      }
    }
    this.history.set(input, this.historyLength);
    this.historyLength = needed;
  }

  private drain(final: boolean): Float32Array {
    const W = this.halfWidth;
    // Outputs are due while their time is before the end of the input (for the final drain),
    // or while their whole window is available (otherwise).
    let count = this.ready();
    if (final) {
      count = Math.ceil((this.consumed * this.up) / this.down) - this.produced;
      // pad with the silence the window needs past the end
      const available = this.historyStart + this.historyLength; // absolute end of input
      const pad = Math.max(
        0,
        this.pos + Math.ceil(((count + 1) * this.down) / this.up) + W - available,
      );
      if (pad > 0) this.append(new Float32Array(pad));
    }
    const out = this.fir ? this.firDrain(Math.max(0, count)) : this.jsDrain(Math.max(0, count));
    this.produced += out.length;
    // Keep only the history the next output's window needs.
    const keepFrom = this.pos - W + 1 - this.historyStart;
    if (keepFrom > 0) {
      this.history.copyWithin(0, keepFrom, this.historyLength);
      this.historyLength -= keepFrom;
      this.historyStart += keepFrom;
    }
    return out;
  }

  /** `count` outputs by fir.wat, in its memory (after the history's room); advances pos and
   * phase past them. */
  private firDrain(count: number): Float32Array {
    const fir = this.fir!;
    if (count === 0) return fir.heap.subarray(0, 0);
    const W = this.halfWidth;
    // The taps past 2W are zeros, but what they multiply must not be NaN: past the input,
    // the padding reads silence.
    const end = fir.historyAt + this.historyLength;
    fir.heap.fill(0, end, end + fir.taps - 2 * W);
    const outAt = fir.historyAt + this.historyRoom + fir.taps;
    this.reserve(fir, outAt + count);
    const first = this.pos + 1 - W - this.historyStart; // history index of the first tap
    fir.run(
      (fir.historyAt + first) * 4,
      0,
      fir.taps,
      outAt * 4,
      count,
      this.phase,
      this.up,
      this.down,
    );
    const steps = this.phase + count * this.down;
    this.pos += Math.floor(steps / this.up);
    this.phase = steps % this.up;
    return fir.heap.subarray(outAt, outAt + count);
  }

  /** `count` outputs in JavaScript; advances pos and phase past them. */
  private jsDrain(count: number): Float32Array {
    const W = this.halfWidth;
    const taps = 2 * W;
    const out = new Float32Array(count);
    // Locals, not fields, in the loops: this is the audio thread's hot path.
    const history = this.history;
    const table = this.table;
    const up = this.up;
    const down = this.down;
    let phase = this.phase;
    let pos = this.pos;
    const first = 1 - W - this.historyStart; // history index of pos's first tap, minus pos
    if (up === 1) {
      // One phase, symmetric about tap W-1 (tap 2W-1 is the window's zero): fold the pairs.
      for (let n = 0; n < out.length; n++) {
        const centre = pos + first + W - 1;
        let acc = table[W - 1]! * history[centre]!;
        for (let k = 1; k < W; k++) {
          acc += table[W - 1 + k]! * (history[centre - k]! + history[centre + k]!);
        }
        out[n] = acc;
        pos += down;
      }
    } else {
      const exact = this.phases === up;
      const scale = this.phases / up;
      for (let n = 0; n < out.length; n++) {
        const row = (exact ? phase : Math.round(phase * scale)) * taps;
        const base = pos + first;
        let acc = 0;
        for (let j = 0; j < taps; j++) acc += history[base + j]! * table[row + j]!;
        out[n] = acc;
        phase += down;
        while (phase >= up) {
          phase -= up;
          pos++;
        }
      }
    }
    this.phase = phase;
    this.pos = pos;
    return out;
  }
}
