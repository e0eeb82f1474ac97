// Plain text: the transcripts alone, oldest first, one blank line between them — for pasting
// into a document. Turns without text (failed ones) are left out.
import type { HistoryEntry } from '../entry.ts';

export function toTxt(entries: readonly HistoryEntry[]): string {
  return entries
    .filter((e) => e.text !== '')
    .map((e) => `${e.text}\n`)
    .join('\n');
}
