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
});
