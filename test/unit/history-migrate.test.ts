// A history written by an older Tingxie opens in this one with nothing lost: its full-text
// index is rebuilt (schema 1) or kept and marked as whole (schema 2) inside the migration's
// transaction, and every entry gets the raw transcript beside its text (schema 3): the same;
// and the rules text and a confidence (schema 4): the same, and none.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/log.ts';
import { DATABASE_FILE, HistoryStore, SCHEMA_VERSION } from '../../src/core/history/index.ts';
import { expectFullTextIndexWhole, readHistoryFile } from '../helpers/history-file.ts';

// Schema 1 exactly as Tingxie created it, frozen here: the code only keeps the migrations.
const SCHEMA_1 = `
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
  PRAGMA user_version = 1;
`;

/** Schema 1's short-gram text: each distinct 1–2 character piece of each word. */
function schema1Grams(text: string): string {
  const grams = new Set<string>();
  for (const [run] of text.matchAll(/[\p{L}\p{N}\p{Co}]+/gu)) {
    const chars = [...run];
    chars.forEach((c, i) => {
      grams.add(c);
      if (i + 1 < chars.length) grams.add(c + chars[i + 1]!);
    });
  }
  return [...grams].join(' ');
}

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const TEXTS = [
  '今天天气很好，我们去公园散步吧',
  'The quick brown fox jumps over the lazy dog',
  '明天的会议改到下午三点 with the design team',
  '', // a failed turn, kept with its audio for a retry
  'Rendez-vous au café à 15 h 😀',
];

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-migrate-'));
  file = join(dir, DATABASE_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A store as an older schema left it: `schema` (frozen above) on a new file, every text of
 * TEXTS added with `indexSql` filling that schema's own index from `indexText`, and one more
 * entry deleted again (so ids have a gap, and the highest id ever given is gone). Returns every
 * row of `entries`. */
function createOldStore(
  schema: string,
  indexSql: string,
  indexText: (text: string) => string,
): unknown[] {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA page_size = 2048; PRAGMA journal_mode = WAL');
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO entries (text, created_at, audio_start_ms, audio_end_ms, duration_ms, provider,
       model, language, dictation_id, target_app, status, failure_reason, audio_path, sort_key)
     VALUES (?, ?, 100, 2100, 2000, 'local', 'pocketsphinx', 'auto', ?, NULL, ?, ?, ?, ?)`,
  );
  const index = db.prepare(indexSql);
  [...TEXTS, 'deleted before the upgrade'].forEach((text, i) => {
    const createdAt = T0 + i * 60_000;
    const failed = text === '';
    insert.run(
      text,
      createdAt,
      `d${i}`,
      failed ? 'failed' : 'ok',
      failed ? 'audio_unintelligible' : null,
      failed ? `audio/${createdAt}-0a1b2c3d.wav` : null,
      createdAt * 1024,
    );
    index.run(createdAt * 1024, indexText(text));
  });
  db.exec(`DELETE FROM entries WHERE text = 'deleted before the upgrade'`);
  const rows = db.prepare('SELECT * FROM entries ORDER BY id').all();
  db.close();
  return rows;
}

/** Rows of an older schema as they read after the upgrade: raw_text and rules_text added, NULL
 * (= the text), and no confidence. */
const withRawText = (rows: unknown[]) =>
  rows.map((row) => ({
    raw_text: null,
    ...(row as Record<string, unknown>),
    rules_text: null,
    confidence: null,
  }));

/** The file after an upgrade: at this schema, its full-text index and the database whole. */
function expectUpgradedAndWhole(db: DatabaseSync): void {
  expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
  expectFullTextIndexWhole(dir);
  expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
}

/** Schema 1 as it was left with one entry deleted. */
const createSchema1Store = () =>
  createOldStore(SCHEMA_1, 'INSERT INTO entries_grams (rowid, grams) VALUES (?, ?)', schema1Grams);

test('a schema 1 store is migrated on open: every entry kept, the one index rebuilt', () => {
  const before = createSchema1Store();
  const lines: string[] = [];
  const store = HistoryStore.open(dir, { log: createLogger((l) => lines.push(l), 'debug') });
  try {
    expect(store.notice).toBeUndefined();
    expect(store.persistent).toBe(true);
    const found = (q: string) => store.search(q).map((e) => e.text);
    // 3+ characters, 1–2 characters (Chinese and Latin), punctuation, several terms.
    expect(found('天气很好')).toEqual([TEXTS[0]]);
    expect(found('天气')).toEqual([TEXTS[0]]);
    expect(found('会')).toEqual([TEXTS[2]]);
    expect(found('fox')).toEqual([TEXTS[1]]);
    expect(found('ox')).toEqual([TEXTS[1]]);
    expect(found('café 😀')).toEqual([TEXTS[4]]);
    expect(found('the')).toEqual([TEXTS[2], TEXTS[1]]);
    expect(found('，')).toEqual([TEXTS[0]]);
    expect(found('deleted')).toEqual([]);
    expect(store.count({ query: '天' })).toBe(2);
    // The failed turn still names its audio for a retry.
    expect(store.list({ status: 'failed' })[0]?.audioPath).toMatch(/audio\/\d+-0a1b2c3d\.wav$/);
    // Ids of deleted entries are still never given again.
    const maxId = Math.max(...before.map((r) => (r as { id: number }).id));
    expect(store.add({ text: 'after the upgrade', provider: 'local', model: 'm' })).toBe(maxId + 2);
  } finally {
    store.close();
  }
  expect(lines.filter((l) => l.includes('error'))).toEqual([]);

  const db = new DatabaseSync(file);
  expectUpgradedAndWhole(db);
  expect(
    db.prepare(`SELECT * FROM entries WHERE text <> 'after the upgrade' ORDER BY id`).all(),
  ).toEqual(withRawText(before));
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'entries_grams'`).all();
  expect(tables).toEqual([]);
  db.close();
});

