// The configuration of one connection, and the three shapes a client may send it in:
// flat on `session.update` (the seed protocol), nested under `session` (OpenAI beta, and
// `transcription_session.update`), and OpenAI GA's `session.audio.input.*`. Each update is
// validated whole and applied whole, and `session.updated` echoes the shape the client used.
import { z } from 'zod';
import { DEFAULT_VAD } from '../shared/providers.ts';
import type { VadConfig } from '../shared/providers.ts';

export type SessionShape = 'seed' | 'beta' | 'transcription_session' | 'ga';

export interface TranscriptionSettings {
  model: string;
  language: string;
  prompt?: string;
  /** Terms expected in the audio (Tingxie's vocabulary), as OpenAI's gpt-live-transcribe takes
   * them: transducer models hear them as hotwords; other engines use the prompt. */
  keywords?: string[];
}

export interface ServerSessionConfig {
  id: string;
  shape: SessionShape;
  /** PCM16 mono at this rate, for appends and for the VAD's timeline. */
  sampleRate: number;
  vad: VadConfig | null;
  transcription: TranscriptionSettings;
}

/** The seed protocol's rate; OpenAI GA (and its `?intent=transcription` URL) is 24 kHz only. */
export const SEED_SAMPLE_RATE = 16000;
export const GA_SAMPLE_RATE = 24000;

export function initialSessionConfig(
  id: string,
  ga: boolean,
  transcriptionModel: string,
): ServerSessionConfig {
  return {
    id,
    shape: ga ? 'ga' : 'seed',
    sampleRate: ga ? GA_SAMPLE_RATE : SEED_SAMPLE_RATE,
    vad: { ...DEFAULT_VAD },
    transcription: { model: transcriptionModel, language: 'auto' },
  };
}

const rate = z.number().int().min(8000).max(48000);

/** Bounds on `keywords`: well above what Tingxie sends (the terms that fit in its prompt, 600
 * characters in all: core/text/vocabulary-prompt.ts), and small enough that a session cannot
 * make the recognizer build a huge hotword graph. */
export const MAX_KEYWORDS = 1000;
export const MAX_KEYWORD_CHARS = 1000;

const turnDetection = z
  .looseObject({
    type: z.literal('server_vad', {
      error: 'only "server_vad" (or null for push-to-talk) is supported by the local server',
    }),
    threshold: z.number().min(0).max(1).optional(),
    prefix_padding_ms: z.number().int().min(0).max(10_000).optional(),
    silence_duration_ms: z.number().int().min(0).max(10_000).optional(),
  })
  .nullable();

const transcription = z
  .looseObject({
    model: z.string().optional(),
    language: z.string().optional(),
    prompt: z.string().optional(),
    keywords: z
      .array(
        z.string().max(MAX_KEYWORD_CHARS, {
          error: `a keyword has at most ${MAX_KEYWORD_CHARS} characters`,
        }),
      )
      .max(MAX_KEYWORDS, { error: `at most ${MAX_KEYWORDS} keywords` })
      .optional(),
  })
  .nullable();

const betaFields = z.looseObject({
  modalities: z.array(z.string()).optional(),
  input_audio_format: z
    .enum(['pcm16', 'pcm'], { error: 'only "pcm16" (16-bit little-endian mono PCM) is supported' })
    .optional(),
  sample_rate: rate.optional(),
  channels: z.literal(1, { error: 'only mono audio (1 channel) is supported' }).optional(),
  input_audio_transcription: transcription.optional(),
  turn_detection: turnDetection.optional(),
});

const gaFields = z.looseObject({
  type: z.enum(['transcription', 'realtime']).optional(),
  audio: z
    .looseObject({
      input: z
        .looseObject({
          format: z
            .looseObject({
              type: z.literal('audio/pcm', { error: 'only "audio/pcm" is supported' }),
              rate: rate.optional(),
            })
            .optional(),
          transcription: transcription.optional(),
          turn_detection: turnDetection.optional(),
        })
        .optional(),
    })
    .optional(),
});

type TurnDetectionInput = z.infer<typeof turnDetection>;
type TranscriptionInput = z.infer<typeof transcription>;

export type SessionUpdateResult =
  | {
      ok: true;
      config: ServerSessionConfig;
      reply: 'session.updated' | 'transcription_session.updated';
    }
  | { ok: false; param: string; message: string };

