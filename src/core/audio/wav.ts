// WAV (RIFF/WAVE) reading and writing. Reads PCM 8/16/24/32-bit and IEEE float 32/64-bit,
// any channel count (WAVE_FORMAT_EXTENSIBLE included); writes PCM16 mono.
import { readFile } from 'node:fs/promises';
import { Resampler } from '../../shared/audio/resampler.ts';
import { floatToPcm16 } from '../../shared/audio/pcm.ts';

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  /** Samples of each channel, as floats in [-1, 1]. */
  channelData: Float32Array[];
}

export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

export function decodeWav(bytes: Uint8Array): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') {
    throw new WavFormatError('Not a WAV file (no RIFF/WAVE header).');
  }
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: Uint8Array | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw new WavFormatError('Truncated fmt chunk.');
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      // Streamed WAVs may carry 0 or 0xFFFFFFFF as the size: take what is there.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      data = bytes.subarray(body, end);
      break;
    }
    at = body + size + (size & 1);
  }
  if (!format) throw new WavFormatError('WAV file has no fmt chunk.');
  if (!data) throw new WavFormatError('WAV file has no data chunk.');
  if (channels < 1 || sampleRate < 1) throw new WavFormatError('WAV file has no channels or rate.');
  const read = sampleReader(format, bits);
  const bytesPerSample = bits / 8;
  const frames = Math.floor(data.length / (bytesPerSample * channels));
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let f = 0, at = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++, at += bytesPerSample) channelData[c]![f] = read(dv, at);
  }
  return { sampleRate, channels, channelData };
}

function sampleReader(format: number, bits: number): (dv: DataView, at: number) => number {
  if (format === FORMAT_PCM) {
    switch (bits) {
      case 8:
        return (dv, at) => (dv.getUint8(at) - 128) / 128;
      case 16:
        return (dv, at) => dv.getInt16(at, true) / 0x8000;
      case 24:
        return (dv, at) =>
          (dv.getUint8(at) | (dv.getUint8(at + 1) << 8) | (dv.getInt8(at + 2) << 16)) / 0x800000;
      case 32:
        return (dv, at) => dv.getInt32(at, true) / 0x80000000;
    }
  } else if (format === FORMAT_FLOAT) {
    if (bits === 32) return (dv, at) => dv.getFloat32(at, true);
    if (bits === 64) return (dv, at) => dv.getFloat64(at, true);
  }
  throw new WavFormatError(`Unsupported WAV encoding (format ${format}, ${bits}-bit).`);
}

/** Mixes all channels down to one. */
export function downmix(wav: DecodedWav): Float32Array {
  if (wav.channels === 1) return wav.channelData[0]!;
  const out = new Float32Array(wav.channelData[0]!.length);
  for (const ch of wav.channelData) for (let i = 0; i < out.length; i++) out[i]! += ch[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= wav.channels;
  return out;
}

/** Reads a WAV file as mono PCM16 at `rate`, resampling when needed. */
export async function readWavAsPcm16(path: string, rate: number): Promise<Int16Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WavFormatError(
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path} (${code ?? String(err)}).`,
    );
  }
  let wav: DecodedWav;
  try {
    wav = decodeWav(bytes);
  } catch (err) {
    throw new WavFormatError(`${path}: ${(err as Error).message}`);
  }
  const mono = downmix(wav);
  if (wav.sampleRate === rate) return floatToPcm16(mono);
  const resampler = new Resampler(wav.sampleRate, rate);
  const head = resampler.process(mono);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return floatToPcm16(out);
}

/** Encodes mono PCM16 samples as a WAV file. */
export function encodeWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const dv = new DataView(out.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  dv.setUint32(4, 36 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, FORMAT_PCM, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * 2, true);
  dv.setUint16(32, 2, true);
  dv.setUint16(34, 16, true);
  tag(36, 'data');
  dv.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) dv.setInt16(44 + i * 2, samples[i]!, true);
  return out;
}
