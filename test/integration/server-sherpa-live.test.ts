// Live text while speaking (issue #16), for real over the WebSocket: a streaming model follows
// each turn as its audio arrives and its text goes out as `delta` events before the turn is
// committed; the turn's `completed` text is the offline model's decode of the whole turn. The
// streaming test model hears the tones as 停歇 (HOMOPHONES) where the offline ones hear 听写,
// so every assertion knows which pass a text came from.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import { startLocalServer } from '../../src/server/index.ts';
import type { LocalServer } from '../../src/server/index.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import { midBandSpeech, SPEECH_TOOLS } from '../helpers/mid-band-speech.ts';
import { NEMO_TEXT, writeNemoTransducerModel } from '../helpers/nemo-transducer-graph.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import {
  HOMOPHONES,
  writeStreamingTransducerModel,
} from '../helpers/streaming-transducer-graph.ts';
import { HIGH_TONE_HZ, LOW_TONE_HZ } from '../helpers/tone-detector.ts';
import { RATE, recordingLog, silence, tone } from '../helpers/tone-turns.ts';
import { missingTools } from '../helpers/tools.ts';
import { WireClient } from './server-wire.ts';
import type { ServerEvent } from './server-wire.ts';

const DELTA = 'conversation.item.input_audio_transcription.delta';
const COMPLETED = 'conversation.item.input_audio_transcription.completed';
const LIVE_TEXT = HOMOPHONES.join('');

/** The low tone with silence around it: 听 to the offline models, 停 to the streaming one. */
const LOW = concatSamples(Int16Array, [silence(200), tone(LOW_TONE_HZ, 400), silence(200)]);
/** The high tone and silence after it: 写, or 歇. */
const HIGH = concatSamples(Int16Array, [tone(HIGH_TONE_HZ, 400), silence(200)]);

const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-live-'));
const senseVoice = (name: string): LocalModel => ({
  id: name,
  kind: 'sense-voice',
  files: writeSenseVoiceModel(join(dir, name)),
  languages: ['zh', 'en', 'ja', 'ko', 'yue'],
});
const streaming = (name: string, busyLayers = 0): LocalModel => ({
  id: name,
  kind: 'streaming-zipformer',
  files: writeStreamingTransducerModel(join(dir, name), { words: HOMOPHONES, busyLayers }),
  languages: ['zh', 'en'],
});

const servers: LocalServer[] = [];
const clients: WireClient[] = [];
async function serve(
  engineOptions: Record<string, unknown>,
  log = recordingLog(),
): Promise<LocalServer> {
  const server = await startLocalServer({
    engine: 'sherpa',
    engineOptions: { language: 'zh', ...engineOptions },
    log,
  });
  servers.push(server);
  return server;
}
async function connect(server: LocalServer, turnDetection: unknown = null): Promise<WireClient> {
  const client = await WireClient.connect(server.url);
  clients.push(client);
  client.send({
    type: 'session.update',
    turn_detection: turnDetection,
    input_audio_transcription: { model: 'local', language: 'zh' },
  });
  await client.waitFor('session.updated');
  return client;
}
/** The client's deltas from event `from` on, joined. */
const joined = (client: WireClient, from = 0) =>
  client.events
    .slice(from)
    .filter((e) => e.type === DELTA)
    .map((e) => e.delta)
    .join('');
/** Resolves once the deltas since event `from` say `text`. */
const liveText = (client: WireClient, text: string, from = 0) =>
  client.until(
    () => (joined(client, from) === text ? true : undefined),
    `live text "${text}" (so far "${joined(client, from)}")`,
    30_000,
  );
const index = (client: WireClient, type: string, nth = 0) =>
  client.events.filter((e) => e.type === type)[nth]
    ? client.events.indexOf(client.events.filter((e) => e.type === type)[nth]!)
    : -1;
