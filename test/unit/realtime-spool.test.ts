// The audio spool (what can be sent again) and the wire timeline (server ms → session samples).
import { describe, expect, test } from 'vitest';
import { AudioSpool, WireTimeline } from '../../src/core/realtime/spool.ts';

const ramp = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);

describe('AudioSpool', () => {
  test('reads across appended chunks, bounded by max and limit', () => {
    const s = new AudioSpool();
    s.append(ramp(0, 5));
    s.append(ramp(5, 5));
    expect(s.total).toBe(10);
    expect([...s.read(3, 4)!.samples]).toEqual([3, 4, 5, 6]);
    expect([...s.read(8, 100)!.samples]).toEqual([8, 9]);
    expect(s.read(2, 100, 4)!.samples.length).toBe(2);
    expect(s.read(10, 5)).toBeUndefined();
  });

  test('a cleared range is skipped; the timeline keeps counting', () => {
    const s = new AudioSpool();
    s.append(ramp(0, 10));
    s.dropFrom(4);
    s.append(ramp(100, 3)); // at 10..12
    expect(s.countBetween(0, 13)).toBe(7);
    expect([...s.read(0, 100)!.samples]).toEqual([0, 1, 2, 3]); // a piece ends at the gap
    const next = s.read(4, 100)!;
    expect(next.start).toBe(10);
    expect([...next.samples]).toEqual([100, 101, 102]);
  });

  test('trimBefore forgets whole chunks that end before the point', () => {
    const s = new AudioSpool();
    s.append(ramp(0, 5));
    s.append(ramp(5, 5));
    s.trimBefore(7);
    expect(s.read(0, 1)!.start).toBe(5);
  });

  test('appended arrays are copied (the caller may reuse its buffer)', () => {
    const s = new AudioSpool();
    const buf = ramp(0, 3);
    s.append(buf);
    buf.fill(9);
    expect([...s.read(0, 3)!.samples]).toEqual([0, 1, 2]);
  });
});

describe('WireTimeline', () => {
  test('maps the server’s ms of this connection to session samples across a resend and a gap', () => {
    const t = new WireTimeline(16000);
    t.sent(16000, 8000); // this connection started at session second 1
    t.sent(24000, 8000); // contiguous
    t.sent(48000, 16000); // after a cleared gap
    expect(t.toSession(0)).toBe(16000);
    expect(t.toSession(500)).toBe(24000);
    expect(t.toSession(1000)).toBe(48000);
    expect(t.toSession(1500)).toBe(56000);
  });
});
