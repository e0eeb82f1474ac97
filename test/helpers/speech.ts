// Speech synthesized at test time with festival's natural HTS voice (which pocketsphinx
// transcribes nearly word for word). Files are cached by content in the OS temp folder.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, downmix, encodeWav } from '../../src/core/audio/wav.ts';
import { floatToPcm16 } from '../../src/shared/audio/pcm.ts';
import { concatSamples } from './concat-samples.ts';

export const SPEECH_TOOLS = ['text2wave'];
const cacheDir = join(tmpdir(), 'tingxie-test-speech');

function cached(key: string, make: (path: string) => void): string {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.wav`);
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}.tmp`;
    make(tmp);
    renameSync(tmp, path);
  }
  return path;
}

/** A WAV file of `text` spoken by festival's cmu_us_slt_arctic_hts voice (32 kHz mono). */
export function speak(text: string): string {
  return cached(`slt:${text}`, (out) => {
    execFileSync('text2wave', ['-eval', '(voice_cmu_us_slt_arctic_hts)', '-o', out], {
      input: text,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
  });
}

export interface SpokenSentences {
  path: string;
  sampleRate: number;
  /** Where each sentence starts and ends in the file, in ms. */
  spans: { startMs: number; endMs: number }[];
}

/** Several sentences, each followed by `pauseMs` of silence (and preceded by `leadMs`). */
export function speakSentences(sentences: string[], pauseMs = 1500, leadMs = 500): SpokenSentences {
  const parts = sentences.map((s) => {
    const wav = decodeWav(readBytes(speak(s)));
    return { rate: wav.sampleRate, samples: downmix(wav) };
  });
  const rate = parts[0]!.rate;
  const silence = (ms: number) => new Float32Array(Math.round((ms * rate) / 1000));
  const chunks: Float32Array[] = [silence(leadMs)];
  const spans: SpokenSentences['spans'] = [];
  let at = chunks[0]!.length;
  for (const p of parts) {
    spans.push({ startMs: (at * 1000) / rate, endMs: ((at + p.samples.length) * 1000) / rate });
    chunks.push(p.samples, silence(pauseMs));
    at += p.samples.length + chunks.at(-1)!.length;
  }
  const all = concatSamples(Float32Array, chunks);
  const path = cached(`sentences:${pauseMs}:${leadMs}:${sentences.join('\n')}`, (out) =>
    writeFileSync(out, encodeWav(floatToPcm16(all), rate)),
  );
  return { path, sampleRate: rate, spans };
}

function readBytes(path: string): Uint8Array {
  return readFileSync(path);
}

/** Word error rate of `hypothesis` against `reference` (case and punctuation ignored). */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
      .split(/\s+/)
      .filter(Boolean);
  const r = words(reference);
  const h = words(hypothesis);
  const d = Array.from({ length: r.length + 1 }, (_, i) => [i, ...Array<number>(h.length).fill(0)]);
  for (let j = 1; j <= h.length; j++) d[0]![j] = j;
  for (let i = 1; i <= r.length; i++) {
    for (let j = 1; j <= h.length; j++) {
      const sub = d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1);
      d[i]![j] = Math.min(sub, d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
    }
  }
  return r.length === 0 ? (h.length === 0 ? 0 : 1) : d[r.length]![h.length]! / r.length;
}

/** `ms` of white noise at `rate`: each sample an integer from -peak to peak, from a seeded
 * generator so that a test hears the same noise every run. `peak` 1 is ±1 LSB dither, what a
 * quiet input (or a dithered export) gives where it is "silent"; 30 is a faint hiss (-66 dBFS). */
export function quietNoise(ms: number, rate: number, { peak = 1, seed = 1 } = {}): Int16Array {
  let state = seed >>> 0;
  return Int16Array.from({ length: Math.round((ms * rate) / 1000) }, () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    return Math.floor(unit * (2 * peak + 1)) - peak;
  });
}