test('a migration that fails changes nothing in the file', () => {
  const before = createSchema1Store();
  // Something schema 1 always had is missing: the migration fails part way.
  const broken = new DatabaseSync(file);
  broken.exec('DROP TRIGGER entries_fts_update');
  broken.close();

  const store = HistoryStore.open(dir, { log: createLogger(() => {}, 'debug') });
  expect(store.persistent).toBe(false);
  expect(store.notice).toMatch(
    /could not be upgraded from schema 1 to 2, and was left as it was: no such trigger: entries_fts_update/,
  );
  store.close();

  const db = new DatabaseSync(file);
  expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
  expect(db.prepare('SELECT * FROM entries ORDER BY id').all()).toEqual(before);
  const indexes = db
    .prepare(`SELECT name FROM sqlite_schema WHERE name IN ('entries_fts', 'entries_grams')`)
    .all()
    .map((r) => r.name);
  expect(indexes.sort()).toEqual(['entries_fts', 'entries_grams']);
  db.close();
});

// Schema 2 exactly as Tingxie created it (after migration 1 → 2), frozen here.
const SCHEMA_2 = `
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
    indexed_text, content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
  );
  CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
    DELETE FROM entries_fts WHERE rowid = old.sort_key;
  END;
  INSERT INTO entries_fts (entries_fts, rank) VALUES ('automerge', 16);
  INSERT INTO entries_fts (entries_fts, rank) VALUES ('crisismerge', 64);
  PRAGMA user_version = 2;
`;

/** Schema 2's indexed text: the text, a separator, and the text with a marker around each
 * character. */
function schema2IndexText(text: string): string {
  const plain = text.replaceAll('\x01', ' ').replaceAll('\x02', ' ');
  return `${plain}\x02\x01${[...plain].join('\x01')}\x01`;
}

/** Schema 2 as it was left (every entry indexed as it was added) with one entry deleted. */
const createSchema2Store = () =>
  createOldStore(
    SCHEMA_2,
    'INSERT INTO entries_fts (rowid, indexed_text) VALUES (?, ?)',
    schema2IndexText,
  );

