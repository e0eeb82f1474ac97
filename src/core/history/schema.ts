// The history schema and its migrations. `PRAGMA user_version` holds the schema version;
// migration N takes a database from version N to N + 1, inside one transaction.
import type { DatabaseSync } from 'node:sqlite';

const MIGRATIONS: readonly string[] = [
  // 0 → 1: entries, ordered by their unique sort_key, and a trigram full-text index. unicode61 (FTS5's
  // default) does not split Chinese into words; trigrams find any substring of 3+ characters
  // in any script, English words included. The index is keyed by sort_key (creation time
  // × 1024 + a sequence number), not by id, so that walking it by rowid walks the entries
  // newest first — even those imported or added out of order (see query-sql.ts).
  // entries_grams indexes the 1–2 character pieces the trigram index cannot find (see
  // search-text.ts); it is filled by the store, which computes them, and emptied by trigger.
  // Its queries are single tokens, so it keeps no positions (detail = none). The trigram
  // index keeps no document sizes (columnsize = 0): results are ordered by time, not ranked.
  `
  CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    audio_start_ms INTEGER,
    audio_end_ms INTEGER,
    duration_ms INTEGER,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    language TEXT NOT NULL,
    dictation_id TEXT,
    target_app TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    failure_reason TEXT,
    audio_path TEXT,
    sort_key INTEGER NOT NULL UNIQUE
  );
  CREATE VIRTUAL TABLE entries_fts USING fts5 (
    text, content = 'entries', content_rowid = 'sort_key', columnsize = 0,
    tokenize = 'trigram remove_diacritics 1'
  );
  CREATE VIRTUAL TABLE entries_grams USING fts5 (
    grams, content = '', contentless_delete = 1, detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER entries_grams_delete AFTER DELETE ON entries BEGIN
    DELETE FROM entries_grams WHERE rowid = old.sort_key;
  END;
  CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts (rowid, text) VALUES (new.sort_key, new.text);
  END;
  CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, text) VALUES ('delete', old.sort_key, old.text);
  END;
  CREATE TRIGGER entries_fts_update AFTER UPDATE OF text ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, text) VALUES ('delete', old.sort_key, old.text);
    INSERT INTO entries_fts (rowid, text) VALUES (new.sort_key, new.text);
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

// How many segments of one level FTS5 merges at a time. FTS5 writes a small segment per commit
// and, by default, merges every 4 segments of a level, in bursts of work that landed inside
// one add() in 64: hundreds of pages rewritten and synced (tens of milliseconds), about 4
// extra pages per add() on average. Merging 16 at a time rewrites each entry's index data
// half as often; a search then walks up to 15 segments per level, which on 100,000 entries
// added one by one costs well under a millisecond more.
const AUTOMERGE = 16;

/** Sets the full-text indexes' merge policy. It is kept in each index's config table and is
 * not part of the schema: a Tingxie without this reads and writes the indexes the same way. */
export function tuneIndexes(db: DatabaseSync): void {
  for (const index of ['entries_fts', 'entries_grams']) {
    const row = db.prepare(`SELECT v FROM ${index}_config WHERE k = 'automerge'`).get() as
      { v: unknown } | undefined;
    if (row?.v !== AUTOMERGE) {
      db.exec(`INSERT INTO ${index} (${index}, rank) VALUES ('automerge', ${AUTOMERGE})`);
    }
  }
}

/** The database was written by a newer Tingxie whose schema this version does not know. */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
  readonly version: number;
  constructor(version: number) {
    super(
      `The history database has schema version ${version}, made by a newer Tingxie ` +
        `(this one knows up to ${SCHEMA_VERSION}).`,
    );
    this.version = version;
  }
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

/** Brings the database up to SCHEMA_VERSION. Safe when two processes open the store at once:
 * each step re-reads the version inside its write transaction. */
export function migrate(db: DatabaseSync): void {
  for (;;) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const version = schemaVersion(db);
      if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
      if (version === SCHEMA_VERSION) {
        db.exec('COMMIT');
        return;
      }
      db.exec(MIGRATIONS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      // SQLite may already have rolled back (disk full does that).
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
}
