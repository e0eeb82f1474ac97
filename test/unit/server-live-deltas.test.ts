// The live text's deltas (src/server/live-deltas.ts): append-only pieces of a recognizer's
// growing text, only where it grows what was sent, at most one per interval.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LiveDeltas, stableGrowth } from '../../src/server/live-deltas.ts';

describe('stableGrowth', () => {
  test('is what the text adds to what was sent', () => {
    expect(stableGrowth('', '停')).toBe('停');
    expect(stableGrowth('停', '停歇')).toBe('歇');
    expect(stableGrowth('hello', 'hello world')).toBe(' world');
  });

  test('is nothing when the text did not grow, or rewrote what was sent', () => {
    expect(stableGrowth('停歇', '停歇')).toBe('');
    expect(stableGrowth('停歇', '停')).toBe('');
    expect(stableGrowth('停歇', '听写一下')).toBe('');
    expect(stableGrowth('hello wor', 'hello world')).toBe('ld');
    expect(stableGrowth('hello word', 'hello world')).toBe('');
  });
});

describe('LiveDeltas', () => {
  let sent: string[];
  let deltas: LiveDeltas;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    sent = [];
    deltas = new LiveDeltas((d) => sent.push(d), 100);
  });
  afterEach(() => vi.useRealTimers());

  test('sends the first growth at once, and what grows within the interval at its end, joined', () => {
    deltas.update('听');
    expect(sent).toEqual(['听']);
    deltas.update('听写');
    deltas.update('听写一');
    expect(sent).toEqual(['听']);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual(['听']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['听', '写一']);
    expect(deltas.text).toBe('听写一');
  });

  test('at most one delta per interval however often the text changes', () => {
    for (let i = 1; i <= 50; i++) {
      deltas.update('字'.repeat(i));
      vi.advanceTimersByTime(10);
    }
    // 500 ms: the first at once, then one per 100 ms.
    expect(sent.length).toBeLessThanOrEqual(6);
    vi.advanceTimersByTime(100);
    expect(sent.join('')).toBe('字'.repeat(50));
  });

  test('after a rewrite nothing goes out until the text again grows what was sent', () => {
    deltas.update('听写');
    vi.advanceTimersByTime(100);
    deltas.update('停歇');
    vi.advanceTimersByTime(100);
    deltas.update('听写吧');
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['听写', '吧']);
  });

  test('finish sends what is waiting at once, then nothing more', () => {
    deltas.update('听');
    deltas.update('听写');
    deltas.finish();
    expect(sent).toEqual(['听', '写']);
    deltas.update('听写了');
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['听', '写']);
  });

  test('cancel drops what is waiting', () => {
    deltas.update('听');
    deltas.update('听写');
    deltas.cancel();
    vi.advanceTimersByTime(1000);
    deltas.finish();
    expect(sent).toEqual(['听']);
  });
});
