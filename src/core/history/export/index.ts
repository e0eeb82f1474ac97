// Exports a list of history entries in the formats people use. Entries are written oldest
// first, whatever order they come in, so that an export reads like the dictation did.
import type { HistoryEntry } from '../entry.ts';
import { toCsv } from './csv.ts';
import { toJson } from './json.ts';
import { toMarkdown } from './markdown.ts';
import { toSrt } from './srt.ts';
import { toTxt } from './txt.ts';
import { toVtt } from './vtt.ts';

export const EXPORT_FORMATS = ['txt', 'md', 'json', 'csv', 'srt', 'vtt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** CSV only: start with a UTF-8 byte order mark, which Excel needs to read UTF-8. */
  bom?: boolean;
}

/** File name extension and MIME type of each format, for a save dialog. */
export const EXPORT_FILE_TYPES: Readonly<
  Record<ExportFormat, { extension: string; mime: string }>
> = {
  txt: { extension: 'txt', mime: 'text/plain' },
  md: { extension: 'md', mime: 'text/markdown' },
  json: { extension: 'json', mime: 'application/json' },
  csv: { extension: 'csv', mime: 'text/csv' },
  srt: { extension: 'srt', mime: 'application/x-subrip' },
  vtt: { extension: 'vtt', mime: 'text/vtt' },
};

function chronological(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

export function exportEntries(
  entries: readonly HistoryEntry[],
  format: ExportFormat,
  options: ExportOptions = {},
): string {
  const ordered = chronological(entries);
  switch (format) {
    case 'txt':
      return toTxt(ordered);
    case 'md':
      return toMarkdown(ordered);
    case 'json':
      return toJson(ordered);
    case 'csv':
      return toCsv(ordered, options);
    case 'srt':
      return toSrt(ordered);
    case 'vtt':
      return toVtt(ordered);
  }
}
