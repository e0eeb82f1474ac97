// OpenAI's transcription models on the wire, against the scripted OpenAI far side, which
// refuses a session.update with any field a model does not take, as OpenAI documents
// (test/helpers/fake-servers/openai-session.ts): each model is sent only its own fields; the
// recommended gpt-live-transcribe takes no VAD, streams its words as they are spoken, and its
// dictation is one turn committed at stop; logprobs become the turn's confidence.
import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { presetConfig, PROVIDERS, type SessionConfig } from '../../src/shared/providers.ts';
import { appendAll, dictate, record } from '../helpers/fake-servers/dictation.ts';
import { FLAVORS } from '../helpers/fake-servers/flavors.ts';
import { judgeTranscriptionSession } from '../helpers/fake-servers/openai-session.ts';
import type { ScriptedServer } from '../helpers/fake-servers/scripted-server.ts';
import { scriptedServerPerTest } from '../helpers/fake-servers/server-per-test.ts';
import { TONE_VAD, toneTurns } from '../helpers/fake-servers/tone-speech.ts';

const KEY = 'sk-test-models-0123456789';
const RATE = 24000;
const serve = scriptedServerPerTest();

const sent = (s: ScriptedServer, type: string) =>
  s.clientEvents.filter((e) => e.event.type === type).map((e) => e.event);

/** Everything Settings can set, on the OpenAI preset with `model`. */
const configFor = (url: string, model: string, more: Partial<SessionConfig> = {}) =>
  presetConfig('openai', {
    url,
    apiKey: KEY,
    model,
    language: 'en',
    prompt: 'Tingxie dictation',
    keywords: ['Tingxie'],
    delay: 'low',
    noiseReduction: 'near_field',
    vad: { ...TONE_VAD },
    ...more,
  });

describe('the scripted OpenAI side is as strict as OpenAI documents', () => {
  const session = (transcription: object, more: object = {}) => ({
    type: 'transcription',
    audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription, ...more } },
  });
  test.each([
    [
      'VAD for gpt-live-transcribe',
      session({ model: 'gpt-live-transcribe' }, { turn_detection: { type: 'server_vad' } }),
      'session.audio.input.turn_detection',
    ],
    [
      'VAD for gpt-realtime-whisper',
      session({ model: 'gpt-realtime-whisper' }, { turn_detection: { type: 'semantic_vad' } }),
      'session.audio.input.turn_detection',
    ],
    [
      'a prompt for gpt-realtime-whisper',
      session({ model: 'gpt-realtime-whisper', prompt: 'x' }),
      'session.audio.input.transcription.prompt',
    ],
    [
      'keywords for gpt-4o-transcribe',
      session({ model: 'gpt-4o-transcribe', keywords: ['x'] }),
      'session.audio.input.transcription.keywords',
    ],
    [
      'delay for gpt-4o-transcribe',
      session({ model: 'gpt-4o-transcribe', delay: 'low' }),
      'session.audio.input.transcription.delay',
    ],
    [
      'language and languages',
      session({ model: 'gpt-live-transcribe', language: 'en', languages: ['en'] }),
      'session.audio.input.transcription.languages',
    ],
    [
      'a keyword with <',
      session({ model: 'gpt-live-transcribe', keywords: ['<b>'] }),
      'session.audio.input.transcription.keywords',
    ],
    [
      'an unknown field',
      session({ model: 'gpt-4o-transcribe', hotwords: ['x'] }),
      'session.audio.input.transcription.hotwords',
    ],
  ])('refuses %s', (_what, update, param) => {
    expect(judgeTranscriptionSession(update)).toMatchObject({ param });
  });
});

