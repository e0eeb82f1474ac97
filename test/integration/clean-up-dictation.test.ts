// The LLM clean-up in the app's dictation path: the desktop services as main wires them (a
// real RealtimeSession to the local server, pocketsphinx on festival speech, the history in
// SQLite, settings and keys in a JSON file of a user-data folder) and a real OpenAI-compatible
// chat server on 127.0.0.1. Success: the cleaned text is forwarded, the history keeps what was
// heard, the rules text and the cleaned one. Slow past the budget, or failing: the rules text,
// within the budget and a margin. The clean-up key is in no log line and no file of the folder.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import {
  REFINE_MARGIN_MS,
  createDesktopServices,
  type DesktopServices,
} from '../../src/core/dictation/desktop-services.ts';
import { HistoryStore } from '../../src/core/history/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import type { CipherTextBackend, SecretCipher } from '../../src/core/settings/api-key-store.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import type {
  DictationStatus,
  DictationTranscript,
  MainEventMessage,
} from '../../src/shared/ipc.ts';
import type { Settings } from '../../src/shared/settings.ts';
import {
  startChatServer,
  type ChatReply,
  type ChatServer,
} from '../helpers/fake-servers/chat-completions.ts';
import { SPEECH_TOOLS, speakSentences } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const skip = missingTools('Clean-up dictation', [...SPEECH_TOOLS, 'pocketsphinx_continuous']);

const SENTENCE = 'We deploy the new version on Kubernetes today.';
/** What pocketsphinx writes for festival's sentence, and what the vocabulary makes of it. */
const HEARD = 'we deploy the new version on to their needs today';
const RULES = 'we deploy the new version on Kubernetes today';
const CLEANED = 'We deploy the new version on Kubernetes today.';
const KEY = 'sk-cleanup-7e3a91c0b5d2f468';
const MODEL = 'qwen2.5:7b-instruct';
const CHUNK_MS = 40;

/** A cipher standing in for safeStorage: AES-256-GCM under a key held in memory. */
function memoryCipher(): SecretCipher {
  const key = randomBytes(32);
  return {
    available: async () => true,
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const bytes = Buffer.from(data);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      return { result: plain.toString('utf8'), shouldReEncrypt: false };
    },
  };
}

/** The settings file as main keeps it (settings-file.ts): one JSON file in the user data. */
function settingsFile(dir: string) {
  const path = join(dir, 'settings.json');
  const read = (): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const write = (name: string, value: unknown) => {
    const data = read();
    if (value === undefined) delete data[name];
    else data[name] = value;
    writeFileSync(path, JSON.stringify(data, null, '\t'));
  };
  const slot = (name: string): CipherTextBackend => ({
    read: () => read()[name] as string | undefined,
    write: (value) => write(name, value),
  });
  return {
    settings: { read: () => read().settings, write: (s: Settings) => write('settings', s) },
    apiKey: slot('apiKeyCipher'),
    cleanUpKey: slot('cleanUpKeyCipher'),
  };
}

