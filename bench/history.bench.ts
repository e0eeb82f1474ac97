// History on 100,000 entries: insert latency (durable, one fsync each), search latency (3+
// character substrings, 1–2 character Chinese terms, English words; common and rare; the
// first search after an add indexes it, inside the figure), export of everything, database
// size. What the store does once writes pause (index the adds, checkpoint the WAL) is
// reported beside the insert.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, percentile, type Bench, type Figure } from './figure.ts';
import {
  DATABASE_FILE,
  EXPORT_FORMATS,
  exportEntries,
  HistoryStore,
  type NewHistoryEntry,
} from '../src/core/history/index.ts';

const ENTRIES = 100_000;
const INSERTS = 500;
const PAUSE_ROUNDS = 20;
const SEARCH_ROUNDS = 20;
const PAGE = 100;
const DAY = 86_400_000;
const SHM = '/dev/shm';

const CHINESE = [
  '今天天气很好',
  '我们下午三点开会',
  '请把报告发给我',
  '明天去公园散步',
  '这个问题需要再讨论',
  '记得买牛奶和面包',
  '项目进度比预期快',
  '晚上一起吃饭吧',
  '客户希望提前交付',
  '周末去看电影',
];
const ENGLISH = [
  'please send the quarterly report',
  'the meeting moved to Thursday',
  'remember to call the dentist',
  'deploy the new build after lunch',
  'the quick brown fox jumps over the lazy dog',
  'draft a reply to the customer',
  'book a table for four people',
  'review the pull request today',
];

/** A deterministic mix of Chinese, English and mixed sentences, like a year of dictation. */
function corpus(count: number, start: number): NewHistoryEntry[] {
  let seed = 42;
  const next = (n: number) => {
    // xorshift32: deterministic, and exact in 32-bit integers.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const zh = CHINESE[next(CHINESE.length)]!;
    const en = ENGLISH[next(ENGLISH.length)]!;
    const text = [zh, en, `${zh}，${en}`, `${zh}${CHINESE[next(CHINESE.length)]!}`][next(4)]!;
    const startMs = next(600_000);
    return {
      text: `${text} #${i}`,
      createdAt: start + Math.floor((i * 365 * DAY) / count),
      audioStartMs: startMs,
      audioEndMs: startMs + 1500 + next(6000),
      provider: 'local',
      model: 'pocketsphinx',
      language: 'auto',
      dictationId: `d${Math.floor(i / 5)}`,
    };
  });
}

function insertLatencies(store: HistoryStore): number[] {
  return Array.from({ length: INSERTS }, (_, i) => {
    const text = `新的一句话 number ${i}: the meeting moved to Thursday`;
    return time(() => store.add({ text, provider: 'local', model: 'm' }))[1];
  });
}

/** What the store runs once writes pause (off the insert path), after a dictation's worth of
 * turns: indexing them for search in one commit, then copying the WAL into the database. */
function pauseLatencies(store: HistoryStore): { index: number[]; checkpoint: number[] } {
  const index: number[] = [];
  const checkpoint: number[] = [];
  for (let round = 0; round < PAUSE_ROUNDS; round++) {
    for (let i = 0; i < 10; i++) {
      store.add({
        text: `停顿之前 ${round}.${i}: before the pause`,
        provider: 'local',
        model: 'm',
      });
    }
    const [indexed, indexMs] = time(() => store.indexPending());
    if (indexed !== 10) throw new Error(`the pause indexed ${indexed} adds, not 10`);
    index.push(indexMs);
    checkpoint.push(time(() => store.checkpoint())[1]);
  }
  return { index, checkpoint };
}

/** How long one small write + fsync takes on this disk: the floor under a durable insert. */
function fsyncLatencies(dir: string, count: number): number[] {
  const fd = openSync(join(dir, 'fsync-probe'), 'w');
  try {
    return Array.from({ length: count }, (_, i) => {
      writeSync(fd, `${i}\n`);
      return time(() => fsyncSync(fd))[1];
    });
  } finally {
    closeSync(fd);
  }
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const out = fn();
  return [out, performance.now() - t];
}

