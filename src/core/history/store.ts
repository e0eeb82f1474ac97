// The transcript history: one SQLite database (node:sqlite, built into Node 24 and Electron,
// so there is no native module to rebuild) plus a folder of kept turn audio.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../log.ts';
import { AudioFiles, DEFAULT_AUDIO_RETENTION, type AudioRetention } from './audio-files.ts';
import type {
  HistoryEntry,
  HistoryFilter,
  HistoryPage,
  HistoryPatch,
  HistoryStatus,
  NewHistoryEntry,
  TurnAudio,
} from './entry.ts';
import { openHistoryDatabase } from './open-database.ts';
import { DATABASE_FILE } from './paths.ts';
import { textConditions } from './search-text.ts';

export interface HistoryStoreOptions {
  log?: Logger;
  /** Which turns keep their audio and for how long (default: failed turns, 30 days). */
  audio?: AudioRetention;
}

/** Limits on what the history keeps; an unset or null limit does not apply. */
export interface RetentionLimits {
  /** Delete entries older than this many days. */
  days?: number | null;
  /** Keep at most this many entries, the newest. */
  maxCount?: number | null;
}

export interface RetentionResult {
  deletedEntries: number;
  deletedAudioFiles: number;
}

/** A filter plus an optional search text, as `list()`, `count()` and export take it. */
export interface HistoryQuery extends HistoryPage {
  /** Search text: every term must occur (see search-text.ts). */
  query?: string;
}

/** Writing to the database failed; the message says why and what to do. */
export class HistoryWriteError extends Error {
  override name = 'HistoryWriteError';
}

const DAY_MS = 86_400_000;
// A WAV that no entry names is removed only after this long (see AudioFiles.removeOrphans).
const ORPHAN_GRACE_MS = 3_600_000;

const COLUMNS = `id, text, created_at AS createdAt, audio_start_ms AS audioStartMs,
  audio_end_ms AS audioEndMs, duration_ms AS durationMs, provider, model, language,
  dictation_id AS dictationId, target_app AS targetApp, status, failure_reason AS failureReason,
  audio_path AS audioPath`;

const PATCH_COLUMNS: Record<keyof HistoryPatch, string> = {
  text: 'text',
  status: 'status',
  failureReason: 'failure_reason',
  provider: 'provider',
  model: 'model',
  language: 'language',
  targetApp: 'target_app',
};

