// WebVTT (.vtt): a `WEBVTT` header, then cues; the cue id is the history entry's id.
import type { HistoryEntry } from '../entry.ts';
import { cueLines, cueTimestamp, timeline } from './timeline.ts';

/** WebVTT cue text is markup: `&` and `<` must be escaped, and `-->` may not appear, so `>` is
 * escaped too. Players decode these back to the characters. */
function vttText(text: string): string {
  return cueLines(text).replace(
    /[&<>]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c,
  );
}

export function toVtt(entries: readonly HistoryEntry[]): string {
  const cues = timeline(entries).map(
    (cue) =>
      `${cue.entry.id}\n${cueTimestamp(cue.startMs, '.')} --> ${cueTimestamp(cue.endMs, '.')}\n` +
      `${vttText(cue.entry.text)}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}
