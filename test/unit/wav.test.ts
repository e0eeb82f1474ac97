import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeWav,
  downmix,
  encodeWav,
  readWavAsPcm16,
  WavFormatError,
} from '../../src/core/audio/wav.ts';

/** Builds a WAV with the given sample encoder. */
function wav(opts: {
  format: number;
  bits: number;
  channels: number;
  rate: number;
  frames: number[][];
  extensible?: boolean;
}): Uint8Array {
  const bps = opts.bits / 8;
  const data = new DataView(new ArrayBuffer(opts.frames.length * opts.channels * bps));
  let at = 0;
  for (const frame of opts.frames) {
    for (const v of frame) {
      if (opts.format === 3 && opts.bits === 32) data.setFloat32(at, v, true);
      else if (opts.format === 3) data.setFloat64(at, v, true);
      else if (opts.bits === 8) data.setUint8(at, Math.round(v * 127) + 128);
      else if (opts.bits === 16) data.setInt16(at, Math.round(v * 32767), true);
      else if (opts.bits === 24) {
        const i = Math.round(v * 0x7fffff);
        data.setUint8(at, i & 0xff);
        data.setUint8(at + 1, (i >> 8) & 0xff);
        data.setInt8(at + 2, i >> 16);
      } else data.setInt32(at, Math.round(v * 0x7fffffff), true);
      at += bps;
    }
  }
  const fmtSize = opts.extensible ? 40 : 16;
  const out = new Uint8Array(12 + 8 + fmtSize + 8 + data.byteLength);
  const dv = new DataView(out.buffer);
  const tag = (o: number, s: string) => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  tag(0, 'RIFF');
  dv.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  dv.setUint32(16, fmtSize, true);
  dv.setUint16(20, opts.extensible ? 0xfffe : opts.format, true);
  dv.setUint16(22, opts.channels, true);
  dv.setUint32(24, opts.rate, true);
  dv.setUint32(28, opts.rate * opts.channels * bps, true);
  dv.setUint16(32, opts.channels * bps, true);
  dv.setUint16(34, opts.bits, true);
  if (opts.extensible) {
    dv.setUint16(36, 22, true);
    dv.setUint16(44, opts.format, true); // first two bytes of the sub-format GUID
  }
  const dataAt = 20 + fmtSize;
  tag(dataAt, 'data');
  dv.setUint32(dataAt + 4, data.byteLength, true);
  out.set(new Uint8Array(data.buffer), dataAt + 8);
  return out;
}

const frames = [
  [0.5, -0.5],
  [0.25, 0],
  [-1, 1],
];

describe('WAV decoding', () => {
  for (const [format, bits, tolerance] of [
    [1, 8, 1 / 64],
    [1, 16, 1e-4],
    [1, 24, 1e-6],
    [1, 32, 1e-8],
    [3, 32, 1e-7],
    [3, 64, 1e-12],
  ] as const) {
    it(`reads ${format === 3 ? 'float' : 'PCM'} ${bits}-bit stereo`, () => {
      const decoded = decodeWav(wav({ format, bits, channels: 2, rate: 44100, frames }));
      expect(decoded.sampleRate).toBe(44100);
      expect(decoded.channels).toBe(2);
      frames.forEach(([l, r], i) => {
        expect(Math.abs(decoded.channelData[0]![i]! - l!)).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(decoded.channelData[1]![i]! - r!)).toBeLessThanOrEqual(tolerance);
      });
    });
  }

  it('reads WAVE_FORMAT_EXTENSIBLE and mixes down to mono', () => {
    const decoded = decodeWav(
      wav({ format: 1, bits: 16, channels: 2, rate: 48000, frames, extensible: true }),
    );
    const mono = downmix(decoded);
    expect(mono[0]).toBeCloseTo(0, 3);
    expect(mono[1]).toBeCloseTo(0.125, 3);
  });

  it('round-trips PCM16 through encodeWav', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const decoded = decodeWav(encodeWav(samples, 16000));
    expect(decoded.sampleRate).toBe(16000);
    expect(Array.from(decoded.channelData[0]!, (v) => Math.round(v * 32768))).toEqual([
      0, 1, -1, 32767, -32768, 1234,
    ]);
  });

  it('refuses what is not a WAV, or a WAV it cannot read, with a reason', () => {
    expect(() => decodeWav(new TextEncoder().encode('hello world, not audio'))).toThrow(
      WavFormatError,
    );
    expect(() =>
      decodeWav(wav({ format: 2, bits: 4, channels: 1, rate: 8000, frames: [] })),
    ).toThrow(/Unsupported WAV encoding/);
    const noData = wav({ format: 1, bits: 16, channels: 1, rate: 8000, frames: [] }).subarray(
      0,
      36,
    );
    expect(() => decodeWav(noData)).toThrow(/no data chunk/);
  });

  it('reads a file at another rate, resampled, keeping its duration', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tingxie-wav-')), 'a.wav');
    const oneSecond = Array.from({ length: 44100 }, (_, i) => [
      Math.sin(i / 10) * 0.3,
      Math.sin(i / 10) * 0.3,
    ]);
    writeFileSync(path, wav({ format: 1, bits: 16, channels: 2, rate: 44100, frames: oneSecond }));
    const pcm = await readWavAsPcm16(path, 16000);
    expect(pcm.length).toBe(16000);
    await expect(readWavAsPcm16(join(tmpdir(), 'missing.wav'), 16000)).rejects.toThrow(
      /No such file/,
    );
  });
});
