// SubRip (.srt): numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, text, a blank line.
import type { HistoryEntry } from '../entry.ts';
import { cueLines, cueTimestamp, timeline } from './timeline.ts';

/** SRT has no escapes, and parsers find cues by the `-->` arrow anywhere in the file: an
 * arrow in the text gets an invisible zero-width space so that it stays text. */
function srtText(text: string): string {
  return cueLines(text).replaceAll('-->', '--\u200b>');
}

export function toSrt(entries: readonly HistoryEntry[]): string {
  return timeline(entries)
    .map(
      (cue, i) =>
        `${i + 1}\n${cueTimestamp(cue.startMs, ',')} --> ${cueTimestamp(cue.endMs, ',')}\n` +
        `${srtText(cue.entry.text)}\n`,
    )
    .join('\n');
}
