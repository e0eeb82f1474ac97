// A retried turn keeps what the history keeps for a dictated one: what was heard, the rules
// text, and the final text after the LLM clean-up (a final-text step that says both).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { HistoryStore, retryEntry } from '../../src/core/history/index.ts';
import { silentLogger } from '../../src/core/log.ts';

let dir: string;
let store: HistoryStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-retry-clean-up-'));
  store = HistoryStore.open(dir, { log: silentLogger, audio: { keep: 'all', days: 30 } });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const failedTurn = () =>
  store.add(
    { text: '', status: 'failed', failureReason: 'The server closed.', provider: 'p', model: 'm' },
    { samples: new Int16Array(1600), sampleRate: 16_000 },
  );

test('a retry through the clean-up keeps heard, rules and cleaned text', async () => {
  const id = failedTurn();
  const retried = await retryEntry(
    store,
    id,
    async () => 'teh end',
    (raw) => ({ text: 'The end.', rulesText: raw.replace('teh', 'the') }),
  );
  expect(retried).toMatchObject({
    status: 'ok',
    text: 'The end.',
    rulesText: 'the end',
    rawText: 'teh end',
  });
});

test('a retry without a clean-up has its final text as its rules text', async () => {
  const id = failedTurn();
  const retried = await retryEntry(
    store,
    id,
    async () => 'teh end',
    (raw) => `${raw}!`,
  );
  expect(retried).toMatchObject({ text: 'teh end!', rulesText: 'teh end!', rawText: 'teh end' });
});