test('a schema 2 store is migrated on open: every entry indexed, later adds indexed later', () => {
  const before = createSchema2Store();
  const maxId = Math.max(...before.map((r) => (r as { id: number }).id));
  const lines: string[] = [];
  const store = HistoryStore.open(dir, { log: createLogger((l) => lines.push(l), 'debug') });
  const indexed = () =>
    readHistoryFile(dir, (db) =>
      db
        .prepare(
          `SELECT (SELECT indexed_through FROM index_watermark) AS through,
             (SELECT count(*) FROM entries_fts_docsize) AS rows`,
        )
        .get(),
    );
  try {
    expect(store.notice).toBeUndefined();
    expect(store.persistent).toBe(true);
    // Everything schema 2 had is in the index: nothing is pending, nothing indexed twice.
    expect(indexed()).toEqual({ through: maxId, rows: TEXTS.length });
    const found = (q: string) => store.search(q).map((e) => e.text);
    expect(found('天气很好')).toEqual([TEXTS[0]]);
    expect(found('会')).toEqual([TEXTS[2]]);
    expect(found('the')).toEqual([TEXTS[2], TEXTS[1]]);
    expect(found('deleted')).toEqual([]);

    // An entry from before the upgrade leaves the index when deleted.
    const fox = store.search('fox')[0]!;
    expect(store.delete(fox.id)).toBe(true);
    expect(found('fox')).toEqual([]);
    expect(indexed()).toEqual({ through: maxId, rows: TEXTS.length - 1 });
    // A new entry gets the next id and waits for the index until a search needs it.
    const id = store.add({ text: 'after the upgrade 升级之后', provider: 'local', model: 'm' });
    expect(id).toBe(maxId + 2);
    expect(indexed()).toEqual({ through: maxId, rows: TEXTS.length - 1 });
    expect(found('升级')).toEqual(['after the upgrade 升级之后']);
    expect(indexed()).toEqual({ through: id, rows: TEXTS.length });
  } finally {
    store.close();
  }
  expect(lines.filter((l) => l.includes('error'))).toEqual([]);

  const db = new DatabaseSync(file);
  expectUpgradedAndWhole(db);
  expect(
    db
      .prepare(`SELECT * FROM entries WHERE text <> 'after the upgrade 升级之后' ORDER BY id`)
      .all(),
  ).toEqual(withRawText(before.filter((r) => (r as { text: string }).text !== TEXTS[1])));
  db.close();
});

// Schema 3 exactly as Tingxie created it (after migration 2 → 3), frozen here.
const SCHEMA_3 = `${SCHEMA_2.replace('PRAGMA user_version = 2;', '')}
  CREATE TABLE index_watermark (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    indexed_through INTEGER NOT NULL
  );
  INSERT INTO index_watermark (singleton, indexed_through) VALUES (1, 0);
  DROP TRIGGER entries_fts_delete;
  CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries
    WHEN old.id <= (SELECT indexed_through FROM index_watermark) BEGIN
    DELETE FROM entries_fts WHERE rowid = old.sort_key;
  END;
  PRAGMA user_version = 3;
`;

test('a schema 3 store is migrated on open: every entry kept, its raw text its text', () => {
  const before = createOldStore(
    SCHEMA_3,
    'INSERT INTO entries_fts (rowid, indexed_text) VALUES (?, ?)',
    schema2IndexText,
  );
  const maxId = Math.max(...before.map((r) => (r as { id: number }).id));
  const setWatermark = new DatabaseSync(file);
  setWatermark.exec(`UPDATE index_watermark SET indexed_through = ${maxId}`);
  setWatermark.close();

  const store = HistoryStore.open(dir, { log: createLogger(() => {}, 'debug') });
  try {
    expect(store.notice).toBeUndefined();
    expect(store.persistent).toBe(true);
    const all = store.list();
    expect(all.map((e) => e.text)).toEqual([...TEXTS].reverse());
    for (const entry of all) expect(entry.rawText).toBe(entry.text);
    expect(store.search('fox').map((e) => e.rawText)).toEqual([TEXTS[1]]);

    // A correction of an entry from before keeps what it was as its raw text.
    const fox = store.search('fox')[0]!;
    const corrected = store.update(fox.id, { text: 'The quick brown Fox jumps' })!;
    expect(corrected).toMatchObject({ text: 'The quick brown Fox jumps', rawText: TEXTS[1] });
    // A new entry keeps both.
    const id = store.add({
      text: '我用 Kubernetes 部署',
      rawText: '我用cooper netties部署',
      provider: 'local',
      model: 'm',
    });
    expect(store.get(id)).toMatchObject({
      text: '我用 Kubernetes 部署',
      rawText: '我用cooper netties部署',
    });
    expect(store.search('Kubernetes').map((e) => e.id)).toEqual([id]);
  } finally {
    store.close();
  }

  const db = new DatabaseSync(file);
  expectUpgradedAndWhole(db);
  const rows = db.prepare('SELECT id, text, raw_text FROM entries ORDER BY id').all();
  expect(rows.slice(0, TEXTS.length)).toEqual(
    before.map((row) => {
      const { id, text } = row as { id: number; text: string };
      return id === (before[1] as { id: number }).id
        ? { id, text: 'The quick brown Fox jumps', raw_text: TEXTS[1] }
        : { id, text, raw_text: null };
    }),
  );
  db.close();
});

