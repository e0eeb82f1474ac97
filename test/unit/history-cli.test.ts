import { afterEach, beforeEach, expect, test } from 'vitest';
import { Command, CommanderError } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import SrtParser from 'srt-parser-2';
import { registerHistoryCommands } from '../../src/cli/commands/history.ts';
import { CliError } from '../../src/cli/io.ts';
import { createLogger } from '../../src/core/log.ts';
import { HistoryStore } from '../../src/core/history/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-cli-'));
  const store = HistoryStore.open(dir);
  const day = (d: number, h = 12) => new Date(2026, 10, d, h).getTime();
  const base = { provider: 'local', model: 'pocketsphinx', dictationId: 'd' };
  store.add({
    ...base,
    text: '第一条：今天天气很好',
    createdAt: day(23),
    audioStartMs: 0,
    audioEndMs: 2000,
  });
  store.add({ ...base, text: 'Meeting moved to three, "sharp"\nbring notes', createdAt: day(24) });
  store.add({ ...base, text: 'Buy milk 🥛', createdAt: day(25) });
  store.add({
    ...base,
    text: '',
    createdAt: day(25, 13),
    status: 'failed',
    failureReason: 'audio_unintelligible',
  });
  store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `history …` in-process as the CLI entry would, capturing stdout and stderr. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const program = new Command('tingxie')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  registerHistoryCommands(program, {
    io,
    logger: () => createLogger((line) => io.stderr(`${line}\n`)),
    dataDir: () => dir,
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.exitCode, stdout, stderr };
    if (err instanceof CliError)
      return { code: err.exitCode, stdout, stderr: `${stderr}tingxie: ${err.message}\n` };
    throw err;
  }
}

test('history list prints one line per entry, newest first, and respects --limit and dates', async () => {
  const all = await run('history', 'list');
  expect(all.code).toBe(0);
  expect(all.stderr).toBe('');
  const lines = all.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toMatch(/^4\t2026-11-25 13:00:00\t\[failed: audio_unintelligible\]/);
  expect(lines[2]).toBe('2\t2026-11-24 12:00:00\tMeeting moved to three, "sharp" ⏎ bring notes');
  expect((await run('history', 'list', '--limit', '1')).stdout.split('\n')).toHaveLength(2);
  const range = await run('history', 'list', '--from', '2026-11-24', '--to', '2026-11-24');
  expect(range.stdout).toMatch(/^2\t/);
  expect(range.stdout.trimEnd().split('\n')).toHaveLength(1);
});

test('history search finds Chinese substrings and English words', async () => {
  expect((await run('history', 'search', '天气')).stdout).toMatch(/^1\t.*今天天气很好\n$/);
  expect((await run('history', 'search', '今天天气')).stdout).toMatch(/^1\t/);
  expect((await run('history', 'search', 'MEETING notes')).stdout).toMatch(/^2\t/);
  expect((await run('history', 'search', 'nothing-like-this')).stdout).toBe('');
});

test('history export writes only the data to stdout, in each format', async () => {
  const csv = await run('history', 'export', '--format', 'csv');
  expect(csv.stderr).toBe('');
  const rows = parseCsv(csv.stdout, { columns: true }) as Record<string, string>[];
  expect(rows.map((r) => r.text)).toEqual([
    '第一条：今天天气很好',
    'Meeting moved to three, "sharp"\nbring notes',
    'Buy milk 🥛',
    '',
  ]);
  const json = JSON.parse(
    (await run('history', 'export', '--format', 'json', '--query', 'milk')).stdout,
  );
  expect(json.entries.map((e: { text: string }) => e.text)).toEqual(['Buy milk 🥛']);
  const srt = await run('history', 'export', '--format', 'srt', '--to', '2026-11-24');
  expect(new SrtParser().fromSrt(srt.stdout).map((c) => c.text)).toEqual([
    '第一条：今天天气很好',
    'Meeting moved to three, "sharp"\nbring notes',
  ]);
  expect((await run('history', 'export', '--format', 'vtt')).stdout).toMatch(/^WEBVTT\n/);
  expect((await run('history', 'export', '--format', 'md')).stdout).toMatch(
    /^# Tingxie transcripts/,
  );
  expect((await run('history', 'export', '--format', 'txt', '--from', '2026-11-25')).stdout).toBe(
    'Buy milk 🥛\n',
  );
});

test('history export --out writes the file (with a BOM on request) and says so on stderr', async () => {
  const out = join(dir, 'export.csv');
  const result = await run('history', 'export', '--format', 'csv', '--bom', '--out', out);
  expect(result).toEqual({ code: 0, stdout: '', stderr: `Exported 4 transcript(s) to ${out}\n` });
  const bytes = readFileSync(out);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(parseCsv(bytes, { bom: true, columns: true })).toHaveLength(4);
});

test('bad input ends with a non-zero exit and a one-line reason', async () => {
  const cases: [string[], RegExp][] = [
    [['history', 'export', '--format', 'docx'], /Expected one of: txt, md, json, csv, srt, vtt/],
    [['history', 'export'], /required option '--format <format>' not specified/],
    [['history', 'list', '--from', 'last week'], /"last week" is not a date: use YYYY-MM-DD/],
    [['history', 'list', '--from', '2026-11-25', '--to', '2026-11-01'], /is not before --to/],
    [['history', 'export', '--format', 'json', '--bom'], /--bom is for --format csv only/],
    [['history', 'list', '--limit', '0'], /Expected a whole number/],
    [['history', 'search', '  '], /The search query is empty/],
    [
      ['history', 'export', '--format', 'txt', '--out', join(dir, 'no', 'such', 'dir', 'x.txt')],
      /Cannot write .*x\.txt/,
    ],
  ];
  for (const [args, reason] of cases) {
    const result = await run(...args);
    expect(result.code, args.join(' ')).not.toBe(0);
    expect(result.stdout, args.join(' ')).toBe('');
    expect(result.stderr, args.join(' ')).toMatch(reason);
    expect(result.stderr.trimEnd().split('\n')[0], args.join(' ')).toMatch(reason);
  }
});

test('a damaged store is reported on stderr and the command still runs', async () => {
  rmSync(join(dir, 'history.sqlite'));
  writeFileSync(join(dir, 'history.sqlite'), 'garbage'.repeat(1000));
  const result = await run('history', 'list');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/error: The history database was damaged .* moved to .*corrupt-/);
});