describe('each model receives only its fields', () => {
  test.each(PROVIDERS.openai.models)('%s: the session is configured, no error', async (model) => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    const session = new RealtimeSession({ config: configFor(s.url, model) });
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [1], rate: RATE }), RATE);
    expect(rec.of('error')).toEqual([]);
    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha']);
    expect(sent(s, 'session.update')).toHaveLength(1);
  });

  test('gpt-realtime-whisper is sent neither the prompt nor the keywords, but the delay', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    await dictate(
      new RealtimeSession({ config: configFor(s.url, 'gpt-realtime-whisper') }),
      toneTurns({ words: [2], rate: RATE }),
      RATE,
    );
    const [update] = sent(s, 'session.update');
    expect(update).toMatchObject({
      session: {
        audio: {
          input: {
            transcription: { model: 'gpt-realtime-whisper', language: 'en', delay: 'low' },
            turn_detection: null,
          },
        },
      },
    });
    const { transcription } = (update!.session as { audio: { input: Record<string, object> } })
      .audio.input;
    expect(transcription).not.toHaveProperty('prompt');
    expect(transcription).not.toHaveProperty('keywords');
  });

  test('a model neither knows is refused at once, with the field and where to fix it', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    const session = new RealtimeSession({
      config: configFor(s.url, 'gpt-9-transcribe'),
      connectTimeoutMs: 10_000,
    });
    const started = performance.now();
    const error = await session.connect().then(
      () => undefined,
      (e: Error & { code: string }) => e,
    );
    expect(error?.code).toBe('session_refused');
    expect(error?.message).toContain('session.audio.input.transcription.model');
    expect(error?.message).toContain('Settings → Server');
    // not the 10 s confirmation deadline
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('gpt-live-transcribe, the preset default', () => {
  test('push-to-talk (no voice detection): words stream as they are spoken, the dictation is one turn committed at stop', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    const session = new RealtimeSession({
      config: presetConfig('openai', { url: s.url, apiKey: KEY, vad: null }),
    });
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1, 2], rate: RATE }), RATE);
    // the words arrive while the dictation is still going (no commit yet)
    await rec.next((e) => e.type === 'partial' && e.text === 'alpha bravo', 'both words live');
    expect(sent(s, 'input_audio_buffer.commit')).toHaveLength(0);
    appendAll(session, toneTurns({ words: [3], rate: RATE }), RATE);
    const result = await session.stop({ timeoutMs: 10_000 });

    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha bravo charlie']);
    expect(sent(s, 'input_audio_buffer.commit')).toHaveLength(1);
    expect(sent(s, 'session.update')[0]).toMatchObject({
      session: {
        audio: { input: { transcription: { model: 'gpt-live-transcribe' }, turn_detection: null } },
      },
    });
    expect(rec.of('partial').map((p) => p.text)).toEqual([
      'alpha',
      'alpha bravo',
      'alpha bravo charlie',
    ]);
    expect(rec.of('completed')[0]!.confidence).toBeUndefined();
  });

  test('voice detection on (the default settings): the client commits a turn at each pause, each transcribed while the next is spoken', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY, transcribeDelayMs: () => 20 });
    const lines: string[] = [];
    // what Settings gives a default OpenAI preset: VAD on, which this model cannot take
    const session = new RealtimeSession({
      config: presetConfig('openai', { url: s.url, apiKey: KEY, vad: { ...TONE_VAD } }),
      log: createLogger((l) => lines.push(l), 'debug'),
    });
    const rec = record(session);
    await session.connect();
    appendAll(session, toneTurns({ words: [1, 2], rate: RATE }), RATE);
    // the first turn is final before the dictation ends
    await rec.next((e) => e.type === 'completed' && e.transcript === 'alpha', 'alpha, final');
    appendAll(session, toneTurns({ words: [3], rate: RATE }), RATE);
    const result = await session.stop({ timeoutMs: 10_000 });

    expect(result.turns.map((t) => t.transcript)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(sent(s, 'session.update')[0]).toMatchObject({
      session: { audio: { input: { turn_detection: null } } },
    });
    // one commit per pause heard (the last turn's at its pause, or at stop)
    expect(sent(s, 'input_audio_buffer.commit')).toHaveLength(3);
    expect(rec.of('speech_started')).toEqual([]);
    expect(rec.of('error')).toEqual([]);
    expect(lines.join('\n')).toContain('gpt-live-transcribe takes no voice detection');
    expect(lines.join('\n')).not.toContain(KEY);
  });

  test('its session expiring mid-dictation: the untranscribed turns are sent again on a new session', async () => {
    const s = await serve({
      flavor: FLAVORS.openai,
      apiKey: KEY,
      afterCommit: (c) => (c.connection === 1 && c.turn === 1 ? 'expire' : undefined),
      transcribeDelayMs: () => 50,
    });
    const session = new RealtimeSession({
      config: configFor(s.url, 'gpt-live-transcribe'),
      reconnect: { initialDelayMs: 10 },
    });
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [4, 5, 6], rate: RATE }), RATE);
    expect(result.turns.map((t) => t.transcript)).toEqual(['delta', 'echo', 'foxtrot']);
    expect(rec.transcripts()).toEqual(['delta', 'echo', 'foxtrot']);
    expect(s.connections).toBe(2);
    expect(rec.of('error').filter((e) => e.fatal)).toEqual([]);
  });
});

describe('the gpt-4o models', () => {
  test('logprobs are asked for and become each turn’s confidence', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    const session = new RealtimeSession({ config: configFor(s.url, 'gpt-4o-transcribe') });
    const rec = record(session);
    const result = await dictate(session, toneTurns({ words: [1, 2], rate: RATE }), RATE);
    expect(sent(s, 'session.update')[0]).toMatchObject({
      session: { include: ['item.input_audio_transcription.logprobs'] },
    });
    expect(result.turns.map((t) => [t.transcript, t.confidence])).toEqual([
      ['alpha', 0.6],
      ['bravo', 0.6],
    ]);
    expect(rec.of('completed').map((e) => e.confidence)).toEqual([0.6, 0.6]);
  });

  test('semantic VAD with its eagerness, and noise reduction', async () => {
    const s = await serve({ flavor: FLAVORS.openai, apiKey: KEY });
    const session = new RealtimeSession({
      config: configFor(s.url, 'gpt-4o-mini-transcribe', {
        vad: { ...TONE_VAD, type: 'semantic_vad', eagerness: 'high' },
        noiseReduction: 'far_field',
      }),
    });
    const rec = record(session);
    // semantic VAD at high eagerness waits up to 2 s: turns 2.5 s apart are two turns
    const result = await dictate(
      session,
      toneTurns({ words: [6, 7], rate: RATE, silenceMs: 2500, tailMs: 100 }),
      RATE,
    );
    expect(sent(s, 'session.update')[0]).toMatchObject({
      session: {
        audio: {
          input: {
            turn_detection: { type: 'semantic_vad', eagerness: 'high' },
            noise_reduction: { type: 'far_field' },
          },
        },
      },
    });
    expect(result.turns.map((t) => t.transcript)).toEqual(['foxtrot', 'golf']);
    expect(rec.of('speech_started')).toHaveLength(2);
    expect(rec.of('error')).toEqual([]);
  });
});
