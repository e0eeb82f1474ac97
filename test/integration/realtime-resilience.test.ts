// Nothing spoken is lost: dropped connections, expired sessions, silent closes and half-open
// sockets mid-dictation; out-of-order and malformed server events; audio before ready; and a
// stop that resolves on events, not on a timer.
import { describe, expect, test } from 'vitest';
import {
  RealtimeError,
  RealtimeSession,
  type RealtimeSessionOptions,
  type StopResult,
} from '../../src/core/realtime/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { presetConfig, type ProviderId } from '../../src/shared/providers.ts';
import { FLAVORS, type Flavor } from '../helpers/fake-servers/flavors.ts';
import type { Misbehaviour } from '../helpers/fake-servers/scripted-server.ts';
import { scriptedServerPerTest } from '../helpers/fake-servers/server-per-test.ts';
import { TONE_VAD, WORDS, toneTurns } from '../helpers/fake-servers/tone-speech.ts';
import { appendAll, dictate, record } from '../helpers/fake-servers/dictation.ts';

const FAST_RECONNECT = { initialDelayMs: 10, maxDelayMs: 50 };
const SIX = [1, 2, 3, 4, 5, 6];
const SIX_WORDS = SIX.map((w) => WORDS[w - 1]);

const serve = scriptedServerPerTest();

/** A server that misbehaves right after committing turn `turn` of its first connection. */
const onFirstConnection =
  (turn: number, what: Misbehaviour) => (c: { connection: number; turn: number }) =>
    c.connection === 1 && c.turn === turn ? what : undefined;

/** A session in `provider`'s dialect to `url`, told the tone speech's VAD. */
const toneSession = (
  provider: ProviderId,
  url: string,
  options: Omit<RealtimeSessionOptions, 'config'> = {},
) =>
  new RealtimeSession({
    config: presetConfig(provider, {
      url,
      vad: { ...TONE_VAD },
      // OpenAI's default model takes no VAD; these turns are cut by the server's.
      ...(provider === 'openai' ? { model: 'gpt-4o-transcribe' } : {}),
    }),
    ...options,
  });

/** SIX dictated as tone words at `rate` in `provider`'s dialect to a `flavor` server that does
 * `what` right after committing turn `turn` of its first connection, 20 ms per transcript;
 * the session reconnects fast. */
async function sixWordsDespite(
  flavor: Flavor,
  provider: ProviderId,
  rate: number,
  turn: number,
  what: Misbehaviour,
) {
  const s = await serve({
    flavor,
    transcribeDelayMs: () => 20,
    afterCommit: onFirstConnection(turn, what),
  });
  const session = toneSession(provider, s.url, { reconnect: FAST_RECONNECT });
  const rec = record(session);
  const result = await dictate(session, toneTurns({ words: SIX, rate }), rate);
  return { s, rec, result };
}

/** Each turn's transcript is `words` in turn order; the client emitted each once (every
 * `completed` item id is unique). */
function expectEachTurnOnce(
  result: StopResult,
  rec: ReturnType<typeof record>,
  words: (string | undefined)[],
) {
  expect(result.turns.map((t) => t.transcript)).toEqual(words);
  expect(rec.transcripts()).toEqual(words);
  const ids = rec.of('completed').map((e) => e.itemId + (e.previousItemId ?? ''));
  expect(new Set(ids).size).toBe(ids.length);
}

