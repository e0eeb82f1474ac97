// OpenAI's transcription models each take their own session fields: the GA session.update
// per model, the configuration fitted to the model (no turn detection → the client commits
// each turn), and the confidence taken from the tokens' log probabilities.
import { describe, expect, test } from 'vitest';
import { planWire } from '../../src/core/realtime/dialects.ts';
import { fitConfigToModel } from '../../src/core/realtime/model-fields.ts';
import { confidenceOf, parseServerEvent } from '../../src/core/realtime/server-events.ts';
import { PROVIDERS, presetConfig, type SessionConfig } from '../../src/shared/providers.ts';

const VAD = {
  type: 'server_vad',
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 800,
} as const;

/** Everything a person can set, for a model. */
const everything = (model: string, more: Partial<SessionConfig> = {}) =>
  presetConfig('openai', {
    apiKey: 'sk-x',
    model,
    language: 'zh',
    prompt: '听写，Tingxie',
    keywords: ['Tingxie', 'Kubernetes'],
    delay: 'low',
    noiseReduction: 'near_field',
    vad: { ...VAD, type: 'semantic_vad', eagerness: 'high' },
    ...more,
  });

const sessionOf = (config: SessionConfig) =>
  planWire(config).configure.session as {
    type: string;
    audio: { input: Record<string, unknown> };
    include?: string[];
  };

describe('the OpenAI preset', () => {
  test('defaults to the recommended gpt-live-transcribe and offers the others', () => {
    expect(PROVIDERS.openai.model).toBe('gpt-live-transcribe');
    expect(PROVIDERS.openai.models[0]).toBe('gpt-live-transcribe');
    expect(PROVIDERS.openai.models).toEqual(
      expect.arrayContaining(['gpt-realtime-whisper', 'gpt-4o-transcribe', 'whisper-1']),
    );
  });
});

describe('session.update per model (GA)', () => {
  test('gpt-live-transcribe: languages, prompt, keywords, delay; turn detection null; no noise reduction, no logprobs', () => {
    const session = sessionOf(everything('gpt-live-transcribe'));
    expect(session.audio.input).toEqual({
      format: { type: 'audio/pcm', rate: 24000 },
      transcription: {
        model: 'gpt-live-transcribe',
        languages: ['zh'],
        prompt: '听写，Tingxie',
        keywords: ['Tingxie', 'Kubernetes'],
        delay: 'low',
      },
      turn_detection: null,
    });
    expect(session).not.toHaveProperty('include');
  });

  test('gpt-realtime-whisper: language and delay; no prompt, no keywords; turn detection null', () => {
    const session = sessionOf(everything('gpt-realtime-whisper'));
    expect(session.audio.input).toEqual({
      format: { type: 'audio/pcm', rate: 24000 },
      transcription: { model: 'gpt-realtime-whisper', language: 'zh', delay: 'low' },
      turn_detection: null,
    });
    expect(session).not.toHaveProperty('include');
  });

  test('gpt-transcribe: languages, prompt, keywords; committed turns', () => {
    const session = sessionOf(everything('gpt-transcribe'));
    expect(session.audio.input).toEqual({
      format: { type: 'audio/pcm', rate: 24000 },
      transcription: {
        model: 'gpt-transcribe',
        languages: ['zh'],
        prompt: '听写，Tingxie',
        keywords: ['Tingxie', 'Kubernetes'],
      },
      turn_detection: null,
    });
  });

  test.each(['gpt-4o-transcribe', 'gpt-4o-mini-transcribe'])(
    '%s: semantic VAD with its eagerness, noise reduction, logprobs; no keywords, no delay',
    (model) => {
      const session = sessionOf(everything(model));
      expect(session.audio.input).toEqual({
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: { model, language: 'zh', prompt: '听写，Tingxie' },
        turn_detection: { type: 'semantic_vad', eagerness: 'high' },
        noise_reduction: { type: 'near_field' },
      });
      expect(session.include).toEqual(['item.input_audio_transcription.logprobs']);
    },
  );

  test('gpt-4o-transcribe with server VAD and no noise reduction', () => {
    const session = sessionOf(
      everything('gpt-4o-transcribe', { vad: { ...VAD }, noiseReduction: undefined }),
    );
    expect(session.audio.input.turn_detection).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 800,
    });
    expect(session.audio.input).not.toHaveProperty('noise_reduction');
  });

  test('whisper-1: no logprobs', () => {
    expect(sessionOf(everything('whisper-1'))).not.toHaveProperty('include');
  });

  test('language auto: no language hint of either kind', () => {
    for (const model of ['gpt-live-transcribe', 'gpt-4o-transcribe']) {
      const { transcription } = sessionOf(everything(model, { language: 'auto' })).audio.input as {
        transcription: Record<string, unknown>;
      };
      expect(transcription).not.toHaveProperty('language');
      expect(transcription).not.toHaveProperty('languages');
    }
  });

  test('a model the table does not know (an Azure deployment): the common fields only', () => {
    const config = presetConfig('azure', {
      url: 'wss://r.openai.azure.com/openai/v1/realtime?model=my-deploy',
      model: 'my-deploy',
      prompt: 'p',
      keywords: ['k'],
      delay: 'low',
      noiseReduction: 'far_field',
      vad: { ...VAD, type: 'semantic_vad', eagerness: 'low' },
    });
    expect(sessionOf(config).audio.input).toEqual({
      format: { type: 'audio/pcm', rate: 24000 },
      transcription: { model: 'my-deploy', prompt: 'p' },
      turn_detection: {
        type: 'server_vad',
        threshold: 0.5,
        prefix_padding_ms: 300,
        silence_duration_ms: 800,
      },
    });
  });
});

