// Sizes, speeds, times and language names as Settings → Local models shows them, in the UI's
// locale through Intl (so 239.2 MB, 2.1 MB/秒, 45%, 3 minutes / 3分钟, and 中文 · English · 日本語).
// Sizes are decimal (1 MB = 10⁶ bytes), as download sites and `tingxie models` give them.

const unit = (locale: string, name: string, value: number, digits: number) =>
  new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: name,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(value);

/** 12 kB, 239 MB, 1.2 GB: one decimal below 100 of a unit, none above. */
export function formatBytes(locale: string, bytes: number): string {
  const [name, size] =
    bytes >= 1e9
      ? ['gigabyte', bytes / 1e9]
      : bytes >= 1e6
        ? ['megabyte', bytes / 1e6]
        : ['kilobyte', bytes / 1e3];
  return unit(locale, name, size, size < 100 ? 1 : 0);
}

/** 850 kB/s, 2.1 MB/s. */
export function formatSpeed(locale: string, bytesPerSecond: number): string {
  return bytesPerSecond >= 1e6
    ? unit(locale, 'megabyte-per-second', bytesPerSecond / 1e6, 1)
    : unit(locale, 'kilobyte-per-second', bytesPerSecond / 1e3, 0);
}

/** 45 %, 45%: how far a download has got. */
export function formatPercent(locale: string, fraction: number): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    Math.min(1, Math.max(0, fraction)),
  );
}

/** 42 seconds, 3 minutes, 1.5 hours: the largest unit that is at least one. */
export function formatDuration(locale: string, seconds: number): string {
  const [name, value] =
    seconds >= 3600
      ? ['hour', seconds / 3600]
      : seconds >= 60
        ? ['minute', Math.round(seconds / 60)]
        : ['second', Math.max(1, Math.round(seconds))];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: name,
    unitDisplay: 'long',
    maximumFractionDigits: 1,
  }).format(value);
}

/** Names ICU's trimmed locale data (Chromium's) does not give in the language itself. */
const AUTONYMS: Record<string, string> = { yue: '粵語' };

/** A language in its own name (中文, English, 日本語, 한국어, 粵語): a person looks for theirs. */
export function languageName(code: string): string {
  return AUTONYMS[code] ?? displayName(code, code);
}

/** A language's name in `locale` (Korean, 韩语), for those who do not read its own. */
export function displayName(code: string, locale: string): string {
  try {
    const names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
    // Without data for `locale`, Intl answers in its default locale: not the name asked for.
    if (names.resolvedOptions().locale.split('-')[0] !== locale.split('-')[0]) return code;
    return names.of(code) ?? code;
  } catch {
    return code; // not a code Intl knows
  }
}
