// Provider presets: where a server lives, which dialect it speaks and at which sample rate.
// Facts come from PROTOCOL.md Part 2; each quirk is handled in src/core/realtime/dialects.
import { LOCAL_SERVER_MODEL } from './transcription-models.ts';
import type {
  NoiseReduction,
  SemanticEagerness,
  TranscriptionDelay,
} from './transcription-models.ts';

/** `seed`: flat `session.update` (PROTOCOL Part 1). `beta`: fields nested under `session`,
 * `transcription_session.update` for transcription-only sessions. `ga`: OpenAI GA transcription session. */
export type Dialect = 'seed' | 'beta' | 'ga';
export const DIALECTS: readonly Dialect[] = ['seed', 'beta', 'ga'];

export type ProviderId = 'local' | 'openai' | 'azure' | 'dashscope' | 'speaches' | 'custom';
export const PROVIDER_IDS: readonly ProviderId[] = [
  'local',
  'openai',
  'azure',
  'dashscope',
  'speaches',
  'custom',
];

export type SampleRate = 16000 | 24000;

export interface ProviderPreset {
  id: ProviderId;
  /** Default WebSocket URL; empty when the user must supply one (Azure resource, speaches host). */
  url: string;
  dialect: Dialect;
  sampleRate: SampleRate;
  /** How the API key travels at the handshake. */
  auth: 'bearer' | 'api-key' | 'none';
  /** Whether the provider needs an API key at all. */
  needsApiKey: boolean;
  /** The default model. */
  model: string;
  /** The models offered in Settings, the default first. */
  models: readonly string[];
}

/** OpenAI's realtime transcription models, the recommended one first (its realtime
 * transcription guide: "Start with gpt-live-transcribe"; gpt-realtime-whisper streams with
 * tunable latency; gpt-transcribe transcribes committed turns; the gpt-4o models and
 * whisper-1 take server or semantic VAD). */
const OPENAI_MODELS = [
  'gpt-live-transcribe',
  'gpt-realtime-whisper',
  'gpt-transcribe',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'whisper-1',
] as const;

export const PROVIDERS: Readonly<Record<ProviderId, ProviderPreset>> = {
  local: {
    id: 'local',
    url: '', // the embedded server's address, known once it listens
    dialect: 'seed',
    sampleRate: 16000,
    auth: 'bearer',
    needsApiKey: false,
    model: LOCAL_SERVER_MODEL,
    models: [LOCAL_SERVER_MODEL],
  },
  openai: {
    id: 'openai',
    url: 'wss://api.openai.com/v1/realtime?intent=transcription',
    dialect: 'ga',
    sampleRate: 24000,
    auth: 'bearer',
    needsApiKey: true,
    model: OPENAI_MODELS[0],
    models: OPENAI_MODELS,
  },
  azure: {
    id: 'azure',
    url: '', // wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>
    dialect: 'ga',
    sampleRate: 24000,
    auth: 'api-key',
    needsApiKey: true,
    // Kept as it was: an Azure deployment is named by the person who deploys it.
    model: 'gpt-4o-transcribe',
    models: OPENAI_MODELS,
  },
  dashscope: {
    id: 'dashscope',
    url: 'wss://dashscope.aliyuncs.com/api-ws/v1/realtime?model=qwen3-asr-flash-realtime',
    dialect: 'beta',
    sampleRate: 16000,
    auth: 'bearer',
    needsApiKey: true,
    model: 'qwen3-asr-flash-realtime',
    models: ['qwen3-asr-flash-realtime'],
  },
  speaches: {
    id: 'speaches',
    url: 'ws://localhost:8000/v1/realtime',
    dialect: 'beta',
    sampleRate: 24000,
    auth: 'bearer',
    needsApiKey: false,
    model: 'Systran/faster-distil-whisper-small.en',
    models: ['Systran/faster-distil-whisper-small.en'],
  },
  custom: {
    id: 'custom',
    url: '',
    dialect: 'seed',
    sampleRate: 16000,
    auth: 'bearer',
    needsApiKey: false,
    model: 'whisper-1',
    models: ['whisper-1'],
  },
};

/** Server-side voice activity detection, or `null` for push-to-talk (the client commits).
 * `semantic_vad` (OpenAI GA) ends a turn when a model judges the speaker done, waiting at
 * most as long as its eagerness allows; the other fields are for `server_vad`. */
export interface VadConfig {
  type: 'server_vad' | 'semantic_vad';
  threshold: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
  eagerness?: SemanticEagerness;
}

export const DEFAULT_VAD: VadConfig = {
  type: 'server_vad',
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 800,
};

/** Everything a RealtimeSession needs to connect and configure a transcription session. */
export interface SessionConfig {
  provider: ProviderId;
  url: string;
  /** Secret. Never logged, never part of an error message, never sent to the renderer. */
  apiKey?: string;
  dialect: Dialect;
  model: string;
  /** `auto` or a language code such as `zh`, `en`. */
  language: string;
  prompt?: string;
  vad: VadConfig | null;
  sampleRate: SampleRate;
  /** OpenAI GA models that take them (shared/transcription-models.ts); others are sent none. */
  noiseReduction?: NoiseReduction;
  delay?: TranscriptionDelay;
  /** Terms expected in the audio, for models that take `keywords`. */
  keywords?: readonly string[];
}

/** A session configuration for a provider, with the preset's defaults filled in. */
export function presetConfig(
  provider: ProviderId,
  overrides: Partial<SessionConfig> = {},
): SessionConfig {
  const preset = PROVIDERS[provider];
  return {
    provider,
    url: preset.url,
    dialect: preset.dialect,
    model: preset.model,
    language: 'auto',
    vad: { ...DEFAULT_VAD },
    sampleRate: preset.sampleRate,
    ...overrides,
  };
}