describe('reconnecting mid-dictation', () => {
  test('a dropped connection: every turn transcribed exactly once, in order', async () => {
    // Drop right after turn 2 is committed (before its transcript), while more audio streams.
    const { s, rec, result } = await sixWordsDespite(FLAVORS.seed, 'custom', 16000, 1, 'drop');
    expectEachTurnOnce(result, rec, SIX_WORDS);
    expect(s.connections).toBe(2);
    expect(rec.of('state').map((e) => e.state)).toEqual([
      'connecting',
      'ready',
      'reconnecting',
      'ready',
      'closed',
    ]);
    // the audio timeline survives the reconnect
    expect(result.turns[3]!.audioStartMs).toBe(200 + 3 * 1000);
  });

  test('a drop while a later turn is held back behind an earlier one', async () => {
    // turn 0 is slow, turn 1 fast: turn 1's transcript is held (order), then the line drops
    const s = await serve({
      flavor: FLAVORS.seed,
      transcribeDelayMs: (turn) => (turn === 0 ? 10_000 : 0),
      afterCommit: onFirstConnection(2, 'drop'),
    });
    const session = toneSession('custom', s.url, { reconnect: FAST_RECONNECT });
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [1, 2, 3, 4], rate: 16000 }), 16000);
    expectEachTurnOnce(result, rec, ['alpha', 'bravo', 'charlie', 'delta']);
  });

  test('manual mode: the commits of untranscribed turns are replayed on the new connection', async () => {
    const s = await serve({
      flavor: FLAVORS.seed,
      transcribeDelayMs: () => 20,
      afterCommit: onFirstConnection(1, 'drop'),
    });
    const session = new RealtimeSession({
      config: presetConfig('custom', { url: s.url, vad: null }),
      reconnect: FAST_RECONNECT,
    });
    const rec = record(session);
    await session.connect();
    for (const w of [1, 2, 3]) {
      appendAll(session, toneTurns({ words: [w], rate: 16000 }), 16000);
      session.commit();
    }
    const result = await session.stop();
    expectEachTurnOnce(result, rec, ['alpha', 'bravo', 'charlie']);
    expect(
      s.clientEvents.filter(
        (e) => e.connection === 2 && e.event.type === 'input_audio_buffer.commit',
      ).length,
    ).toBeGreaterThanOrEqual(2);
  });

  test('OpenAI session_expired rolls over to a new session without losing audio', async () => {
    const { s, rec, result } = await sixWordsDespite(FLAVORS.openai, 'openai', 24000, 2, 'expire');
    expectEachTurnOnce(result, rec, SIX_WORDS);
    expect(s.connections).toBe(2);
    expect(rec.of('error').filter((e) => e.fatal)).toEqual([]);
  });

  test('speaches closing silently (its 30 min cap) mid-dictation', async () => {
    const { rec, result } = await sixWordsDespite(
      FLAVORS.speaches,
      'speaches',
      24000,
      1,
      'silent-close',
    );
    expectEachTurnOnce(result, rec, SIX_WORDS);
  });

  test('DashScope dropped mid-dictation: event ids on the new connection, session.finish once there', async () => {
    const { s, rec, result } = await sixWordsDespite(
      FLAVORS.dashscope,
      'dashscope',
      16000,
      1,
      'drop',
    );
    expectEachTurnOnce(result, rec, SIX_WORDS);
    expect(s.clientEvents.every((e) => typeof e.event.event_id === 'string')).toBe(true);
    expect(
      s.clientEvents.filter((e) => e.event.type === 'session.finish').map((e) => e.connection),
    ).toEqual([2]);
  });

  test('a half-open socket (no pong) is detected by keepalive pings and replaced', async () => {
    const s = await serve({ flavor: FLAVORS.seed, transcribeDelayMs: () => 5 });
    const session = toneSession('custom', s.url, {
      reconnect: FAST_RECONNECT,
      keepaliveMs: 50,
    });
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1], rate: 16000 }), 16000);
    await rec.next((e) => e.type === 'completed', 'the first transcript');
    s.freeze(); // the peer vanishes without a FIN: nothing comes back, pings included
    appendAll(session, toneTurns({ words: [2, 3], rate: 16000 }), 16000);
    await rec.next(
      (e) => e.type === 'state' && e.state === 'reconnecting',
      'a reconnect after missing pongs',
      5000,
    );
    const result = await session.stop();
    expectEachTurnOnce(result, rec, ['alpha', 'bravo', 'charlie']);
  });

  test('gives up after maxAttempts with an error that says so', async () => {
    const s = await serve({ flavor: FLAVORS.seed, transcribeDelayMs: () => 10_000 });
    const session = toneSession('custom', s.url, {
      reconnect: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
    });
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1], rate: 16000 }), 16000);
    const stopped = session.stop();
    await s.close();
    const err = await stopped.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RealtimeError);
    expect((err as RealtimeError).code).toBe('connection_lost');
    expect((err as RealtimeError).message).toMatch(
      /could not reconnect after 2 attempts.*Cannot reach 127\.0\.0\.1/,
    );
    expect(rec.of('error').at(-1)?.fatal).toBe(true);
    expect(session.state).toBe('closed');
  });
});

