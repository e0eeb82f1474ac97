import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../../src/core/audio/wav.ts';
import {
  DATABASE_FILE,
  HistoryStore,
  type HistoryChange,
  type NewHistoryEntry,
} from '../../src/core/history/index.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);

function entry(text: string, extra: Partial<NewHistoryEntry> = {}): NewHistoryEntry {
  return { text, provider: 'local', model: 'pocketsphinx', language: 'auto', ...extra };
}

const audio = {
  samples: Int16Array.from({ length: 1600 }, (_, i) => (i % 64) * 100),
  sampleRate: 16000,
};

let dir: string;
let store: HistoryStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-'));
  store = HistoryStore.open(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('adding and reading', () => {
  test('an entry comes back with every field, and survives reopening', () => {
    const id = store.add(
      entry('今天天气很好', {
        createdAt: NOW,
        audioStartMs: 1000,
        audioEndMs: 3500,
        dictationId: 'd1',
        targetApp: 'gedit',
        language: 'zh',
        confidence: 0.87,
      }),
    );
    const expected = {
      id,
      text: '今天天气很好',
      rawText: '今天天气很好',
      rulesText: '今天天气很好',
      confidence: 0.87,
      createdAt: NOW,
      audioStartMs: 1000,
      audioEndMs: 3500,
      durationMs: 2500,
      provider: 'local',
      model: 'pocketsphinx',
      language: 'zh',
      dictationId: 'd1',
      targetApp: 'gedit',
      status: 'ok',
      failureReason: null,
      audioPath: null,
    };
    expect(store.get(id)).toEqual(expected);
    store.close();
    store = HistoryStore.open(dir);
    expect(store.persistent).toBe(true);
    expect(store.notice).toBeUndefined();
    expect(store.get(id)).toEqual(expected);
    expect(existsSync(join(dir, 'history.sqlite'))).toBe(true);
  });

  test('lists newest first, with keyset and offset paging and date filters', () => {
    const ids = [0, 1, 2, 3, 4].map((i) =>
      store.add(entry(`turn ${i}`, { createdAt: NOW + i * DAY })),
    );
    const texts = (list: { text: string }[]) => list.map((e) => e.text);
    expect(texts(store.list())).toEqual(['turn 4', 'turn 3', 'turn 2', 'turn 1', 'turn 0']);
    const page1 = store.list({ limit: 2 });
    expect(texts(page1)).toEqual(['turn 4', 'turn 3']);
    expect(texts(store.list({ limit: 2, before: page1.at(-1)! }))).toEqual(['turn 2', 'turn 1']);
    expect(texts(store.list({ limit: 2, offset: 3 }))).toEqual(['turn 1', 'turn 0']);
    expect(texts(store.list({ from: NOW + DAY, to: NOW + 3 * DAY }))).toEqual(['turn 2', 'turn 1']);
    expect(store.count({ from: NOW + DAY })).toBe(4);
    expect(new Set(ids).size).toBe(5);
  });

  test('entries created in the same millisecond keep a stable order', () => {
    const a = store.add(entry('first', { createdAt: NOW }));
    const b = store.add(entry('second', { createdAt: NOW }));
    expect(store.list().map((e) => e.id)).toEqual([b, a]);
    expect(store.list({ before: { createdAt: NOW, id: b } }).map((e) => e.id)).toEqual([a]);
  });

  test('addMany saves all or nothing, and refuses more than 1024 entries in one millisecond', () => {
    const ids = store.addMany([entry('one', { createdAt: NOW }), entry('two', { createdAt: NOW })]);
    expect(store.list().map((e) => e.id)).toEqual([...ids].reverse());
    const tooMany = Array.from({ length: 1100 }, (_, i) => entry(`x${i}`, { createdAt: NOW + 1 }));
    expect(() => store.addMany(tooMany)).toThrow(
      /Could not import the transcripts .*more than 1024 entries were given the same creation time/,
    );
    expect(store.count()).toBe(2);
  });

  test('ids of deleted entries are not reused', () => {
    const a = store.add(entry('a'));
    store.delete(a);
    expect(store.add(entry('b'))).toBeGreaterThan(a);
  });
});

describe('search', () => {
  beforeEach(() => {
    store.add(entry('今天天气很好，我们去公园散步吧', { createdAt: NOW - 3 * DAY }));
    store.add(entry('The quick brown fox jumps over the lazy dog', { createdAt: NOW - 2 * DAY }));
    store.add(entry('明天的会议改到下午三点 with the design team', { createdAt: NOW - DAY }));
    store.add(entry('Rendez-vous au café à 15 h', { createdAt: NOW }));
    store.add(entry('100% sure_thing "quoted"', { createdAt: NOW + 1 }));
  });
  const found = (q: string, opts = {}) => store.search(q, opts).map((e) => e.text);

  test('finds Chinese substrings of three or more characters through the trigram index', () => {
    expect(found('天气很好')).toEqual(['今天天气很好，我们去公园散步吧']);
    expect(found('下午三点')).toEqual(['明天的会议改到下午三点 with the design team']);
  });

  test('finds one- and two-character terms through the short-gram index', () => {
    expect(found('天气')).toEqual(['今天天气很好，我们去公园散步吧']);
    expect(found('会')).toEqual(['明天的会议改到下午三点 with the design team']);
    expect(found('天')).toEqual([
      '明天的会议改到下午三点 with the design team',
      '今天天气很好，我们去公园散步吧',
    ]);
    expect(found('OX')).toEqual(['The quick brown fox jumps over the lazy dog']);
    expect(found('fé')).toEqual(['Rendez-vous au café à 15 h']);
    expect(found('15')).toEqual(['Rendez-vous au café à 15 h']);
    expect(found('会 3')).toEqual([]);
    expect(found('气很')).toEqual(['今天天气很好，我们去公园散步吧']);
    // A piece across two words is not a gram; a longer query finds it through trigrams.
    expect(found('x j')).toEqual(['The quick brown fox jumps over the lazy dog']);
  });

  test('finds English words in any case, every term required, newest first', () => {
    expect(found('FOX')).toEqual(['The quick brown fox jumps over the lazy dog']);
    expect(found('the')).toEqual([
      '明天的会议改到下午三点 with the design team',
      'The quick brown fox jumps over the lazy dog',
    ]);
    expect(found('design 会议')).toEqual(['明天的会议改到下午三点 with the design team']);
    expect(found('fox team')).toEqual([]);
    expect(found('"lazy dog"')).toEqual(['The quick brown fox jumps over the lazy dog']);
    expect(found('"dog lazy"')).toEqual([]);
  });

  test('treats FTS and LIKE syntax in the query as plain text', () => {
    expect(found('"quoted"')).toEqual(['100% sure_thing "quoted"']);
    expect(found('0%')).toEqual(['100% sure_thing "quoted"']);
    expect(found('%')).toEqual(['100% sure_thing "quoted"']);
    expect(found('e_t')).toEqual(['100% sure_thing "quoted"']);
    expect(found('_')).toEqual(['100% sure_thing "quoted"']);
    expect(found('fox AND OR NOT')).toEqual([]);
    expect(found('jumps*')).toEqual([]);
    expect(found('café')).toEqual(['Rendez-vous au café à 15 h']);
  });

  test('orders matches by creation time even when they were added out of order, and pages', () => {
    const times = [NOW + 50, NOW - 10 * DAY, NOW + 50, NOW + 7, NOW - 10 * DAY, NOW + 99];
    const ids = times.map((t, i) => store.add(entry(`order check ${i}`, { createdAt: t })));
    // Newest first; within one millisecond, the later addition first.
    const expected = [5, 2, 0, 3, 4, 1];
    const byId = (list: { id: number }[]) => list.map((e) => ids.indexOf(e.id));
    expect(byId(store.search('order check'))).toEqual(expected);
    expect(byId(store.list({ query: 'order check' }))).toEqual(
      byId(store.list().filter((e) => e.text.startsWith('order'))),
    );
    const first = store.search('order check', { limit: 2 });
    const rest = store.search('order check', { before: first.at(-1)! });
    expect(byId([...first, ...rest])).toEqual(expected);
    expect(byId(store.search('order check', { limit: 2, offset: 2 }))).toEqual(
      expected.slice(2, 4),
    );
    expect(byId(store.search('order check', { from: NOW + 7, to: NOW + 99 }))).toEqual([2, 0, 3]);
    expect(store.count({ query: 'order check', from: NOW })).toBe(4);
    expect(store.count({ query: 'order check', status: 'failed' })).toBe(0);
  });

  test('combines search with date filters and limits', () => {
    expect(found('the', { from: NOW - DAY })).toEqual([
      '明天的会议改到下午三点 with the design team',
    ]);
    expect(found('the', { to: NOW - DAY })).toEqual([
      'The quick brown fox jumps over the lazy dog',
    ]);
    expect(found('the', { limit: 1 })).toHaveLength(1);
    expect(store.count({ query: 'the' })).toBe(2);
  });

  test('follows edits and deletions', () => {
    const [fox] = store.search('fox');
    store.update(fox!.id, { text: 'A slow green turtle 乌龟' });
    expect(found('fox')).toEqual([]);
    expect(found('ox')).toEqual([]);
    expect(found('turtle')).toEqual(['A slow green turtle 乌龟']);
    expect(found('龟')).toEqual(['A slow green turtle 乌龟']);
    store.delete(fox!.id);
    expect(found('turtle')).toEqual([]);
    expect(found('龟')).toEqual([]);
  });
});

describe('failures and updates', () => {
  test('markFailed and update record a failure and a retry result', () => {
    const id = store.add(entry('', { status: 'failed', failureReason: 'audio_unintelligible' }));
    expect(store.get(id)).toMatchObject({
      status: 'failed',
      failureReason: 'audio_unintelligible',
    });
    expect(store.markFailed(id, 'server closed')).toMatchObject({ failureReason: 'server closed' });
    const updated = store.update(id, {
      text: 'hello',
      status: 'ok',
      failureReason: null,
      model: 'm2',
    });
    expect(updated).toMatchObject({
      text: 'hello',
      status: 'ok',
      failureReason: null,
      model: 'm2',
    });
    expect(store.update(id + 1000, { text: 'x' })).toBeUndefined();
    expect(store.list({ status: 'ok' }).map((e) => e.id)).toEqual([id]);
  });
});

describe('audio', () => {
  test('by default only failed turns keep their audio, as a readable WAV', () => {
    const ok = store.add(entry('fine'), audio);
    const failed = store.add(entry('', { status: 'failed', failureReason: 'x' }), audio);
    expect(store.get(ok)!.audioPath).toBeNull();
    const path = store.get(failed)!.audioPath!;
    expect(path.startsWith(join(dir, 'audio'))).toBe(true);
    const wav = decodeWav(readFileSync(path));
    expect(wav.sampleRate).toBe(16000);
    expect(wav.channelData[0]!.length).toBe(audio.samples.length);
  });

  test('keep: all keeps every turn; keep: off keeps none', () => {
    store.close();
    store = HistoryStore.open(dir, { audio: { keep: 'all', days: null } });
    expect(store.get(store.add(entry('fine'), audio))!.audioPath).not.toBeNull();
    store.close();
    store = HistoryStore.open(dir, { audio: { keep: 'off', days: null } });
    expect(store.get(store.add(entry('', { status: 'failed' }), audio))!.audioPath).toBeNull();
  });

  test('delete removes the entry and its audio file', () => {
    const id = store.add(entry('', { status: 'failed' }), audio);
    const path = store.get(id)!.audioPath!;
    expect(existsSync(path)).toBe(true);
    expect(store.delete(id)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(store.get(id)).toBeUndefined();
    expect(store.delete(id)).toBe(false);
  });

  test('deleteAll removes every entry and audio file', () => {
    for (let i = 0; i < 5; i++) store.add(entry(`secret ${i}`, { status: 'failed' }), audio);
    expect(store.deleteAll()).toBe(5);
    expect(store.list()).toEqual([]);
    expect(store.search('secret')).toEqual([]);
    expect(existsSync(join(dir, 'audio'))).toBe(false);
    expect(store.add(entry('after'))).toBeGreaterThan(0);
  });
});

test('onChange reports every change after it is saved, and a failing listener breaks nothing', () => {
  const changes: HistoryChange[] = [];
  const stop = store.onChange((c) => changes.push(c));
  store.onChange(() => {
    throw new Error('listener bug');
  });
  const a = store.add(entry('a', { createdAt: NOW - 40 * DAY }));
  const [b, c] = store.addMany([entry('b'), entry('c')]);
  store.update(b!, { text: 'B' });
  store.update(12345, { text: 'nobody' });
  store.delete(c!);
  store.delete(c!);
  store.applyRetention({ days: 30 }, NOW);
  store.deleteAll();
  expect(changes).toEqual([
    { type: 'added', ids: [a] },
    { type: 'added', ids: [b, c] },
    { type: 'updated', ids: [b] },
    { type: 'deleted', ids: [c] },
    { type: 'deleted', ids: [a] },
    { type: 'cleared' },
  ]);
  stop();
  store.add(entry('unheard'));
  expect(changes).toHaveLength(6);
});

describe('retention', () => {
  test('deletes entries older than the day limit, with their audio', () => {
    const old = store.add(entry('old', { createdAt: NOW - 40 * DAY, status: 'failed' }), audio);
    const recent = store.add(entry('recent', { createdAt: NOW - DAY }));
    const oldAudio = store.get(old)!.audioPath!;
    expect(store.applyRetention({ days: 30 }, NOW)).toEqual({
      deletedEntries: 1,
      deletedAudioFiles: 1,
    });
    expect(store.list().map((e) => e.id)).toEqual([recent]);
    expect(existsSync(oldAudio)).toBe(false);
  });

  test('keeps only the newest maxCount entries', () => {
    for (let i = 0; i < 10; i++) store.add(entry(`t${i}`, { createdAt: NOW + i }));
    expect(store.applyRetention({ maxCount: 3 }, NOW).deletedEntries).toBe(7);
    expect(store.list().map((e) => e.text)).toEqual(['t9', 't8', 't7']);
    expect(store.applyRetention({ maxCount: 0 }, NOW).deletedEntries).toBe(3);
  });

  test('expires audio after the audio retention days but keeps the entry', () => {
    store.close();
    store = HistoryStore.open(dir, { audio: { keep: 'all', days: 7 } });
    const old = store.add(entry('old', { createdAt: NOW - 8 * DAY }), audio);
    const fresh = store.add(entry('fresh', { createdAt: NOW - DAY }), audio);
    const oldPath = store.get(old)!.audioPath!;
    expect(store.applyRetention({}, NOW)).toEqual({ deletedEntries: 0, deletedAudioFiles: 1 });
    expect(store.get(old)).toMatchObject({ text: 'old', audioPath: null });
    expect(existsSync(oldPath)).toBe(false);
    expect(existsSync(store.get(fresh)!.audioPath!)).toBe(true);
  });

  test('audio retention off removes all kept audio', () => {
    store.add(entry('x', { status: 'failed', createdAt: NOW }), audio);
    store.close();
    store = HistoryStore.open(dir, { audio: { keep: 'off', days: null } });
    expect(store.applyRetention({}, NOW).deletedAudioFiles).toBe(1);
    expect(readdirSync(join(dir, 'audio'))).toEqual([]);
  });

  test('a stricter keepAudio deletes audio already kept at once, and keeps the entries', () => {
    // As the app opens it: every turn it is given keeps its audio for 30 days.
    store.close();
    store = HistoryStore.open(dir, { audio: { keep: 'all', days: 30 } });
    const ok = store.add(entry('ok', { createdAt: NOW - DAY }), audio);
    const failed = store.add(entry('', { createdAt: NOW, status: 'failed' }), audio);
    const [okAudio, failedAudio] = [store.get(ok)!.audioPath!, store.get(failed)!.audioPath!];
    const changes: HistoryChange[] = [];
    store.onChange((c) => changes.push(c));

    expect(store.applyRetention({ keepAudio: 'all' }, NOW).deletedAudioFiles).toBe(0);
    expect(store.applyRetention({ keepAudio: 'failed' }, NOW)).toEqual({
      deletedEntries: 0,
      deletedAudioFiles: 1,
    });
    expect(store.get(ok)).toMatchObject({ text: 'ok', audioPath: null });
    expect(existsSync(okAudio)).toBe(false);
    expect(store.get(failed)!.audioPath).toBe(failedAudio);
    expect(existsSync(failedAudio)).toBe(true);

    expect(store.applyRetention({ keepAudio: 'off' }, NOW).deletedAudioFiles).toBe(1);
    expect(store.get(failed)).toMatchObject({ status: 'failed', audioPath: null });
    expect(readdirSync(join(dir, 'audio'))).toEqual([]);
    expect(changes).toEqual([
      { type: 'updated', ids: [ok] },
      { type: 'updated', ids: [failed] },
    ]);
  });

  test('the store’s own audio retention still applies when keepAudio allows more', () => {
    store.add(entry('ok', { createdAt: NOW }), audio); // not kept: the store keeps failed turns'
    const failed = store.add(entry('', { createdAt: NOW - 31 * DAY, status: 'failed' }), audio);
    expect(store.applyRetention({ keepAudio: 'all' }, NOW).deletedAudioFiles).toBe(1);
    expect(store.get(failed)!.audioPath).toBeNull();
  });

  test('removes stray audio files no entry names, once they are an hour old', () => {
    store.add(entry('x', { status: 'failed', createdAt: NOW }), audio);
    const stray = join(dir, 'audio', 'stray.wav');
    writeFileSync(stray, 'partial');
    expect(store.applyRetention({}, Date.now()).deletedAudioFiles).toBe(0);
    const twoHoursAgo = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(stray, twoHoursAgo, twoHoursAgo);
    expect(store.applyRetention({}, Date.now()).deletedAudioFiles).toBe(1);
    expect(readdirSync(join(dir, 'audio'))).toHaveLength(1);
  });

  test('rejects negative limits with a reason', () => {
    expect(() => store.applyRetention({ days: -1 })).toThrow(/days must be a number ≥ 0/);
    expect(() => store.applyRetention({ keepAudio: 'some' as unknown as 'all' })).toThrow(
      /keepAudio must be one of off, failed, all \(got some\)/,
    );
  });
});

describe('WAL checkpoints', () => {
  const databaseBytes = () => statSync(join(dir, DATABASE_FILE)).size;
  const waitFor = async (what: string, condition: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  test('run once writes pause, never inside an add, and the entries stay readable throughout', async () => {
    const before = databaseBytes();
    // Long turns, each writing dozens of WAL pages: SQLite's automatic checkpoint (at 1,000
    // pages) would have copied them into the database file inside one of these adds.
    const long = (i: number) =>
      Array.from({ length: 400 }, (_, k) =>
        String.fromCodePoint(0x4e00 + ((i * 400 + k) % 20000)),
      ).join('');
    for (let i = 0; i < 60; i++) store.add(entry(`第 ${i} 句 sentence ${i} ${long(i)}`));
    expect(databaseBytes()).toBe(before);
    expect(store.count({})).toBe(60);
    await waitFor('the checkpoint after the pause', () => databaseBytes() > before);
    expect(store.search('句 sentence 59').map((e) => e.id)).toHaveLength(1);
  });

  test('run at once after many writes without a pause, so the WAL stays small', () => {
    const before = databaseBytes();
    for (let i = 0; i < 300; i++) store.add(entry(`entry ${i}`));
    expect(databaseBytes()).toBeGreaterThan(before);
    expect(statSync(join(dir, `${DATABASE_FILE}-wal`)).size).toBeLessThan(16 * 1024 * 1024);
  });
});
