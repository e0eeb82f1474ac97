// Tingxie's realtime client with the local server's live text (issue #16): the server sends a
// turn's deltas while it is spoken, before the turn is committed and before the client has
// heard of its item; the client shows them as the turn's growing partial text, and the turn's
// transcript is still the completed text. The models are the tests' own: the streaming one
// hears the tones as 停歇, the offline one as 听写.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { presetConfig } from '../../src/shared/providers.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import { appendAll, record } from '../helpers/fake-servers/dictation.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import {
  HOMOPHONES,
  writeStreamingTransducerModel,
} from '../helpers/streaming-transducer-graph.ts';
import { HIGH_TONE_HZ, LOW_TONE_HZ } from '../helpers/tone-detector.ts';
import { RATE, silence, tone } from '../helpers/tone-turns.ts';

const dir = mkdtempSync(join(tmpdir(), 'tingxie-realtime-live-'));
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    engine: 'sherpa',
    engineOptions: {
      model: {
        id: 'offline',
        kind: 'sense-voice',
        files: writeSenseVoiceModel(join(dir, 'offline')),
        languages: ['zh'],
      },
      streaming: {
        id: 'live',
        kind: 'streaming-zipformer',
        files: writeStreamingTransducerModel(join(dir, 'live'), { words: HOMOPHONES }),
        languages: ['zh'],
      },
      language: 'zh',
    },
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('RealtimeSession with live text from the local server', () => {
  test('push-to-talk: partial text grows while speaking, then the turn is the offline text', async () => {
    const session = new RealtimeSession({
      config: presetConfig('local', { url: server.url, vad: null, language: 'zh' }),
    });
    const rec = record(session);
    await session.connect();
    const partial = (text: string) =>
      rec.next((e) => e.type === 'partial' && e.text === text, `partial text "${text}"`);

    appendAll(session, concatSamples(Int16Array, [silence(200), tone(LOW_TONE_HZ, 400)]), RATE);
    appendAll(session, silence(200), RATE);
    await partial(HOMOPHONES[0]);
    appendAll(session, concatSamples(Int16Array, [tone(HIGH_TONE_HZ, 400), silence(200)]), RATE);
    const grown = await partial(HOMOPHONES.join(''));
    expect(rec.of('committed')).toHaveLength(0);

    session.commit();
    const done = await rec.next((e) => e.type === 'completed', 'the completed turn');
    expect(done).toMatchObject({ transcript: EXPECTED_TEXT.zh });
    expect('itemId' in done && done.itemId).toBe('itemId' in grown && grown.itemId);
    const result = await session.stop({ timeoutMs: 10_000 });
    expect(result.turns.map((t) => t.transcript)).toEqual([EXPECTED_TEXT.zh]);
  });
});
