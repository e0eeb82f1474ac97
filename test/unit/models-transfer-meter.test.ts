import { describe, expect, it } from 'vitest';
import { TransferMeter } from '../../src/core/models/transfer-meter.ts';

describe('TransferMeter', () => {
  it('knows no speed from one reading, then measures bytes per second and time left', () => {
    const meter = new TransferMeter(10_000_000);
    expect(meter.reading(0, 0)).toEqual({
      bytesDone: 0,
      bytesTotal: 10_000_000,
      bytesPerSecond: 0,
      secondsLeft: undefined,
    });
    const r = meter.reading(2_000_000, 1000);
    expect(r.bytesPerSecond).toBe(2_000_000);
    expect(r.secondsLeft).toBe(4);
  });

  it('follows the last five seconds, not the whole run', () => {
    const meter = new TransferMeter(100_000_000);
    for (let s = 0; s <= 10; s++) meter.reading(s * 1_000_000, s * 1000); // 1 MB/s for 10 s
    let r = meter.reading(11_000_000, 11_000);
    for (let s = 12; s <= 20; s++) r = meter.reading(11_000_000 + (s - 11) * 4_000_000, s * 1000); // then 4 MB/s
    expect(r.bytesPerSecond).toBeCloseTo(4_000_000, -4);
    expect(r.secondsLeft).toBeCloseTo((100_000_000 - r.bytesDone) / 4_000_000, 1);
  });

  it('does not count resumed bytes as speed, and says 0 s left when done', () => {
    const meter = new TransferMeter(1000);
    meter.rebase(600, 0);
    expect(meter.reading(700, 1000).bytesPerSecond).toBe(100);
    expect(meter.reading(1000, 2000).secondsLeft).toBe(0);
  });
});