describe('fitConfigToModel', () => {
  test('a model without turn detection: VAD off on the wire, the client ends turns at its pauses, said in the log', () => {
    const fitted = fitConfigToModel(everything('gpt-live-transcribe'));
    expect(fitted.config.vad).toBeNull();
    expect(fitted.config.noiseReduction).toBeUndefined();
    expect(fitted.clientTurnPauseMs).toBe(800);
    expect(fitted.changes.join('\n')).toContain('ends each turn at a pause of 800 ms itself');
  });

  test('voice detection off: no client turns either (push-to-talk, one turn per dictation)', () => {
    const fitted = fitConfigToModel(everything('gpt-live-transcribe', { vad: null }));
    expect(fitted.config.vad).toBeNull();
    expect(fitted.clientTurnPauseMs).toBeUndefined();
  });

  test('gpt-realtime-whisper: the prompt and keywords are dropped', () => {
    const { config, changes } = fitConfigToModel(everything('gpt-realtime-whisper'));
    expect(config.prompt).toBeUndefined();
    expect(config.keywords).toBeUndefined();
    expect(config.delay).toBe('low');
    expect(changes.join('\n')).toContain('takes no prompt');
  });

  test("keywords OpenAI would refuse (a line break, '<', '>') are left out, the others kept", () => {
    const { config, changes } = fitConfigToModel(
      everything('gpt-live-transcribe', { keywords: ['ok', 'a<b', 'two\nlines', ' '] }),
    );
    expect(config.keywords).toEqual(['ok']);
    expect(changes.join('\n')).toContain('keywords');
  });

  test('a model that takes everything is left as it is', () => {
    const given = everything('gpt-4o-transcribe', { keywords: undefined, delay: undefined });
    expect(fitConfigToModel(given)).toEqual({ config: given, changes: [] });
  });

  test('other servers keep server VAD; semantic VAD becomes server VAD', () => {
    const local = presetConfig('local', {
      url: 'ws://127.0.0.1:1/v1/realtime',
      vad: { ...VAD, type: 'semantic_vad', eagerness: 'low' },
    });
    expect(fitConfigToModel(local).config.vad).toMatchObject({ type: 'server_vad' });
  });
});

describe('confidence from logprobs', () => {
  test('the geometric mean of the token probabilities', () => {
    expect(confidenceOf([{ logprob: Math.log(0.9) }, { logprob: Math.log(0.4) }])).toBe(0.6);
    expect(confidenceOf([{ logprob: 0 }])).toBe(1);
  });

  test('a completed event with logprobs carries a confidence; one without carries none', () => {
    const withLogprobs = parseServerEvent(
      JSON.stringify({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'item_1',
        content_index: 0,
        transcript: 'hello',
        logprobs: [
          { token: 'hel', logprob: Math.log(0.9), bytes: [104, 101, 108] },
          { token: 'lo', logprob: Math.log(0.4), bytes: [108, 111] },
        ],
      }),
    );
    expect(withLogprobs).toEqual({
      ok: true,
      event: { kind: 'completed', itemId: 'item_1', transcript: 'hello', confidence: 0.6 },
    });
    const without = parseServerEvent(
      JSON.stringify({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'item_2',
        transcript: 'hi',
        logprobs: null,
      }),
    );
    expect(without).toEqual({
      ok: true,
      event: { kind: 'completed', itemId: 'item_2', transcript: 'hi' },
    });
  });

  test('malformed logprobs do not lose the transcript', () => {
    const parsed = parseServerEvent(
      JSON.stringify({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'item_3',
        transcript: 'still here',
        logprobs: [{ token: 'x' }],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      event: { kind: 'completed', itemId: 'item_3', transcript: 'still here' },
    });
  });
});