/** Applies a `session.update` / `transcription_session.update` event to `current`. */
export function applySessionUpdate(
  current: ServerSessionConfig,
  event: Record<string, unknown>,
): SessionUpdateResult {
  const nested = event.session;
  if (nested !== undefined && (typeof nested !== 'object' || nested === null)) {
    return { ok: false, param: 'session', message: "Invalid 'session': expected an object." };
  }
  const session = nested as Record<string, unknown> | undefined;
  if (event.type === 'transcription_session.update') {
    return applyBeta(current, session ?? {}, 'transcription_session', 'session.');
  }
  if (session && (session.type !== undefined || session.audio !== undefined)) {
    return applyGa(current, session);
  }
  return session
    ? applyBeta(current, session, 'beta', 'session.')
    : applyBeta(current, event, 'seed', '');
}

function applyBeta(
  current: ServerSessionConfig,
  source: Record<string, unknown>,
  shape: SessionShape,
  prefix: string,
): SessionUpdateResult {
  const parsed = betaFields.safeParse(source);
  if (!parsed.success) return invalid(parsed.error, prefix);
  const f = parsed.data;
  if (f.modalities && f.modalities.some((m) => m !== 'text')) {
    return {
      ok: false,
      param: `${prefix}modalities`,
      message: 'The local server only transcribes: set modalities to ["text"].',
    };
  }
  return {
    ok: true,
    reply: shape === 'transcription_session' ? 'transcription_session.updated' : 'session.updated',
    config: merge(current, shape, f.sample_rate, f.turn_detection, f.input_audio_transcription),
  };
}

function applyGa(
  current: ServerSessionConfig,
  session: Record<string, unknown>,
): SessionUpdateResult {
  const parsed = gaFields.safeParse(session);
  if (!parsed.success) return invalid(parsed.error, 'session.');
  const input = parsed.data.audio?.input;
  return {
    ok: true,
    reply: 'session.updated',
    // A GA session is 24 kHz unless it says otherwise.
    config: merge(
      current,
      'ga',
      input?.format?.rate ?? (current.shape === 'ga' ? current.sampleRate : GA_SAMPLE_RATE),
      input?.turn_detection,
      input?.transcription,
    ),
  };
}

function merge(
  current: ServerSessionConfig,
  shape: SessionShape,
  sampleRate: number | undefined,
  vad: TurnDetectionInput | undefined,
  transcription: TranscriptionInput | undefined,
): ServerSessionConfig {
  const base = current.vad ?? DEFAULT_VAD;
  return {
    id: current.id,
    shape,
    sampleRate: sampleRate ?? current.sampleRate,
    vad:
      vad === undefined
        ? current.vad
        : vad === null
          ? null
          : {
              type: 'server_vad',
              threshold: vad.threshold ?? base.threshold,
              prefixPaddingMs: vad.prefix_padding_ms ?? base.prefixPaddingMs,
              silenceDurationMs: vad.silence_duration_ms ?? base.silenceDurationMs,
            },
    transcription: transcription
      ? {
          model: transcription.model ?? current.transcription.model,
          language: transcription.language || current.transcription.language,
          prompt: transcription.prompt ?? current.transcription.prompt,
          keywords: transcription.keywords ?? current.transcription.keywords,
        }
      : current.transcription,
  };
}

function invalid(error: z.ZodError, prefix: string): SessionUpdateResult {
  const issue = error.issues[0];
  const param = prefix + (issue?.path.join('.') ?? '');
  return {
    ok: false,
    param: param.replace(/\.$/, ''),
    message: `Invalid value for '${param}': ${issue?.message ?? 'invalid'}.`,
  };
}

/** The `session` object of `session.created` / `session.updated`, in the client's shape. */
export function describeSession(config: ServerSessionConfig): Record<string, unknown> {
  const turnDetection = config.vad && {
    type: 'server_vad',
    threshold: config.vad.threshold,
    prefix_padding_ms: config.vad.prefixPaddingMs,
    silence_duration_ms: config.vad.silenceDurationMs,
  };
  const transcription = {
    model: config.transcription.model,
    language: config.transcription.language,
    prompt: config.transcription.prompt ?? '',
    ...(config.transcription.keywords ? { keywords: config.transcription.keywords } : {}),
  };
  if (config.shape === 'ga') {
    return {
      type: 'transcription',
      id: config.id,
      object: 'realtime.transcription_session',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: config.sampleRate },
          transcription,
          turn_detection: turnDetection,
          noise_reduction: null,
        },
      },
      include: [],
    };
  }
  return {
    id: config.id,
    object:
      config.shape === 'transcription_session'
        ? 'realtime.transcription_session'
        : 'realtime.session',
    modalities: ['text'],
    input_audio_format: 'pcm16',
    sample_rate: config.sampleRate,
    channels: 1,
    input_audio_transcription: transcription,
    turn_detection: turnDetection,
  };
}
