// How the scripted OpenAI far side judges a GA transcription session.update, field by field
// and model by model, as OpenAI documents it (2026-12-07): the realtime-transcription and
// realtime-vad guides, the session reference as openai-python's generated types spell it
// (types/realtime/audio_transcription.py, realtime_transcription_session_audio_input*.py,
// realtime_transcription_session_create_request*.py), and the cookbook on migrating to
// gpt-transcribe and gpt-live-transcribe. Written from those documents on purpose, not from the
// app's own table (src/shared/transcription-models.ts): a test of one against itself could not
// fail. OpenAI refuses the whole update for one field it does not take and applies none of
// it; the error codes below follow OpenAI's error shape, their exact strings are not
// documented per case.
import type { ErrorBody } from './flavors.ts';

type Json = Record<string, unknown>;

interface ModelDoc {
  /** gpt-live-transcribe and gpt-realtime-whisper: turn detection omitted or null (VAD guide). */
  vad: boolean;
  /** Not for gpt-realtime-whisper ("Prompt is not supported … in GA Realtime sessions"). */
  prompt: boolean;
  /** `keywords` and `languages`: "Supported by gpt-transcribe and gpt-live-transcribe". */
  hints: boolean;
  /** `delay`: gpt-realtime-whisper (session reference) and gpt-live-transcribe (cookbook). */
  delay: boolean;
  /** Deltas as speech arrives, before the commit (the realtime-transcription guide). */
  live: boolean;
  /** Log probabilities: gpt-4o-transcribe and gpt-4o-mini-transcribe (audio reference). */
  logprobs: boolean;
}

const GPT_4O: ModelDoc = {
  vad: true,
  prompt: true,
  hints: false,
  delay: false,
  live: false,
  logprobs: true,
};

export const OPENAI_MODEL_DOCS: Readonly<Record<string, ModelDoc>> = {
  'gpt-live-transcribe': {
    vad: false,
    prompt: true,
    hints: true,
    delay: true,
    live: true,
    logprobs: false,
  },
  'gpt-realtime-whisper': {
    vad: false,
    prompt: false,
    hints: false,
    delay: true,
    live: true,
    logprobs: false,
  },
  'gpt-transcribe': {
    vad: true,
    prompt: true,
    hints: true,
    delay: false,
    live: false,
    logprobs: false,
  },
  'gpt-4o-transcribe': GPT_4O,
  'gpt-4o-mini-transcribe': GPT_4O,
  'gpt-4o-mini-transcribe-2025-12-15': GPT_4O,
  'whisper-1': { ...GPT_4O, logprobs: false },
};

export interface JudgedSession {
  model: string;
  /** Silence that ends a turn, or null without turn detection. */
  vad: { silenceMs: number } | null;
  live: boolean;
  logprobs: boolean;
}

const DELAYS = ['minimal', 'low', 'medium', 'high', 'xhigh'];
const EAGERNESS = ['low', 'medium', 'high', 'auto'];
/** What semantic VAD waits at most, by eagerness (session reference: 8, 4 and 2 s). */
const SEMANTIC_WAIT = { low: 8000, medium: 4000, high: 2000, auto: 4000 } as const;

const refuse = (param: string, message: string, code = 'invalid_value'): ErrorBody => ({
  type: 'invalid_request_error',
  code,
  message,
  param,
});

function unknownKey(object: Json, allowed: string[], at: string): ErrorBody | undefined {
  const key = Object.keys(object).find((k) => !allowed.includes(k));
  return key === undefined
    ? undefined
    : refuse(`${at}.${key}`, `Unknown parameter: '${at}.${key}'.`, 'unknown_parameter');
}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The session's settings, or why OpenAI refuses the update. On Azure the model is a
 * deployment's name, which may be anything (`deployments`): one it does not know is judged as
 * gpt-4o-transcribe. */
