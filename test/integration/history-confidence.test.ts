// The confidence that OpenAI's gpt-4o transcription models give each turn (from the log
// probabilities they send when asked) reaches the history: the desktop services with a real
// RealtimeSession against the scripted OpenAI far side, and the history in SQLite.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { DesktopServices } from '../../src/core/dictation/desktop-services.ts';
import { HistoryStore } from '../../src/core/history/index.ts';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import type { DictationStatus } from '../../src/shared/ipc.ts';
import { PROVIDERS } from '../../src/shared/providers.ts';
import { testDesktopServices } from '../helpers/desktop-services.ts';
import { FLAVORS } from '../helpers/fake-servers/flavors.ts';
import { scriptedServerPerTest } from '../helpers/fake-servers/server-per-test.ts';
import { TONE_VAD, frames, toneTurns } from '../helpers/fake-servers/tone-speech.ts';

const KEY = 'sk-test-confidence-0123456789';
const serve = scriptedServerPerTest();

let services: DesktopServices | undefined;
let history: HistoryStore | undefined;
afterEach(async () => {
  await services?.dispose();
  history?.close();
  services = history = undefined;
});

test('each turn of a gpt-4o-transcribe dictation is kept with its confidence', async () => {
  const server = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
  history = HistoryStore.open(mkdtempSync(join(tmpdir(), 'tingxie-confidence-')));
  const ended = new Map<number, () => void>();
  let keyCipher: string | undefined;
  services = testDesktopServices({
    createSession: (config) => new RealtimeSession({ config }),
    apiKeyBackend: { read: () => keyCipher, write: (v) => (keyCipher = v) },
    history,
    sink: (m) => {
      const status = m.name === 'dictation' ? (m.payload as DictationStatus) : undefined;
      if (status?.dictation.state === 'idle') ended.get(status.dictation.id)?.();
    },
  });
  await services.saveApiKey(KEY);
  const settings = structuredClone(services.settings.current);
  Object.assign(settings.server, {
    provider: 'openai',
    url: server.url,
    dialect: PROVIDERS.openai.dialect,
    model: 'gpt-4o-transcribe',
    language: 'en',
    sampleRate: 24_000,
  });
  Object.assign(settings.server.vad, {
    threshold: TONE_VAD.threshold,
    prefixPaddingMs: TONE_VAD.prefixPaddingMs,
    silenceDurationMs: TONE_VAD.silenceDurationMs,
  });
  expect(await services.saveSettings(settings)).toMatchObject({ ok: true });

  const { dictationId, sampleRate } = await services.startDictation();
  const idle = new Promise<void>((resolve) => ended.set(dictationId, resolve));
  let seq = 0;
  for (const frame of frames(toneTurns({ words: [1, 2], rate: sampleRate }), sampleRate)) {
    services.pushFrame(seq++, frame, dictationId);
  }
  await services.stopDictation(seq, dictationId);
  await idle;

  expect(history.list().map((e) => [e.text, e.confidence])).toEqual([
    ['bravo', 0.6],
    ['alpha', 0.6],
  ]);
});
