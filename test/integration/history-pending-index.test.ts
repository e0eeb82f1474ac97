// add() leaves the full-text index to a later transaction: entries another process saved and
// never indexed — it was killed first, or it is still running (`transcribe --save` beside the
// app) — must still be found by every search.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { HistoryStore } from '../../src/core/history/index.ts';
import { expectFullTextIndexWhole, pendingIds } from '../helpers/history-file.ts';

const storeModule = pathToFileURL(
  join(import.meta.dirname, '../../src/core/history/index.ts'),
).href;

// The child adds `count` entries, reports their ids, then blocks its thread for good: the store's
// timer can never fire, so nothing indexes them until another store does (or the child is
// killed, as it is here). A pipe write is synchronous on Linux: the line is out before it blocks.
const child = `
import { writeSync } from 'node:fs';
import { HistoryStore } from ${JSON.stringify(storeModule)};
const [dir, count, word] = process.argv.slice(1);
const store = HistoryStore.open(dir);
const ids = [];
for (let n = 0; n < Number(count); n++) {
  ids.push(store.add({ text: \`\${word} 第\${n}条 pending entry \${n}\`, provider: 'cli', model: 'm' }));
}
writeSync(1, ids.join(' ') + '\\n');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
`;

let dir: string;
let writer: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-pending-'));
});
afterEach(() => {
  writer?.kill('SIGKILL');
  writer = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a writer that adds `count` entries containing `word`; resolves with their ids once
 * every add() has returned (the writer then stays blocked until it is killed). */
async function addInAnotherProcess(count: number, word: string): Promise<number[]> {
  const proc = spawn(
    process.execPath,
    ['--input-type=module', '-e', child, dir, `${count}`, word],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  writer = proc;
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the writer reported no ids in 30 s: ${stderr}`)),
      30_000,
    );
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the writer exited (${code}) before reporting: ${stderr}`));
    });
    createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.split(' ').map(Number));
    });
  });
}

async function kill(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once('close', resolve));
  proc.kill('SIGKILL');
  await exited;
}

test('entries a killed process saved but never indexed are found by search after reopening', async () => {
  HistoryStore.open(dir).close();
  const ids = await addInAnotherProcess(20, '杀掉');
  await kill(writer!);
  writer = undefined;
  // The kill came before any flush: the index still lacks every one of them.
  expect(pendingIds(dir)).toEqual(ids);

  const store = HistoryStore.open(dir);
  try {
    expect(store.search('杀掉').map((e) => e.id)).toEqual([...ids].reverse());
    expect(store.count({ query: 'pending entry' })).toBe(ids.length);
    expect(store.search('条 "pending entry 7"').map((e) => e.id)).toEqual([ids[7]]);
  } finally {
    store.close();
  }
  expect(pendingIds(dir)).toEqual([]);
  expectFullTextIndexWhole(dir);
});

test('entries another running process added are found by this store’s next search', async () => {
  const store = HistoryStore.open(dir);
  try {
    const own = store.add({ text: '应用 app entry', provider: 'local', model: 'm' });
    const ids = await addInAnotherProcess(5, '命令行');
    // This store was told nothing: the entries are only in the database, not indexed yet (the
    // writer's store indexed this store's entry when it opened).
    expect(pendingIds(dir)).toEqual(ids);
    expect(store.search('命令行').map((e) => e.id)).toEqual([...ids].reverse());
    expect(store.count({ query: '行' })).toBe(ids.length);
    expect(store.list({ query: 'entry' }).map((e) => e.id)).toEqual([own, ...ids].reverse());
    expect(pendingIds(dir)).toEqual([]);
  } finally {
    store.close();
  }
});
