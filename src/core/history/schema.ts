// The history schema and its migrations. `PRAGMA user_version` holds the schema version;
// migration N takes a database from version N to N + 1, inside one transaction.
import type { DatabaseSync } from 'node:sqlite';
import { indexText } from './search-text.ts';

type Migration = (db: DatabaseSync) => void;

const MIGRATIONS: readonly Migration[] = [
  // 0 → 1: entries, ordered by their unique sort_key, and a trigram full-text index. unicode61 (FTS5's
  // default) does not split Chinese into words; trigrams find any substring of 3+ characters
  // in any script, English words included. The index is keyed by sort_key (creation time
  // × 1024 + a sequence number), not by id, so that walking it by rowid walks the entries
  // newest first — even those imported or added out of order (see query-sql.ts).
  // entries_grams indexes the 1–2 character pieces the trigram index cannot find (until
  // migration 2 folded them into one index); the store fills it and a trigger empties it.
  // Its queries are single tokens, so it keeps no positions (detail = none). The trigram
  // index keeps no document sizes (columnsize = 0): results are ordered by time, not ranked.
  (db) =>
    db.exec(`
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
  `),
  // 1 → 2: one full-text index instead of two. Every add() wrote a segment, a structure record
  // and an index entry to each of them, and synced it all: about 18 pages, half of them the
  // short-gram index's. Now the 1–2 character pieces are trigrams of a marked copy of the text
  // in the same index (search-text.ts). The store computes what is indexed, so the index is
  // contentless: it keeps no copy of the text, and SQLite cannot rebuild it — this step does,
  // from `entries`. Contentless tables need `contentless_delete` to forget a row, and that
  // keeps a size per row (columnsize cannot be 0).
  (db) => {
    db.exec(`
  DROP TRIGGER entries_grams_delete;
  DROP TRIGGER entries_fts_insert;
  DROP TRIGGER entries_fts_delete;
  DROP TRIGGER entries_fts_update;
  DROP TABLE entries_grams;
  DROP TABLE entries_fts;
  CREATE VIRTUAL TABLE entries_fts USING fts5 (
    indexed_text, content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
  );
  CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
    DELETE FROM entries_fts WHERE rowid = old.sort_key;
  END;
  `);
    const insert = db.prepare('INSERT INTO entries_fts (rowid, indexed_text) VALUES (?, ?)');
    const rows = db.prepare('SELECT sort_key, text FROM entries').iterate() as Iterable<{
      sort_key: number;
      text: string;
    }>;
    for (const row of rows) insert.run(row.sort_key, indexText(row.text));
  },
  // 2 → 3: the full-text index is written after the entry, not in the same commit. An add()
  // that also wrote the index synced about twice the pages (its new segment, structure record
  // and term index beside the row): p95 ~1 ms instead of ~0.4 ms on 100,000 entries. Now
  // add() writes the row only, and the store indexes the entries added since the last time in
  // one transaction: when writes pause, and always before a query that uses the index (see
  // store.ts). `indexed_through` is the id up to which entries are in the index; ids are
  // AUTOINCREMENT, so they only grow and are never given again, and every entry above it is
  // pending. A pending entry has nothing in the index to delete.
  (db) =>
    db.exec(`
  CREATE TABLE index_watermark (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    indexed_through INTEGER NOT NULL
  );
  INSERT INTO index_watermark (singleton, indexed_through)
    SELECT 1, coalesce(max(id), 0) FROM entries;
  DROP TRIGGER entries_fts_delete;
  CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries
    WHEN old.id <= (SELECT indexed_through FROM index_watermark) BEGIN
    DELETE FROM entries_fts WHERE rowid = old.sort_key;
  END;
  `),
  // 3 → 4: the raw transcript beside the final text (the text pipeline: vocabulary, rules,
  // script, spacing…, core/text). NULL means the same as `text`: every entry from before, and
  // every one that no step changed, which costs nothing. The full-text index holds the final
  // text only (search-text.ts), so it needs no rebuild.
  (db) => db.exec('ALTER TABLE entries ADD COLUMN raw_text TEXT'),
  // 4 → 5: the text after the rules, before the LLM clean-up, and the turn's confidence (0–1,
  // from the log probabilities some servers send). rules_text NULL means the same as `text`:
  // no clean-up ran, or it changed nothing, and every entry from before. confidence NULL: the
  // server sent none. Nothing to fill in for old rows.
  (db) =>
    db.exec(`
  ALTER TABLE entries ADD COLUMN rules_text TEXT;
  ALTER TABLE entries ADD COLUMN confidence REAL;
  `),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

// The full-text index's merge policy. FTS5 writes a small segment per commit that indexes
// entries (a batch of pending ones: see migration 2 → 3) and merges the segments of a level
// into one of the next level.
//  - automerge: how many segments of one level it merges at a time, a little work per commit.
//    By default 4, in bursts that landed inside one commit in 64: hundreds of pages rewritten
//    and synced (tens of milliseconds). 16 rewrites each entry's index data half as often.
//  - crisismerge: how many segments of one level force a whole merge of that level inside
//    the commit that makes them. By default 16 — with automerge 16 that was every 16th commit,
//    and the slowest 6 % of them (CPU p95 0.43 → 0.23 ms with 64, on 100,000 entries, when
//    each add() still wrote the index).
// A search walks every segment: up to 15 per level and 63 new ones cost well under a
// millisecond on 100,000 entries indexed one by one (a search after every add()).
const MERGE_POLICY = { automerge: 16, crisismerge: 64 } as const;

/** Sets the full-text index's merge policy. It is kept in the index's config table and is
 * not part of the schema: a Tingxie without this reads and writes the index the same way. */
export function tuneIndexes(db: DatabaseSync): void {
  const current = db.prepare('SELECT v FROM entries_fts_config WHERE k = ?');
  for (const [key, value] of Object.entries(MERGE_POLICY)) {
    const row = current.get(key) as { v: unknown } | undefined;
    if (row?.v !== value) {
      db.exec(`INSERT INTO entries_fts (entries_fts, rank) VALUES ('${key}', ${value})`);
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
      try {
        MIGRATIONS[version]!(db);
      } catch (err) {
        // Keeps SQLite's error code, so that a damaged file is still recognized as one.
        throw Object.assign(
          new Error(
            `the history could not be upgraded from schema ${version} to ${version + 1}, ` +
              `and was left as it was: ${(err as Error).message}`,
          ),
          { errcode: (err as { errcode?: unknown }).errcode, cause: err },
        );
      }
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      // SQLite may already have rolled back (disk full does that).
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
}
