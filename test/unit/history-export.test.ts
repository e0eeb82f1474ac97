import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse as parseCsv } from 'csv-parse/sync';
import SrtParser from 'srt-parser-2';
import MarkdownIt from 'markdown-it';
import {
  EXPORT_FORMATS,
  exportEntries,
  localIsoTime,
  type HistoryEntry,
} from '../../src/core/history/index.ts';
import { cueTimestamp } from '../../src/core/history/export/timeline.ts';

const require = createRequire(import.meta.url);
const { WebVTTParser } = require('webvtt-parser') as {
  WebVTTParser: new (entities?: Record<string, string>) => {
    parse(
      input: string,
      mode: string,
    ): {
      cues: {
        id: string;
        startTime: number;
        endTime: number;
        text: string;
        tree: { children: { type: string; value?: string }[] };
      }[];
      errors: unknown[];
    };
  };
};
// The full HTML entity table: the parser's built-in subset mis-decodes "&amp;".
const entities = JSON.parse(
  readFileSync(require.resolve('webvtt-parser/html-entities.json'), 'utf8'),
) as Record<string, string>;

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

function entry(id: number, text: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    text,
    rawText: text,
    rulesText: text,
    confidence: null,
    createdAt: T0 + id * 60_000,
    audioStartMs: null,
    audioEndMs: null,
    durationMs: null,
    provider: 'local',
    model: 'pocketsphinx',
    language: 'auto',
    dictationId: null,
    targetApp: null,
    status: 'ok',
    failureReason: null,
    audioPath: null,
    ...extra,
  };
}

// Everything that breaks a naive writer: CJK, emoji (astral and ZWJ sequences), quotes,
// commas, line breaks, markup, and each format's own delimiters.
const TRICKY = [
  '今天天气很好，我们去公园散步吧。',
  'Emoji 😀👩‍👩‍👧 and "double" and \'single\' quotes, commas, and; semicolons',
  'first line\nsecond line\nthird, "quoted" line',
  '1\n00:00:01,000 --> 00:00:02,000\nnot a cue',
  '<b>bold?</b> & &amp; AT&T 5 > 3 < 4',
  '# not a heading\n- not a list\n1. not a list either\n> not a quote\n*not emphasis* _nor this_ `nor code` [no](link) \\backslash\\',
  'tab\there  and trailing',
  'only a line break\nand nothing else',
];

const entries = TRICKY.map((text, i) =>
  entry(i + 1, text, {
    dictationId: 'd1',
    audioStartMs: i * 4000 + 500,
    audioEndMs: i * 4000 + 3000,
  }),
);

describe('every format parses back with a real parser', () => {
  test('JSON keeps every field and every character', () => {
    const parsed = JSON.parse(exportEntries(entries, 'json')) as {
      format: string;
      entries: Record<string, unknown>[];
    };
    expect(parsed.format).toBe('tingxie-history');
    expect(parsed.entries.map((e) => e.text)).toEqual(TRICKY);
    expect(parsed.entries[0]).toMatchObject({
      id: 1,
      createdAt: localIsoTime(entries[0]!.createdAt),
      status: 'ok',
      audioStartMs: 500,
      rulesText: TRICKY[0],
      confidence: null,
      hasAudio: false,
    });
    expect(Date.parse(parsed.entries[0]!.createdAt as string)).toBe(entries[0]!.createdAt);
    expect(parsed.entries[0]).not.toHaveProperty('audioPath');
  });

  test('CSV is RFC 4180 (CRLF, quoted fields) and round-trips byte for byte', () => {
    const csv = exportEntries(entries, 'csv');
    expect(csv.startsWith('id,created_at,text,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain(',"only a line break\nand nothing else",');
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.text)).toEqual(TRICKY);
    expect(rows[0]).toMatchObject({
      id: '1',
      status: 'ok',
      audio_start_ms: '500',
      dictation_id: 'd1',
    });
    expect(Date.parse(rows[0]!.created_at!)).toBe(entries[0]!.createdAt);
  });

  test('CSV keeps control characters of a transcript, the record separator included', () => {
    const texts = ['a\x1eb', 'tab\there', '\x1e', 'cr\ronly'];
    const odd = texts.map((text, i) => ({ ...entries[0]!, id: 100 + i, text }));
    const csv = exportEntries(odd, 'csv');
    expect(csv.split('\r\n')[1]).toMatch(/^100,/);
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.text)).toEqual(texts);
  });

  test('a long CSV export has one header, one BOM and every entry in order', () => {
    const many = Array.from({ length: 2345 }, (_, i) => ({
      ...entries[i % entries.length]!,
      id: i + 1,
      createdAt: entries[0]!.createdAt + i * 1000,
    }));
    const csv = exportEntries(many, 'csv', { bom: true });
    expect(csv.lastIndexOf('\ufeff')).toBe(0);
    expect(csv.split('id,created_at,text,')).toHaveLength(2);
    const rows = parseCsv(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.id))).toEqual(many.map((e) => e.id));
    expect(rows.map((r) => r.text)).toEqual(many.map((e) => e.text));
  });

  test('CSV with a BOM for Excel', () => {
    const csv = exportEntries(entries, 'csv', { bom: true });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => r.text)).toEqual(TRICKY);
  });

  test('SRT parses back with srt-parser-2: times, order, and text', () => {
    const srt = exportEntries(entries, 'srt');
    const cues = new SrtParser().fromSrt(srt);
    expect(cues).toHaveLength(TRICKY.length);
    expect(cues.map((c) => c.id)).toEqual(TRICKY.map((_, i) => String(i + 1)));
    expect(cues[1]).toMatchObject({ startTime: '00:00:04,500', endTime: '00:00:07,000' });
    // SRT has no escapes: the arrow is kept apart by an invisible zero-width space.
    const expected = TRICKY.map((t) => t.replaceAll('-->', '--\u200b>').trim());
    expect(cues.map((c) => c.text)).toEqual(expected);
  });

  test('WebVTT parses back without errors, with entities decoded to the original text', () => {
    const vtt = exportEntries(entries, 'vtt');
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const tree = new WebVTTParser(entities).parse(vtt, 'metadata');
    expect(tree.errors).toEqual([]);
    expect(tree.cues.map((c) => c.id)).toEqual(entries.map((e) => String(e.id)));
    expect(tree.cues[1]).toMatchObject({ startTime: 4.5, endTime: 7 });
    const decoded = new WebVTTParser(entities)
      .parse(vtt, 'subtitles')
      .cues.map((c) => c.tree.children.map((n) => n.value ?? '').join(''));
    expect(decoded).toEqual(TRICKY.map((t) => t.trim()));
  });

  test('Markdown renders (CommonMark) to exactly the spoken text, no headings or lists', () => {
    const md = exportEntries(entries, 'md');
    const tokens = new MarkdownIt().parse(md, {});
    const headings = tokens.filter((t) => t.type === 'heading_open').map((t) => t.tag);
    expect(headings).toEqual(['h1', ...entries.map(() => 'h2')]);
    expect(tokens.some((t) => /list|blockquote|code|fence|html/.test(t.type))).toBe(false);
    // The text of each entry's paragraph, hard breaks as newlines.
    const paragraphs = tokens
      .filter((t) => t.type === 'inline')
      .slice(1)
      .filter((_, i) => i % 2 === 1)
      .map((t) =>
        (t.children ?? [])
          .map((c) =>
            c.type === 'hardbreak' ? '\n' : c.type === 'text' ? c.content : `<${c.type}>`,
          )
          .join(''),
      );
    expect(paragraphs).toEqual(
      TRICKY.map((t) =>
        t
          .split('\n')
          .map((l) => l.trim())
          .join('\n'),
      ),
    );
  });

  test('TXT is the texts, oldest first, a blank line apart', () => {
    const reversed = [...entries].reverse();
    expect(exportEntries(reversed, 'txt')).toBe(TRICKY.map((t) => `${t}\n`).join('\n'));
  });
});

