// The transcript history: one SQLite database (node:sqlite, built into Node 24 and Electron,
// so there is no native module to rebuild) plus a folder of kept turn audio.
//
// add() commits the entry's row only, and syncs it: the person waits for that. Its words go
// into the full-text index later, with every other entry added since (by this process or
// another: the CLI's `transcribe --save` beside the app), in one transaction: once writes
// pause, after CHECKPOINT_MAX_WRITES writes, on open and close, and always before a query
// that uses the index, which asks the database (not this object) whether any are pending.
// So no search misses an entry, and the index's new segment, structure record and term
// index pages, which were most of what each add() synced, are written once per batch.
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
import {
  countSql,
  listSql,
  NEXT_SORT_KEY_SQL,
  keyOf,
  SORT_KEY_SCALE,
  rowToEntry,
  SELECT_COLUMNS,
  type HistoryQuery,
} from './query-sql.ts';
import { indexText, matchExpression } from './search-text.ts';

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
  /** Whose audio may stay (Settings → History): audio already kept that this no longer allows
   * is deleted now, not when its days run out. The stricter of this and the store's own audio
   * retention applies. */
  keepAudio?: AudioRetention['keep'];
}

export interface RetentionResult {
  deletedEntries: number;
  deletedAudioFiles: number;
}

/** What changed, so that a view of the history (the app's history window) can refresh. */
export type HistoryChange =
  | { type: 'added'; ids: number[] }
  | { type: 'updated'; ids: number[] }
  | { type: 'deleted'; ids: number[] }
  | { type: 'cleared' };

/** Writing to the database failed; the message says why and what to do. */
export class HistoryWriteError extends Error {
  override name = 'HistoryWriteError';
}

const DAY_MS = 86_400_000;
/** The id up to which entries are in the full-text index (schema.ts, migration 2 → 3). */
const INDEXED_THROUGH_SQL = 'SELECT indexed_through FROM index_watermark';
/** Quiet time after the last write before pending entries are indexed and the WAL is copied
 * back into the database. */
const FLUSH_IDLE_MS = 1500;
/** Writes after which that flush runs at once, when no quiet time came (turns back to back,
 * a CLI run): the WAL stays under ~2 MiB, and later commits overwrite its space instead of
 * growing the file (a sync that also changes the file's size costs more). */
const CHECKPOINT_MAX_WRITES = 64;
/** Audio retention modes from the one that keeps least. */
const AUDIO_KEEP_ORDER: readonly AudioRetention['keep'][] = ['off', 'failed', 'all'];
// A WAV that no entry names is removed only after this long (see AudioFiles.removeOrphans).
const ORPHAN_GRACE_MS = 3_600_000;

