// The realtime client against scripted far sides that follow PROTOCOL.md, one per provider,
// quirks included. Each dictation's transcripts must come out once each, in order.
import { describe, expect, test } from 'vitest';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { presetConfig, type SessionConfig } from '../../src/shared/providers.ts';
import { FLAVORS } from '../helpers/fake-servers/flavors.ts';
import type { ScriptedServer } from '../helpers/fake-servers/scripted-server.ts';
import { scriptedServerPerTest } from '../helpers/fake-servers/server-per-test.ts';
import { TONE_VAD, toneTurns } from '../helpers/fake-servers/tone-speech.ts';
import { appendAll, dictate, record } from '../helpers/fake-servers/dictation.ts';

const KEY = 'sk-test-0123456789abcdef';

const serve = scriptedServerPerTest();

const sent = (s: ScriptedServer, type: string) =>
  s.clientEvents.filter((e) => e.event.type === type).map((e) => e.event);

async function run(config: SessionConfig, words: number[]) {
  const session = new RealtimeSession({ config });
  const rec = record(session);
  const result = await dictate(
    session,
    toneTurns({ words, rate: config.sampleRate }),
    config.sampleRate,
  );
  return { session, rec, result };
}

describe('seed dialect (PROTOCOL Part 1)', () => {
  test('flat session.update with the audio format; VAD turns in order; 20–100 ms appends', async () => {
    const s = await serve({ flavor: FLAVORS.seed });
    const { rec, result } = await run(
      presetConfig('custom', { url: s.url, vad: { ...TONE_VAD } }),
      [1, 2, 3],
    );
    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(rec.transcripts()).toEqual(['alpha', 'bravo', 'charlie']);
    const [update] = sent(s, 'session.update');
    expect(update).toMatchObject({
      modalities: ['text'],
      input_audio_format: 'pcm16',
      sample_rate: 16000,
      channels: 1,
      input_audio_transcription: { model: 'whisper-1', language: 'auto' },
      turn_detection: { type: 'server_vad', silence_duration_ms: 300, prefix_padding_ms: 300 },
    });
    expect(update).not.toHaveProperty('session');
    expect(s.handshakes[0]!.headers['openai-beta']).toBe('realtime=v1');
    // every user-audio append is 20–100 ms (the stop padding is 100 ms chunks too)
    expect(Math.min(...s.appendMs)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...s.appendMs)).toBeLessThanOrEqual(100);
    // completed events chain by previousItemId
    const done = rec.of('completed');
    expect(done[0]!.previousItemId).toBeNull();
    expect(done[1]!.previousItemId).toBe(done[0]!.itemId);
    expect(done[2]!.previousItemId).toBe(done[1]!.itemId);
    // speech events carry session-timeline ms
    const started = rec.of('speech_started');
    expect(started).toHaveLength(3);
    expect(started[0]!.audioStartMs).toBe(200);
    expect(result.turns[1]!.audioStartMs).toBe(1200);
  });

  test('manual commits (push-to-talk), clear, and the final commit at stop', async () => {
    const s = await serve({ flavor: FLAVORS.seed });
    const config = presetConfig('custom', { url: s.url, vad: null });
    const session = new RealtimeSession({ config });
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [4], rate: 16000 }), 16000);
    session.commit();
    appendAll(session, toneTurns({ words: [9], rate: 16000 }), 16000);
    session.clear(); // "india" is discarded, never transcribed
    appendAll(session, toneTurns({ words: [5], rate: 16000 }), 16000);
    session.commit();
    session.commit(); // nothing new: no empty commit goes out
    appendAll(session, toneTurns({ words: [6], rate: 16000 }), 16000);
    const result = await session.stop({ timeoutMs: 10_000 }); // commits "foxtrot"
    expect(result.turns.map((t) => t.transcript)).toEqual(['delta', 'echo', 'foxtrot']);
    expect(rec.transcripts()).toEqual(['delta', 'echo', 'foxtrot']);
    expect(sent(s, 'input_audio_buffer.commit')).toHaveLength(3);
    expect(sent(s, 'input_audio_buffer.clear')).toHaveLength(1);
    expect(sent(s, 'session.update')[0]).toMatchObject({ turn_detection: null });
    expect(session.state).toBe('closed');
  });

  test('stop while VAD speech is still open commits it', async () => {
    const s = await serve({ flavor: FLAVORS.seed });
    const config = presetConfig('custom', { url: s.url, vad: { ...TONE_VAD } });
    const session = new RealtimeSession({ config });
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1, 2], rate: 16000, tailMs: 0 }), 16000);
    await rec.next(
      (e) => e.type === 'speech_started' && rec.of('speech_started').length === 2,
      'second speech_started',
    );
    const result = await session.stop();
    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha', 'bravo']);
    expect(sent(s, 'input_audio_buffer.commit')).toHaveLength(1);
  });

  test('a failed turn is reported in its place', async () => {
    const s = await serve({ flavor: FLAVORS.seed, failWords: ['bravo'] });
    const { rec, result } = await run(
      presetConfig('custom', { url: s.url, vad: { ...TONE_VAD } }),
      [1, 2, 3],
    );
    expect(result.turns.map((t) => t.status)).toEqual(['completed', 'failed', 'completed']);
    expect(result.turns[1]!.error).toEqual({
      code: 'audio_unintelligible',
      message: '音频无法识别',
    });
    expect(
      rec.events.filter((e) => e.type === 'completed' || e.type === 'failed').map((e) => e.type),
    ).toEqual(['completed', 'failed', 'completed']);
  });
});