describe('subtitle details', () => {
  test('a blank line inside a text does not end the cue early', () => {
    const e = [entry(1, 'para one\n\n\npara two\r\nthree'), entry(2, 'next')];
    const cues = new SrtParser().fromSrt(exportEntries(e, 'srt'));
    expect(cues.map((c) => c.text)).toEqual(['para one\npara two\nthree', 'next']);
    const tree = new WebVTTParser(entities).parse(exportEntries(e, 'vtt'), 'metadata');
    expect(tree.errors).toEqual([]);
    expect(tree.cues.map((c) => c.text)).toEqual(['para one\npara two\nthree', 'next']);
  });

  test('turns without text (failed ones) are left out of subtitles', () => {
    const e = [entry(1, 'said'), entry(2, '', { status: 'failed', failureReason: 'x' })];
    expect(new SrtParser().fromSrt(exportEntries(e, 'srt'))).toHaveLength(1);
  });

  test('dictations follow one another on one timeline; turns keep their place within one', () => {
    const e = [
      entry(1, 'a', { dictationId: 'x', audioStartMs: 1000, audioEndMs: 2000 }),
      entry(2, 'b', { dictationId: 'x', audioStartMs: 3000, audioEndMs: 5000 }),
      entry(3, 'c', { dictationId: 'y', audioStartMs: 200, audioEndMs: 1200 }),
      entry(4, 'd', { durationMs: 1500 }),
      entry(5, 'e'),
    ];
    const cues = new SrtParser().fromSrt(exportEntries(e, 'srt'));
    expect(cues.map((c) => [c.startSeconds, c.endSeconds])).toEqual([
      [1, 2],
      [3, 5],
      [5.2, 6.2],
      [6.2, 7.7],
      [7.7, 10.7],
    ]);
  });

  test('timestamps: milliseconds, and hours past 99 that do not wrap', () => {
    expect(cueTimestamp(0, ',')).toBe('00:00:00,000');
    expect(cueTimestamp(3_723_004, ',')).toBe('01:02:03,004');
    expect(cueTimestamp(3_723_004.6, '.')).toBe('01:02:03.005');
    expect(cueTimestamp(100 * 3_600_000 + 59_999, '.')).toBe('100:00:59.999');
    const tree = new WebVTTParser(entities).parse(
      `WEBVTT\n\n1\n${cueTimestamp(100 * 3_600_000, '.')} --> ${cueTimestamp(100 * 3_600_000 + 1500, '.')}\nx\n`,
      'metadata',
    );
    expect(tree.errors).toEqual([]);
    expect(tree.cues[0]?.startTime).toBe(360_000);
  });
});

test('every format handles an empty list', () => {
  for (const format of EXPORT_FORMATS) expect(typeof exportEntries([], format)).toBe('string');
  expect(JSON.parse(exportEntries([], 'json')).entries).toEqual([]);
  expect(parseCsv(exportEntries([], 'csv'), { columns: true })).toEqual([]);
});
