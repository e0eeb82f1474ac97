// What the History view may ask of main, without Electron: list and count with filters, copy,
// insert again, retry, delete, export to a file. main wires it to IPC, the save dialog, the
// clipboard and text insertion; the e2e tests wire the very same object to a browser page.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  HISTORY_EXPORT_FORMATS,
  type HistoryExportFormat,
  type HistoryExportResult,
  type HistoryInsertResult,
  type HistoryItem,
  type HistoryListFilter,
} from '../../shared/ipc.ts';
import type { SessionConfig } from '../../shared/providers.ts';
import {
  exportEntries,
  retryEntry,
  type FinalText,
  sessionTranscriber,
  type HistoryChange,
  type HistoryEntry,
  type HistoryQuery,
  type HistoryStore,
  type RetentionLimits,
  type RetentionResult,
  type Transcriber,
} from '../history/index.ts';
import type { Logger } from '../log.ts';
import type { EventSink } from './ports.ts';

/** Entries named in one pushed change, at most (the view refreshes what it shows anyway). */
const MAX_CHANGE_IDS = 100;
/** Entries per page of the virtualized list, at most. */
const MAX_PAGE = 500;

const id = z.number().int().positive();
const filterSchema = z.object({
  query: z.string().max(1000).optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  status: z.enum(['ok', 'failed']).optional(),
});
const exportSchema = z.object({
  // exportEntries() takes these: the compiler checks that the exporters know every one.
  format: z.enum(HISTORY_EXPORT_FORMATS),
  bom: z.boolean().optional(),
  ids: z.array(id).optional(),
  filter: filterSchema.optional(),
});

export type HistoryExportRequestChecked = z.infer<typeof exportSchema>;

