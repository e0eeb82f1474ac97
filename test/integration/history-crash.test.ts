// kill -9 during writes: every transcript whose add() returned must be readable afterwards,
// and the database must pass SQLite's integrity check.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { HistoryStore } from '../../src/core/history/index.ts';

const storeModule = pathToFileURL(
  join(import.meta.dirname, '../../src/core/history/index.ts'),
).href;

// The child adds entries as fast as it can (every tenth one failed, with audio) and prints each
// id only after add() has returned.
const child = `
import { HistoryStore } from ${JSON.stringify(storeModule)};
const store = HistoryStore.open(process.argv[1]);
const samples = new Int16Array(8000).map((_, i) => Math.round(Math.sin(i / 8) * 8000));
for (let n = 0; ; n++) {
  const failed = n % 10 === 0;
  const id = store.add(
    { text: failed ? '' : \`第\${n}条 transcript number \${n} 😀\`, provider: 'local', model: 'm',
      status: failed ? 'failed' : 'ok', failureReason: failed ? 'test' : null, dictationId: String(n) },
    { samples, sampleRate: 16000 },
  );
  process.stdout.write(\`\${id} \${n}\\n\`);
}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has reported `atLeast` entries, kills it with SIGKILL, and returns
 * every (id, n) it reported, including those still in the pipe. */
async function writeAndKill(atLeast: number): Promise<Map<number, number>> {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', child, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const reported = new Map<number, number>();
  const closed = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  const enough = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`writer reported only ${reported.size} entries in 60 s: ${stderr}`)),
      60_000,
    );
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited early (${code}): ${stderr}`));
    });
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const [id, n] = line.split(' ').map(Number);
      reported.set(id!, n!);
      if (reported.size === atLeast) {
        clearTimeout(timer);
        proc.kill('SIGKILL');
        resolve();
      }
    });
  });
  await enough;
  await closed;
  return reported;
}

test('kill -9 during writes loses no entry whose add() returned', async () => {
  const all = new Map<number, number>();
  // Several rounds against the same store: each round recovers the previous one's WAL.
  for (const atLeast of [50, 200, 400]) {
    for (const [id, n] of await writeAndKill(atLeast)) all.set(id, n);

    const store = HistoryStore.open(dir);
    expect(store.notice).toBeUndefined();
    for (const [id, n] of all) {
      const entry = store.get(id);
      expect(entry, `entry ${id} (#${n})`).toBeDefined();
      if (n % 10 === 0) {
        expect(entry!.status).toBe('failed');
        expect(existsSync(entry!.audioPath!), `audio of entry ${id}`).toBe(true);
      } else {
        expect(entry!.text).toBe(`第${n}条 transcript number ${n} 😀`);
      }
      expect(entry!.dictationId).toBe(String(n));
    }
    store.close();

    const db = new DatabaseSync(join(dir, 'history.sqlite'));
    expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    // The full-text index is whole, and finds exactly the entries that hold the text, by a
    // long term and by a short one (an entry the writer had saved but not yet reported too).
    expect(() =>
      db.exec(`INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')`),
    ).not.toThrow();
    const okEntries = db.prepare(`SELECT count(*) AS n FROM entries WHERE status = 'ok'`).get();
    const reopened = HistoryStore.open(dir);
    expect(reopened.count({ query: 'transcript number' })).toBe(okEntries!.n);
    expect(reopened.count({ query: '条' })).toBe(okEntries!.n);
    reopened.close();
    db.close();
  }
  expect(all.size).toBeGreaterThanOrEqual(650);
});

test('two processes writing at once (the CLI beside the app) lose nothing', async () => {
  const [a, b] = await Promise.all([writeAndKill(150), writeAndKill(150)]);
  const ids = new Map([...a!, ...b!]);
  expect(ids.size).toBe(a!.size + b!.size);
  const store = HistoryStore.open(dir);
  for (const [id, n] of ids) expect(store.get(id)?.dictationId, `entry ${id}`).toBe(String(n));
  store.close();
});
