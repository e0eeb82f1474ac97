import { describe, expect, test } from 'vitest';
import {
  defaultDataDir,
  localDisplayTime,
  localIsoTime,
  parseDateBound,
} from '../../src/core/history/index.ts';

describe('defaultDataDir is where Electron keeps userData for "Tingxie"', () => {
  test('Linux: ~/.config, or $XDG_CONFIG_HOME', () => {
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Tingxie');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/Tingxie');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/Tingxie',
    );
  });
  test('macOS: ~/Library/Application Support', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Tingxie',
    );
  });
  test('Windows: %APPDATA%', () => {
    expect(
      defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann'),
    ).toBe('C:\\Users\\ann\\AppData\\Roaming\\Tingxie');
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Tingxie',
    );
  });
});

describe('date bounds', () => {
  test('a bare day is a local day; as an upper bound it covers the whole day', () => {
    expect(parseDateBound('2026-11-25', 'from')).toBe(new Date(2026, 10, 25).getTime());
    expect(parseDateBound('2026-11-25', 'to')).toBe(new Date(2026, 10, 26).getTime());
    expect(parseDateBound('2026-12-31', 'to')).toBe(new Date(2027, 0, 1).getTime());
  });
  test('ISO 8601 times, with or without an offset', () => {
    expect(parseDateBound('2026-11-25T09:30:00Z', 'from')).toBe(Date.UTC(2026, 10, 25, 9, 30));
    expect(parseDateBound('2026-11-25T09:30', 'to')).toBe(new Date(2026, 10, 25, 9, 30).getTime());
    expect(parseDateBound('2026-11-25T17:30+08:00', 'to')).toBe(Date.UTC(2026, 10, 25, 9, 30));
  });
  test('rejects what is not a date, saying what to type', () => {
    expect(() => parseDateBound('yesterday', 'from')).toThrow(/use YYYY-MM-DD or an ISO 8601 time/);
    expect(() => parseDateBound('2026-02-30', 'from')).toThrow(/There is no day 2026-02-30/);
    expect(() => parseDateBound('25/11/2026', 'to')).toThrow(/not a date/);
  });
  test('export times carry the local offset and parse back to the same instant', () => {
    const ms = Date.UTC(2026, 10, 25, 9, 3, 7);
    const iso = localIsoTime(ms);
    expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(Date.parse(iso)).toBe(ms);
    expect(localDisplayTime(ms)).toBe(iso.slice(0, 19).replace('T', ' '));
  });
  test('times across a daylight-saving change keep their instant and offset', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // 2026-03-08 02:00 EST → 03:00 EDT, and 2026-11-01 02:00 EDT → 01:00 EST.
      for (const day of [Date.UTC(2026, 2, 8, 5), Date.UTC(2026, 10, 1, 4)]) {
        for (let ms = day; ms < day + 3 * 3_600_000; ms += 7 * 60_000 + 1000) {
          const iso = localIsoTime(ms);
          expect(Date.parse(iso), iso).toBe(ms);
          expect(iso.slice(-6)).toMatch(/^-0[45]:00$/);
        }
      }
      expect(localIsoTime(Date.UTC(2026, 2, 8, 6, 30))).toBe('2026-03-08T01:30:00-05:00');
      expect(localIsoTime(Date.UTC(2026, 2, 8, 7, 30))).toBe('2026-03-08T03:30:00-04:00');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