/** Every file under `dir`, as bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

describe.skipIf(skip)('the LLM clean-up in a dictation', () => {
  let local: LocalServer;
  let wav: string;
  beforeAll(async () => {
    local = await startLocalServer({ engine: 'pocketsphinx' });
    wav = speakSentences([SENTENCE], 1500).path;
  }, 60_000);
  afterAll(async () => {
    await local?.close();
  });

  let chat: ChatServer | undefined;
  let services: DesktopServices | undefined;
  let history: HistoryStore | undefined;
  afterEach(async () => {
    await services?.dispose();
    history?.close();
    await chat?.close();
    services = history = chat = undefined;
  });

  /** The app's services in a new user-data folder, cleaning up with `reply` in `budgetMs`. */
  async function app(reply: () => ChatReply, budgetMs = 1500) {
    chat = await startChatServer({ apiKey: KEY, models: [MODEL], reply });
    const userData = mkdtempSync(join(tmpdir(), 'tingxie-clean-up-'));
    const file = settingsFile(userData);
    const logs: string[] = [];
    const log = createLogger((line) => logs.push(line), 'debug');
    history = HistoryStore.open(userData, { log });
    const sent: MainEventMessage[] = [];
    const ended = new Map<number, () => void>();
    services = createDesktopServices({
      settingsBackend: file.settings,
      apiKeyBackend: file.apiKey,
      cleanUpKeyBackend: file.cleanUpKey,
      cipher: memoryCipher(),
      createSession: (config) => new RealtimeSession({ config, log }),
      createTestSession: (config) => new RealtimeSession({ config, log }),
      startLocalServer: async () => ({ url: local.url, close: async () => {} }),
      sink: (m) => {
        sent.push(m);
        const status = m.name === 'dictation' ? (m.payload as DictationStatus) : undefined;
        if (status?.dictation.state === 'idle') ended.get(status.dictation.id)?.();
      },
      log,
      history,
      appInfo: () => ({ version: 't', platform: 'linux', shortcut: 'Ctrl+Space' }),
    });
    // As Settings → Text saves them: the key first, then the settings.
    await services.saveCleanUpKey(KEY);
    const settings: Settings = structuredClone(services.settings.current);
    settings.server.language = 'en';
    settings.text.vocabulary = 'Kubernetes = to their needs, to other needs\n';
    Object.assign(settings.text.cleanUp, {
      enabled: true,
      server: 'custom',
      baseUrl: chat.baseUrl,
      model: MODEL,
      budgetMs,
    });
    expect(await services.saveSettings(settings)).toMatchObject({ ok: true });

    /** Speaks the sentence into a dictation; resolves once it has ended. */
    const dictate = async () => {
      const { dictationId, sampleRate } = await services!.startDictation();
      const idle = new Promise<void>((resolve) => ended.set(dictationId, resolve));
      const pcm = await readWavAsPcm16(wav, sampleRate);
      const chunk = (sampleRate * CHUNK_MS) / 1000;
      let frames = 0;
      for (let i = 0; i < pcm.length; i += chunk) {
        services!.pushFrame(frames++, pcm.subarray(i, i + chunk), dictationId);
      }
      await services!.stopDictation(frames, dictationId);
      await idle;
    };
    /** When each completed transcript reached the window. */
    const completed = () =>
      sent
        .filter((m) => m.name === 'transcript')
        .map((m) => m.payload as DictationTranscript)
        .flatMap((e) => (e.type === 'completed' ? [e] : []));
    return { userData, logs, dictate, completed, chat };
  }

  /** After each test: the clean-up key in no log line and no file of the user data (neither
   * as it is nor base64-encoded). */
  function expectKeyNowhere(userData: string, logs: string[]): void {
    expect(logs.join('\n')).not.toContain(KEY);
    const encoded = Buffer.from(KEY).toString('base64');
    for (const { path, bytes } of filesUnder(userData)) {
      expect(bytes.includes(KEY), path).toBe(false);
      expect(bytes.includes(encoded), path).toBe(false);
    }
    const stored = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as {
      cleanUpKeyCipher?: string;
    };
    expect(stored.cleanUpKeyCipher).toMatch(/^[A-Za-z0-9+/]+=*$/);
  }

  it('a clean-up that succeeds: the cleaned text forwarded; history keeps heard, rules and cleaned', async () => {
    const t = await app(() => ({ content: CLEANED }));
    await t.dictate();
    expect(t.completed().map((e) => [e.transcript, e.rawTranscript])).toEqual([[CLEANED, HEARD]]);
    expect(history!.list().map((e) => [e.text, e.rulesText, e.rawText])).toEqual([
      [CLEANED, RULES, HEARD],
    ]);
    // What the chat server was asked: the rules text, with the vocabulary's term and the key.
    expect(t.chat.requests).toHaveLength(1);
    const request = t.chat.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body.model).toBe(MODEL);
    expect(request.body.messages?.[1]).toEqual({ role: 'user', content: RULES });
    expect(request.body.messages?.[0]?.content).toContain(
      'Terms to spell exactly as written here: Kubernetes',
    );
    expectKeyNowhere(t.userData, t.logs);
  });

  it('a clean-up past its budget: the rules text, within the budget and a margin', async () => {
    const budgetMs = 500;
    let asked = 0;
    const t = await app(() => {
      asked = performance.now();
      return { content: CLEANED, delayMs: 5000 };
    }, budgetMs);
    const startedAt = performance.now();
    await t.dictate();
    const waited = performance.now() - asked;
    expect(asked).toBeGreaterThan(startedAt);
    expect(t.completed().map((e) => e.transcript)).toEqual([RULES]);
    expect(waited).toBeGreaterThanOrEqual(budgetMs - 20);
    expect(waited).toBeLessThan(budgetMs + REFINE_MARGIN_MS + 500);
    expect(history!.list().map((e) => [e.text, e.rulesText, e.rawText])).toEqual([
      [RULES, RULES, HEARD],
    ]);
    expect(t.logs.join('\n')).toMatch(/did not answer within 0\.5 s/);
    expectKeyNowhere(t.userData, t.logs);
  });

  it('a clean-up server that fails, and one that echoes the key: the rules text, the key redacted', async () => {
    const t = await app(() => ({
      status: 500,
      body: JSON.stringify({ error: { message: `upstream rejected ${KEY}`, code: null } }),
    }));
    await t.dictate();
    expect(t.completed().map((e) => e.transcript)).toEqual([RULES]);
    expect(history!.list().map((e) => e.text)).toEqual([RULES]);
    expect(t.logs.join('\n')).toMatch(/The clean-up server failed \(HTTP 500\)/);
    expectKeyNowhere(t.userData, t.logs);
  });

  it('Test clean-up: a sample through the rules and the model, or the reason', async () => {
    const t = await app(() => ({ content: 'Hello, Kubernetes.' }));
    const text = services!.settings.current.text;
    await expect(services!.testCleanUp('hello to their needs', text)).resolves.toMatchObject({
      ok: true,
      rules: 'hello Kubernetes',
      text: 'Hello, Kubernetes.',
    });
    const wrongKey = await services!.testCleanUp('hello', text, 'sk-wrong-key-000');
    expect(wrongKey).toMatchObject({ ok: false, rules: 'hello', text: 'hello' });
    expect(wrongKey.reason).toMatch(/rejected the key \(401\)/);
    expectKeyNowhere(t.userData, t.logs);
  });
});
