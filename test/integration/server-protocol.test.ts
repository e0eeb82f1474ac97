// The local server's wire protocol, through a bare `ws` client, with a `command` engine that
// "transcribes" a turn as its length — fast and exact, so every event can be checked.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startLocalServer } from '../../src/server/index.ts';
import type { LocalServer, LocalServerOptions } from '../../src/server/index.ts';
import { WireClient } from './server-wire.ts';

/** A `command` engine running a shell script on each turn's WAV (the script's $0). */
const shellEngine = (script: string): LocalServerOptions => ({
  engine: 'command',
  engineOptions: { command: ['sh', '-c', script, '{wav}'] },
});

/** Prints "<ms> ms" for a 16 kHz PCM16 WAV (44-byte header, 32 bytes per ms). */
const LENGTH_ENGINE = shellEngine('echo "$(( ($(wc -c < "$0") - 44) / 32 )) ms"');

const tone = (ms: number, rate = 16000) =>
  Int16Array.from({ length: (ms * rate) / 1000 }, (_, i) => Math.round(3000 * Math.sin(i / 7)));
const pushToTalk = { type: 'session.update', turn_detection: null };

/** Appends `ms` of tone, commits it and resolves with that turn's transcript. */
async function transcribeTone(client: WireClient, ms: number): Promise<unknown> {
  client.append(tone(ms), 16000);
  client.send({ type: 'input_audio_buffer.commit' });
  const [done] = await client.waitFor('conversation.item.input_audio_transcription.completed');
  return done!.transcript;
}

const servers: LocalServer[] = [];
const clients: WireClient[] = [];
async function serve(options: LocalServerOptions = LENGTH_ENGINE): Promise<LocalServer> {
  const server = await startLocalServer(options);
  servers.push(server);
  return server;
}
async function connect(url: string, headers?: Record<string, string>): Promise<WireClient> {
  const client = await WireClient.connect(url, headers);
  clients.push(client);
  return client;
}

let server: LocalServer;
beforeAll(async () => {
  server = await serve();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('handshake and configuration', () => {
  test('session.created then conversation.created, on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
    expect(server.engineName).toBe('command');
    const client = await connect(server.url);
    await client.waitFor('conversation.created');
    expect(client.events.map((e) => e.type)).toEqual(['session.created', 'conversation.created']);
    expect(client.events[0]).toMatchObject({
      event_id: expect.any(String),
      session: {
        id: expect.stringMatching(/^sess_/),
        sample_rate: 16000,
        turn_detection: { type: 'server_vad' },
      },
    });
  });

  test('a seed (flat) session.update is answered with session.updated', async () => {
    const client = await connect(server.url);
    client.send({
      type: 'session.update',
      modalities: ['text'],
      input_audio_format: 'pcm16',
      sample_rate: 16000,
      channels: 1,
      input_audio_transcription: { model: 'whisper-1', language: 'auto', prompt: 'hint' },
      turn_detection: {
        type: 'server_vad',
        threshold: 0.5,
        prefix_padding_ms: 300,
        silence_duration_ms: 1000,
      },
    });
    const [updated] = await client.waitFor('session.updated');
    expect(updated!.session).toMatchObject({
      input_audio_transcription: { model: 'whisper-1', prompt: 'hint' },
      turn_detection: { silence_duration_ms: 1000 },
    });
  });

  test('a beta (nested) session.update', async () => {
    const client = await connect(server.url);
    client.send({
      type: 'session.update',
      session: { turn_detection: null, input_audio_format: 'pcm16' },
    });
    const [updated] = await client.waitFor('session.updated');
    expect(updated!.session).toMatchObject({ turn_detection: null, sample_rate: 16000 });
  });

  test('transcription_session.update is answered with transcription_session.updated', async () => {
    const client = await connect(server.url);
    client.send({ type: 'transcription_session.update', session: { turn_detection: null } });
    const [updated] = await client.waitFor('transcription_session.updated');
    expect(updated!.session).toMatchObject({
      object: 'realtime.transcription_session',
      turn_detection: null,
    });
  });

  test('a GA session (?intent=transcription) is 24 kHz, and its turns are timed at 24 kHz', async () => {
    const client = await connect(`${server.url}?intent=transcription`);
    const [created] = await client.waitFor('session.created');
    expect(created!.session).toMatchObject({
      type: 'transcription',
      audio: { input: { format: { rate: 24000 } } },
    });
    client.send({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: { input: { turn_detection: null, transcription: { model: 'gpt-4o-transcribe' } } },
      },
    });
    await client.waitFor('session.updated');
    client.append(tone(500, 24000), 24000);
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor('conversation.item.input_audio_transcription.completed');
    expect(client.events.map((e) => e.type).slice(3, 6)).toEqual([
      'input_audio_buffer.committed',
      'conversation.item.added', // GA's names for conversation.item.created
      'conversation.item.done',
    ]);
    // The engine got exactly 500 ms at 24 kHz: 24000 bytes, which it reports in 16 kHz units.
    expect(done!.transcript).toBe('750 ms');
  });

  test('an invalid session.update is an error naming the parameter and the client event', async () => {
    const client = await connect(server.url);
    client.send({
      type: 'session.update',
      event_id: 'evt_bad',
      turn_detection: { type: 'semantic_vad' },
    });
    const [error] = await client.waitFor('error');
    expect(error!.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_value',
      param: 'turn_detection.type',
      event_id: 'evt_bad',
    });
  });
});