function nonNegative(name: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a number ≥ 0 (got ${value}).`);
  }
  return value;
}

export class HistoryStore {
  /** The data folder: the database file and the audio/ folder live here. */
  readonly dir: string;
  readonly file: string;
  /** False when the database could not be opened and history lives only in memory. */
  readonly persistent: boolean;
  /** What went wrong when opening (a damaged file moved aside, a full disk), for the UI to
   * show once; undefined when all went well. */
  readonly notice: string | undefined;
  readonly audioRetention: AudioRetention;
  readonly #db: DatabaseSync;
  readonly #audio: AudioFiles;
  readonly #log: Logger;
  readonly #statements = new Map<string, StatementSync>();

  private constructor(
    dir: string,
    opened: ReturnType<typeof openHistoryDatabase>,
    options: HistoryStoreOptions,
  ) {
    this.dir = dir;
    this.file = join(dir, DATABASE_FILE);
    this.#db = opened.db;
    this.persistent = opened.persistent;
    this.notice = opened.notice;
    this.audioRetention = options.audio ?? DEFAULT_AUDIO_RETENTION;
    this.#audio = new AudioFiles(dir);
    this.#log = options.log ?? silentLogger;
  }

  /** Opens (or creates) the store in `dir`. Never throws for a bad database: see `notice`. */
  static open(dir: string, options: HistoryStoreOptions = {}): HistoryStore {
    const log = options.log ?? silentLogger;
    return new HistoryStore(dir, openHistoryDatabase(dir, join(dir, DATABASE_FILE), log), options);
  }

  /** Saves a transcript and returns its id. Synchronous and durable on return: call it when
   * the `completed` (or `failed`) event arrives, before the text is inserted anywhere. The
   * turn's audio is kept when the audio retention says so. */
  add(entry: NewHistoryEntry, audio?: TurnAudio): number {
    const createdAt = entry.createdAt ?? Date.now();
    const status = entry.status ?? 'ok';
    const start = entry.audioStartMs ?? null;
    const end = entry.audioEndMs ?? null;
    const audioPath = audio && this.#keepsAudio(status) ? this.#writeAudio(audio, createdAt) : null;
    try {
      const result = this.#statement(
        `INSERT INTO entries (text, created_at, audio_start_ms, audio_end_ms, duration_ms,
           provider, model, language, dictation_id, target_app, status, failure_reason, audio_path)
         VALUES (:text, :createdAt, :start, :end, :duration, :provider, :model, :language,
           :dictationId, :targetApp, :status, :failureReason, :audioPath)`,
      ).run({
        text: entry.text,
        createdAt,
        start,
        end,
        duration: entry.durationMs ?? (start !== null && end !== null ? end - start : null),
        provider: entry.provider,
        model: entry.model,
        language: entry.language ?? 'auto',
        dictationId: entry.dictationId ?? null,
        targetApp: entry.targetApp ?? null,
        status,
        failureReason: entry.failureReason ?? null,
        audioPath,
      });
      return Number(result.lastInsertRowid);
    } catch (err) {
      if (audioPath) this.#audio.remove(audioPath);
      throw this.#writeError('save the transcript', err);
    }
  }

  get(id: number): HistoryEntry | undefined {
    const row = this.#statement(`SELECT ${COLUMNS} FROM entries WHERE id = ?`).get(id);
    return row ? this.#entry(row) : undefined;
  }

  /** Entries newest first, filtered, searched (`query`) and paged. */
  list(query: HistoryQuery = {}): HistoryEntry[] {
    const { where, params } = this.#where(query);
    let sql = `SELECT ${COLUMNS} FROM entries e ${where} ORDER BY created_at DESC, id DESC`;
    if (query.limit !== undefined || query.offset !== undefined) {
      sql += ' LIMIT :limit OFFSET :offset';
      params.limit = query.limit ?? -1;
      params.offset = query.offset ?? 0;
    }
    return this.#statement(sql)
      .all(params)
      .map((row) => this.#entry(row));
  }

  /** Entries whose text contains every term of `text` (Chinese substrings, English words),
   * newest first. */
  search(text: string, page: HistoryPage = {}): HistoryEntry[] {
    return this.list({ ...page, query: text });
  }

  /** How many entries match (for a virtualized list's height). */
  count(query: HistoryFilter & { query?: string } = {}): number {
    const { where, params } = this.#where(query);
    const row = this.#statement(`SELECT count(*) AS n FROM entries e ${where}`).get(params);
    return Number((row as { n: number }).n);
  }

  /** Changes an entry (a retry's result, a correction); returns it, or undefined if gone. */
  update(id: number, patch: HistoryPatch): HistoryEntry | undefined {
    const keys = (Object.keys(patch) as (keyof HistoryPatch)[]).filter(
      (k) => patch[k] !== undefined && k in PATCH_COLUMNS,
    );
    if (keys.length > 0) {
      const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = :${k}`).join(', ');
      const params: Record<string, SQLInputValue> = { id };
      for (const k of keys) params[k] = patch[k] ?? null;
      try {
        this.#statement(`UPDATE entries SET ${sets} WHERE id = :id`).run(params);
      } catch (err) {
        throw this.#writeError('update the transcript', err);
      }
    }
    return this.get(id);
  }

  markFailed(id: number, reason: string): HistoryEntry | undefined {
    return this.update(id, { status: 'failed', failureReason: reason });
  }

  /** Deletes an entry and its kept audio. Returns false when there was no such entry. */
  delete(id: number): boolean {
    const row = this.#statement('DELETE FROM entries WHERE id = ? RETURNING audio_path AS p').get(
      id,
    ) as { p: string | null } | undefined;
    if (row?.p) this.#audio.remove(row.p);
    return row !== undefined;
  }

  /** Deletes every entry and every audio file, and compacts the database so that the deleted
   * text does not linger in free pages. Returns how many entries were deleted. */
  deleteAll(): number {
    const deleted = Number(this.#db.prepare('DELETE FROM entries').run().changes);
    this.#audio.removeAll();
    try {
      this.#db.exec('VACUUM');
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch (err) {
      // Another process is reading; the space is reclaimed the next time.
      this.#log.warn(`History was deleted but not compacted: ${(err as Error).message}`);
    }
    return deleted;
  }

  /** Applies the retention limits and the audio retention. Call it at start and once a day. */
  applyRetention(limits: RetentionLimits = {}, now: number = Date.now()): RetentionResult {
    const days = nonNegative('days', limits.days);
    const maxCount = nonNegative('maxCount', limits.maxCount);
    const audioDays = nonNegative('audio days', this.audioRetention.days);
    const files: string[] = [];
    let deletedEntries = 0;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const doomed = (sql: string, params: Record<string, SQLInputValue>) => {
        for (const row of this.#statement(sql).all(params) as { p: string | null }[]) {
          if (row.p) files.push(row.p);
        }
      };
      if (days !== null) {
        const params = { cutoff: now - days * DAY_MS };
        deletedEntries += this.#changes(
          'DELETE FROM entries WHERE created_at < :cutoff',
          params,
          () => doomed('SELECT audio_path AS p FROM entries WHERE created_at < :cutoff', params),
        );
      }
      if (maxCount !== null) {
        const older = `SELECT id FROM entries ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET :keep`;
        const params = { keep: Math.floor(maxCount) };
        deletedEntries += this.#changes(`DELETE FROM entries WHERE id IN (${older})`, params, () =>
          doomed(`SELECT audio_path AS p FROM entries WHERE id IN (${older})`, params),
        );
      }
      const audioCutoff =
        this.audioRetention.keep === 'off'
          ? Infinity
          : audioDays === null
            ? -Infinity
            : now - audioDays * DAY_MS;
      if (audioCutoff > -Infinity) {
        const params = { cutoff: audioCutoff === Infinity ? Number.MAX_SAFE_INTEGER : audioCutoff };
        doomed(
          'SELECT audio_path AS p FROM entries WHERE audio_path IS NOT NULL AND created_at < :cutoff',
          params,
        );
        this.#statement(
          'UPDATE entries SET audio_path = NULL WHERE audio_path IS NOT NULL AND created_at < :cutoff',
        ).run(params);
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw this.#writeError('apply the history limits', err);
    }
    for (const f of files) this.#audio.remove(f);
    const referenced = new Set(
      (
        this.#statement(
          'SELECT audio_path AS p FROM entries WHERE audio_path IS NOT NULL',
        ).all() as {
          p: string;
        }[]
      ).map((r) => r.p),
    );
    const orphans = this.#audio.removeOrphans(referenced, now, ORPHAN_GRACE_MS);
    return { deletedEntries, deletedAudioFiles: files.length + orphans };
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
    this.#statements.clear();
  }

  #changes(sql: string, params: Record<string, SQLInputValue>, before: () => void): number {
    before();
    return Number(this.#statement(sql).run(params).changes);
  }

  #keepsAudio(status: HistoryStatus): boolean {
    const keep = this.audioRetention.keep;
    return this.persistent && (keep === 'all' || (keep === 'failed' && status === 'failed'));
  }

  /** Audio is worth less than the text: if it cannot be written the entry is saved without it. */
  #writeAudio(audio: TurnAudio, createdAt: number): string | null {
    try {
      return this.#audio.write(audio, createdAt);
    } catch (err) {
      this.#log.warn(
        `The turn's audio could not be kept in ${this.#audio.dir}: ${(err as Error).message}`,
      );
      return null;
    }
  }

  #where(query: HistoryQuery): { where: string; params: Record<string, SQLInputValue> } {
    const clauses: string[] = [];
    const params: Record<string, SQLInputValue> = {};
    if (query.query) {
      const text = textConditions(query.query);
      if (text.match !== undefined) {
        clauses.push('id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH :match)');
        params.match = text.match;
      }
      text.like.forEach((pattern, i) => {
        clauses.push(`text LIKE :like${i} ESCAPE '\\'`);
        params[`like${i}`] = pattern;
      });
    }
    if (query.from !== undefined) {
      clauses.push('created_at >= :from');
      params.from = query.from;
    }
    if (query.to !== undefined) {
      clauses.push('created_at < :to');
      params.to = query.to;
    }
    if (query.status !== undefined) {
      clauses.push('status = :status');
      params.status = query.status;
    }
    if (query.dictationId !== undefined) {
      clauses.push('dictation_id = :dictationId');
      params.dictationId = query.dictationId;
    }
    if (query.before !== undefined) {
      clauses.push('(created_at < :beforeAt OR (created_at = :beforeAt AND id < :beforeId))');
      params.beforeAt = query.before.createdAt;
      params.beforeId = query.before.id;
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #entry(row: Record<string, unknown>): HistoryEntry {
    const entry = row as unknown as HistoryEntry;
    return { ...entry, audioPath: entry.audioPath ? this.#audio.absolute(entry.audioPath) : null };
  }

  #writeError(action: string, err: unknown): HistoryWriteError {
    const code = ((err as { errcode?: number }).errcode ?? 0) & 0xff;
    const why =
      code === 13
        ? 'the disk is full; free some space'
        : code === 8
          ? 'the history folder is read-only; check its permissions'
          : code === 5
            ? 'another program kept the history locked; try again'
            : (err as Error).message;
    return new HistoryWriteError(`Could not ${action} to history in ${this.dir}: ${why}.`);
  }
}
