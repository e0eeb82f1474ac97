// PCM16 (16-bit little-endian signed, mono): the wire format of every realtime server.

/** Float samples in [-1, 1] to PCM16, clamped and rounded: `count` of them (default: all of
 * `input` from `from`), from `input[from]` into `out[to]` on. */
export function floatToPcm16(
  input: Float32Array,
  out: Int16Array = new Int16Array(input.length),
  from = 0,
  to = 0,
  count = input.length - from,
): Int16Array {
  for (let i = 0; i < count; i++) {
    const s = Math.max(-1, Math.min(1, input[from + i]!));
    out[to + i] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
  }
  return out;
}

export function pcm16ToFloat(
  input: Int16Array,
  out = new Float32Array(input.length),
): Float32Array {
  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    out[i] = s < 0 ? s / 0x8000 : s / 0x7fff;
  }
  return out;
}

/** Root-mean-square level in dBFS (-Infinity for digital silence). */
export function rmsDbfs(samples: Float32Array | Int16Array): number {
  if (samples.length === 0) return -Infinity;
  const full = samples instanceof Int16Array ? 0x8000 : 1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]! / full;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms);
}

/** Duration of `samples` PCM samples at `rate`, in milliseconds. */
export function samplesToMs(samples: number, rate: number): number {
  return (samples * 1000) / rate;
}
