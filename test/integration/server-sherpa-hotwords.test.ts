// The vocabulary as hotwords, for real (issue #17): sherpa-onnx decodes a Parakeet TDT-shaped
// model (test/helpers/nemo-transducer-graph.ts) whose joiner scores a rival token a little below
// each tone's own: the tones are 听写, and a hotword 停歇 makes the search say 停歇. Through the
// engine, over the WebSocket with `keywords` in session.update, and from the app's own client
// (settings and vocabulary → RealtimeSession → the local server); likewise a streaming
// zipformer-shaped model (streaming-transducer-graph.ts), which takes hotwords when it loads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { toSessionConfig } from '../../src/core/settings/session-config.ts';
import { parseVocabulary } from '../../src/core/text/index.ts';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import { createEngine } from '../../src/server/engines/select.ts';
import type { SherpaEngine } from '../../src/server/engines/sherpa.ts';
import { startLocalServer } from '../../src/server/index.ts';
import type { LocalServer } from '../../src/server/index.ts';
import { dictate } from '../helpers/fake-servers/dictation.ts';
import {
  NEMO_BPE_RIVAL_TEXT,
  NEMO_BPE_TEXT,
  NEMO_RIVAL_TEXT,
  NEMO_TEXT,
  writeNemoTransducerModel,
} from '../helpers/nemo-transducer-graph.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import { writeStreamingTransducerModel } from '../helpers/streaming-transducer-graph.ts';
import { RATE, recordingLog, request, TONES } from '../helpers/tone-turns.ts';
import { WireClient } from './server-wire.ts';

const COMPLETED = 'conversation.item.input_audio_transcription.completed';
const DELTA = 'conversation.item.input_audio_transcription.delta';

const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-hotwords-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parakeet = (name: string, bpe = false): LocalModel => ({
  id: name,
  kind: 'nemo-transducer',
  files: writeNemoTransducerModel(join(dir, name), { rivals: true, bpe }),
  languages: ['en'],
});

const turn = (keywords?: string[]) => ({ ...request(TONES, 'en'), keywords });

describe('the sherpa engine: keywords as hotwords of a NeMo transducer', () => {
  let engine: SherpaEngine;
  const log = recordingLog();
  beforeAll(async () => {
    engine = createEngine('sherpa', { model: parakeet('parakeet-cjk') }, log) as SherpaEngine;
    await engine.ready();
  });
  afterAll(() => engine.close());

  test('a hotword flips what the search says, for its turn only', async () => {
    expect(await engine.transcribe(turn())).toBe(NEMO_TEXT);
    expect(await engine.transcribe(turn(['停歇']))).toBe(NEMO_RIVAL_TEXT);
    expect(await engine.transcribe(turn())).toBe(NEMO_TEXT);
    expect(await engine.transcribe(turn(['停']))).toBe('停写');
    // Greedy search until keywords came; loaded once more for beam search, then kept.
    expect(log.lines.filter((l) => l.includes('loaded in'))).toEqual([
      expect.not.stringContaining('beam search'),
      expect.stringContaining('beam search for hotwords'),
    ]);
  });

  test('terms sherpa-onnx could not take are left out with the reason; the rest still count', async () => {
    const keywords = ['C#', 'a:b', '听说', '停歇'];
    expect(await engine.transcribe(turn(keywords))).toBe(NEMO_RIVAL_TEXT);
    const dropped = log.lines.filter((l) => l.includes('is not boosted'));
    expect(dropped).toEqual([
      expect.stringMatching(/"C#" is not boosted: .*markers/),
      expect.stringMatching(/"a:b" is not boosted: .*markers/),
      expect.stringMatching(/"听说" is not boosted: the model has no token for "说"/),
    ]);
    // Said once for a session's keywords, not at every turn.
    expect(await engine.transcribe(turn(keywords))).toBe(NEMO_RIVAL_TEXT);
    expect(log.lines.filter((l) => l.includes('is not boosted'))).toHaveLength(3);
  });

  test('why the terms are checked first: sherpa-onnx ends its process on "C#"', () => {
    // The same model and hotwords straight to sherpa-onnx-node, in a process of its own.
    const files = writeNemoTransducerModel(join(dir, 'bare'), { rivals: true });
    const script = `
      const sherpa = require(${JSON.stringify(createRequire(import.meta.url).resolve('sherpa-onnx-node'))});
      const f = ${JSON.stringify(files)};
      const r = new sherpa.OfflineRecognizer({
        featConfig: { sampleRate: 16000, featureDim: 80 },
        modelConfig: { transducer: { encoder: f.encoder, decoder: f.decoder, joiner: f.joiner },
          modelType: 'nemo_transducer', tokens: f.tokens, numThreads: 1, debug: 0 },
        decodingMethod: 'modified_beam_search',
      });
      r.createStream(process.argv[1]);
      console.log('stream made');`;
    const run = (hotwords: string) =>
      spawnSync(process.execPath, ['-e', script, hotwords], { encoding: 'utf8' });
    expect(run('停歇').stdout).toContain('stream made');
    const crashed = run('C#');
    expect(crashed.stdout).not.toContain('stream made');
    expect(crashed.signal ?? crashed.status).not.toBe(0);
    expect(crashed.stderr).toContain('stof');
  });
});

