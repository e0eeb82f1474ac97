// CSV per RFC 4180 (csv-stringify): a header row, CRLF line ends, fields quoted when they hold
// a comma, quote or line break. Text is written as spoken — no "'" prefix against spreadsheet
// formulas, since that would change the data; Excel users open it through Data → From Text.
import { stringify } from 'csv-stringify/sync';
import { localIsoTime } from '../dates.ts';
import type { HistoryEntry } from '../entry.ts';

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'text',
  'status',
  'failure_reason',
  'duration_ms',
  'audio_start_ms',
  'audio_end_ms',
  'provider',
  'model',
  'language',
  'dictation_id',
  'target_app',
] as const;

/** Records per call to csv-stringify: an export of 100,000 entries is written in pieces, so
 * that each piece's rows and the library's working copies of them die young (cheap to
 * collect) instead of all living until the end: garbage collection was a third of the time. */
const CHUNK = 1000;

export function toCsv(entries: readonly HistoryEntry[], options: { bom?: boolean } = {}): string {
  const pieces: string[] = [];
  for (let start = 0; start === 0 || start < entries.length; start += CHUNK) {
    const rows: unknown[][] = start === 0 ? [[...CSV_COLUMNS]] : [];
    for (const e of entries.slice(start, start + CHUNK)) rows.push(row(e));
    // Excel reads a UTF-8 file without a byte order mark as the local ANSI code page.
    pieces.push(stringifyRows(rows, start === 0 && (options.bom ?? false)));
  }
  return pieces.join('');
}

function row(e: HistoryEntry): unknown[] {
  return [
    e.id,
    localIsoTime(e.createdAt),
    e.text,
    e.status,
    e.failureReason ?? '',
    e.durationMs ?? '',
    e.audioStartMs ?? '',
    e.audioEndMs ?? '',
    e.provider,
    e.model,
    e.language,
    e.dictationId ?? '',
    e.targetApp ?? '',
  ];
}

const RECORD_SEPARATOR = '\x1e';

/** The rows as CSV records, each ending in CRLF. */
function stringifyRows(rows: unknown[][], bom: boolean): string {
  // csv-stringify quotes fields holding the record delimiter, and in some versions not a bare
  // LF: a transcript's own line breaks must be quoted too.
  const common = { quoted_match: /[\r\n]/, bom };
  // csv-stringify looks for a record delimiter of two characters (CRLF) in a field by copying
  // the field with the delimiter appended and searching that: about a fifth of its time. With
  // ASCII's record separator (one character) it only searches; each separator then becomes
  // CRLF. It writes one after each record, so more of them means a field held its own, which
  // must stay as it is: then CRLF is the delimiter after all.
  const fast = stringify(rows, { ...common, record_delimiter: 'ascii' });
  if (occurrences(fast, RECORD_SEPARATOR) === rows.length) {
    return fast.replaceAll(RECORD_SEPARATOR, '\r\n');
  }
  return stringify(rows, { ...common, record_delimiter: 'windows' });
}

function occurrences(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}
