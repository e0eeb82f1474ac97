// How to speak to a server: URL, handshake headers, the configuration event and the sample
// rate on the wire, per dialect (PROTOCOL.md "Dialects") and per provider quirk ("Known servers").
import type { Dialect, SessionConfig, VadConfig } from '../../shared/providers.ts';
import { transcriptionModelFields } from '../../shared/transcription-models.ts';
import { fitConfigToModel } from './model-fields.ts';

/** Provider behaviour that no dialect describes. */
export type Quirks = 'dashscope' | 'speaches' | 'none';

export interface WirePlan {
  dialect: Dialect;
  quirks: Quirks;
  url: string;
  headers: Record<string, string>;
  /** The rate of the PCM16 we send; the session resamples when it differs from the config's. */
  wireRate: number;
  /** The event that configures the session (without `event_id`). */
  configure: Record<string, unknown>;
  /** DashScope rejects client events without an `event_id`. */
  eventIds: boolean;
  /** DashScope finalizes with `session.finish` → `session.finished` instead of a last commit. */
  finishOnStop: boolean;
  /** What `audio_start_ms`/`audio_end_ms` count from: the session's audio (OpenAI), or the
   * server's current buffer, which restarts at every commit and clear (speaches). */
  vadMsFrom: 'session' | 'buffer';
}

export function quirksOf(config: SessionConfig): Quirks {
  if (config.provider === 'dashscope') return 'dashscope';
  if (config.provider === 'speaches') return 'speaches';
  let host = '';
  try {
    host = new URL(config.url).hostname;
  } catch {
    // an invalid URL fails at connect, with its own message
  }
  return host.endsWith('dashscope.aliyuncs.com') ? 'dashscope' : 'none';
}

export function planWire(given: SessionConfig, dialect: Dialect = given.dialect): WirePlan {
  // Whoever plans, the model is sent only what it accepts (RealtimeSession fits it too, to
  // commit each turn itself when the model takes no turn detection).
  const config = fitConfigToModel(given).config;
  const quirks = quirksOf(config);
  const url = wireUrl(config, dialect);
  const wireRate =
    dialect === 'ga' || quirks === 'speaches' // OpenAI GA takes 24 kHz only; speaches decodes every append as 24 kHz
      ? 24000
      : quirks === 'dashscope'
        ? 16000
        : config.sampleRate;
  return {
    dialect,
    quirks,
    url,
    headers: handshakeHeaders(config, dialect),
    wireRate,
    configure: configureEvent(config, dialect, quirks, url, wireRate),
    eventIds: quirks === 'dashscope',
    finishOnStop: quirks === 'dashscope',
    vadMsFrom: quirks === 'speaches' ? 'buffer' : 'session',
  };
}

function wireUrl(config: SessionConfig, dialect: Dialect): string {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    return config.url;
  }
  const q = url.searchParams;
  if (dialect === 'ga') {
    // GA transcription sessions are named by intent; a model URL (Azure's deployment) stays as given.
    if (!q.has('model') && !q.has('intent')) q.set('intent', 'transcription');
  } else if (!q.has('model') && !q.has('intent') && config.model) {
    // speaches requires the model in the query; the seed URL carries it too.
    q.set('model', config.model);
  }
  return url.toString();
}

/** A GA dialect URL for a server that refused the beta shape: a transcription session. */
export function gaFallbackUrl(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('model');
    u.searchParams.set('intent', 'transcription');
    return u.toString();
  } catch {
    return url;
  }
}

function handshakeHeaders(config: SessionConfig, dialect: Dialect): Record<string, string> {
  const headers: Record<string, string> = {};
  if (config.apiKey) {
    if (config.provider === 'azure') headers['api-key'] = config.apiKey;
    else headers.Authorization = `Bearer ${config.apiKey}`;
  }
  if (dialect !== 'ga') headers['OpenAI-Beta'] = 'realtime=v1';
  return headers;
}

function isConversationUrl(url: string): boolean {
  try {
    const q = new URL(url).searchParams;
    return q.has('model') && q.get('intent') !== 'transcription';
  } catch {
    return false;
  }
}

