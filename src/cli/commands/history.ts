// `tingxie history list | search Q | export`: the transcript store that the app and
// `transcribe --save` write to. Data goes to stdout (or --out), diagnostics to stderr.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import {
  DateInputError,
  EXPORT_FORMATS,
  exportEntries,
  HistoryStore,
  localDisplayTime,
  parseDateBound,
  type ExportFormat,
  type HistoryEntry,
  type HistoryQuery,
} from '../../core/history/index.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../io.ts';
import { integer, oneOf } from '../options.ts';

interface RangeOptions {
  from?: string;
  to?: string;
  limit?: number;
}

interface ExportCommandOptions extends RangeOptions {
  format: ExportFormat;
  query?: string;
  out?: string;
  bom?: boolean;
}

function range(options: RangeOptions): HistoryQuery {
  try {
    const query: HistoryQuery = {};
    if (options.from !== undefined) query.from = parseDateBound(options.from, 'from');
    if (options.to !== undefined) query.to = parseDateBound(options.to, 'to');
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
      throw new DateInputError(`--from ${options.from} is not before --to ${options.to}.`);
    }
    if (options.limit !== undefined) query.limit = options.limit;
    return query;
  } catch (err) {
    if (err instanceof DateInputError) throw new CliError(err.message);
    throw err;
  }
}

/** Opens the store, runs `use`, closes it. A store that had to be repaired says so on stderr. */
function withStore<T>(context: CliContext, use: (store: HistoryStore) => T): T {
  const log = context.logger([]);
  const store = HistoryStore.open(context.dataDir(), { log });
  try {
    return use(store);
  } finally {
    store.close();
  }
}

/** One entry per line: id, local time, and the text with its line breaks shown as ⏎. */
function printEntries(context: CliContext, entries: HistoryEntry[]): void {
  for (const e of entries) {
    const text =
      e.status === 'failed' ? `[failed: ${e.failureReason ?? 'unknown reason'}] ${e.text}` : e.text;
    context.io.stdout(
      `${e.id}\t${localDisplayTime(e.createdAt)}\t${text.replace(/\r?\n/g, ' ⏎ ').trim()}\n`,
    );
  }
}

function addRangeOptions(command: Command, defaultLimit?: number): Command {
  return command
    .option('--from <date>', 'only entries from this day or time on (YYYY-MM-DD or ISO 8601)')
    .option('--to <date>', 'only entries up to this day (inclusive) or time (exclusive)')
    .option(
      '--limit <n>',
      `at most this many entries${defaultLimit ? ` (default ${defaultLimit})` : ''}`,
      integer(1, Number.MAX_SAFE_INTEGER),
      defaultLimit,
    );
}

export function registerHistoryCommands(program: Command, context: CliContext): void {
  const history = program
    .command('history')
    .description('list, search and export the transcript history');

  addRangeOptions(history.command('list').description('list transcripts, newest first'), 20).action(
    (options: RangeOptions) => {
      printEntries(
        context,
        withStore(context, (store) => store.list(range(options))),
      );
    },
  );

  addRangeOptions(
    history
      .command('search')
      .description('find transcripts containing every word of the query, newest first')
      .argument('<query>', 'words or Chinese text; "quoted words" stay together'),
    20,
  ).action((query: string, options: RangeOptions) => {
    if (!query.trim()) throw new CliError('The search query is empty.');
    printEntries(
      context,
      withStore(context, (store) => store.search(query, range(options))),
    );
  });

  addRangeOptions(
    history
      .command('export')
      .description('export transcripts (oldest first) to stdout or a file')
      .requiredOption('--format <format>', EXPORT_FORMATS.join(' | '), oneOf(EXPORT_FORMATS))
      .option('--query <q>', 'only transcripts containing every word of this query')
      .option('--out <file>', 'write to this file instead of stdout')
      .option('--bom', 'CSV: start with a byte order mark, for Excel'),
  ).action((options: ExportCommandOptions) => {
    if (options.bom && options.format !== 'csv') {
      throw new CliError('--bom is for --format csv only (it helps Excel read UTF-8).');
    }
    const query = { ...range(options), query: options.query };
    const { data, count } = withStore(context, (store) => {
      const entries = store.list(query);
      return {
        data: exportEntries(entries, options.format, { bom: options.bom }),
        count: entries.length,
      };
    });
    if (options.out === undefined) {
      context.io.stdout(data);
      return;
    }
    try {
      writeFileSync(options.out, data);
    } catch (err) {
      throw new CliError(`Cannot write ${options.out}: ${(err as Error).message}`);
    }
    context.io.stderr(`Exported ${count} transcript(s) to ${options.out}\n`);
  });
}
