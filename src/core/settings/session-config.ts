// From what the person chose in Settings to what a RealtimeSession needs.
import { PROVIDERS, type SessionConfig } from '../../shared/providers.ts';
import type { ServerSettings } from '../../shared/settings.ts';
import { transcriptionModelFields } from '../../shared/transcription-models.ts';
import {
  EMPTY_VOCABULARY,
  promptTerms,
  promptWithVocabulary,
  type Vocabulary,
} from '../text/index.ts';

export class MissingApiKeyError extends Error {
  constructor(provider: string) {
    super(`${provider} needs an API key. Add it in Settings → Server.`);
    this.name = 'MissingApiKeyError';
  }
}

/**
 * The session configuration for `server`. `localUrl` is the embedded server's address, used
 * when the provider is `local`; `apiKey` is the secret from the keychain, if any. The
 * vocabulary's terms go into the prompt after the person's own (every dialect sends the
 * prompt; see core/text/vocabulary-prompt.ts for its form and for other ways to pass terms).
 */
export function toSessionConfig(
  server: ServerSettings,
  apiKey: string | undefined,
  localUrl?: string,
  vocabulary: Vocabulary = EMPTY_VOCABULARY,
): SessionConfig {
  const prompt = promptWithVocabulary(server.prompt, vocabulary, server.language);
  const preset = PROVIDERS[server.provider];
  if (preset.needsApiKey && !apiKey) throw new MissingApiKeyError(displayName(server.provider));
  const url = server.provider === 'local' ? (localUrl ?? '') : server.url;
  return {
    provider: server.provider,
    url,
    ...(apiKey ? { apiKey } : {}),
    dialect: server.dialect,
    model: server.model,
    language: server.language,
    ...(prompt ? { prompt } : {}),
    vad: server.vad.enabled
      ? {
          type: server.vad.type,
          eagerness: server.vad.eagerness,
          threshold: server.vad.threshold,
          prefixPaddingMs: server.vad.prefixPaddingMs,
          silenceDurationMs: server.vad.silenceDurationMs,
        }
      : null,
    sampleRate: server.sampleRate,
    // Sent only to the models that take them (core/realtime/model-fields.ts).
    ...(server.noiseReduction !== 'off' ? { noiseReduction: server.noiseReduction } : {}),
    ...(server.delay !== 'default' ? { delay: server.delay } : {}),
    ...vocabularyKeywords(server.model, vocabulary),
  };
}

/** The terms again as `keywords`, for the models that take literal terms that way (OpenAI's
 * newest, and the local server, whose transducer models boost them as hotwords). */
export function vocabularyKeywords(model: string, vocabulary: Vocabulary): { keywords?: string[] } {
  return transcriptionModelFields(model).keywords && vocabulary.terms.length
    ? { keywords: promptTerms(vocabulary) }
    : {};
}

const NAMES: Record<string, string> = {
  local: 'The local server',
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  dashscope: 'DashScope',
  speaches: 'speaches',
  custom: 'This server',
};

function displayName(provider: string): string {
  return NAMES[provider] ?? provider;
}
