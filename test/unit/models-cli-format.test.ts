import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../src/cli/commands/models.ts';

describe('tingxie models: sizes and durations as people read them', () => {
  it('writes sizes in decimal units, as download sizes are given', () => {
    expect([999, 1000, 315_894, 239_233_841, 1_090_000_000].map(formatBytes)).toEqual([
      '999 B',
      '1.0 kB',
      '315.9 kB',
      '239.2 MB',
      '1.09 GB',
    ]);
  });

  it('writes time left in seconds, minutes and hours', () => {
    expect([0.4, 59.6, 61, 3599, 3600 * 2 + 60 * 5].map(formatDuration)).toEqual([
      '0 s',
      '1 min 0 s',
      '1 min 1 s',
      '59 min 59 s',
      '2 h 5 min',
    ]);
  });
});