function configureEvent(
  config: SessionConfig,
  dialect: Dialect,
  quirks: Quirks,
  url: string,
  wireRate: number,
): Record<string, unknown> {
  const vad = config.vad;
  // OpenAI and most servers want an ISO-639-1 code or nothing; the seed protocol spells "auto".
  const language = config.language && config.language !== 'auto' ? config.language : undefined;
  if (dialect === 'ga') return gaConfigureEvent(config, wireRate, language);

  const transcription = compact({
    model: quirks === 'dashscope' ? undefined : config.model,
    language: dialect === 'seed' ? config.language || 'auto' : language,
    prompt: config.prompt || undefined,
    // Only to a server whose model takes them (Tingxie's own: shared/transcription-models.ts).
    keywords:
      transcriptionModelFields(config.model).keywords && config.keywords?.length
        ? [...config.keywords]
        : undefined,
  });
  const conversation = isConversationUrl(url);
  // semantic_vad is OpenAI GA's; the beta family knows server_vad only.
  const turnDetection = vad
    ? compact({
        type: 'server_vad',
        threshold: vad.threshold,
        // speaches rejects prefix_padding_ms; DashScope has no such setting.
        prefix_padding_ms: quirks === 'none' ? vad.prefixPaddingMs : undefined,
        silence_duration_ms: vad.silenceDurationMs,
        // A conversation session would otherwise answer (and bill) a model response per turn.
        create_response: conversation && quirks !== 'dashscope' ? false : undefined,
      })
    : null;
  const format =
    quirks === 'speaches'
      ? {} // speaches rejects input_audio_format (it always takes PCM16 at 24 kHz)
      : quirks === 'dashscope'
        ? { input_audio_format: 'pcm', sample_rate: wireRate }
        : { input_audio_format: 'pcm16' };

  if (dialect === 'seed') {
    return {
      type: 'session.update',
      modalities: ['text'],
      input_audio_transcription: transcription,
      turn_detection: turnDetection,
      ...format,
      ...(quirks === 'none' ? { sample_rate: wireRate, channels: 1 } : {}),
    };
  }
  const fields = {
    ...format,
    input_audio_transcription: transcription,
    turn_detection: turnDetection,
  };
  if (!conversation && quirks === 'none')
    return { type: 'transcription_session.update', session: fields };
  return { type: 'session.update', session: { modalities: ['text'], ...fields } };
}

/** OpenAI GA: each model is sent only the fields it accepts (shared/transcription-models.ts;
 * the config is already fitted to the model: core/realtime/model-fields.ts). */
function gaConfigureEvent(
  config: SessionConfig,
  wireRate: number,
  language: string | undefined,
): Record<string, unknown> {
  const fields = transcriptionModelFields(config.model);
  const transcription = compact({
    model: config.model,
    ...(fields.language === 'languages'
      ? { languages: language ? [language] : undefined }
      : { language }),
    prompt: fields.prompt ? config.prompt || undefined : undefined,
    keywords: fields.keywords && config.keywords?.length ? [...config.keywords] : undefined,
    delay: fields.delay ? config.delay : undefined,
  });
  const input = compact({
    format: { type: 'audio/pcm', rate: wireRate },
    transcription,
    turn_detection: gaTurnDetection(config.vad),
    noise_reduction:
      fields.noiseReduction && config.noiseReduction ? { type: config.noiseReduction } : undefined,
  });
  return {
    type: 'session.update',
    session: {
      type: 'transcription',
      audio: { input },
      ...(fields.logprobs ? { include: ['item.input_audio_transcription.logprobs'] } : {}),
    },
  };
}

function gaTurnDetection(vad: VadConfig | null): Record<string, unknown> | null {
  if (!vad) return null;
  if (vad.type === 'semantic_vad')
    return { type: 'semantic_vad', eagerness: vad.eagerness ?? 'auto' };
  return {
    type: 'server_vad',
    threshold: vad.threshold,
    prefix_padding_ms: vad.prefixPaddingMs,
    silence_duration_ms: vad.silenceDurationMs,
  };
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
