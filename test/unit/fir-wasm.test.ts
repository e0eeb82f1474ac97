import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firWasmModule, TS_FILE } from '../../scripts/build-wasm.ts';
import { FIR_WASM } from '../../src/shared/audio/fir-wasm.ts';
import { floatToPcm16 } from '../../src/shared/audio/pcm.ts';
import { Resampler } from '../../src/shared/audio/resampler.ts';

describe('fir-wasm.ts', () => {
  it('holds exactly what fir.wat assembles to (npm run build:wasm after editing the .wat)', async () => {
    expect(readFileSync(TS_FILE, 'utf8')).toBe(await firWasmModule());
  });
});

/** WebAssembly, which Node's types leave out. */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, unknown> };
    };
  }
).WebAssembly;

describe('fir.wat pcm16', () => {
  const { exports } = new wasm.Instance(new wasm.Module(FIR_WASM));
  const pcm16 = exports.pcm16 as (src: number, dst: number, count: number) => void;
  const memory = exports.memory as { buffer: ArrayBuffer };
  const N = 4096;
  const convert = (values: ArrayLike<number>) => {
    const floats = new Float32Array(memory.buffer, 0, N);
    floats.set(values);
    pcm16(0, N * 4, values.length);
    return new Int16Array(memory.buffer, N * 4, values.length).slice();
  };

  it('gives what floatToPcm16 gives: clamps, NaN, infinities, signed zeros', () => {
    const special = [NaN, 0, -0, 1, -1, 2, -2, Infinity, -Infinity, 1e-45, -1e-45, 0.999, -0.999];
    expect(Array.from(convert(special))).toEqual(
      Array.from(floatToPcm16(Float32Array.from(special))),
    );
  });

  it('rounds every half step as floatToPcm16 does (half up), on both scales', () => {
    for (let start = -65536; start <= 65534; start += N) {
      const values = new Float32Array(N);
      for (let i = 0; i < N; i++) {
        const halfSteps = Math.min(start + i, 65534) / 2;
        values[i] = halfSteps / (i % 2 ? 0x7fff : 0x8000);
      }
      expect(convert(values)).toEqual(floatToPcm16(values));
    }
  });

  it('an odd count converts them all and leaves what follows alone', () => {
    const out = convert([0.5, -0.5, 0.25]);
    expect(Array.from(out)).toEqual([16384, -16384, 8192]);
  });
});

describe('Resampler.readPcm16View', () => {
  it('is floatToPcm16 of read(), with either kernel', () => {
    const input = new Float32Array(48000);
    for (let i = 0; i < input.length; i++) input[i] = 0.9 * Math.sin(i / 7) + 0.2 * Math.sin(i);
    for (const kernel of ['wasm-simd', 'js'] as const) {
      const a = new Resampler(48000, 16000, { kernel });
      const b = new Resampler(48000, 16000, { kernel });
      for (let i = 0; i < input.length; i += 1920) {
        const block = input.subarray(i, i + 1920);
        a.write(block);
        b.write(block);
        expect(a.readPcm16View(), kernel).toEqual(floatToPcm16(b.read()));
      }
    }
  });
});