describe('OpenAI GA', () => {
  test('GA transcription session at 24 kHz, bearer auth, no beta header, deltas as partials', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    // A model with server VAD (the preset's default takes none: realtime-openai-models.test.ts).
    const config = presetConfig('openai', {
      url: s.url,
      apiKey: KEY,
      model: 'gpt-4o-transcribe',
      vad: { ...TONE_VAD },
    });
    const lines: string[] = [];
    const session = new RealtimeSession({
      config,
      log: createLogger((l) => lines.push(l), 'debug'),
    });
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [1, 2], rate: 24000 }), 24000);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha', 'bravo']);
    expect(s.handshakes[0]!.headers['openai-beta']).toBeUndefined();
    expect(s.handshakes[0]!.url).toContain('intent=transcription');
    expect(sent(s, 'session.update')[0]).toMatchObject({
      session: {
        type: 'transcription',
        audio: { input: { format: { type: 'audio/pcm', rate: 24000 } } },
      },
    });
    expect(rec.of('partial').map((p) => p.text)).toEqual(['alp', 'alpha', 'bra', 'bravo']);
  });

  test('a beta-shaped session is refused (beta_api_shape_disabled, close 4000): the client switches to GA by itself', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    // A custom server configured as beta at 16 kHz: the GA retry resamples to 24 kHz.
    const config = presetConfig('custom', {
      url: s.url.replace('?intent=transcription', '?model=gpt-4o-realtime'),
      apiKey: KEY,
      dialect: 'beta',
      vad: { ...TONE_VAD },
    });
    const { result } = await run(config, [3, 4]);
    expect(result.turns.map((t) => t.transcript)).toEqual(['charlie', 'delta']);
    expect(s.connections).toBe(2);
    expect(s.handshakes[1]!.url).toContain('intent=transcription');
    expect(s.handshakes[1]!.url).not.toContain('model=');
    expect(s.handshakes[1]!.headers['openai-beta']).toBeUndefined();
  });
});

describe('Azure OpenAI', () => {
  test('the key travels in the api-key header', async () => {
    const s = await serve({ flavor: FLAVORS.azure, apiKey: KEY });
    const { result } = await run(
      presetConfig('azure', { url: s.url, apiKey: KEY, vad: { ...TONE_VAD } }),
      [7],
    );
    expect(result.turns.map((t) => t.transcript)).toEqual(['golf']);
    expect(s.handshakes[0]!.headers['api-key']).toBe(KEY);
    expect(s.handshakes[0]!.headers.authorization).toBeUndefined();
  });
});

describe('DashScope', () => {
  test('event_id on every client event, pcm at 16 kHz, text/stash partials, session.finish at stop', async () => {
    const s = await serve({ flavor: FLAVORS.dashscope, apiKey: KEY });
    const config = presetConfig('dashscope', { url: s.url, apiKey: KEY, vad: { ...TONE_VAD } });
    const session = new RealtimeSession({ config });
    const rec = record(session);
    await session.connect();
    // the last word is still being spoken at stop: session.finish makes the server finish it
    appendAll(session, toneTurns({ words: [1, 8], rate: 16000, tailMs: 0 }), 16000);
    const result = await session.stop({ timeoutMs: 10_000 });
    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha', 'hotel']);
    expect(s.clientEvents.every((e) => typeof e.event.event_id === 'string')).toBe(true);
    expect(sent(s, 'session.update')[0]).toMatchObject({
      session: { input_audio_format: 'pcm', sample_rate: 16000 },
    });
    expect(sent(s, 'session.finish')).toHaveLength(1);
    expect(sent(s, 'input_audio_buffer.commit')).toHaveLength(0);
    expect(rec.of('partial').map((p) => p.text)).toEqual(['alp', 'alpha', 'hot', 'hotel']);
    expect(rec.of('error')).toEqual([]);
  });
});

describe('speaches', () => {
  test('model in the query, neither input_audio_format nor prefix_padding_ms, cumulative partials, 24 kHz', async () => {
    // slow transcripts: the second turn is committed naming a stale previous item (none)
    const s = await serve({ flavor: FLAVORS.speaches, transcribeDelayMs: () => 50 });
    const config = presetConfig('speaches', { url: s.url, vad: { ...TONE_VAD } });
    const { rec, result } = await run(config, [2, 10]);
    expect(result.turns.map((t) => t.transcript)).toEqual(['bravo', 'juliet']);
    expect(rec.of('committed').map((e) => e.previousItemId)).toEqual([null, null]);
    expect(s.handshakes[0]!.url).toContain('model=Systran');
    const [update] = sent(s, 'session.update');
    expect(update!.session).not.toHaveProperty('input_audio_format');
    expect((update!.session as { turn_detection: object }).turn_detection).not.toHaveProperty(
      'prefix_padding_ms',
    );
    expect(rec.of('partial').map((p) => p.text)).toEqual(['bra', 'bravo', 'jul', 'juliet']);
    expect(rec.of('error')).toEqual([]);
    // speaches counts VAD ms from its current buffer; the session timeline does not restart
    expect(result.turns.map((t) => t.audioStartMs)).toEqual([200, 1200]);
    expect(result.turns.map((t) => t.audioEndMs)).toEqual([600, 1600]);
  });

  test('its non-fatal errors for the fields it rejects do not stop a generic beta client', async () => {
    const s = await serve({ flavor: FLAVORS.speaches });
    const config = presetConfig('custom', {
      url: s.url,
      dialect: 'beta',
      model: 'Systran/faster-whisper-small',
      sampleRate: 24000,
      vad: { ...TONE_VAD },
    });
    const { rec, result } = await run(config, [5]);
    expect(result.turns.map((t) => t.transcript)).toEqual(['echo']);
    expect(rec.of('error').map((e) => e.fatal)).toEqual([false, false]);
  });
});
