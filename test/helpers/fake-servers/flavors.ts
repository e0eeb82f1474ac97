// How each scripted far side differs, as PROTOCOL.md Part 2 describes the real servers:
// handshake auth, the configuration shape it accepts, its item and partial events, and its
// error quirks. The engine (scripted-server.ts) does the rest the same way for all.
import type { IncomingMessage } from 'node:http';
import { judgeTranscriptionSession } from './openai-session.ts';

export interface ErrorBody {
  type: string;
  code?: string | null;
  message: string;
  param?: string | null;
}

export interface FakeVad {
  silenceMs: number;
}

export interface Configured {
  rate: number;
  vad: FakeVad | null;
  /** Non-fatal complaints sent before `session.updated` (speaches). */
  complaints?: ErrorBody[];
  /** Deltas as speech arrives, before the commit; every word of a turn in its transcript
   * (OpenAI's gpt-live-transcribe and gpt-realtime-whisper). */
  live?: boolean;
  /** Token log probabilities on `completed` (OpenAI, when the session includes them). */
  logprobs?: boolean;
}

export type ConfigureResult =
  | { ok: true; settings: Configured }
  /** Refused: send `error`, then close with `closeCode` when given. */
  | { ok: false; error: ErrorBody; closeCode?: number };

type Json = Record<string, unknown>;

export interface Flavor {
  name: 'seed' | 'openai' | 'azure' | 'dashscope' | 'speaches';
  /** An HTTP status to refuse the upgrade with, or undefined to accept. */
  handshake(req: IncomingMessage, key: string | undefined): number | undefined;
  configure(event: Json): ConfigureResult;
  updatedType: string;
  itemEvents(itemId: string, previousItemId: string | null): Json[];
  /** The seed's typical flow sends `conversation.item.created` after the transcript. */
  itemsAfterTranscript?: boolean;
  /** Partial events for a turn whose final text is `text`. */
  partials(itemId: string, text: string): Json[];
  commitEmpty: ErrorBody;
  requireEventId: boolean;
  /** speaches decodes every append as 24 kHz, whatever the client said. */
  fixedRate?: number;
  /** DashScope: `session.finish` → remaining turns → `session.finished`. */
  finish: boolean;
  /** speaches counts `audio_start_ms`/`audio_end_ms` from its current buffer, which starts
   * anew at every commit and clear, not from the session's start. */
  vadMsFromBuffer?: boolean;
  /** speaches names as `previous_item_id` the last item its conversation holds, i.e. the last
   * turn already transcribed — stale while an earlier turn is still being transcribed. */
  previousIsLastTranscribed?: boolean;
}

const bearer = (req: IncomingMessage, key: string | undefined) =>
  key === undefined || req.headers.authorization === `Bearer ${key}` ? undefined : 401;

const vadOf = (td: unknown): FakeVad | null => {
  if (!td || typeof td !== 'object') return null;
  const ms = (td as Json).silence_duration_ms;
  return { silenceMs: typeof ms === 'number' ? ms : 500 };
};

const half = (text: string) => text.slice(0, Math.ceil(text.length / 2));

const commitEmpty: ErrorBody = {
  type: 'invalid_request_error',
  code: 'input_audio_buffer_commit_empty',
  message:
    'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio.',
};

const createdItem = (itemId: string, prev: string | null) => [
  {
    type: 'conversation.item.created',
    previous_item_id: prev,
    item: {
      id: itemId,
      type: 'message',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    },
  },
];

const deltas = (itemId: string, text: string) =>
  text
    ? [
        {
          type: 'conversation.item.input_audio_transcription.delta',
          item_id: itemId,
          content_index: 0,
          delta: half(text),
        },
        {
          type: 'conversation.item.input_audio_transcription.delta',
          item_id: itemId,
          content_index: 0,
          delta: text.slice(half(text).length),
        },
      ]
    : [];

/** PROTOCOL Part 1 exactly: flat `session.update` with the audio format beside it. */
export const seed: Flavor = {
  name: 'seed',
  handshake: bearer,
  configure(e) {
    if (e.type !== 'session.update' || 'session' in e)
      return {
        ok: false,
        error: {
          type: 'invalid_request_error',
          code: 'unknown_parameter',
          message: "Unknown parameter: 'session'.",
          param: 'session',
        },
      };
    return {
      ok: true,
      settings: { rate: Number(e.sample_rate ?? 16000), vad: vadOf(e.turn_detection) },
    };
  },
  updatedType: 'session.updated',
  itemEvents: createdItem,
  itemsAfterTranscript: true,
  partials: () => [],
  commitEmpty,
  requireEventId: false,
  finish: false,
};