const PATCH_COLUMNS: Record<Exclude<keyof HistoryPatch, 'rawText' | 'rulesText'>, string> = {
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

/** A confidence to keep: a number from 0 to 1, or null. */
function confidenceOf(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`confidence must be a number from 0 to 1 (got ${value}).`);
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
  readonly #listeners = new Set<(change: HistoryChange) => void>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #writesSinceCheckpoint = 0;

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
    // Checkpoints are ours to time (see #afterWrite): SQLite's automatic one would run inside
    // whichever add() crossed 1,000 WAL pages, copying and syncing them all while the person
    // waits for the text to appear.
    if (this.persistent) this.#db.exec('PRAGMA wal_autocheckpoint = 0');
    // Entries a killed process saved but did not index yet (a search would index them too).
    this.#indexPendingOrWarn(true);
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
    const createdAt = Math.round(entry.createdAt ?? Date.now());
    const status = entry.status ?? 'ok';
    const audioPath = audio && this.#keepsAudio(status) ? this.#writeAudio(audio, createdAt) : null;
    let id: number;
    try {
      id = this.#transaction(() => this.#insert({ ...entry, createdAt, status }, audioPath));
    } catch (err) {
      if (audioPath) this.#audio.remove(audioPath);
      throw this.#writeError('save the transcript', err);
    }
    this.#emit({ type: 'added', ids: [id] });
    return id;
  }

  /** Saves many transcripts in one transaction (an import), indexed in it: all or none are
   * saved. */
  addMany(entries: readonly NewHistoryEntry[]): number[] {
    let ids: number[];
    try {
      ids = this.#transaction(() => {
        const added = entries.map((e) => this.#insert(e, null));
        this.#indexPendingHere();
        return added;
      });
    } catch (err) {
      throw this.#writeError('import the transcripts', err);
    }
    if (ids.length > 0) this.#emit({ type: 'added', ids });
    return ids;
  }

  get(id: number): HistoryEntry | undefined {
    const row = this.#rows(`SELECT ${SELECT_COLUMNS} FROM entries e WHERE e.id = :id`, { id })[0];
    return row ? this.#entry(row) : undefined;
  }

  /** Entries newest first, filtered, searched (`query`) and paged. */
  list(query: HistoryQuery = {}): HistoryEntry[] {
    this.#beforeSearch(query.query);
    const { sql, params } = listSql(query);
    return this.#rows(sql, params).map((row) => this.#entry(row));
  }

  /** Entries whose text contains every term of `text` (Chinese substrings, English words),
   * newest first. */
  search(text: string, page: HistoryPage = {}): HistoryEntry[] {
    return this.list({ ...page, query: text });
  }

  /** How many entries match (for a virtualized list's height). */
  count(query: HistoryFilter & { query?: string } = {}): number {
    this.#beforeSearch(query.query);
    const { sql, params } = countSql(query);
    const row = this.#statement(sql).get(params);
    return Number((row as { n: number }).n);
  }

  /** Changes an entry (a retry's result, a correction); returns it, or undefined if gone. */
  update(id: number, patch: HistoryPatch): HistoryEntry | undefined {
    const keys = (Object.keys(PATCH_COLUMNS) as (keyof typeof PATCH_COLUMNS)[]).filter(
      (k) => patch[k] !== undefined,
    );
    const textChanges =
      patch.text !== undefined || patch.rawText !== undefined || patch.rulesText !== undefined;
    if (keys.length > 0 || textChanges) {
      const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = :${k}`);
      const params: Record<string, SQLInputValue> = { id };
      for (const k of keys) params[k] = patch[k] ?? null;
      if (textChanges) {
        // SET reads the row as it was: a new final text keeps the raw one it had (which was
        // the old text where raw_text is NULL); NULL again where the two are equal.
        // The same for the rules text.
        if (patch.rawText !== undefined) params.rawText = patch.rawText;
        if (patch.rulesText !== undefined) params.rulesText = patch.rulesText;
        const raw = patch.rawText !== undefined ? ':rawText' : 'coalesce(raw_text, text)';
        const rules = patch.rulesText !== undefined ? ':rulesText' : 'coalesce(rules_text, text)';
        const text = patch.text !== undefined ? ':text' : 'text';
        sets.push(`raw_text = nullif(${raw}, ${text})`, `rules_text = nullif(${rules}, ${text})`);
      }
      try {
        this.#transaction(() => {
          this.#statement(`UPDATE entries SET ${sets.join(', ')} WHERE id = :id`).run(params);
          if (patch.text !== undefined) {
            // Only an entry already in the index is indexed anew; a pending one is indexed with
            // its new text when its turn comes.
            const ofEntry = `FROM entries WHERE id = :id AND id <= (${INDEXED_THROUGH_SQL})`;
            this.#statement(
              `DELETE FROM entries_fts WHERE rowid = (SELECT sort_key ${ofEntry})`,
            ).run({ id });
            this.#statement(
              `INSERT INTO entries_fts (rowid, indexed_text) SELECT sort_key, :indexed ${ofEntry}`,
            ).run({ id, indexed: indexText(patch.text) });
          }
        });
      } catch (err) {
        throw this.#writeError('update the transcript', err);
      }
    }
    const updated = this.get(id);
    if (updated && (keys.length > 0 || textChanges)) this.#emit({ type: 'updated', ids: [id] });
    return updated;
  }

  markFailed(id: number, reason: string): HistoryEntry | undefined {
    return this.update(id, { status: 'failed', failureReason: reason });
  }

  /** Deletes an entry and its kept audio. Returns false when there was no such entry. */
  delete(id: number): boolean {
    let row: { p: string | null } | undefined;
    try {
      row = this.#statement('DELETE FROM entries WHERE id = ? RETURNING audio_path AS p').get(
        id,
      ) as { p: string | null } | undefined;
    } catch (err) {
      throw this.#writeError('delete the transcript', err);
    }
    if (!row) return false;
    if (row.p) this.#audio.remove(row.p);
    this.#emit({ type: 'deleted', ids: [id] });
    return true;
  }

  /** Deletes every entry and every audio file, and compacts the database so that the deleted
   * text does not linger in free pages. Returns how many entries were deleted. */
  deleteAll(): number {
    let deleted: number;
    try {
      deleted = Number(this.#statement('DELETE FROM entries').run().changes);
    } catch (err) {
      throw this.#writeError('delete the history', err);
    }
    this.#audio.removeAll();
    try {
      this.#db.exec('VACUUM');
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch (err) {
      // Another process is reading; the space is reclaimed the next time.
      this.#log.warn(`History was deleted but not compacted: ${(err as Error).message}`);
    }
    this.#emit({ type: 'cleared' });
    return deleted;
  }

  /** Applies the retention limits and the audio retention. Call it at start, whenever the
   * person changes them, and once a day. */
  applyRetention(limits: RetentionLimits = {}, now: number = Date.now()): RetentionResult {
    const days = nonNegative('days', limits.days);
    const maxCount = nonNegative('maxCount', limits.maxCount);
    const audioDays = nonNegative('audio days', this.audioRetention.days);
    const rank = AUDIO_KEEP_ORDER.indexOf(limits.keepAudio ?? 'all');
    if (rank < 0) {
      throw new RangeError(
        `keepAudio must be one of ${AUDIO_KEEP_ORDER.join(', ')} (got ${limits.keepAudio}).`,
      );
    }
    const keep =
      AUDIO_KEEP_ORDER[Math.min(rank, AUDIO_KEEP_ORDER.indexOf(this.audioRetention.keep))]!;
    // Audio of entries below this sort key goes (all of it when audio retention is off), and
    // so does that of successful turns when only failed turns' audio is kept.
    const audioCutoff =
      keep === 'off'
        ? Number.MAX_SAFE_INTEGER
        : audioDays === null
          ? null
          : keyOf(now - audioDays * DAY_MS);
    const okAudioGoes = keep === 'failed';
    type Row = { id: number; p: string | null };
    const rows = (sql: string, params: Record<string, SQLInputValue>) =>
      this.#statement(sql).all(params) as Row[];
    let deleted: Row[] = [];
    let expired: Row[] = [];
    try {
      this.#transaction(() => {
        if (days !== null) {
          deleted = rows(
            'DELETE FROM entries WHERE sort_key < :cutoff RETURNING id, audio_path AS p',
            {
              cutoff: keyOf(now - days * DAY_MS),
            },
          );
        }
        if (maxCount !== null) {
          deleted = deleted.concat(
            rows(
              `DELETE FROM entries WHERE id IN (SELECT id FROM entries
                 ORDER BY sort_key DESC LIMIT -1 OFFSET :keep)
               RETURNING id, audio_path AS p`,
              { keep: Math.floor(maxCount) },
            ),
          );
        }
        if (audioCutoff !== null || okAudioGoes) {
          expired = rows(
            `SELECT id, audio_path AS p FROM entries WHERE audio_path IS NOT NULL
               AND (sort_key < :cutoff OR (:okAudioGoes AND status = 'ok'))`,
            { cutoff: audioCutoff, okAudioGoes: okAudioGoes ? 1 : 0 },
          );
          const update = this.#statement('UPDATE entries SET audio_path = NULL WHERE id = :id');
          for (const row of expired) update.run({ id: row.id });
        }
      });
    } catch (err) {
      throw this.#writeError('apply the history limits', err);
    }
    const removed = [...deleted, ...expired].flatMap((row) => (row.p ? [row.p] : []));
    for (const f of removed) this.#audio.remove(f);
    const referenced = new Set(
      rows('SELECT id, audio_path AS p FROM entries WHERE audio_path IS NOT NULL', {}).map(
        (row) => row.p!,
      ),
    );
    const orphans = this.#audio.removeOrphans(referenced, now, ORPHAN_GRACE_MS);
    if (deleted.length > 0) this.#emit({ type: 'deleted', ids: deleted.map((row) => row.id) });
    if (expired.length > 0) this.#emit({ type: 'updated', ids: expired.map((row) => row.id) });
    return { deletedEntries: deleted.length, deletedAudioFiles: removed.length + orphans };
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  onChange(listener: (change: HistoryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Puts every entry added since the last time (by any process) into the full-text index, in
   * one transaction, and returns how many there were. Queries that search do this first, so
   * calling it is never needed for correctness; it runs by itself once writes pause. */
  indexPending(): number {
    return this.#indexPending(true);
  }

  /** What runs once writes pause: pending entries are indexed, then the WAL checkpointed. */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#indexPendingOrWarn(false);
    this.checkpoint();
  }

  /** Copies the WAL's committed pages back into the database file (the transcripts are
   * durable before this; it keeps the WAL short). Runs by itself once writes pause. */
  checkpoint(): void {
    this.#writesSinceCheckpoint = 0;
    if (!this.persistent) return;
    try {
      // PASSIVE: never waits for a reader (the CLI may be reading); what it cannot copy now is
      // copied next time.
      this.#statement('PRAGMA wal_checkpoint(PASSIVE)').get();
    } catch (err) {
      this.#log.warn(`History: the WAL checkpoint failed: ${(err as Error).message}`);
    }
  }

  close(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#db.isOpen) {
      this.#indexPendingOrWarn(false);
      // Closing the last connection checkpoints the WAL and removes it.
      this.#db.close();
    }
    this.#statements.clear();
  }

  /** A query with search terms walks the full-text index: entries still pending, added by
   * this process or another since the last indexing, go into it first. The database is asked,
   * not this object: another process may have added them. */
  #beforeSearch(text: string | undefined): void {
    if (text && matchExpression(text) !== undefined) this.#indexPending(true);
  }

  /** `counted`: whether the indexing commit counts as a write that schedules a flush (not
   * when the flush itself or close() indexes). */
  #indexPending(counted: boolean): number {
    const pending = this.#statement(
      `SELECT coalesce(max(id), 0) > (${INDEXED_THROUGH_SQL}) AS pending FROM entries`,
    ).get() as { pending: number };
    if (!pending.pending) return 0;
    try {
      return this.#transaction(() => this.#indexPendingHere(), counted);
    } catch (err) {
      throw this.#writeError('index the new transcripts for search', err);
    }
  }

  /** Indexing outside a query (a flush, open, close) can wait for the next time: a search
   * indexes first anyway. */
  #indexPendingOrWarn(counted: boolean): void {
    try {
      this.#indexPending(counted);
    } catch (err) {
      this.#log.warn(`History: ${(err as Error).message}`);
    }
  }

  /** Indexes the pending entries inside the caller's write transaction, which re-reads the
   * watermark: another process may have indexed them meanwhile. */
  #indexPendingHere(): number {
    const statement = this.#statement(
      `SELECT id, sort_key, text FROM entries WHERE id > (${INDEXED_THROUGH_SQL}) ORDER BY id`,
    );
    statement.setReturnArrays(true);
    const rows = statement.all() as unknown as [number, number, string][];
    const last = rows.at(-1);
    if (!last) return 0;
    const insert = this.#statement(
      'INSERT INTO entries_fts (rowid, indexed_text) VALUES (:key, :indexed)',
    );
    for (const [, key, text] of rows) insert.run({ key, indexed: indexText(text) });
    this.#statement('UPDATE index_watermark SET indexed_through = :id').run({ id: last[0] });
    return rows.length;
  }

  #insert(entry: NewHistoryEntry, audioPath: string | null): number {
    const createdAt = Math.round(entry.createdAt ?? Date.now());
    const { key } = this.#statement(NEXT_SORT_KEY_SQL).get({ createdAt }) as { key: number };
    if (key >= (createdAt + 1) * SORT_KEY_SCALE) {
      throw new RangeError(
        `more than ${SORT_KEY_SCALE} entries were given the same creation time ` +
          `(${new Date(createdAt).toISOString()}); spread their times apart`,
      );
    }
    const start = entry.audioStartMs ?? null;
    const end = entry.audioEndMs ?? null;
    const result = this.#statement(
      `INSERT INTO entries (text, raw_text, rules_text, confidence, created_at, audio_start_ms,
         audio_end_ms, duration_ms, provider, model, language, dictation_id, target_app, status,
         failure_reason, audio_path, sort_key)
       VALUES (:text, :rawText, :rulesText, :confidence, :createdAt, :start, :end, :duration,
         :provider, :model, :language, :dictationId, :targetApp, :status, :failureReason,
         :audioPath, :key)`,
    ).run({
      text: entry.text,
      // NULL when the same as the text (see schema.ts, migration 3 → 4).
      rawText: entry.rawText === undefined || entry.rawText === entry.text ? null : entry.rawText,
      rulesText:
        entry.rulesText === undefined || entry.rulesText === entry.text ? null : entry.rulesText,
      confidence: confidenceOf(entry.confidence),
      createdAt,
      start,
      end,
      duration: entry.durationMs ?? (start !== null && end !== null ? end - start : null),
      provider: entry.provider,
      model: entry.model,
      language: entry.language ?? 'auto',
      dictationId: entry.dictationId ?? null,
      targetApp: entry.targetApp ?? null,
      status: entry.status ?? 'ok',
      failureReason: entry.failureReason ?? null,
      audioPath,
      key,
    });
    return Number(result.lastInsertRowid);
  }

  /** A listener's failure is logged, never turned into a failed write. */
  #emit(change: HistoryChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#log.error(`A history listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Runs `work` in one write transaction (one fsync), or inside the caller's. BEGIN and
   * COMMIT are prepared once, like every other statement: exec() would compile them anew on
   * each add(). `counted`: whether the commit schedules a flush (see #afterWrite). */
  #transaction<T>(work: () => T, counted = true): T {
    if (this.#db.isTransaction) return work();
    this.#statement('BEGIN IMMEDIATE').run();
    try {
      const result = work();
      this.#statement('COMMIT').run();
      if (counted) this.#afterWrite();
      return result;
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Schedules the flush (index, then checkpoint) for when writes pause (a dictation turn
   * every few seconds leaves plenty of pauses), or runs it now after many writes without one. */
  #afterWrite(): void {
    if (++this.#writesSinceCheckpoint >= CHECKPOINT_MAX_WRITES) {
      this.flush();
      return;
    }
    clearTimeout(this.#flushTimer);
    this.#flushTimer = setTimeout(() => this.flush(), FLUSH_IDLE_MS);
    // Never keeps a process (the CLI) alive: closing indexes and checkpoints anyway, and a
    // store opened after a kill indexes what was left.
    this.#flushTimer.unref?.();
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

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #rows(sql: string, params: Record<string, SQLInputValue>): unknown[][] {
    const statement = this.#statement(sql);
    statement.setReturnArrays(true);
    return statement.all(params) as unknown as unknown[][];
  }

  #entry(row: readonly unknown[]): HistoryEntry {
    const entry = rowToEntry(row);
    if (entry.audioPath) entry.audioPath = this.#audio.absolute(entry.audioPath);
    return entry;
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
    return new HistoryWriteError(`Could not ${action} (history in ${this.dir}): ${why}.`);
  }
}