describe('ordering, buffering, stopping', () => {
  test('turns completed out of order on the wire come out in turn order', async () => {
    const s = await serve({
      flavor: FLAVORS.seed,
      transcribeDelayMs: (turn) => [80, 40, 0][turn] ?? 0,
    });
    const session = toneSession('custom', s.url);
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [1, 2, 3], rate: 16000 }), 16000);
    expect(s.transcripts.map((t) => t.text)).toEqual(['charlie', 'bravo', 'alpha']); // wire order
    expectEachTurnOnce(result, rec, ['alpha', 'bravo', 'charlie']);
  });

  test('audio appended before the socket and session.updated are ready is buffered, not dropped', async () => {
    const s = await serve({ flavor: FLAVORS.seed, configureDelayMs: 100 });
    const session = toneSession('custom', s.url);
    const rec = record(session);
    const pcm = toneTurns({ words: [1, 2, 3], rate: 16000 });
    appendAll(session, pcm.subarray(0, 8000), 16000); // before connect()
    const connected = session.connect();
    appendAll(session, pcm.subarray(8000), 16000); // while connecting
    await connected;
    const result = await session.stop();
    expectEachTurnOnce(result, rec, ['alpha', 'bravo', 'charlie']);
  });

  test('stop resolves as soon as the last transcript arrives (no fixed wait)', async () => {
    const s = await serve({ flavor: FLAVORS.seed, transcribeDelayMs: () => 300 });
    const session = toneSession('custom', s.url);
    let lastCompletedAt = 0;
    session.on('completed', () => (lastCompletedAt = performance.now()));
    await session.connect();
    appendAll(session, toneTurns({ words: [1, 2], rate: 16000 }), 16000);
    const startedAt = performance.now();
    await session.stop();
    const resolvedAt = performance.now();
    expect(resolvedAt - lastCompletedAt).toBeLessThan(20);
    expect(resolvedAt - startedAt).toBeLessThan(1000); // the server's 300 ms, not a 1.5 s sleep
  });

  test('a stop timeout names the turns still missing', async () => {
    const s = await serve({
      flavor: FLAVORS.seed,
      transcribeDelayMs: (turn) => (turn === 1 ? 60_000 : 0),
    });
    const session = toneSession('custom', s.url);
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1, 2], rate: 16000 }), 16000);
    await rec.next(
      (e) => e.type === 'committed' && rec.of('committed').length === 2,
      'two commits',
    );
    const missing = rec.of('committed')[1]!.itemId;
    const err = await session.stop({ timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RealtimeError);
    expect((err as RealtimeError).code).toBe('stop_timeout');
    expect((err as RealtimeError).message).toContain(missing);
    expect(rec.transcripts()).toEqual(['alpha']);
    expect(session.state).toBe('closed');
  });

  test('a commit racing the server VAD commit (commit_empty) is harmless', async () => {
    const s = await serve({ flavor: FLAVORS.seed });
    const session = toneSession('custom', s.url);
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1], rate: 16000, tailMs: 350 }), 16000);
    session.commit(); // the server has already committed the turn by VAD: buffer too small
    const result = await session.stop();
    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha']);
    expect(rec.of('error')).toEqual([]);
  });
});

describe('malformed server events', () => {
  test('garbage, unknown types, invalid known events and binary frames are logged and ignored', async () => {
    const s = await serve({ flavor: FLAVORS.seed, noise: true });
    const lines: string[] = [];
    const session = toneSession('custom', s.url, {
      log: createLogger((l) => lines.push(l), 'debug'),
    });
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [1, 2, 3], rate: 16000 }), 16000);
    expectEachTurnOnce(result, rec, ['alpha', 'bravo', 'charlie']);
    const warned = lines.filter((l) => l.includes('warn:')).join('\n');
    expect(warned).toMatch(/malformed server event: not JSON/);
    expect(warned).toMatch(/unknown event type "totally\.unknown\.event"/);
    expect(warned).toMatch(/conversation\.item\.input_audio_transcription\.completed: item_id/);
    expect(warned).toMatch(/binary message/);
  });
});
