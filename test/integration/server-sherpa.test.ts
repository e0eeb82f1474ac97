// The sherpa engine's life around its model, for real, with the SenseVoice-shaped test model
// (test/helpers/sense-voice-graph.ts): turns through the local server over the WebSocket, one
// load shared by every connection, cancelled turns, closing, models that cannot load or that end
// the recognizer's process, and a long decode that leaves the server responsive. Each kind's
// decoding is in server-sherpa-kinds.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import type { Logger } from '../../src/core/log.ts';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import {
  EngineUnavailableError,
  startLocalServer,
  TranscriptionError,
} from '../../src/server/index.ts';
import type { LocalServer } from '../../src/server/index.ts';
import { createEngine } from '../../src/server/engines/select.ts';
import type { SherpaEngine } from '../../src/server/engines/sherpa.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import { writeParaformerModel } from '../helpers/paraformer-graph.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import { RATE, recordingLog, request, silence, tone, TONES } from '../helpers/tone-turns.ts';
import { WireClient } from './server-wire.ts';

const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-'));
const tinyModel = (name: string, busyLayers = 0): LocalModel => ({
  id: name,
  kind: 'sense-voice',
  files: writeSenseVoiceModel(join(dir, name), { busyLayers }),
  languages: ['zh', 'en', 'ja', 'ko', 'yue'],
});

const servers: LocalServer[] = [];
const clients: WireClient[] = [];
async function serve(model: LocalModel, log: Logger = silentLogger): Promise<LocalServer> {
  const server = await startLocalServer({
    engine: 'sherpa',
    // The language the sessions will ask for, so that the model loads once, with it.
    engineOptions: { model, language: 'zh' },
    log,
  });
  servers.push(server);
  return server;
}
async function pushToTalk(server: LocalServer, language = 'zh'): Promise<WireClient> {
  const client = await WireClient.connect(server.url);
  clients.push(client);
  client.send({
    type: 'session.update',
    turn_detection: null,
    input_audio_transcription: { model: 'sense-voice', language },
  });
  await client.waitFor('session.updated');
  return client;
}
/** Appends `samples`, commits them, and resolves with the turn's completed or failed event. */
function say(client: WireClient, samples: Int16Array, turn = 1) {
  client.append(samples, RATE);
  client.send({ type: 'input_audio_buffer.commit' });
  return outcome(client, turn);
}
/** The completed or failed event of the client's `turn`th turn. */
function outcome(client: WireClient, turn: number) {
  return client.until(
    () =>
      client.events.filter(
        (e) =>
          e.type === 'conversation.item.input_audio_transcription.completed' ||
          e.type === 'conversation.item.input_audio_transcription.failed',
      )[turn - 1],
    `the end of turn ${turn}`,
    60_000,
  );
}

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the engine', () => {
  let engine: SherpaEngine;
  beforeAll(async () => {
    engine = createEngine('sherpa', { model: tinyModel('engine') }, silentLogger) as SherpaEngine;
    await engine.ready();
  });
  afterAll(() => engine.close());

  test('closed while it loads: no failure is reported, and no turn starts it again', async () => {
    const log = recordingLog();
    const closing = createEngine('sherpa', { model: tinyModel('closing') }, log) as SherpaEngine;
    const turn = closing.transcribe(request(TONES));
    await closing.close();
    await expect(turn).rejects.toThrow(TranscriptionError);
    await expect(closing.transcribe(request(TONES))).rejects.toThrow(
      'sherpa: the engine is closed.',
    );
    expect(log.lines.filter((l) => /could not be loaded|loaded in/.test(l))).toEqual([]);
  });

  test('does not decode a turn cancelled before its turn came', async () => {
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(engine.transcribe(request(TONES, 'zh', cancelled.signal))).rejects.toThrow(
      'sherpa: the turn was cancelled.',
    );
    expect(await engine.transcribe(request(TONES, 'zh'))).toBe(EXPECTED_TEXT.zh);
  });
});

describe('the local server with engine "sherpa"', () => {
  let server: LocalServer;
  const log = recordingLog();
  beforeAll(async () => {
    server = await serve(tinyModel('served'), log);
  });

  test('a push-to-talk turn over the WebSocket is transcribed as 听写', async () => {
    expect(server.engineName).toBe('sherpa');
    const client = await pushToTalk(server);
    expect(await say(client, TONES)).toMatchObject({
      type: 'conversation.item.input_audio_transcription.completed',
      transcript: EXPECTED_TEXT.zh,
    });
  });

  test('two connections at once share the one loaded model', async () => {
    const [a, b] = await Promise.all([pushToTalk(server), pushToTalk(server)]);
    const [doneA, doneB] = await Promise.all([say(a!, TONES), say(b!, TONES)]);
    expect(doneA).toMatchObject({ transcript: EXPECTED_TEXT.zh });
    expect(doneB).toMatchObject({ transcript: EXPECTED_TEXT.zh });
    expect(log.lines.filter((l) => l.includes('loaded in'))).toEqual([
      expect.stringContaining('model served (sense-voice, language zh) loaded in'),
    ]);
  });
});

