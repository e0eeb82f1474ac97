// Retry for real: a failed turn's kept audio is transcribed again through the local realtime
// server (pocketsphinx engine) by sessionTranscriber (a RealtimeSession), as the app does it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import {
  HistoryStore,
  retryEntry,
  RetryError,
  sessionTranscriber,
} from '../../src/core/history/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { presetConfig } from '../../src/shared/providers.ts';
import { SPEECH_TOOLS, speak, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const RATE = 16000;
const SENTENCE = 'the quick brown fox jumps over the lazy dog';
const skip = missingTools('history retry', [...SPEECH_TOOLS, 'pocketsphinx_continuous']);

describe.skipIf(skip)('retry through the local server', () => {
  let server: LocalServer;
  let dir: string;
  let store: HistoryStore;

  /** What the app passes to retryEntry: the WAV through a realtime session to the server. */
  const transcribe = (wavPath: string) =>
    sessionTranscriber(presetConfig('local', { url: server.url, language: 'en' }))(wavPath);

  beforeAll(async () => {
    server = await startLocalServer({ engine: 'pocketsphinx' });
    dir = mkdtempSync(join(tmpdir(), 'tingxie-history-retry-'));
    store = HistoryStore.open(dir);
  });
  afterAll(async () => {
    store?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a failed turn with kept audio becomes a transcript', async () => {
    const samples = await readWavAsPcm16(speak(SENTENCE), RATE);
    const id = store.add(
      {
        text: '',
        provider: 'openai',
        model: 'gpt-4o-transcribe',
        status: 'failed',
        failureReason: 'The server closed the connection.',
        audioStartMs: 0,
        audioEndMs: Math.round((samples.length * 1000) / RATE),
      },
      { samples, sampleRate: RATE },
    );
    expect(store.get(id)!.audioPath).not.toBeNull();

    const entry = await retryEntry(store, id, transcribe);
    expect(entry).toMatchObject({ id, status: 'ok', failureReason: null, provider: 'local' });
    expect(wordErrorRate(SENTENCE, entry.text)).toBeLessThanOrEqual(0.25);
    expect(store.get(id)).toEqual(entry);
    expect(store.search('brown fox').map((e) => e.id)).toEqual([id]);
  });

  test('a transcriber that fails leaves a failed entry failed, with the new reason', async () => {
    const id = store.add(
      { text: '', provider: 'local', model: 'm', status: 'failed', failureReason: 'first' },
      { samples: new Int16Array(RATE), sampleRate: RATE },
    );
    const broken = () => Promise.reject(new Error('the server is not running'));
    await expect(retryEntry(store, id, broken)).rejects.toThrow(
      'Retry failed: the server is not running',
    );
    expect(store.get(id)).toMatchObject({
      status: 'failed',
      failureReason: 'Retry failed: the server is not running',
    });
    // Silence: the server finds no speech.
    await expect(retryEntry(store, id, transcribe)).rejects.toThrow(/no speech|Retry failed/);
    expect(store.get(id)).toMatchObject({ status: 'failed', text: '' });
  });

  test('an entry without kept audio cannot be retried, and says why', async () => {
    const id = store.add({ text: 'fine', provider: 'local', model: 'm' });
    const attempt = retryEntry(store, id, transcribe);
    await expect(attempt).rejects.toBeInstanceOf(RetryError);
    await expect(attempt).rejects.toThrow(/has no kept audio/);
    await expect(retryEntry(store, 999_999, transcribe)).rejects.toThrow(/does not exist/);
  });
});