const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-bench-history-'));
  const figures: Figure[] = [];
  try {
    const start = Date.now() - 366 * DAY;
    let store = HistoryStore.open(dir);
    const [, fillMs] = time(() => store.addMany(corpus(ENTRIES, start)));
    const fsyncs = fsyncLatencies(dir, INSERTS);
    store.close();
    // Reopen: the integrity check and migration check run on every start.
    const [reopened, openMs] = time(() => HistoryStore.open(dir));
    store = reopened;

    // The same store copied to memory (tmpfs), where fsync costs nothing: what is left is the
    // store's own work, apart from the disk's wait.
    const memoryDir = existsSync(SHM)
      ? mkdtempSync(join(SHM, 'tingxie-bench-history-'))
      : undefined;
    if (memoryDir) copyFileSync(join(dir, DATABASE_FILE), join(memoryDir, DATABASE_FILE));
    const inMemory = memoryDir ? HistoryStore.open(memoryDir) : undefined;
    const inserts = insertLatencies(store);
    // The pause after the insert run: each round below then indexes its own 10 adds.
    store.flush();
    const pauses = pauseLatencies(store);
    const memoryInserts = inMemory ? insertLatencies(inMemory) : [];
    inMemory?.close();
    if (memoryDir) rmSync(memoryDir, { recursive: true, force: true });

    const queries = [
      '天气很好',
      '天气',
      '会',
      'Thursday',
      'quarterly report',
      'dentist 牛奶',
      '#99999',
    ];
    const searches: number[] = [];
    const counts: number[] = [];
    const afterAdd: number[] = [];
    for (let round = 0; round < SEARCH_ROUNDS; round++) {
      // A turn dictated just before the search: the round's first search indexes it (one
      // commit, synced) before it reads, and that is timed with it.
      store.add({
        text: `搜索之前 ${round}: just before the search`,
        provider: 'local',
        model: 'm',
      });
      for (const q of queries) {
        const [, ms] = time(() => store.search(q, { limit: PAGE }));
        searches.push(ms);
        if (q === queries[0]) afterAdd.push(ms);
        counts.push(time(() => store.count({ query: q }))[1]);
      }
    }
    const lastMonth = Date.now() - 30 * DAY;
    store.add({ text: '搜索之前: just before the search', provider: 'local', model: 'm' });
    const ranged = queries.map(
      (q) => time(() => store.search(q, { from: lastMonth, limit: PAGE }))[1],
    );

    figures.push(
      figure(
        `history: insert on ${ENTRIES} entries (p95, fsync each)`,
        percentile(inserts, 95),
        'ms',
        1,
      ),
      // The median beside the p95: on a shared machine the p95 moves with other processes'
      // disk and CPU use far more than the median does.
      figure(
        `history: insert on ${ENTRIES} entries (median, for context)`,
        percentile(inserts, 50),
        'ms',
        undefined,
      ),
      ...(memoryInserts.length
        ? [
            figure(
              'history: insert on tmpfs, no disk wait (p95, for context)',
              percentile(memoryInserts, 95),
              'ms',
              undefined,
            ),
          ]
        : []),
      figure(
        'history: index of pending adds when writes pause, 10 adds (p95, for context)',
        percentile(pauses.index, 95),
        'ms',
        undefined,
      ),
      figure(
        'history: WAL checkpoint after 10 adds, run when writes pause (p95, for context)',
        percentile(pauses.checkpoint, 95),
        'ms',
        undefined,
      ),
      figure(
        'history: fsync of this disk alone (p95, for context)',
        percentile(fsyncs, 95),
        'ms',
        undefined,
      ),
      figure(`history: search, page of ${PAGE} (p95)`, percentile(searches, 95), 'ms', 20),
      figure(
        'history: search right after an add, which it indexes first (p95, for context)',
        percentile(afterAdd, 95),
        'ms',
        undefined,
      ),
      figure('history: search within the last month (p95)', percentile(ranged, 95), 'ms', 20),
      figure('history: count of search matches (p95)', percentile(counts, 95), 'ms', undefined),
    );

    const [all, listMs] = time(() => store.list());
    for (const format of EXPORT_FORMATS) {
      const [, exportMs] = time(() => exportEntries(all, format));
      figures.push(
        figure(
          `history: export all ${all.length} entries as ${format}`,
          listMs + exportMs,
          'ms',
          2000,
        ),
      );
    }

    store.close();
    const bytes = statSync(join(dir, 'history.sqlite')).size;
    figures.push(
      figure(
        'history: database size per 1,000 entries',
        bytes / 1024 / (all.length / 1000),
        'KiB',
        undefined,
      ),
      figure('history: open with integrity check', openMs, 'ms', undefined),
      figure(`history: import ${ENTRIES} entries in one transaction`, fillMs, 'ms', undefined),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
};

export default bench;
