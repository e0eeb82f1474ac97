// A history file read the way another process reads it: through a connection of its own, so a
// test sees what is committed to the file, not what a store holds in memory.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { DATABASE_FILE } from '../../src/core/history/index.ts';

/** Runs `read` on a read-only connection to the history in `dir`, closed after. */
export function readHistoryFile<T>(dir: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Ids of entries saved but not in the full-text index yet. */
export function pendingIds(dir: string): number[] {
  return readHistoryFile(dir, (db) => {
    const rows = db
      .prepare(
        `SELECT id FROM entries
           WHERE id > (SELECT indexed_through FROM index_watermark) ORDER BY id`,
      )
      .all() as { id: number }[];
    return rows.map((row) => row.id);
  });
}

/** How many rows the full-text index holds. */
export function indexedRows(dir: string): number {
  return readHistoryFile(dir, (db) =>
    Number((db.prepare('SELECT count(*) AS n FROM entries_fts_docsize').get() as { n: number }).n),
  );
}

/** FTS5's own integrity check of the full-text index passes (it writes, so the connection may). */
export function expectFullTextIndexWhole(dir: string): void {
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  try {
    expect(() =>
      db.exec(`INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')`),
    ).not.toThrow();
  } finally {
    db.close();
  }
}
