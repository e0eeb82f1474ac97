// Opening the history database so that a bad file never stops the app: a corrupt file, or one
// from a newer Tingxie, is moved aside (never deleted) and a fresh store is created; when even
// that is impossible (disk full, no permission) history runs in memory and says so.
import { DatabaseSync } from 'node:sqlite';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import type { Logger } from '../log.ts';
import { migrate, NewerSchemaError, tuneIndexes } from './schema.ts';

export interface OpenedDatabase {
  db: DatabaseSync;
  /** False when history could only be kept in memory. */
  persistent: boolean;
  /** What went wrong while opening, for a person; undefined when all went well. */
  notice?: string;
}

// SQLite primary result codes (the low byte of an extended code).
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const PAGE_SIZE = 2048;

function sqliteCode(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown }).errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/** Whether the file itself is bad (so moving it aside helps), as opposed to the disk or
 * the permissions (where a fresh file would fail the same way). */
function isBadFile(err: unknown): boolean {
  const code = sqliteCode(err);
  return err instanceof NewerSchemaError || code === SQLITE_CORRUPT || code === SQLITE_NOTADB;
}

function configure(db: DatabaseSync): void {
  // Another process (the CLI beside the app) may hold the write lock for a moment.
  db.exec('PRAGMA busy_timeout = 5000');
  // Every commit writes each page it touched to the WAL and syncs it: for an add(), the row,
  // its unique index and their parent pages (the full-text index is written later, see
  // store.ts). Smaller pages make that sync shorter (a 100,000-entry bench: insert p50
  // 0.6 → 0.45 ms on ext4, when each add() also wrote the index) without slowing searches. It only takes effect on a new
  // database (before its first table); an existing one keeps its page size.
  db.exec(`PRAGMA page_size = ${PAGE_SIZE}`);
  db.exec('PRAGMA journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL already survives a killed process, but a power cut
  // could lose the last transcripts; FULL syncs the WAL on every commit, which costs one
  // fsync per spoken turn (well under a millisecond here) for speech that cannot be repeated.
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
}

function checkIntegrity(db: DatabaseSync): void {
  const rows = db.prepare('PRAGMA quick_check(1)').all() as { quick_check: string }[];
  const result = rows[0]?.quick_check ?? 'no result';
  if (result !== 'ok') {
    throw Object.assign(new Error(`integrity check failed: ${result}`), {
      errcode: SQLITE_CORRUPT,
    });
  }
}

function openFile(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  try {
    configure(db);
    checkIntegrity(db);
    migrate(db);
    tuneIndexes(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Moves the database and its WAL and shared-memory files to `<name>.<tag>-<time>`, keeping
 * the committed transactions that still sit in the WAL beside it. Returns the new path. */
function moveAside(file: string, tag: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.${tag}-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/** node:sqlite's message names what failed ("no such table: x"); errstr only its kind. */
function reason(err: unknown): string {
  const e = err as { errstr?: string; message?: string };
  return e.message || e.errstr || String(err);
}

export function openHistoryDatabase(dir: string, file: string, log: Logger): OpenedDatabase {
  const inMemory = (why: string): OpenedDatabase => {
    const notice =
      `History cannot be saved in ${dir} (${why}). ` +
      'Transcripts are kept in memory until Tingxie quits; free some disk space or check the ' +
      'folder permissions, then restart.';
    log.error(notice);
    const db = new DatabaseSync(':memory:');
    migrate(db);
    return { db, persistent: false, notice };
  };

  try {
    mkdirSync(dir, { recursive: true });
    return { db: openFile(file), persistent: true };
  } catch (err) {
    if (!isBadFile(err)) return inMemory(reason(err));
    const newer = err instanceof NewerSchemaError;
    let aside: string;
    try {
      aside = moveAside(file, newer ? 'newer' : 'corrupt', new Date());
    } catch (moveErr) {
      return inMemory(`${reason(err)}; it could not be moved aside: ${reason(moveErr)}`);
    }
    const notice = newer
      ? `${reason(err)} It was moved to ${aside} and a new history was started; ` +
        'a newer Tingxie can open it again if you rename it back to ' +
        `${file}.`
      : `The history database was damaged (${reason(err)}). It was moved to ${aside} ` +
        'and a new history was started.';
    log.error(notice);
    try {
      return { db: openFile(file), persistent: true, notice };
    } catch (freshErr) {
      return { ...inMemory(reason(freshErr)), notice: `${notice} ${reason(freshErr)}` };
    }
  }
}
