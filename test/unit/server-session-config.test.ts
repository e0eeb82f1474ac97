import { describe, expect, test } from 'vitest';
import {
  applySessionUpdate,
  describeSession,
  initialSessionConfig,
  MAX_KEYWORD_CHARS,
  MAX_KEYWORDS,
} from '../../src/server/session-config.ts';
import type { ServerSessionConfig } from '../../src/server/session-config.ts';

const seed = () => initialSessionConfig('sess_1', false, 'pocketsphinx');

function applied(current: ServerSessionConfig, event: Record<string, unknown>) {
  const result = applySessionUpdate(current, event);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('session.update shapes', () => {
  test('starts as a 16 kHz seed session with server VAD, or 24 kHz for GA', () => {
    expect(seed()).toMatchObject({ shape: 'seed', sampleRate: 16000, vad: { type: 'server_vad' } });
    expect(initialSessionConfig('s', true, 'x')).toMatchObject({ shape: 'ga', sampleRate: 24000 });
  });

  test('flat (seed) fields on the event itself', () => {
    const { config, reply } = applied(seed(), {
      type: 'session.update',
      modalities: ['text'],
      input_audio_format: 'pcm16',
      sample_rate: 24000,
      channels: 1,
      input_audio_transcription: { model: 'whisper-1', language: 'en', prompt: 'Tingxie' },
      turn_detection: {
        type: 'server_vad',
        threshold: 0.6,
        prefix_padding_ms: 200,
        silence_duration_ms: 1000,
      },
    });
    expect(reply).toBe('session.updated');
    expect(config).toMatchObject({
      shape: 'seed',
      sampleRate: 24000,
      transcription: { model: 'whisper-1', language: 'en', prompt: 'Tingxie' },
      vad: { threshold: 0.6, prefixPaddingMs: 200, silenceDurationMs: 1000 },
    });
  });

  test('nested (beta) fields under session; partial turn_detection keeps the rest', () => {
    const { config } = applied(seed(), {
      type: 'session.update',
      session: { turn_detection: { type: 'server_vad', silence_duration_ms: 500 } },
    });
    expect(config.shape).toBe('beta');
    expect(config.vad).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      prefixPaddingMs: 300,
      silenceDurationMs: 500,
    });
    expect(config.sampleRate).toBe(16000);
  });

  test('turn_detection null is push-to-talk', () => {
    const { config } = applied(seed(), { type: 'session.update', turn_detection: null });
    expect(config.vad).toBeNull();
  });

  test('GA transcription session: audio.input.*, 24 kHz unless the format says otherwise', () => {
    const { config, reply } = applied(seed(), {
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: {
          input: {
            transcription: { model: 'gpt-4o-transcribe', language: 'zh' },
            turn_detection: null,
            noise_reduction: { type: 'near_field' },
          },
        },
        include: ['item.input_audio_transcription.logprobs'],
      },
    });
    expect(reply).toBe('session.updated');
    expect(config).toMatchObject({ shape: 'ga', sampleRate: 24000, vad: null });
    expect(config.transcription).toMatchObject({ model: 'gpt-4o-transcribe', language: 'zh' });
    const rated = applied(seed(), {
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } },
      },
    });
    expect(rated.config.sampleRate).toBe(16000);
  });

  test('transcription_session.update answers transcription_session.updated', () => {
    const result = applied(seed(), {
      type: 'transcription_session.update',
      session: { input_audio_transcription: { model: 'whisper-1' }, turn_detection: null },
    });
    expect(result.reply).toBe('transcription_session.updated');
    expect(result.config).toMatchObject({ shape: 'transcription_session', vad: null });
  });

  test.each([
    [{ turn_detection: { type: 'semantic_vad' } }, 'turn_detection.type'],
    [{ turn_detection: { type: 'server_vad', threshold: 2 } }, 'turn_detection.threshold'],
    [{ input_audio_format: 'g711_ulaw' }, 'input_audio_format'],
    [{ channels: 2 }, 'channels'],
    [{ sample_rate: 1000 }, 'sample_rate'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
  ])('rejects %j naming the parameter', (fields, param) => {
    const result = applySessionUpdate(seed(), { type: 'session.update', ...fields });
    expect(result).toMatchObject({ ok: false, param });
    if (!result.ok) expect(result.message).toContain(param);
  });

  test('a nested rejection names session.<field>', () => {
    const result = applySessionUpdate(seed(), {
      type: 'session.update',
      session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcmu' } } } },
    });
    expect(result).toMatchObject({ ok: false, param: 'session.audio.input.format.type' });
  });
});

describe('describeSession', () => {
  test('seed/beta shape', () => {
    expect(describeSession(seed())).toMatchObject({
      id: 'sess_1',
      object: 'realtime.session',
      input_audio_format: 'pcm16',
      sample_rate: 16000,
      turn_detection: {
        type: 'server_vad',
        threshold: 0.5,
        prefix_padding_ms: 300,
        silence_duration_ms: 800,
      },
    });
  });

  test('GA shape', () => {
    expect(describeSession(initialSessionConfig('s', true, 'm'))).toMatchObject({
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          turn_detection: { type: 'server_vad' },
        },
      },
    });
  });
});

describe('keywords (the vocabulary, for engines that take hotwords)', () => {
  test('kept with the session, kept by an update without them, echoed in session.updated', () => {
    const { config } = applied(seed(), {
      type: 'session.update',
      input_audio_transcription: {
        model: 'local',
        prompt: 'Terms: Tingxie.',
        keywords: ['Tingxie', '听写'],
      },
    });
    expect(config.transcription).toMatchObject({
      prompt: 'Terms: Tingxie.',
      keywords: ['Tingxie', '听写'],
    });
    const later = applied(config, {
      type: 'session.update',
      input_audio_transcription: { language: 'zh' },
    }).config;
    expect(later.transcription).toMatchObject({ language: 'zh', keywords: ['Tingxie', '听写'] });
    expect(describeSession(later).input_audio_transcription).toMatchObject({
      keywords: ['Tingxie', '听写'],
    });
    // A session without keywords says nothing of them.
    expect(describeSession(seed()).input_audio_transcription).not.toHaveProperty('keywords');
  });

  test('in the GA shape, as OpenAI gpt-live-transcribe takes them', () => {
    const { config } = applied(initialSessionConfig('s', true, 'local'), {
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: { input: { transcription: { model: 'local', keywords: ['Kubernetes'] } } },
      },
    });
    expect(config.transcription.keywords).toEqual(['Kubernetes']);
  });

  const param = 'input_audio_transcription.keywords';
  test.each<[unknown, string, RegExp]>([
    ['Tingxie', param, /expected array/i],
    [[42], `${param}.0`, /expected string/i],
    [['x'.repeat(MAX_KEYWORD_CHARS + 1)], `${param}.0`, /at most 1000 characters/],
    [Array.from({ length: MAX_KEYWORDS + 1 }, (_, i) => `t${i}`), param, /at most 1000 keywords/],
  ])('rejects keywords %#, naming the parameter %s', (keywords, named, message) => {
    const result = applySessionUpdate(seed(), {
      type: 'session.update',
      input_audio_transcription: { keywords },
    });
    expect(result).toMatchObject({ ok: false, param: named });
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
