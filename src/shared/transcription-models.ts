// Which session fields each OpenAI realtime transcription model accepts. OpenAI rejects a
// session.update with a field the model does not take (and then applies none of it), so the
// session builder (core/realtime/dialects.ts) sends each model only what this table allows.
//
// Sources, read 2026-12-07:
//  - the realtime-transcription and realtime-vad guides (developers.openai.com): start with
//    gpt-live-transcribe; gpt-live-transcribe and gpt-realtime-whisper take no turn detection
//    (omit it or send null) and the client commits each turn; models that support VAD default
//    to server_vad, the other mode being semantic_vad.
//  - openai-python's types generated from OpenAI's OpenAPI spec (types/realtime/
//    audio_transcription.py, realtime_transcription_session_audio_input*.py,
//    realtime_transcription_session_create_request*.py): `delay` (minimal…xhigh),
//    `keywords` and `languages` (gpt-transcribe and gpt-live-transcribe), no `prompt` for
//    gpt-realtime-whisper, semantic_vad `eagerness` (low/medium/high max out at 8, 4, 2 s;
//    auto = medium), `noise_reduction` near_field/far_field, `include` logprobs.
//  - types/audio/transcription_create_params.py: logprobs only from gpt-4o-transcribe,
//    gpt-4o-mini-transcribe and gpt-4o-mini-transcribe-2025-12-15.
//  - OpenAI's cookbook "Migrate from Whisper to GPT-Transcribe and GPT-Live-Transcribe"
//    (2026-07-28): gpt-live-transcribe with prompt, keywords, languages and delay; never both
//    `language` and `languages`; a keyword is one line without '<' or '>'.
// Not verified, so not sent: noise_reduction and logprobs for gpt-live-transcribe,
// gpt-realtime-whisper and gpt-transcribe (no source says these models take them); semantic
// VAD for whisper-1 is taken from the session reference, which allows it for any model with VAD.

export type TurnDetectionType = 'server_vad' | 'semantic_vad';
export const SEMANTIC_EAGERNESS = ['low', 'medium', 'high', 'auto'] as const;
export type SemanticEagerness = (typeof SEMANTIC_EAGERNESS)[number];
export const NOISE_REDUCTION = ['near_field', 'far_field'] as const;
export type NoiseReduction = (typeof NOISE_REDUCTION)[number];
export const TRANSCRIPTION_DELAYS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type TranscriptionDelay = (typeof TRANSCRIPTION_DELAYS)[number];

export interface TranscriptionModelFields {
  /** The turn detection types the model takes; none means `turn_detection: null`, and the
   * client commits each turn (one dictation is one turn). */
  turnDetection: readonly TurnDetectionType[];
  prompt: boolean;
  /** How a language hint is given: one `language` code, or a `languages` list. */
  language: 'language' | 'languages';
  keywords: boolean;
  delay: boolean;
  noiseReduction: boolean;
  /** `include: ['item.input_audio_transcription.logprobs']`. */
  logprobs: boolean;
}

const VAD: readonly TurnDetectionType[] = ['server_vad', 'semantic_vad'];
const GPT_4O: TranscriptionModelFields = {
  turnDetection: VAD,
  prompt: true,
  language: 'language',
  keywords: false,
  delay: false,
  noiseReduction: true,
  logprobs: true,
};

export const OPENAI_TRANSCRIPTION_MODELS: Readonly<Record<string, TranscriptionModelFields>> = {
  'gpt-live-transcribe': {
    turnDetection: [],
    prompt: true,
    language: 'languages',
    keywords: true,
    delay: true,
    noiseReduction: false,
    logprobs: false,
  },
  'gpt-realtime-whisper': {
    turnDetection: [],
    prompt: false,
    language: 'language',
    keywords: false,
    delay: true,
    noiseReduction: false,
    logprobs: false,
  },
  'gpt-transcribe': {
    // Committed-turn use is what OpenAI documents for it in a realtime session.
    turnDetection: [],
    prompt: true,
    language: 'languages',
    keywords: true,
    delay: false,
    noiseReduction: false,
    logprobs: false,
  },
  'gpt-4o-transcribe': GPT_4O,
  'gpt-4o-mini-transcribe': GPT_4O,
  'gpt-4o-mini-transcribe-2025-12-15': GPT_4O,
  'whisper-1': { ...GPT_4O, logprobs: false },
};

/** What any other model (another server's, or one this table does not know yet) is sent:
 * the fields every server of the protocol family takes. */
export const COMMON_FIELDS: TranscriptionModelFields = {
  turnDetection: ['server_vad'],
  prompt: true,
  language: 'language',
  keywords: false,
  delay: false,
  noiseReduction: false,
  logprobs: false,
};

/** The model name the local provider sends (shared/providers.ts): Tingxie's own server. It
 * takes the seed protocol's fields and `keywords` too (src/server/session-config.ts), which
 * its transducer models hear as hotwords. */
export const LOCAL_SERVER_MODEL = 'local';
const LOCAL_SERVER_FIELDS: TranscriptionModelFields = { ...COMMON_FIELDS, keywords: true };

export function transcriptionModelFields(model: string): TranscriptionModelFields {
  if (model === LOCAL_SERVER_MODEL) return LOCAL_SERVER_FIELDS;
  return OPENAI_TRANSCRIPTION_MODELS[model] ?? COMMON_FIELDS;
}

/** The most semantic VAD waits for the end of a turn, by eagerness. */
export const SEMANTIC_MAX_WAIT_MS: Readonly<Record<SemanticEagerness, number>> = {
  low: 8000,
  medium: 4000,
  high: 2000,
  auto: 4000,
};

/** A keyword OpenAI accepts: one line, no angle brackets (one bad keyword rejects the whole
 * session update). */
export function isValidKeyword(keyword: string): boolean {
  return keyword.trim() !== '' && !/[<>\r\n]/u.test(keyword);
}