const deltasOf = (client: WireClient): ServerEvent[] => client.ofType(DELTA);

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('push-to-talk with a streaming model beside the offline one', () => {
  let server: LocalServer;
  const log = recordingLog();
  beforeAll(async () => {
    server = await serve({ model: senseVoice('offline'), streaming: streaming('live') }, log);
  });

  test('deltas come while the audio is sent, before the commit; completed is the offline text', async () => {
    const client = await connect(server);
    client.append(LOW, RATE);
    await liveText(client, HOMOPHONES[0]);
    client.append(HIGH, RATE);
    await liveText(client, LIVE_TEXT);
    expect(client.ofType('input_audio_buffer.committed')).toHaveLength(0);

    client.send({ type: 'input_audio_buffer.commit' });
    const [completed] = await client.waitFor(COMPLETED);
    expect(completed).toMatchObject({ transcript: EXPECTED_TEXT.zh, content_index: 0 });
    const [committed] = client.ofType('input_audio_buffer.committed');
    // Under the item id the commit then gives the turn, and none after it.
    for (const delta of deltasOf(client)) {
      expect(delta).toMatchObject({ item_id: committed!.item_id, content_index: 0 });
    }
    expect(deltasOf(client).map((d) => d.delta)).toEqual([...HOMOPHONES]);
    expect(index(client, DELTA, 1)).toBeLessThan(index(client, 'input_audio_buffer.committed'));
    expect(completed!.item_id).toBe(committed!.item_id);
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^sherpa: live text from streaming model live, loaded in \d+ ms\.$/),
    );

    // The next turn is followed from its own start.
    const from = client.events.length;
    client.append(concatSamples(Int16Array, [HIGH, LOW]), RATE);
    await liveText(client, '歇停', from);
    client.send({ type: 'input_audio_buffer.commit' });
    const [, second] = await client.waitFor(COMPLETED, 2);
    expect(second).toMatchObject({ transcript: '写听' });
    const [, secondCommit] = client.ofType('input_audio_buffer.committed');
    expect(
      deltasOf(client)
        .slice(2)
        .map((d) => d.item_id),
    ).toEqual([secondCommit!.item_id, secondCommit!.item_id]);
  });

  test('a cleared turn sends no more deltas, and the next turn starts afresh', async () => {
    const client = await connect(server);
    client.append(LOW, RATE);
    await liveText(client, HOMOPHONES[0]);
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    const from = client.events.length;
    client.append(HIGH, RATE);
    await liveText(client, HOMOPHONES[1], from);
    client.send({ type: 'input_audio_buffer.commit' });
    const [completed] = await client.waitFor(COMPLETED);
    expect(completed).toMatchObject({ transcript: '写' });
    const [cleared, next] = [deltasOf(client)[0]!, deltasOf(client)[1]!];
    expect(next.item_id).not.toBe(cleared.item_id);
    expect(next.item_id).toBe(completed!.item_id);
  });

  test('two connections at once each get their own live text', async () => {
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    a.append(LOW, RATE);
    b.append(HIGH, RATE);
    await Promise.all([liveText(a, '停'), liveText(b, '歇')]);
    a.append(HIGH, RATE);
    b.append(LOW, RATE);
    await Promise.all([liveText(a, '停歇'), liveText(b, '歇停')]);
    a.send({ type: 'input_audio_buffer.commit' });
    b.send({ type: 'input_audio_buffer.commit' });
    const [[doneA], [doneB]] = await Promise.all([a.waitFor(COMPLETED), b.waitFor(COMPLETED)]);
    expect(doneA).toMatchObject({ transcript: '听写' });
    expect(doneB).toMatchObject({ transcript: '写听' });
  });

  test('a 24 kHz session (OpenAI GA): the audio is resampled for the streaming model', async () => {
    const client = await WireClient.connect(`${server.url}?intent=transcription`);
    clients.push(client);
    await client.waitFor('session.created');
    client.send({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: { input: { turn_detection: null, transcription: { language: 'zh' } } },
      },
    });
    await client.waitFor('session.updated');
    // The tones and silence drawn at 24 kHz.
    const tone24k = (hz: number, ms: number) =>
      Int16Array.from({ length: 24 * ms }, (_, i) =>
        Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / 24000)),
      );
    const silence24k = (ms: number) => new Int16Array(24 * ms);
    const low = [silence24k(200), tone24k(LOW_TONE_HZ, 400), silence24k(200)];
    client.append(concatSamples(Int16Array, low), 24000);
    await liveText(client, HOMOPHONES[0]);
    client.append(concatSamples(Int16Array, [tone24k(HIGH_TONE_HZ, 400), silence24k(200)]), 24000);
    await liveText(client, LIVE_TEXT);
    client.send({ type: 'input_audio_buffer.commit' });
    expect((await client.waitFor(COMPLETED))[0]).toMatchObject({ transcript: EXPECTED_TEXT.zh });
  });

  test('the final does not wait for live text: commit → completed with it on vs off', async () => {
    // A streaming model that takes a while per chunk, kept busy by another connection's long
    // turn: a final queued behind its backlog would take seconds.
    const slow = await serve({
      model: senseVoice('offline-timed'),
      streaming: streaming('slow', 6),
    });
    const off = await serve({ model: senseVoice('offline-only'), livePartials: false });
    const turn = concatSamples(Int16Array, [LOW, HIGH]);
    /** Five turns' commit → completed, sorted. */
    const latencies = async (client: WireClient, live: boolean): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const from = client.events.length;
        client.append(turn, RATE);
        // With live text, the turn is being followed when it is committed.
        if (live) await liveText(client, LIVE_TEXT, from);
        const start = performance.now();
        client.send({ type: 'input_audio_buffer.commit' });
        await client.waitFor(COMPLETED, i);
        ms.push(performance.now() - start);
      }
      return ms.sort((x, y) => x - y);
    };
    const without = await latencies(await connect(off), false);
    const [on, busy] = await Promise.all([connect(slow), connect(slow)]);
    busy.append(concatSamples(Int16Array, Array<Int16Array>(30).fill(turn)), RATE);
    await liveText(busy, HOMOPHONES[0]);
    const withLive = await latencies(on, true);
    const lastFinal = on.times.at(-1)!;
    expect(on.ofType(COMPLETED).map((e) => e.transcript)).toEqual(Array(5).fill('听写'));
    // The busy turn was still being followed after the last final came…
    await liveText(busy, LIVE_TEXT.repeat(30));
    expect(busy.times.at(-1)!).toBeGreaterThan(lastFinal);
    // …and the finals took about as long as without live text (the median, with room for a
    // busy machine; one chunk of the streaming model may be decoding when a commit comes).
    expect(withLive[2]!).toBeLessThan(without[2]! * 3 + 150);
  });
});

