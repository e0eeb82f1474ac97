// Subtitle exports need one timeline for a list of entries. Within a dictation, a turn keeps
// its place in that dictation's audio (the server's audio_start_ms/audio_end_ms); each
// dictation then starts where the previous one ended, as if the recordings were joined.
import type { HistoryEntry } from '../entry.ts';

export interface Cue {
  entry: HistoryEntry;
  startMs: number;
  endMs: number;
}

/** A turn without times (a file transcribed without VAD, an older provider) gets this long. */
const FALLBACK_CUE_MS = 3000;
/** Shortest cue, so that a zero-length turn still shows. */
const MIN_CUE_MS = 500;

/** Cues for `entries` (oldest first), skipping those without text. */
export function timeline(entries: readonly HistoryEntry[]): Cue[] {
  const cues: Cue[] = [];
  let base = 0; // where the current dictation starts on the timeline
  let end = 0; // where the timeline ends so far
  let dictation: string | null | undefined;
  for (const entry of entries) {
    if (!entry.text.trim()) continue;
    if (entry.dictationId === null || entry.dictationId !== dictation) base = end;
    dictation = entry.dictationId;
    const previousEnd = cues.at(-1)?.endMs ?? base;
    let startMs = entry.audioStartMs !== null ? base + entry.audioStartMs : previousEnd;
    // Turns of one dictation never go back in time, even if the server's clock did.
    startMs = Math.max(startMs, cues.at(-1)?.startMs ?? 0);
    const length =
      entry.audioStartMs !== null && entry.audioEndMs !== null
        ? entry.audioEndMs - entry.audioStartMs
        : (entry.durationMs ?? FALLBACK_CUE_MS);
    const endMs = startMs + Math.max(MIN_CUE_MS, length);
    cues.push({ entry, startMs, endMs });
    end = Math.max(end, endMs);
  }
  return cues;
}

/** `HH:MM:SS<sep>mmm`; hours grow past two digits rather than wrap. */
export function cueTimestamp(ms: number, separator: ',' | '.'): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(total % 1000, 3)}`;
}

/** Cue text with `\r\n` and `\r` made `\n`, outer whitespace trimmed and blank lines dropped:
 * in SRT and WebVTT a blank line ends the cue. */
export function cueLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n')
    .trim();
}
