// Markdown: a heading per transcript (its local time) and the text as a paragraph, escaped so
// that any renderer shows exactly the words that were spoken — a dictated "# 1. *note*" must
// not become a heading, a list and emphasis.
import { localDisplayTime } from '../dates.ts';
import type { HistoryEntry } from '../entry.ts';

// Characters with inline meaning in CommonMark or GitHub-flavoured Markdown.
const INLINE = /[\\`*_[\]<>&|~]/g;
// Characters that only mean something at the start of a line (headings, lists, quotes,
// setext underlines, thematic breaks), and ordered-list markers such as "1." or "2)".
const LINE_START = /^(\s*)([#+\-=>]|\d+(?=[.)]))/;

function escapeLine(line: string): string {
  const inline = line.trim().replace(INLINE, (c) => `\\${c}`);
  return inline.replace(LINE_START, (_all, space: string, mark: string) =>
    /\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}

/** A transcript as Markdown paragraphs: each line break kept as a hard break (a trailing
 * backslash), blank lines as paragraph breaks. */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map(escapeLine)
        .filter((line) => line !== '')
        .join('\\\n'),
    )
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

export function toMarkdown(entries: readonly HistoryEntry[]): string {
  const sections = entries.map((e) => {
    const body =
      e.status === 'failed'
        ? `_${markdownText(`Not transcribed: ${e.failureReason ?? 'unknown reason'}`)}_`
        : markdownText(e.text);
    return `## ${localDisplayTime(e.createdAt)}\n\n${body}\n`;
  });
  return ['# Tingxie transcripts\n', ...sections].join('\n');
}
