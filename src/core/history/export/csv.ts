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

export function toCsv(entries: readonly HistoryEntry[], options: { bom?: boolean } = {}): string {
  const rows = entries.map((e) => [
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
  ]);
  // Excel reads a UTF-8 file without a byte order mark as the local ANSI code page.
  return stringify([[...CSV_COLUMNS], ...rows], {
    record_delimiter: 'windows',
    // csv-stringify quotes fields holding the record delimiter (CRLF), not a bare LF: a
    // transcript's own line breaks must be quoted too.
    quoted_match: /[\r\n]/,
    bom: options.bom ?? false,
  });
}