const noSpeech = missingTools('live text with server VAD', [...SPEECH_TOOLS, 'sox']);
describe.skipIf(noSpeech)('server VAD with a streaming model beside the offline one', () => {
  test('deltas come between speech_started and speech_stopped; completed is the offline text', async () => {
    // The NeMo-shaped model hears nothing in the band-passed speech (SenseVoice's does).
    const server = await serve({
      model: {
        id: 'offline-nemo',
        kind: 'nemo-transducer',
        files: writeNemoTransducerModel(join(dir, 'offline-nemo')),
        languages: ['en'],
      },
      streaming: streaming('live-vad'),
    });
    // Long enough for the tones after the speech to stay in its turn.
    const client = await connect(server, { type: 'server_vad', silence_duration_ms: 2500 });
    client.append(
      concatSamples(Int16Array, [silence(300), midBandSpeech('Please write this down.')]),
      RATE,
    );
    const [started] = await client.waitFor('input_audio_buffer.speech_started');
    client.append(LOW, RATE);
    await liveText(client, HOMOPHONES[0]);
    client.append(HIGH, RATE);
    await liveText(client, LIVE_TEXT);
    expect(client.ofType('input_audio_buffer.speech_stopped')).toHaveLength(0);

    client.append(silence(3000), RATE);
    const [completed] = await client.waitFor(COMPLETED);
    expect(completed).toMatchObject({ item_id: started!.item_id, transcript: NEMO_TEXT });
    for (const delta of deltasOf(client)) expect(delta.item_id).toBe(started!.item_id);
    expect(index(client, DELTA)).toBeGreaterThan(
      index(client, 'input_audio_buffer.speech_started'),
    );
    expect(index(client, DELTA, 1)).toBeLessThan(
      index(client, 'input_audio_buffer.speech_stopped'),
    );
    expect(deltasOf(client)).toHaveLength(2);
  });
});

