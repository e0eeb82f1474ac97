// JSON: every field of every entry, for other programs. Times are ISO 8601 with the local
// offset; the audio's location on this computer is not exported, only whether there is one.
import { localIsoTime } from '../dates.ts';
import type { HistoryEntry } from '../entry.ts';

export function toJson(entries: readonly HistoryEntry[]): string {
  const rows = entries.map(({ audioPath, createdAt, ...rest }) => ({
    ...rest,
    createdAt: localIsoTime(createdAt),
    hasAudio: audioPath !== null,
  }));
  return `${JSON.stringify({ format: 'tingxie-history', version: 1, entries: rows }, null, 2)}\n`;
}