describe('the sherpa engine: a BPE transducer (word pieces, as Parakeet has)', () => {
  test('the hotword is cut into the model’s pieces with a vocabulary made from tokens.txt', async () => {
    const log = recordingLog();
    const engine = createEngine('sherpa', { model: parakeet('parakeet-bpe', true) }, log);
    try {
      expect(await engine.transcribe(turn())).toBe(NEMO_BPE_TEXT);
      expect(await engine.transcribe(turn(['stop rest']))).toBe(NEMO_BPE_RIVAL_TEXT);
      expect(await engine.transcribe(turn(['stop']))).toBe('stop write');
      // Its pieces are lower case: a term is written so, as the model writes it.
      expect(await engine.transcribe(turn(['Stop Rest']))).toBe(NEMO_BPE_RIVAL_TEXT);
      // A word it has no pieces for is left out, not boosted in part.
      expect(await engine.transcribe(turn(['go', 'rest']))).toBe('listen rest');
      expect(log.lines).toContainEqual(expect.stringContaining('"go" is not boosted'));
    } finally {
      await engine.close?.();
    }
  });
});

describe('the sherpa engine: a model that cannot be loaded with hotwords', () => {
  test('is loaded as before, keywords are no longer boosted, and turns go on', async () => {
    // The sentencepiece vocabulary made for the model goes under TMPDIR; taken away before the
    // model is loaded with it, sherpa-onnx refuses the config.
    const temp = mkdtempSync(join(dir, 'tmp-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    const log = recordingLog();
    const engine = createEngine('sherpa', { model: parakeet('parakeet-no-vocab', true) }, log);
    try {
      const decoded = engine.transcribe(turn(['stop rest']));
      for (const made of readdirSync(temp)) rmSync(join(temp, made), { recursive: true });
      expect(await decoded).toBe(NEMO_BPE_TEXT);
      expect(log.lines).toContainEqual(
        expect.stringMatching(
          /keywords are not boosted by "parakeet-no-vocab": it could not be loaded with hotwords/,
        ),
      );
      expect(await engine.transcribe(turn(['stop rest']))).toBe(NEMO_BPE_TEXT);
      expect(await engine.transcribe(turn())).toBe(NEMO_BPE_TEXT);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      await engine.close?.();
    }
  });
});

describe('the sherpa engine: a streaming zipformer, loaded again with the session’s hotwords', () => {
  const zipformer = (name: string): LocalModel => ({
    id: name,
    kind: 'streaming-zipformer',
    files: writeStreamingTransducerModel(join(dir, name), { rivals: ['停', '歇'] }),
    languages: ['zh', 'en'],
  });

  test('its streams take none of their own: the model is loaded with them when they change', async () => {
    const log = recordingLog();
    const engine = createEngine('sherpa', { model: zipformer('zipformer') }, log);
    try {
      const loads = () => log.lines.filter((l) => l.includes('loaded in'));
      expect(await engine.transcribe(turn())).toBe('听写');
      expect(await engine.transcribe(turn(['停歇']))).toBe('停歇');
      expect(await engine.transcribe(turn(['停歇']))).toBe('停歇');
      expect(loads()).toEqual([
        expect.not.stringContaining('hotword'),
        expect.stringContaining('beam search for hotwords (1 hotword)'),
      ]);
      // Keywords gone: loaded again without them, not biased towards the last session's.
      expect(await engine.transcribe(turn())).toBe('听写');
      expect(loads()).toHaveLength(3);
    } finally {
      await engine.close?.();
    }
  });

  test('over the WebSocket: the live text and the final text both hear the hotword', async () => {
    const log = recordingLog();
    const server = await startLocalServer({
      engine: 'sherpa',
      engineOptions: { model: zipformer('zipformer-wire') },
      log,
    });
    const client = await WireClient.connect(server.url);
    try {
      client.send({
        type: 'session.update',
        turn_detection: null,
        input_audio_transcription: { model: 'local', keywords: ['停歇'] },
      });
      await client.waitFor('session.updated');
      // The model (for turns and for live text) loaded with the keywords before the turn.
      await vi.waitFor(
        () => expect(log.lines).toContainEqual(expect.stringContaining('(1 hotword)')),
        { timeout: 30_000, interval: 50 },
      );
      client.append(TONES, RATE);
      // Committed once the live pass has heard the whole turn (both of its characters).
      await client.until(
        () => client.events.filter((e) => e.type === DELTA).length >= 2 || undefined,
        'the live text of both tones',
        30_000,
      );
      client.send({ type: 'input_audio_buffer.commit' });
      const [completed] = await client.waitFor(COMPLETED, 1, 60_000);
      expect(completed!.transcript).toBe('停歇');
      const live = client.events.filter((e) => e.type === DELTA).map((e) => e.delta);
      expect(live.join('')).toBe('停歇');
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('the sherpa engine: a model that takes no hotwords', () => {
  test('SenseVoice decodes as before; keywords are not given to it (sherpa-onnx would exit)', async () => {
    const log = recordingLog();
    const engine = createEngine(
      'sherpa',
      {
        model: {
          id: 'sense-voice-shaped',
          kind: 'sense-voice',
          files: writeSenseVoiceModel(join(dir, 'sense-voice')),
          languages: ['zh', 'en'],
        },
      },
      log,
    );
    try {
      expect(await engine.transcribe({ ...request(TONES, 'zh'), keywords: ['停歇'] })).toBe(
        EXPECTED_TEXT.zh,
      );
      expect(await engine.transcribe({ ...request(TONES, 'zh'), keywords: ['停歇'] })).toBe(
        EXPECTED_TEXT.zh,
      );
      expect(log.lines.filter((l) => l.includes('keywords are not boosted'))).toEqual([
        expect.stringContaining('sense-voice models take no hotwords'),
      ]);
    } finally {
      await engine.close?.();
    }
  });
});

describe('over the WebSocket: keywords in session.update reach the recognizer', () => {
  let server: LocalServer;
  const clients: WireClient[] = [];
  const log = recordingLog();
  beforeAll(async () => {
    server = await startLocalServer({
      engine: 'sherpa',
      engineOptions: { model: parakeet('parakeet-wire') },
      log,
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  async function pushToTalk(transcription: Record<string, unknown>): Promise<WireClient> {
    const client = await WireClient.connect(server.url);
    clients.push(client);
    client.send({
      type: 'session.update',
      turn_detection: null,
      input_audio_transcription: transcription,
    });
    await client.waitFor('session.updated');
    return client;
  }
  async function say(client: WireClient): Promise<string> {
    client.append(TONES, RATE);
    client.send({ type: 'input_audio_buffer.commit' });
    const [completed] = await client.waitFor(COMPLETED, 1, 60_000);
    return String(completed!.transcript);
  }

  test('each session hears its own keywords, at once, on one loaded model', async () => {
    const plain = await pushToTalk({ model: 'local', language: 'zh' });
    const withTerms = await pushToTalk({ model: 'local', language: 'zh', keywords: ['停歇'] });
    // Loaded for the keywords as soon as the session has them, before any turn.
    await vi.waitFor(
      () => expect(log.lines).toContainEqual(expect.stringContaining('beam search for hotwords')),
      { timeout: 30_000, interval: 50 },
    );
    const [updated] = withTerms.events.filter((e) => e.type === 'session.updated');
    expect(updated!.session).toMatchObject({
      input_audio_transcription: { keywords: ['停歇'] },
    });
    expect(await say(withTerms)).toBe(NEMO_RIVAL_TEXT);
    expect(await say(plain)).toBe(NEMO_TEXT);
    expect(log.lines.filter((l) => l.includes('loaded in'))).toHaveLength(2);
  });

  test('from the app: the vocabulary in Settings → RealtimeSession → the local server', async () => {
    const settings = defaultSettings();
    settings.server.vad.enabled = false; // push-to-talk: the tones are no speech to Silero
    const vocabulary = parseVocabulary('停歇 = 听写\n');
    if (!vocabulary.ok) throw new Error('the vocabulary did not parse');
    const config = toSessionConfig(settings.server, undefined, server.url, vocabulary.value);
    expect(config.keywords).toEqual(['停歇']);
    const session = new RealtimeSession({ config });
    const result = await dictate(session, TONES, RATE, 60_000);
    // The recognizer's own words (the replacement pass, "heard as", comes after it).
    expect(result.turns.map((t) => t.transcript)).toEqual([NEMO_RIVAL_TEXT]);
  });
});