describe('a streaming model that cannot be loaded', () => {
  test('a corrupt encoder: no deltas but the final one, the final is right, and the log says why', async () => {
    const broken = streaming('broken-live');
    const bytes = readFileSync(broken.files.encoder!);
    writeFileSync(broken.files.encoder!, bytes.subarray(0, bytes.length / 2));
    const log = recordingLog();
    const server = await serve(
      { model: senseVoice('offline-beside-broken'), streaming: broken },
      log,
    );
    const client = await connect(server);
    client.append(concatSamples(Int16Array, [LOW, HIGH]), RATE);
    client.send({ type: 'input_audio_buffer.commit' });
    const [completed] = await client.waitFor(COMPLETED);
    expect(completed).toMatchObject({ transcript: EXPECTED_TEXT.zh });
    // As without a streaming model: one delta with the whole text, after the commit.
    expect(deltasOf(client).map((d) => d.delta)).toEqual([EXPECTED_TEXT.zh]);
    expect(index(client, DELTA)).toBeGreaterThan(index(client, 'input_audio_buffer.committed'));
    // ONNX Runtime ended the recognizer's process on it: the offline model was loaded again.
    expect(log.lines.filter((l) => l.includes('offline-beside-broken (sense-voice'))).toHaveLength(
      2,
    );
    const reason = log.lines.find((l) => l.includes('no live text while speaking'));
    expect(reason).toMatch(
      /^sherpa: no live text while speaking: the streaming model "broken-live" could not be loaded: .+\. Delete the model and download it again\. Transcripts still come from "offline-beside-broken"\.$/,
    );
  });

  test('a missing file: the server starts, without live text, saying which file', async () => {
    const broken = streaming('missing-live');
    rmSync(broken.files.joiner!);
    const log = recordingLog();
    const server = await serve(
      { model: senseVoice('offline-beside-missing'), streaming: broken },
      log,
    );
    const client = await connect(server);
    client.append(concatSamples(Int16Array, [LOW, HIGH]), RATE);
    client.send({ type: 'input_audio_buffer.commit' });
    expect((await client.waitFor(COMPLETED))[0]).toMatchObject({ transcript: EXPECTED_TEXT.zh });
    expect(log.lines.find((l) => l.includes('no live text while speaking'))).toBe(
      `sherpa: no live text while speaking: the model "missing-live" is missing its joiner file (${broken.files.joiner}). Delete the model and download it again. Transcripts still come from "offline-beside-missing".`,
    );
  });
});

describe('a streaming model chosen as the model for turns', () => {
  test('it gives the live text too, and its decode of the whole turn is the final text', async () => {
    const log = recordingLog();
    const server = await serve({ model: streaming('live-alone') }, log);
    const client = await connect(server);
    client.append(LOW, RATE);
    await liveText(client, HOMOPHONES[0]);
    client.append(HIGH, RATE);
    await liveText(client, LIVE_TEXT);
    client.send({ type: 'input_audio_buffer.commit' });
    expect((await client.waitFor(COMPLETED))[0]).toMatchObject({ transcript: LIVE_TEXT });
    expect(log.lines).toContain('sherpa: live text from model live-alone itself.');
  });
});