describe('push-to-talk turns', () => {
  test('commits give committed → item.created → completed, chained by previous_item_id', async () => {
    const client = await connect(server.url);
    client.send(pushToTalk);
    await client.waitFor('session.updated');
    for (const ms of [300, 700, 200]) {
      client.append(tone(ms), 16000);
      client.send({ type: 'input_audio_buffer.commit' });
    }
    const done = await client.waitFor('conversation.item.input_audio_transcription.completed', 3);
    expect(done.map((e) => e.transcript)).toEqual(['300 ms', '700 ms', '200 ms']);
    const committed = client.ofType('input_audio_buffer.committed');
    expect(committed.map((e) => e.previous_item_id)).toEqual([
      null,
      committed[0]!.item_id,
      committed[1]!.item_id,
    ]);
    expect(done.map((e) => e.item_id)).toEqual(committed.map((e) => e.item_id));
    const created = client.ofType('conversation.item.created');
    expect(created[1]).toMatchObject({
      previous_item_id: committed[0]!.item_id,
      item: {
        id: committed[1]!.item_id,
        type: 'message',
        role: 'user',
        content: [{ type: 'input_audio', transcript: null }],
      },
    });
    const order = client.events.map((e) => e.type).filter((t) => t !== 'session.updated');
    expect(order.indexOf('conversation.item.created')).toBe(
      order.indexOf('input_audio_buffer.committed') + 1,
    );
    expect(done[0]!.content_index).toBe(0);
    // Each completed is preceded by one delta carrying the whole turn (as whisper-1 does).
    const deltas = client.ofType('conversation.item.input_audio_transcription.delta');
    expect(deltas.map((e) => [e.item_id, e.delta])).toEqual(
      done.map((e) => [e.item_id, e.transcript]),
    );
    expect(client.events.indexOf(deltas[0]!)).toBe(client.events.indexOf(done[0]!) - 1);
  });

  test('results go out in commit order even when a later turn finishes first', async () => {
    // The long turn takes a second longer to recognize than the short one after it.
    const slowFirst = await serve(
      shellEngine('n=$(wc -c < "$0"); [ "$n" -gt 20000 ] && sleep 1; echo "$n"'),
    );
    const client = await connect(slowFirst.url);
    client.send(pushToTalk);
    client.append(tone(1000), 16000);
    client.send({ type: 'input_audio_buffer.commit' });
    client.append(tone(200), 16000);
    client.send({ type: 'input_audio_buffer.commit' });
    const done = await client.waitFor('conversation.item.input_audio_transcription.completed', 2);
    expect(done.map((e) => Number(e.transcript))).toEqual([32044, 6444]);
  });

  test('a commit of less than 100 ms is input_audio_buffer_commit_empty', async () => {
    const client = await connect(server.url);
    client.send(pushToTalk);
    client.append(tone(60), 16000);
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_commit' });
    const [error] = await client.waitFor('error');
    expect(error!.error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'evt_commit',
      message: expect.stringMatching(/^buffer too small\. Expected at least 100ms of audio/),
    });
    // The short audio stays buffered: more audio makes a valid turn.
    expect(await transcribeTone(client, 100)).toBe('160 ms');
  });

  test('clear discards the buffered audio', async () => {
    const client = await connect(server.url);
    client.send(pushToTalk);
    client.append(tone(500), 16000);
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    client.send({ type: 'input_audio_buffer.commit' });
    await client.waitFor('error');
    expect(client.ofType('error')[0]!.error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
    });
    expect(await transcribeTone(client, 250)).toBe('250 ms');
  });
});