export function judgeTranscriptionSession(
  session: Json,
  options: { deployments?: boolean } = {},
): JudgedSession | ErrorBody {
  const top = unknownKey(session, ['type', 'audio', 'include'], 'session');
  if (top) return top;
  if (session.include !== undefined) {
    const include = session.include;
    if (
      !Array.isArray(include) ||
      include.some((i) => i !== 'item.input_audio_transcription.logprobs')
    )
      return refuse('session.include', "Invalid value for 'session.include'.");
  }
  const input = isObject(session.audio) && isObject(session.audio.input) ? session.audio.input : {};
  const inputKeys = unknownKey(
    input,
    ['format', 'transcription', 'turn_detection', 'noise_reduction'],
    'session.audio.input',
  );
  if (inputKeys) return inputKeys;

  const t = isObject(input.transcription) ? input.transcription : {};
  const at = 'session.audio.input.transcription';
  const tKeys = unknownKey(
    t,
    ['model', 'language', 'languages', 'prompt', 'keywords', 'delay'],
    at,
  );
  if (tKeys) return tKeys;
  const model = String(t.model ?? 'whisper-1');
  const doc = OPENAI_MODEL_DOCS[model] ?? (options.deployments ? GPT_4O : undefined);
  if (!doc)
    return refuse(
      `${at}.model`,
      `Invalid value: '${model}'. Supported values are: ${Object.keys(OPENAI_MODEL_DOCS).join(', ')}.`,
    );
  const notFor = (field: string) =>
    refuse(
      `${at}.${field}`,
      `'${field}' is not supported with model '${model}'.`,
      'unsupported_parameter',
    );
  if (t.prompt !== undefined && !doc.prompt) return notFor('prompt');
  if (t.delay !== undefined && !doc.delay) return notFor('delay');
  if (t.delay !== undefined && !DELAYS.includes(String(t.delay)))
    return refuse(`${at}.delay`, `Invalid value: '${String(t.delay)}'.`);
  for (const field of ['keywords', 'languages'])
    if (t[field] !== undefined && !doc.hints) return notFor(field);
  if (t.language !== undefined && t.languages !== undefined)
    return refuse(`${at}.languages`, "Send either 'language' or 'languages', not both.");
  if (t.keywords !== undefined) {
    const bad =
      !Array.isArray(t.keywords) ||
      t.keywords.some((k) => typeof k !== 'string' || /[<>\r\n]/u.test(k));
    if (bad) return refuse(`${at}.keywords`, 'Each keyword must be one line without < or >.');
  }

  const nr = input.noise_reduction;
  if (
    nr !== undefined &&
    nr !== null &&
    !(isObject(nr) && ['near_field', 'far_field'].includes(String(nr.type)))
  )
    return refuse(
      'session.audio.input.noise_reduction.type',
      "Invalid value for 'noise_reduction.type'.",
    );

  const td = input.turn_detection;
  let vad: JudgedSession['vad'] = null;
  if (td === undefined)
    vad = doc.vad ? { silenceMs: 500 } : null; // VAD models default to server_vad
  else if (td !== null) {
    const tdAt = 'session.audio.input.turn_detection';
    if (!doc.vad)
      return refuse(tdAt, `Turn detection is not supported with model '${model}'; set it to null.`);
    if (!isObject(td)) return refuse(tdAt, 'Invalid turn_detection.');
    if (td.type === 'server_vad') {
      const keys = unknownKey(
        td,
        [
          'type',
          'threshold',
          'prefix_padding_ms',
          'silence_duration_ms',
          'create_response',
          'interrupt_response',
          'idle_timeout_ms',
        ],
        tdAt,
      );
      if (keys) return keys;
      vad = {
        silenceMs: typeof td.silence_duration_ms === 'number' ? td.silence_duration_ms : 500,
      };
    } else if (td.type === 'semantic_vad') {
      const keys = unknownKey(
        td,
        ['type', 'eagerness', 'create_response', 'interrupt_response'],
        tdAt,
      );
      if (keys) return keys;
      const eagerness = String(td.eagerness ?? 'auto');
      if (!EAGERNESS.includes(eagerness))
        return refuse(`${tdAt}.eagerness`, `Invalid value: '${eagerness}'.`);
      // The tone speech has no meaning to judge: the turn ends at the most it would wait.
      vad = { silenceMs: SEMANTIC_WAIT[eagerness as keyof typeof SEMANTIC_WAIT] };
    } else return refuse(`${tdAt}.type`, `Invalid value: '${String(td.type)}'.`);
  }
  const logprobs = Array.isArray(session.include) && session.include.length > 0 && doc.logprobs;
  return { model, vad, live: doc.live, logprobs };
}
