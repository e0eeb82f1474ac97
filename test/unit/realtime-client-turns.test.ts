// The client's own turn ends, for models without voice detection: a pause after speech ends
// a turn; silence alone, short blips and a pause shorter than asked for do not; a noisy room's
// floor is followed, so its noise is not speech.
import { describe, expect, test } from 'vitest';
import { ClientTurns } from '../../src/core/realtime/client-turns.ts';

const RATE = 16000;
const ms = (n: number) => Math.round((n * RATE) / 1000);

/** A tone of `level` (peak) for `durationMs`, with a little noise of `noise` under it. */
function sound(durationMs: number, level: number, noise = 0): Int16Array {
  const out = new Int16Array(ms(durationMs));
  let seed = 7;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = noise ? ((seed / 0x7fffffff) * 2 - 1) * noise : 0;
    out[i] = Math.round(level * Math.sin((2 * Math.PI * 220 * i) / RATE) + n);
  }
  return out;
}

/** Feeds `parts` in 20 ms frames; the times (ms) at which a turn ended. */
function ends(turns: ClientTurns, parts: Int16Array[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const part of parts)
    for (let i = 0; i < part.length; i += ms(20)) {
      const frame = part.subarray(i, i + ms(20));
      at += frame.length;
      if (turns.hear(frame)) out.push(Math.round((at * 1000) / RATE));
    }
  return out;
}

describe('ClientTurns', () => {
  test('a pause after speech ends a turn, once, when the pause is long enough', () => {
    const at = ends(new ClientTurns(RATE, 500), [
      sound(300, 0),
      sound(1000, 8000),
      sound(800, 0),
      sound(700, 8000),
      sound(300, 0),
    ]);
    // speech ends at 1300 ms: the turn ends 500 ms later; the second pause is too short
    expect(at).toHaveLength(1);
    expect(at[0]).toBeGreaterThanOrEqual(1800);
    expect(at[0]).toBeLessThanOrEqual(1820);
  });

  test('silence alone and a blip shorter than a word end nothing', () => {
    expect(ends(new ClientTurns(RATE, 300), [sound(2000, 0)])).toEqual([]);
    expect(
      ends(new ClientTurns(RATE, 300), [sound(500, 0), sound(100, 8000), sound(1000, 0)]),
    ).toEqual([]);
  });

  test('every sentence of a long dictation is a turn', () => {
    const sentence = [sound(1500, 6000), sound(900, 0)];
    const at = ends(new ClientTurns(RATE, 800), [...sentence, ...sentence, ...sentence]);
    expect(at).toHaveLength(3);
  });

  test('a room’s steady noise becomes the floor: speech over it still ends its turn, and nothing is cut inside it', () => {
    const noisy = (d: number) => sound(d, 0, 600);
    const at = ends(new ClientTurns(RATE, 500), [
      noisy(10_000),
      sound(1000, 8000, 600),
      noisy(1000),
    ]);
    // at most one cut of noise alone while the floor rises to it; none inside the speech
    expect(at.filter((t) => t < 10_000).length).toBeLessThanOrEqual(1);
    expect(at.filter((t) => t >= 10_000)).toHaveLength(1);
    expect(at.at(-1)).toBeGreaterThanOrEqual(11_500);
    expect(at.at(-1)).toBeLessThanOrEqual(11_520);
  });

  test('what is heard after the last turn ended: silence, or the start of another', () => {
    const turns = new ClientTurns(RATE, 300);
    expect(turns.heardSinceTurn).toBe(false);
    ends(turns, [sound(500, 8000), sound(600, 0)]);
    expect(turns.heardSinceTurn).toBe(false);
    ends(turns, [sound(100, 8000)]);
    expect(turns.heardSinceTurn).toBe(true);
  });

  test('speech that never pauses is never cut', () => {
    expect(ends(new ClientTurns(RATE, 300), [sound(5000, 8000)])).toEqual([]);
  });
});
