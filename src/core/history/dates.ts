// Dates as people type them on a command line or in a date filter, and as exports print them.
// A bare day is a day in local time: `--from 2026-11-01 --to 2026-11-30` covers all of both days.

export class DateInputError extends Error {
  override name = 'DateInputError';
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` (local day) or an ISO 8601 time such as `2026-11-25T09:30` or
 * `2026-11-25T09:30:00Z`. `bound` says which end of a range it is: the end of a bare day is
 * the start of the next one, so that `to` (exclusive) covers the whole day. */
export function parseDateBound(text: string, bound: 'from' | 'to'): number {
  const day = DAY.exec(text.trim());
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const date = new Date(y, m - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) {
      throw new DateInputError(`There is no day ${text}.`);
    }
    if (bound === 'to') date.setDate(date.getDate() + 1);
    return date.getTime();
  }
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(ms)) {
    throw new DateInputError(
      `"${text}" is not a date: use YYYY-MM-DD or an ISO 8601 time such as 2026-11-25T09:30.`,
    );
  }
  return ms;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// UTC offsets and their changes fall on multiples of 15 minutes, so one offset lookup serves
// every time in the same quarter hour; exports format 100,000 times at once.
const QUARTER_HOUR = 900_000;
let cachedQuarter = NaN;
let cachedOffset = 0;

/** Minutes east of UTC at `ms` in the local time zone. */
function utcOffsetMinutes(ms: number): number {
  const quarter = Math.floor(ms / QUARTER_HOUR);
  if (quarter !== cachedQuarter) {
    cachedQuarter = quarter;
    cachedOffset = -new Date(ms).getTimezoneOffset();
  }
  return cachedOffset;
}

/** `2026-11-25T17:03:09+08:00`: local time with its UTC offset, unambiguous and readable. */
export function localIsoTime(ms: number): string {
  const offset = utcOffsetMinutes(ms);
  // The local wall clock, read with the UTC getters (no time-zone lookup per field).
  const d = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `2026-11-25 17:03:09`: local time for a person reading a list. */
export function localDisplayTime(ms: number): string {
  return localIsoTime(ms).slice(0, 19).replace('T', ' ');
}
