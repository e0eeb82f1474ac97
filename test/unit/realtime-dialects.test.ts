// Dialect builders: the URL, headers, configuration event and wire rate for each preset.
import { describe, expect, test } from 'vitest';
import { gaFallbackUrl, planWire } from '../../src/core/realtime/dialects.ts';
import { presetConfig } from '../../src/shared/providers.ts';

const KEY = 'sk-abcdef123456';
const VAD = {
  type: 'server_vad',
  threshold: 0.4,
  prefixPaddingMs: 200,
  silenceDurationMs: 1000,
} as const;
/** VAD as the seed and beta dialects send it: no response after a turn, only its transcript. */
const WIRE_VAD = {
  type: 'server_vad',
  threshold: 0.4,
  prefix_padding_ms: 200,
  silence_duration_ms: 1000,
  create_response: false,
};

describe('seed', () => {
  test('flat session.update with the audio format beside it, bearer + beta header, model in the URL', () => {
    const plan = planWire(
      presetConfig('custom', {
        url: 'ws://h:1/v1/realtime',
        apiKey: KEY,
        vad: { ...VAD },
        prompt: 'Tingxie',
      }),
    );
    expect(plan.url).toBe('ws://h:1/v1/realtime?model=whisper-1');
    expect(plan.headers).toEqual({ Authorization: `Bearer ${KEY}`, 'OpenAI-Beta': 'realtime=v1' });
    expect(plan.wireRate).toBe(16000);
    expect(plan.configure).toEqual({
      type: 'session.update',
      modalities: ['text'],
      input_audio_transcription: { model: 'whisper-1', language: 'auto', prompt: 'Tingxie' },
      turn_detection: WIRE_VAD,
      input_audio_format: 'pcm16',
      sample_rate: 16000,
      channels: 1,
    });
    expect(plan.eventIds).toBe(false);
  });

  test("the local server (model 'local') gets the vocabulary as keywords beside the prompt; others not", () => {
    const vocabulary = { prompt: 'Terms: Tingxie, 听写.', keywords: ['Tingxie', '听写'] };
    const local = planWire(
      presetConfig('local', { url: 'ws://127.0.0.1:5/v1/realtime', ...vocabulary }),
    );
    expect(local.configure.input_audio_transcription).toEqual({
      model: 'local',
      language: 'auto',
      prompt: 'Terms: Tingxie, 听写.',
      keywords: ['Tingxie', '听写'],
    });
    // Another seed server's model may refuse a field it does not know.
    const custom = planWire(presetConfig('custom', { url: 'ws://h:1/v1/realtime', ...vocabulary }));
    expect(custom.configure.input_audio_transcription).not.toHaveProperty('keywords');
  });

  test('push-to-talk: turn_detection null; no key, no Authorization', () => {
    const plan = planWire(
      presetConfig('local', { url: 'ws://127.0.0.1:5/v1/realtime', vad: null }),
    );
    expect(plan.configure.turn_detection).toBeNull();
    expect(plan.headers.Authorization).toBeUndefined();
  });
});