// Schema 4 exactly as Tingxie created it (after migration 3 → 4), frozen here.
const SCHEMA_4 = `${SCHEMA_3.replace('PRAGMA user_version = 3;', '')}
  ALTER TABLE entries ADD COLUMN raw_text TEXT;
  PRAGMA user_version = 4;
`;

test('a schema 4 store is migrated on open: every entry kept, rules text its text, no confidence', () => {
  const before = createOldStore(
    SCHEMA_4,
    'INSERT INTO entries_fts (rowid, indexed_text) VALUES (?, ?)',
    schema2IndexText,
  );
  const maxId = Math.max(...before.map((r) => (r as { id: number }).id));
  const old = new DatabaseSync(file);
  old.exec(`UPDATE index_watermark SET indexed_through = ${maxId}`);
  // One entry whose pipeline changed what was heard, as schema 4 kept it.
  old.exec(`UPDATE entries SET raw_text = 'the quick brown fox' WHERE text = '${TEXTS[1]}'`);
  const rowsBefore = old.prepare('SELECT * FROM entries ORDER BY id').all();
  old.close();

  const store = HistoryStore.open(dir, { log: createLogger(() => {}, 'debug') });
  try {
    expect(store.notice).toBeUndefined();
    expect(store.persistent).toBe(true);
    const all = store.list();
    expect(all.map((e) => e.text)).toEqual([...TEXTS].reverse());
    for (const entry of all) {
      expect(entry.rulesText).toBe(entry.text);
      expect(entry.confidence).toBeNull();
    }
    const fox = store.search('fox')[0]!;
    expect(fox.rawText).toBe('the quick brown fox');

    // A new entry keeps what was heard, the rules text, the cleaned text and its confidence.
    const id = store.add({
      text: '我们下周二发布新版本吗？',
      rulesText: '我们下周二发布新版本吗',
      rawText: '我们下周二发布新版本吗',
      confidence: 0.43,
      provider: 'openai',
      model: 'gpt-4o-transcribe',
    });
    expect(store.get(id)).toMatchObject({
      text: '我们下周二发布新版本吗？',
      rulesText: '我们下周二发布新版本吗',
      rawText: '我们下周二发布新版本吗',
      confidence: 0.43,
    });
    // A correction keeps the rules text the entry had, as it keeps the raw one.
    expect(store.update(id, { text: '我们下周二发布新版本。' })).toMatchObject({
      text: '我们下周二发布新版本。',
      rulesText: '我们下周二发布新版本吗',
      rawText: '我们下周二发布新版本吗',
    });
    expect(() => store.add({ text: 'x', confidence: 1.5, provider: 'openai', model: 'm' })).toThrow(
      /confidence must be a number from 0 to 1/,
    );
  } finally {
    store.close();
  }

  const db = new DatabaseSync(file);
  expectUpgradedAndWhole(db);
  expect(db.prepare(`SELECT * FROM entries WHERE id <= ${maxId} ORDER BY id`).all()).toEqual(
    withRawText(rowsBefore),
  );
  db.close();
});
