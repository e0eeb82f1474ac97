// From Settings to a session for OpenAI's models: the per-model settings (how a turn ends,
// noise reduction, delay) and the vocabulary's terms as `keywords` where the model takes them.
import { describe, expect, test } from 'vitest';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { toSessionConfig } from '../../src/core/settings/session-config.ts';
import { parseVocabulary } from '../../src/core/text/index.ts';
import type { ServerSettings } from '../../src/shared/settings.ts';

const vocabulary = (() => {
  const parsed = parseVocabulary('Tingxie\nKubernetes = cooper netties\n张伟');
  if (!parsed.ok) throw new Error('test vocabulary');
  return parsed.value;
})();

const openai = (model: string, more: Partial<ServerSettings> = {}): ServerSettings => ({
  ...defaultSettings().server,
  provider: 'openai',
  url: 'wss://api.openai.com/v1/realtime?intent=transcription',
  dialect: 'ga',
  model,
  sampleRate: 24000,
  ...more,
});

describe('toSessionConfig for OpenAI models', () => {
  test('defaults: server VAD, no noise reduction, no delay', () => {
    const config = toSessionConfig(openai('gpt-4o-transcribe'), 'sk-1');
    expect(config.vad).toMatchObject({ type: 'server_vad', eagerness: 'auto' });
    expect(config).not.toHaveProperty('noiseReduction');
    expect(config).not.toHaveProperty('delay');
    expect(config).not.toHaveProperty('keywords');
  });

  test('semantic VAD, noise reduction and delay reach the session as chosen', () => {
    const server = openai('gpt-4o-transcribe', {
      vad: { ...defaultSettings().server.vad, type: 'semantic_vad', eagerness: 'low' },
      noiseReduction: 'far_field',
      delay: 'high',
    });
    expect(toSessionConfig(server, 'sk-1')).toMatchObject({
      vad: { type: 'semantic_vad', eagerness: 'low' },
      noiseReduction: 'far_field',
      delay: 'high',
    });
  });

  test('the vocabulary as keywords for gpt-live-transcribe, beside the prompt', () => {
    const config = toSessionConfig(openai('gpt-live-transcribe'), 'sk-1', undefined, vocabulary);
    expect(config.keywords).toEqual(['Tingxie', 'Kubernetes', '张伟']);
    expect(config.prompt).toContain('Tingxie');
  });

  test('no keywords for a model that does not take them, nor without a vocabulary', () => {
    expect(
      toSessionConfig(openai('gpt-4o-transcribe'), 'sk-1', undefined, vocabulary),
    ).not.toHaveProperty('keywords');
    expect(toSessionConfig(openai('gpt-live-transcribe'), 'sk-1')).not.toHaveProperty('keywords');
  });
});