describe('beta', () => {
  test('a model URL is a conversation session: nested session.update with create_response false', () => {
    const plan = planWire(
      presetConfig('custom', {
        url: 'wss://x/v1/realtime?model=gpt-4o-realtime',
        dialect: 'beta',
        language: 'zh',
        vad: { ...VAD },
      }),
    );
    expect(plan.configure).toEqual({
      type: 'session.update',
      session: {
        modalities: ['text'],
        input_audio_format: 'pcm16',
        input_audio_transcription: { model: 'whisper-1', language: 'zh' },
        turn_detection: WIRE_VAD,
      },
    });
  });

  test('an intent=transcription URL is a transcription session: transcription_session.update', () => {
    const plan = planWire(
      presetConfig('custom', {
        url: 'wss://x/v1/realtime?intent=transcription',
        dialect: 'beta',
        vad: { ...VAD },
      }),
    );
    expect(plan.configure.type).toBe('transcription_session.update');
    expect(plan.configure.session).not.toHaveProperty('modalities');
    expect(
      (plan.configure.session as { turn_detection: object }).turn_detection,
    ).not.toHaveProperty('create_response');
    expect(plan.url).not.toContain('model=');
  });

  test('DashScope: pcm + sample_rate, event ids, session.finish, no model in the transcription', () => {
    const plan = planWire(
      presetConfig('dashscope', { apiKey: KEY, language: 'zh', vad: { ...VAD } }),
    );
    expect(plan.url).toBe(
      'wss://dashscope.aliyuncs.com/api-ws/v1/realtime?model=qwen3-asr-flash-realtime',
    );
    expect(plan.headers).toEqual({ Authorization: `Bearer ${KEY}`, 'OpenAI-Beta': 'realtime=v1' });
    expect(plan.configure).toEqual({
      type: 'session.update',
      session: {
        modalities: ['text'],
        input_audio_format: 'pcm',
        sample_rate: 16000,
        input_audio_transcription: { language: 'zh' },
        turn_detection: { type: 'server_vad', threshold: 0.4, silence_duration_ms: 1000 },
      },
    });
    expect(plan.eventIds).toBe(true);
    expect(plan.finishOnStop).toBe(true);
  });

  test('a custom URL on DashScope gets its quirks too', () => {
    const plan = planWire(
      presetConfig('custom', {
        url: 'wss://dashscope.aliyuncs.com/api-ws/v1/realtime?model=q',
        dialect: 'beta',
      }),
    );
    expect(plan.quirks).toBe('dashscope');
  });

  test('speaches: model query, 24 kHz, neither input_audio_format nor prefix_padding_ms', () => {
    const plan = planWire(presetConfig('speaches', { vad: { ...VAD } }));
    expect(plan.url).toBe(
      'ws://localhost:8000/v1/realtime?model=Systran%2Ffaster-distil-whisper-small.en',
    );
    expect(plan.wireRate).toBe(24000);
    const session = plan.configure.session as Record<string, unknown>;
    expect(session).not.toHaveProperty('input_audio_format');
    expect(session.turn_detection).toEqual({
      type: 'server_vad',
      threshold: 0.4,
      silence_duration_ms: 1000,
      create_response: false,
    });
  });
});

describe('ga', () => {
  test('OpenAI: intent URL, bearer without beta header, GA transcription session at 24 kHz', () => {
    const plan = planWire(
      presetConfig('openai', {
        apiKey: KEY,
        model: 'gpt-4o-transcribe',
        language: 'en',
        vad: { ...VAD },
      }),
    );
    expect(plan.url).toBe('wss://api.openai.com/v1/realtime?intent=transcription');
    expect(plan.headers).toEqual({ Authorization: `Bearer ${KEY}` });
    expect(plan.wireRate).toBe(24000);
    expect(plan.configure).toEqual({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24000 },
            transcription: { model: 'gpt-4o-transcribe', language: 'en' },
            turn_detection: {
              type: 'server_vad',
              threshold: 0.4,
              prefix_padding_ms: 200,
              silence_duration_ms: 1000,
            },
          },
        },
        include: ['item.input_audio_transcription.logprobs'],
      },
    });
  });

  test('GA is always 24 kHz on the wire, whatever the session rate', () => {
    expect(
      planWire(
        presetConfig('custom', { url: 'wss://x/v1/realtime', dialect: 'ga', sampleRate: 16000 }),
      ).wireRate,
    ).toBe(24000);
  });

  test('Azure: the key in api-key; its deployment URL stays as given', () => {
    const url = 'wss://res.openai.azure.com/openai/v1/realtime?model=my-deploy';
    const plan = planWire(presetConfig('azure', { url, apiKey: KEY }));
    expect(plan.headers).toEqual({ 'api-key': KEY });
    expect(plan.url).toBe(url);
  });

  test('switching to GA after beta_api_shape_disabled drops the model and names the intent', () => {
    expect(gaFallbackUrl('wss://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview')).toBe(
      'wss://api.openai.com/v1/realtime?intent=transcription',
    );
  });
});
