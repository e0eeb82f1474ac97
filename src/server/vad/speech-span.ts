// Where the speech is in a committed turn, from Silero's speech probability per window, and
// the turn cut down to it. Push-to-talk turns (turn_detection: null) are trimmed this way
// before an engine hears them: a recognizer that hears a long near-silent lead-in may
// misrecognize the speech after it (pocketsphinx, after 1.5 s of ±1 LSB dither, heard "the
// weather will be sunny and warm tomorrow" as "whether or to").

/** Hysteresis as in Silero's own segmenter: speech that started at `threshold` goes on until
 * the probability falls below threshold - 0.15. */
export const HYSTERESIS = 0.15;

/** Samples [start, end) of a turn. */
export interface SampleRange {
  start: number;
  end: number;
}

export interface SpeechSpanOptions {
  /** Samples of the turn per probability (a VAD window at the turn's rate; may be fractional). */
  windowSamples: number;
  /** The turn's length in samples: spans end there at the latest. */
  length: number;
  /** A window at or above this probability starts speech. */
  threshold: number;
  /** Samples kept before each stretch of speech. */
  padBefore: number;
  /** Samples kept after each stretch of speech. */
  padAfter: number;
}

/**
 * The ranges of the turn to keep: each stretch of speech with its padding, in order, apart from
 * one another. Stretches whose padding meets are one range, so the silence between two ranges
 * is longer than `padAfter + padBefore`; joined, those ranges keep that much of it (see
 * `keepRanges`). No range at all: no window was speech.
 */
export function speechSpans(
  probabilities: ArrayLike<number>,
  options: SpeechSpanOptions,
): SampleRange[] {
  const { windowSamples, length, threshold, padBefore, padAfter } = options;
  const stay = Math.max(threshold - HYSTERESIS, 0.01);
  const spans: SampleRange[] = [];
  // `end`: the window after the stretch; past the last window, the end of the turn.
  const add = (first: number, end: number) => {
    const start = Math.max(0, Math.round(first * windowSamples) - padBefore);
    const stop =
      end >= probabilities.length
        ? length
        : Math.min(length, Math.round(end * windowSamples) + padAfter);
    const last = spans.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, stop);
    else if (start < stop) spans.push({ start, end: stop });
  };
  let speechFrom: number | null = null;
  for (let w = 0; w < probabilities.length; w++) {
    const p = probabilities[w]!;
    if (speechFrom === null) {
      if (p >= threshold) speechFrom = w;
    } else if (p < stay) {
      add(speechFrom, w);
      speechFrom = null;
    }
  }
  // Speech still going at the last window goes on in the part of a window after it, unheard.
  if (speechFrom !== null) add(speechFrom, probabilities.length);
  return spans;
}

/** The samples of `ranges` (ordered, apart), one after another: `samples` itself when they
 * are all kept. */
export function keepRanges(samples: Int16Array, ranges: readonly SampleRange[]): Int16Array {
  const whole = ranges[0];
  if (ranges.length === 1 && whole!.start === 0 && whole!.end === samples.length) return samples;
  const out = new Int16Array(ranges.reduce((n, r) => n + (r.end - r.start), 0));
  let at = 0;
  for (const r of ranges) {
    out.set(samples.subarray(r.start, r.end), at);
    at += r.end - r.start;
  }
  return out;
}