describe('failures', () => {
  test('an engine that exits 1 gives transcription.failed, and the session goes on', async () => {
    // Fails on short turns, transcribes long ones.
    const picky = await serve(
      shellEngine(
        'n=$(wc -c < "$0"); [ "$n" -gt 10000 ] || { echo "too short" >&2; exit 1; }; echo ok',
      ),
    );
    const client = await connect(picky.url);
    client.send(pushToTalk);
    client.append(tone(200), 16000);
    client.send({ type: 'input_audio_buffer.commit' });
    const [failed] = await client.waitFor('conversation.item.input_audio_transcription.failed');
    expect(failed).toMatchObject({
      item_id: client.ofType('input_audio_buffer.committed')[0]!.item_id,
      content_index: 0,
      error: {
        type: 'transcription_error',
        code: 'engine_failed',
        message: expect.stringMatching(/exited with code 1: too short/),
      },
    });
    expect(await transcribeTone(client, 500)).toBe('ok');
  });

  test('bad input gets error events and the connection stays up', async () => {
    const client = await connect(server.url);
    client.sendRaw('{not json');
    client.sendRaw(JSON.stringify([1, 2]));
    client.send({ type: 'response.create', event_id: 'evt_unknown' });
    client.send({ type: 'input_audio_buffer.append', audio: 'not base64!', event_id: 'evt_b64' });
    client.send({ type: 'input_audio_buffer.append', audio: 'AAA=' }); // 2 bytes... fine
    client.send({ type: 'input_audio_buffer.append', audio: 'AA==' }); // 1 byte: not PCM16
    client.send({ type: 'input_audio_buffer.append' });
    client.sendRaw(Buffer.from([1, 2, 3]));
    const errors = await client.waitFor('error', 7);
    expect(errors.map((e) => (e.error as { code: string }).code)).toEqual([
      'invalid_json',
      'invalid_event',
      'unknown_event_type',
      'invalid_base64',
      'invalid_audio',
      'missing_required_parameter',
      'invalid_event',
    ]);
    expect(errors[2]!.error).toMatchObject({ param: 'type', event_id: 'evt_unknown' });
    expect(errors[3]!.error).toMatchObject({ param: 'audio', event_id: 'evt_b64' });
    client.send(pushToTalk);
    await client.waitFor('session.updated');
    expect(client.closed).toBeUndefined();
  });

  test('an append over 15 MiB is an error event, not a dropped socket', async () => {
    const client = await connect(server.url);
    const big = Buffer.alloc(15 * 1024 * 1024 + 3000).toString('base64');
    client.send({ type: 'input_audio_buffer.append', audio: big, event_id: 'evt_big' });
    const [error] = await client.waitFor('error');
    expect(error!.error).toMatchObject({
      code: 'input_audio_buffer_append_too_large',
      event_id: 'evt_big',
    });
    client.send(pushToTalk);
    await client.waitFor('session.updated');
    expect(client.closed).toBeUndefined();
  });

  test('a flood is bounded: a full buffer refuses audio, errors are rate-limited', async () => {
    const small = await serve({ ...LENGTH_ENGINE, maxBufferedAudioMs: 2000 });
    const client = await connect(small.url);
    const other = await connect(small.url);
    client.send(pushToTalk);
    client.append(tone(3000), 16000, 100); // 30 appends, the last 10 over the limit
    for (let i = 0; i < 100; i++) client.sendRaw('garbage');
    const code = (e: Record<string, unknown>) => (e.error as { code: string }).code;
    const errors = await client.until(
      () => {
        const found = client.ofType('error');
        return found.some((e) => code(e) === 'rate_limit_exceeded') ? found : undefined;
      },
      'rate_limit_exceeded',
      10_000,
    );
    expect(code(errors[0]!)).toBe('input_audio_buffer_full');
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor('conversation.item.input_audio_transcription.completed');
    expect(done!.transcript).toBe('2000 ms');
    expect(small.stats()).toMatchObject({
      receivedSamples: 48000,
      refusedSamples: 16000,
      turns: 1,
    });
    // 110 bad events, but far fewer error events: the rest were summed up.
    expect(client.ofType('error').length).toBeLessThan(60);
    // The other session was not disturbed.
    other.send(pushToTalk);
    await other.waitFor('session.updated');
    expect(other.ofType('error')).toEqual([]);
  });

  test('two clients at once get their own turns', async () => {
    const [a, b] = await Promise.all([connect(server.url), connect(server.url)]);
    for (const [client, ms] of [
      [a, 400],
      [b, 900],
    ] as const) {
      client.send(pushToTalk);
      client.append(tone(ms), 16000);
      client.send({ type: 'input_audio_buffer.commit' });
    }
    const [[doneA], [doneB]] = await Promise.all([
      a!.waitFor('conversation.item.input_audio_transcription.completed'),
      b!.waitFor('conversation.item.input_audio_transcription.completed'),
    ]);
    expect([doneA!.transcript, doneB!.transcript]).toEqual(['400 ms', '900 ms']);
    expect(a!.events[0]!.session).not.toEqual(b!.events[0]!.session);
  });
});