function gaConfigure(e: Json, options: { deployments?: boolean } = {}): ConfigureResult {
  const session = e.session as Json | undefined;
  if (e.type !== 'session.update' || session?.type !== 'transcription')
    return {
      ok: false,
      error: {
        type: 'invalid_request_error',
        code: 'beta_api_shape_disabled',
        message: 'The Realtime API beta shape is no longer supported. Use the GA shape.',
      },
      closeCode: 4000,
    };
  const input = ((session.audio as Json | undefined)?.input ?? {}) as Json;
  const rate = (input.format as Json | undefined)?.rate;
  if (rate !== 24000)
    return {
      ok: false,
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: 'audio/pcm supports 24000 Hz only.',
        param: 'session.audio.input.format.rate',
      },
    };
  const judged = judgeTranscriptionSession(session, options);
  if ('message' in judged) return { ok: false, error: judged };
  return {
    ok: true,
    settings: { rate: 24000, vad: judged.vad, live: judged.live, logprobs: judged.logprobs },
  };
}

const gaItems = (itemId: string, prev: string | null) => {
  const item = {
    id: itemId,
    type: 'message',
    role: 'user',
    content: [{ type: 'input_audio', transcript: null }],
  };
  return [
    { type: 'conversation.item.added', previous_item_id: prev, item },
    { type: 'conversation.item.done', previous_item_id: prev, item },
  ];
};

/** OpenAI GA: `?intent=transcription`, bearer auth, GA shape only, 24 kHz. */
export const openai: Flavor = {
  name: 'openai',
  handshake: bearer,
  configure: gaConfigure,
  updatedType: 'session.updated',
  itemEvents: gaItems,
  partials: deltas,
  commitEmpty,
  requireEventId: false,
  finish: false,
};

/** Azure OpenAI: the GA protocol with an `api-key` header. */
export const azure: Flavor = {
  ...openai,
  name: 'azure',
  handshake: (req, key) => (key === undefined || req.headers['api-key'] === key ? undefined : 401),
  configure: (e) => gaConfigure(e, { deployments: true }),
};

/** DashScope Qwen3-ASR realtime: beta-like session with `pcm` and `sample_rate`, `event_id`
 * required, `text`/`stash` partials, `session.finish`. */
export const dashscope: Flavor = {
  name: 'dashscope',
  handshake: bearer,
  configure(e) {
    const s = e.session as Json | undefined;
    if (e.type !== 'session.update' || !s || s.input_audio_format !== 'pcm')
      return {
        ok: false,
        error: {
          type: 'invalid_request_error',
          code: 'invalid_value',
          message: 'session.input_audio_format must be "pcm".',
        },
      };
    return {
      ok: true,
      settings: { rate: Number(s.sample_rate ?? 16000), vad: vadOf(s.turn_detection) },
    };
  },
  updatedType: 'session.updated',
  itemEvents: createdItem,
  partials: (itemId, text) => [
    {
      type: 'conversation.item.input_audio_transcription.text',
      item_id: itemId,
      text: '',
      stash: half(text),
    },
    {
      type: 'conversation.item.input_audio_transcription.text',
      item_id: itemId,
      text: half(text),
      stash: text.slice(half(text).length),
    },
  ],
  commitEmpty,
  requireEventId: true,
  finish: true,
};

/** speaches: beta shape only; model in the query; rejects two fields without failing. */
export const speaches: Flavor = {
  name: 'speaches',
  handshake(req) {
    const url = new URL(req.url ?? '/', 'http://x');
    return url.searchParams.get('model') ? undefined : 400;
  },
  configure(e) {
    const s = e.session as Json | undefined;
    if (e.type !== 'session.update' || !s)
      return {
        ok: false,
        error: {
          type: 'invalid_request_error',
          message: 'Expected session.update with a session object.',
        },
      };
    const complaints: ErrorBody[] = [];
    if ('input_audio_format' in s)
      complaints.push({
        type: 'invalid_request_error',
        message: 'input_audio_format is not supported',
        param: 'input_audio_format',
      });
    const td = s.turn_detection as Json | null | undefined;
    if (td && 'prefix_padding_ms' in td)
      complaints.push({
        type: 'invalid_request_error',
        message: 'prefix_padding_ms is not supported',
        param: 'turn_detection.prefix_padding_ms',
      });
    return { ok: true, settings: { rate: 24000, vad: vadOf(td), complaints } };
  },
  updatedType: 'session.updated',
  itemEvents: createdItem,
  partials: (itemId, text) =>
    text
      ? [
          {
            type: 'input_audio_buffer.partial_transcription',
            item_id: itemId,
            transcript: half(text),
          },
          { type: 'input_audio_buffer.partial_transcription', item_id: itemId, transcript: text },
        ]
      : [],
  commitEmpty: {
    type: 'invalid_request_error',
    message: 'buffer too small. Expected at least 100ms of audio',
  },
  requireEventId: false,
  fixedRate: 24000,
  finish: false,
  vadMsFromBuffer: true,
  previousIsLastTranscribed: true,
};

export const FLAVORS = { seed, openai, azure, dashscope, speaches };
