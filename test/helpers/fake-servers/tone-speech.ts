// "Speech" that a scripted server can transcribe without a recognizer: each spoken word is a
// block of constant amplitude (word k = k × 1000), separated by digital silence. A resampled
// block keeps its level, so the word survives any rate conversion on the way.

export const WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
];

/** Server VAD that ends a turn in each of toneTurns' silences (600 ms unless told). */
export const TONE_VAD = {
  type: 'server_vad',
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 300,
} as const;

export interface ToneScript {
  /** Words (indexes into WORDS, 1-based) spoken one per turn. */
  words: number[];
  rate: number;
  speechMs?: number;
  silenceMs?: number;
  leadMs?: number;
  /** Trailing silence after the last word (default: silenceMs). */
  tailMs?: number;
}

/** PCM16 of one word per turn, with silence between turns. */
export function toneTurns(script: ToneScript): Int16Array {
  const { rate, speechMs = 400, silenceMs = 600, leadMs = 200 } = script;
  const n = (ms: number) => Math.round((ms * rate) / 1000);
  const tail = script.tailMs ?? silenceMs;
  const total =
    n(leadMs) +
    script.words.length * n(speechMs) +
    (script.words.length - 1) * n(silenceMs) +
    n(tail);
  const out = new Int16Array(Math.max(0, total));
  let at = n(leadMs);
  script.words.forEach((w, i) => {
    out.fill(w * 1000, at, at + n(speechMs));
    at += n(speechMs) + (i < script.words.length - 1 ? n(silenceMs) : 0);
  });
  return out;
}

/** The word a turn's audio spells, or '' for silence. */
export function transcribeTones(samples: Int16Array): string {
  const loud: number[] = [];
  for (const s of samples) if (Math.abs(s) > 300) loud.push(Math.abs(s));
  if (loud.length === 0) return '';
  loud.sort((a, b) => a - b);
  const k = Math.round(loud[loud.length >> 1]! / 1000);
  return WORDS[k - 1] ?? `level${k}`;
}

/** Splits PCM into chunks of `ms` (the way a microphone delivers it). */
export function* frames(pcm: Int16Array, rate: number, ms = 20): Generator<Int16Array> {
  const size = Math.round((ms * rate) / 1000);
  for (let i = 0; i < pcm.length; i += size) yield pcm.subarray(i, i + size);
}

/** Every word a stretch of audio spells, in order: loud runs of 10 ms frames, split by at
 * least 100 ms of silence. `complete` leaves out a word still being spoken at the end. */
export function transcribeToneWords(
  samples: Int16Array,
  rate: number,
  options: { complete?: boolean } = {},
): string[] {
  const frame = Math.max(1, Math.round(rate / 100));
  const gapFrames = 10;
  const words: string[] = [];
  let run: number[] = [];
  let quiet = gapFrames;
  const end = () => {
    if (run.length) words.push(transcribeTones(Int16Array.from(run)));
    run = [];
  };
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let sum = 0;
    for (let j = i; j < i + frame; j++) sum += Math.abs(samples[j]!);
    if (sum / frame > 300) {
      // a frame's mean level stands for it: the word's level survives resampling
      run.push(Math.round(sum / frame));
      quiet = 0;
    } else if (++quiet === gapFrames) end();
  }
  if (!options.complete) end();
  return words;
}
