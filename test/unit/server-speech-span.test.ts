// Speech spans of a push-to-talk turn from Silero's probability per window: which samples an
// engine hears, with padding, and the turn cut down to them.
import { describe, expect, test } from 'vitest';
import { keepRanges, speechSpans } from '../../src/server/vad/speech-span.ts';
import type { SampleRange, SpeechSpanOptions } from '../../src/server/vad/speech-span.ts';

/** Windows of 10 samples; probabilities written as a string, one digit (tenths) per window. */
const tenths = (digits: string) => [...digits].map((d) => Number(d) / 10);
const base: SpeechSpanOptions = {
  windowSamples: 10,
  length: 100,
  threshold: 0.5,
  padBefore: 0,
  padAfter: 0,
};

describe('speechSpans', () => {
  test.each<[string, string, Partial<SpeechSpanOptions>, SampleRange[]]>([
    ['no window reaches the threshold: no span', '4444444444', {}, []],
    ['one window of speech, no padding', '0009000000', {}, [{ start: 30, end: 40 }]],
    ['a window exactly at the threshold is speech', '0005000000', {}, [{ start: 30, end: 40 }]],
    [
      'padding on both sides',
      '0000990000',
      { padBefore: 15, padAfter: 5 },
      [{ start: 25, end: 65 }],
    ],
    [
      'padding stops at the ends of the turn',
      '9000000009',
      { padBefore: 30, padAfter: 30 },
      [
        { start: 0, end: 40 },
        { start: 60, end: 100 },
      ],
    ],
    [
      'speech goes on above threshold - 0.15 (hysteresis), ends below it',
      '0974300000',
      {},
      [{ start: 10, end: 40 }],
    ],
    [
      'below threshold - 0.15 ends speech; under the threshold again does not start it',
      '0930400000',
      {},
      [{ start: 10, end: 20 }],
    ],
    [
      'stretches whose padding meets are one span (the pause between them kept)',
      '0900090000',
      { padBefore: 15, padAfter: 15 },
      [{ start: 0, end: 75 }],
    ],
    [
      'stretches further apart stay apart: the pause between them is dropped',
      '9000000009',
      { padBefore: 10, padAfter: 10 },
      [
        { start: 0, end: 20 },
        { start: 80, end: 100 },
      ],
    ],
    [
      'speech until the last window runs to the end of the turn (its partial window too)',
      '0000000099',
      { length: 104 },
      [{ start: 80, end: 104 }],
    ],
    [
      'windows of a fractional length (44.1 kHz turn: 1411.2 samples a window)',
      '0990',
      { windowSamples: 1411.2, length: 5645, padBefore: 100, padAfter: 100 },
      [{ start: 1311, end: 4334 }],
    ],
    [
      'a low threshold still ends speech (at 0.01)',
      '0220000000',
      { threshold: 0.1 },
      [{ start: 10, end: 30 }],
    ],
  ])('%s', (_name, digits, options, expected) => {
    expect(speechSpans(tenths(digits), { ...base, ...options })).toEqual(expected);
  });
});

describe('keepRanges', () => {
  const samples = Int16Array.from({ length: 10 }, (_, i) => i);
  test.each<[string, SampleRange[], number[]]>([
    ['nothing kept', [], []],
    ['everything', [{ start: 0, end: 10 }], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    [
      'ranges joined in order',
      [
        { start: 1, end: 3 },
        { start: 7, end: 9 },
      ],
      [1, 2, 7, 8],
    ],
  ])('%s', (_name, ranges, expected) => {
    expect(Array.from(keepRanges(samples, ranges))).toEqual(expected);
  });
});
