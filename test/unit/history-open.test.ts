import { afterEach, beforeEach, expect, test } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/log.ts';
import { HistoryStore, SCHEMA_VERSION } from '../../src/core/history/index.ts';

let dir: string;
let lines: string[];
const log = () => createLogger((line) => lines.push(line), 'debug');
const entry = { text: 'kept', provider: 'local', model: 'm' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-open-'));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const asideFiles = (tag: string) => readdirSync(dir).filter((f) => f.includes(`.${tag}-`));

test('a file that is not a database is moved aside with a message, and a fresh store opens', () => {
  const file = join(dir, 'history.sqlite');
  writeFileSync(file, 'this is not SQLite '.repeat(500));
  const store = HistoryStore.open(dir, { log: log() });
  try {
    expect(store.persistent).toBe(true);
    expect(store.notice).toMatch(/history database was damaged \(file is not a database\)/);
    expect(store.notice).toMatch(/history\.sqlite\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(lines.some((l) => l.includes('error: The history database was damaged'))).toBe(true);
    const aside = asideFiles('corrupt');
    expect(aside).toHaveLength(1);
    expect(existsSync(join(dir, aside[0]!))).toBe(true);
    const id = store.add(entry);
    expect(store.get(id)?.text).toBe('kept');
  } finally {
    store.close();
  }
  // The next start finds a healthy store: no crash loop, no second move.
  const again = HistoryStore.open(dir, { log: log() });
  expect(again.notice).toBeUndefined();
  expect(again.list()).toHaveLength(1);
  again.close();
  expect(asideFiles('corrupt')).toHaveLength(1);
});

test('a database damaged inside is caught by the integrity check', () => {
  const store = HistoryStore.open(dir);
  for (let i = 0; i < 300; i++) store.add({ ...entry, text: `entry number ${i} `.repeat(20) });
  store.close();
  // Overwrite a page in the middle of the file, past the header and the schema.
  const file = join(dir, 'history.sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096 * 4);
  closeSync(fd);
  const reopened = HistoryStore.open(dir, { log: log() });
  expect(reopened.notice).toMatch(/damaged/);
  expect(reopened.list()).toEqual([]);
  reopened.close();
  expect(asideFiles('corrupt')).toHaveLength(1);
});

test('the WAL travels with a moved-aside database, so its committed entries are not lost', () => {
  const file = join(dir, 'history.sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (42)');
  // A version newer than this Tingxie knows, whatever that is.
  const newer = SCHEMA_VERSION + 1;
  db.exec(`PRAGMA user_version = ${newer}`);
  // Leave the WAL behind, as a crashed newer app would.
  const copy = (suffix: string) => copyFileSync(file + suffix, join(dir, `snapshot${suffix}`));
  copy('');
  copy('-wal');
  db.close();
  rmSync(file);
  renameSync(join(dir, 'snapshot'), file);
  renameSync(join(dir, 'snapshot-wal'), `${file}-wal`);

  const store = HistoryStore.open(dir, { log: log() });
  expect(store.notice).toContain(
    `schema version ${newer}, made by a newer Tingxie (this one knows up to ${SCHEMA_VERSION})`,
  );
  expect(store.notice).toMatch(/rename it back/);
  store.close();
  const [aside] = asideFiles('newer').filter((f) => !f.endsWith('-wal') && !f.endsWith('-shm'));
  const moved = new DatabaseSync(join(dir, aside!));
  expect(moved.prepare('SELECT x FROM t').get()).toEqual({ x: 42 });
  moved.close();
});

test('an unusable folder gives an in-memory store with a message, not a crash', () => {
  const notADir = join(dir, 'file');
  writeFileSync(notADir, '');
  const store = HistoryStore.open(join(notADir, 'sub'), { log: log() });
  expect(store.persistent).toBe(false);
  expect(store.notice).toMatch(/History cannot be saved in .*file\/sub/);
  expect(store.notice).toMatch(/kept in memory until Tingxie quits/);
  const id = store.add(entry, { samples: new Int16Array(160), sampleRate: 16000 });
  expect(store.get(id)).toMatchObject({ text: 'kept', audioPath: null });
  store.close();
});

test('an old schema is migrated and user_version records it', () => {
  const file = join(dir, 'history.sqlite');
  new DatabaseSync(file).close(); // an empty database: version 0
  const store = HistoryStore.open(dir);
  store.close();
  const db = new DatabaseSync(file);
  expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
  expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
  db.close();
});