describe('access and lifetime', () => {
  test('with a token, a wrong or missing token is refused with 401', async () => {
    const guarded = await serve({ ...LENGTH_ENGINE, token: 'local-token-123' });
    await expect(WireClient.connect(guarded.url)).rejects.toThrow(/HTTP 401/);
    await expect(
      WireClient.connect(guarded.url, { Authorization: 'Bearer wrong-token' }),
    ).rejects.toThrow(/HTTP 401/);
    const ok = await connect(guarded.url, { Authorization: 'Bearer local-token-123' });
    await ok.waitFor('session.created');
  });

  test('refuses to listen beyond loopback without a token', async () => {
    await expect(startLocalServer({ ...LENGTH_ENGINE, host: '0.0.0.0' })).rejects.toThrow(
      /without a token/,
    );
  });

  test('a wrong path is refused with 404', async () => {
    await expect(
      WireClient.connect(server.url.replace('/v1/realtime', '/v2/other')),
    ).rejects.toThrow(/HTTP 404/);
  });

  test('the session cap sends session_expired, then closes', async () => {
    const capped = await serve({ ...LENGTH_ENGINE, maxSessionMs: 300 });
    const client = await connect(capped.url);
    const [error] = await client.waitFor('error', 1, 5000);
    expect(error!.error).toMatchObject({ code: 'session_expired' });
    expect((await client.waitForClose()).code).toBe(1000);
  });

  test('dropConnections cuts every client; the server keeps accepting', async () => {
    const own = await serve();
    const [a, b] = await Promise.all([connect(own.url), connect(own.url)]);
    await Promise.all([a!.waitFor('session.created'), b!.waitFor('session.created')]);
    own.dropConnections();
    const closes = await Promise.all([a!.waitForClose(), b!.waitForClose()]);
    expect(closes.map((c) => c.code)).toEqual([1006, 1006]);
    await vi.waitFor(() => expect(own.stats().connections).toBe(0), { timeout: 2000 });
    const c = await connect(own.url);
    await c.waitFor('conversation.created');
  });
});