/** Parses what the window sent; a malformed request is a bug, but still says what is wrong. */
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`The history ${what} is not valid: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The store's query for a filter of the window. */
export function toHistoryQuery(filter: HistoryListFilter): HistoryQuery {
  const query: HistoryQuery = {};
  const text = filter.query?.trim();
  if (text) query.query = text;
  if (filter.from !== undefined) query.from = filter.from;
  if (filter.to !== undefined) query.to = filter.to;
  if (filter.status !== undefined) query.status = filter.status;
  return query;
}

export function toHistoryItem(entry: HistoryEntry): HistoryItem {
  return {
    id: entry.id,
    text: entry.text,
    rawText: entry.rawText,
    rulesText: entry.rulesText,
    confidence: entry.confidence,
    createdAt: entry.createdAt,
    status: entry.status,
    failureReason: entry.failureReason,
    durationMs: entry.durationMs,
    hasAudio: entry.audioPath !== null,
  };
}

/** Writes the export of `request` (the chosen entries, or all that its filter matches) to
 * `path`; returns how many entries it holds. */
export async function exportHistoryToFile(
  store: HistoryStore,
  request: HistoryExportRequestChecked,
  path: string,
): Promise<number> {
  const entries = request.ids
    ? request.ids.flatMap((entryId) => store.get(entryId) ?? [])
    : store.list(toHistoryQuery(request.filter ?? {}));
  const text = exportEntries(entries, request.format, { bom: request.bom ?? false });
  try {
    await writeFile(path, text, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'that folder is not writable; choose another'
        : code === 'ENOSPC'
          ? 'the disk is full; free some space'
          : (err as Error).message;
    throw new Error(`Could not write the export to ${path}: ${why}.`, { cause: err });
  }
  return entries.length;
}

export interface HistoryServiceOptions {
  store: HistoryStore;
  /** The current provider's session (retry transcribes with it); starts the local server if
   * that is the provider. */
  sessionConfig: () => Promise<SessionConfig>;
  /** Asks where to save an export (main: a save dialog); undefined when the person cancels. */
  chooseExportPath: (format: HistoryExportFormat) => Promise<string | undefined>;
  copyText: (text: string) => void | Promise<void>;
  /** Types or pastes into the window that had focus before ours; absent where there is no
   * way to insert text (then the transcript is copied instead). */
  insertText?: (text: string) => Promise<HistoryInsertResult>;
  /** Where change events go (the window). */
  sink: EventSink;
  log: Logger;
  /** How a retry transcribes (default: the kept WAV through a RealtimeSession). */
  transcriber?: (config: SessionConfig) => Transcriber;
  /** The person's limits on the history (Settings → History). */
  limits?: () => RetentionLimits;
  /** The text pipeline a retried turn goes through (default: none). */
  finalText?: FinalText;
}

export interface HistoryService {
  list(filter: unknown, offset: unknown, limit: unknown): Promise<HistoryItem[]>;
  count(filter: unknown): Promise<number>;
  copy(id: unknown): Promise<void>;
  insert(id: unknown): Promise<HistoryInsertResult>;
  retry(id: unknown): Promise<HistoryItem>;
  delete(id: unknown): Promise<void>;
  deleteAll(): Promise<number>;
  export(request: unknown): Promise<HistoryExportResult>;
  /** The person's correction of a transcript's final text; the raw text stays. */
  correct(id: unknown, text: unknown): Promise<HistoryItem>;
  /** Deletes what the limits no longer keep, and expired audio. Main calls it at start, when
   * the settings change and once a day. Never throws: a failure is logged. */
  applyRetention(now?: number): RetentionResult | undefined;
  /** Stops pushing change events. */
  dispose(): void;
}

export function createHistoryService(options: HistoryServiceOptions): HistoryService {
  const { store, log } = options;
  const transcriber =
    options.transcriber ?? ((config: SessionConfig) => sessionTranscriber(config, { log }));
  const retrying = new Set<number>();

  const stopListening = store.onChange((change: HistoryChange) => {
    const ids = change.type === 'cleared' ? [] : change.ids.slice(0, MAX_CHANGE_IDS);
    options.sink({ name: 'history', payload: { type: change.type, ids } });
  });

  /** The text of entry `input`, or an error a person can act on. */
  const textOf = (input: unknown): string => {
    const entryId = parse(id, input, 'entry id');
    const entry = store.get(entryId);
    if (!entry) throw new Error('This transcript was deleted meanwhile.');
    if (!entry.text) throw new Error('This turn has no transcript yet: retry it first.');
    return entry.text;
  };

  return {
    async list(filter, offset, limit) {
      const query = toHistoryQuery(parse(filterSchema, filter, 'filter'));
      query.offset = parse(z.number().int().min(0), offset, 'offset');
      query.limit = parse(z.number().int().min(1).max(MAX_PAGE), limit, 'page size');
      return store.list(query).map(toHistoryItem);
    },
    async count(filter) {
      return store.count(toHistoryQuery(parse(filterSchema, filter, 'filter')));
    },
    async copy(entryId) {
      await options.copyText(textOf(entryId));
    },
    async insert(entryId) {
      const text = textOf(entryId);
      if (options.insertText) return options.insertText(text);
      await options.copyText(text);
      return {
        ok: false,
        notice: 'Tingxie cannot type into other windows here; the transcript is on the clipboard.',
      };
    },
    async retry(input) {
      const entryId = parse(id, input, 'entry id');
      if (retrying.has(entryId)) throw new Error('This turn is being transcribed again already.');
      retrying.add(entryId);
      try {
        const config = await options.sessionConfig();
        const entry = await retryEntry(store, entryId, transcriber(config), options.finalText);
        log.info(`History: entry ${entryId} transcribed again with ${config.provider}.`);
        return toHistoryItem(entry);
      } finally {
        retrying.delete(entryId);
      }
    },
    async delete(entryId) {
      store.delete(parse(id, entryId, 'entry id'));
    },
    async deleteAll() {
      const deleted = store.deleteAll();
      log.info(`History: deleted all ${deleted} transcripts.`);
      return deleted;
    },
    async export(input) {
      const request = parse(exportSchema, input, 'export request');
      const path = await options.chooseExportPath(request.format);
      if (!path) return { ok: false, canceled: true };
      const count = await exportHistoryToFile(store, request, path);
      log.info(`History: exported ${count} transcripts as ${request.format}.`);
      return { ok: true, path, count };
    },
    async correct(input, text) {
      const entryId = parse(id, input, 'entry id');
      const corrected = parse(z.string().trim().min(1).max(100_000), text, 'correction');
      const entry = store.get(entryId);
      if (!entry) throw new Error('This transcript was deleted meanwhile.');
      if (entry.status !== 'ok')
        throw new Error('This turn has no transcript yet: retry it first.');
      const updated = store.update(entryId, { text: corrected });
      if (!updated) throw new Error('This transcript was deleted meanwhile.');
      return toHistoryItem(updated);
    },
    applyRetention(now = Date.now()) {
      try {
        const result = store.applyRetention(options.limits?.() ?? {}, now);
        if (result.deletedEntries || result.deletedAudioFiles) {
          log.info(
            `History: deleted ${result.deletedEntries} old transcripts and ` +
              `${result.deletedAudioFiles} audio files.`,
          );
        }
        return result;
      } catch (err) {
        log.error(`History: the limits could not be applied: ${(err as Error).message}`);
        return undefined;
      }
    },
    dispose: stopListening,
  };
}