describe('a model that cannot be loaded', () => {
  test('a missing file: the server does not start, and says which file and what to do', async () => {
    const model = tinyModel('missing');
    rmSync(model.files.tokens!);
    const attempt = serve(model);
    await expect(attempt).rejects.toThrow(EngineUnavailableError);
    await expect(attempt).rejects.toThrow(
      `The model "missing" is missing its tokens file (${model.files.tokens}). Delete the model and download it again.`,
    );
  });

  test('a model of another kind: sherpa-onnx exits on the metadata it lacks, and says which', async () => {
    // A Paraformer's model.onnx offered as SenseVoice: sherpa-onnx calls _Exit(-1) on it.
    const mislabelled: LocalModel = {
      id: 'mislabelled',
      kind: 'sense-voice',
      files: writeParaformerModel(join(dir, 'mislabelled')),
      languages: ['zh'],
    };
    const engine = createEngine('sherpa', { model: mislabelled }, silentLogger) as SherpaEngine;
    try {
      await expect(engine.ready()).rejects.toThrow(EngineUnavailableError);
      await expect(engine.ready()).rejects.toThrow(
        `The speech model "mislabelled" could not be loaded: 'normalize_samples' does not exist in the metadata. Delete the model and download it again.`,
      );
      await expect(engine.transcribe(request(TONES))).rejects.toThrow(
        /^sherpa: The speech model "mislabelled" could not be loaded/,
      );
    } finally {
      await engine.close();
    }
  });

  test('a corrupt .onnx: each turn fails saying so, and the server keeps running', async () => {
    const model = tinyModel('corrupt');
    const bytes = readFileSync(model.files.model!);
    writeFileSync(model.files.model!, bytes.subarray(0, bytes.length / 2));
    const log = recordingLog();
    const server = await serve(model, log);
    const client = await pushToTalk(server);
    const failed = await say(client, TONES);
    expect(failed).toMatchObject({
      type: 'conversation.item.input_audio_transcription.failed',
      error: { code: 'engine_failed' },
    });
    const message = String((failed.error as { message: string }).message);
    expect(message).toContain('The speech model "corrupt" could not be loaded');
    expect(message).toContain(model.files.model);
    expect(message).toContain('Delete the model and download it again.');
    expect(log.lines.some((l) => l.includes('could not be loaded'))).toBe(true);

    // The same session and a new connection both still work, and say the same.
    expect(await say(client, TONES, 2)).toMatchObject({ error: { message } });
    const another = await pushToTalk(server);
    expect(another.ofType('session.created')).toHaveLength(1);
  });
});

describe('a model that ends its process while decoding', () => {
  test('fails that turn saying so, and starts again for the next one', async () => {
    // tokens.txt without the text tokens the model says: sherpa-onnx's lookup throws, uncaught.
    const model = tinyModel('tokens-missing');
    const lines = readFileSync(model.files.tokens!, 'utf8').split('\n');
    writeFileSync(model.files.tokens!, lines.slice(0, 5).join('\n') + '\n');
    const log = recordingLog();
    const engine = createEngine('sherpa', { model }, log) as SherpaEngine;
    try {
      await expect(engine.transcribe(request(TONES))).rejects.toThrow(
        /^sherpa: the recognizer stopped while decoding \(.+\); it starts again with the next turn\. If it stops on every turn, delete the model "tokens-missing" and download it again\.$/,
      );
      // Silence needs no text token: the restarted recognizer decodes it.
      expect(await engine.transcribe(request(silence(1000)))).toBe('');
      expect(log.lines.filter((l) => l.includes('loaded in'))).toHaveLength(2);
    } finally {
      await engine.close();
    }
  });
});

describe('a long decode', () => {
  test('leaves the event loop, the sockets and other connections responsive', async () => {
    // 300 discarded 1024-wide layers per frame: about a second for 10 s of audio here.
    const server = await serve(tinyModel('slow', 300));
    // The tones, then a loud 1 kHz hum, which is neither tone (blank to the model) and which
    // push-to-talk trimming keeps (it cuts only quiet): a 10 s turn to decode.
    const long = concatSamples(Int16Array, [TONES, tone(1000, 8800)]);
    const [a, b] = await Promise.all([pushToTalk(server), pushToTalk(server)]);

    let maxGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 10);
    try {
      const doneA = say(a, long);
      await a.waitFor('input_audio_buffer.committed');
      const committedAt = performance.now();
      maxGap = 0;
      last = committedAt;
      // While A's turn decodes: B commits and hears back, and a third client connects.
      const doneB = say(b, TONES);
      await b.waitFor('input_audio_buffer.committed');
      const c = await WireClient.connect(server.url);
      clients.push(c);
      await c.waitFor('conversation.created');
      expect(a.ofType('conversation.item.input_audio_transcription.completed')).toHaveLength(0);

      expect(await doneA).toMatchObject({ transcript: EXPECTED_TEXT.zh });
      const decodeMs = performance.now() - committedAt;
      expect(await doneB).toMatchObject({ transcript: EXPECTED_TEXT.zh });
      // The decode was long enough to tell, and the event loop never waited on it: a decode on
      // it would stop the ticker for the whole decode (the bound leaves room for a busy machine).
      expect(decodeMs).toBeGreaterThan(800);
      expect(maxGap).toBeLessThan(decodeMs / 3);
    } finally {
      clearInterval(ticker);
    }
  });
});
