// Server events, validated with zod at the edge and normalized into `WireEvent`: one shape
// for every dialect and provider quirk of PROTOCOL.md. The session never reads raw JSON.
import { z } from 'zod';
import type { TranscriptError } from '../../shared/events.ts';

export type WireEvent =
  /** The server created the session (`session.created`, `transcription_session.created`). */
  | { kind: 'created'; sessionId?: string }
  /** Our configuration was applied (`session.updated`, `transcription_session.updated`). */
  | { kind: 'configured'; sessionId?: string }
  | { kind: 'speech_started'; itemId: string; audioStartMs?: number }
  | { kind: 'speech_stopped'; itemId: string; audioEndMs?: number }
  | { kind: 'committed'; itemId: string; previousItemId?: string | null }
  /** `conversation.item.created` (seed/beta) or `.added`/`.done` (GA). */
  | { kind: 'item'; itemId: string; previousItemId?: string | null }
  | { kind: 'cleared' }
  /** `append`: text to add to the turn's partial; `replace`: the turn's whole partial so far. */
  | { kind: 'partial'; itemId: string; text: string; mode: 'append' | 'replace' }
  /** `confidence`: from the tokens' log probabilities, when the server sent them. */
  | { kind: 'completed'; itemId: string; transcript: string; confidence?: number }
  | { kind: 'failed'; itemId: string; error: TranscriptError }
  | {
      kind: 'error';
      code?: string;
      type?: string;
      message: string;
      param?: string;
      eventId?: string;
    }
  /** DashScope's answer to `session.finish`. */
  | { kind: 'finished' }
  /** A known event that carries nothing for transcription (e.g. `conversation.created`). */
  | { kind: 'ignored'; type: string };

export type ParseResult =
  { ok: true; event: WireEvent } | { ok: false; reason: 'malformed' | 'unknown'; detail: string };

const id = z.string().min(1);
const ms = z.number().nonnegative().optional();
const prev = z.string().nullable().optional();
const session = z.object({ id: z.string().optional() }).loose().optional();

const sessionEvent = z.object({ session }).loose();
const normalizers: Record<string, (raw: unknown) => WireEvent> = {};
function on<S extends z.ZodType>(types: string[], schema: S, to: (e: z.infer<S>) => WireEvent) {
  for (const t of types) normalizers[t] = (raw) => to(schema.parse(raw));
}

on(['session.created', 'transcription_session.created'], sessionEvent, (e) => ({
  kind: 'created',
  sessionId: e.session?.id,
}));
on(['session.updated', 'transcription_session.updated'], sessionEvent, (e) => ({
  kind: 'configured',
  sessionId: e.session?.id,
}));
on(['input_audio_buffer.speech_started'], z.object({ item_id: id, audio_start_ms: ms }), (e) => ({
  kind: 'speech_started',
  itemId: e.item_id,
  audioStartMs: e.audio_start_ms,
}));
on(['input_audio_buffer.speech_stopped'], z.object({ item_id: id, audio_end_ms: ms }), (e) => ({
  kind: 'speech_stopped',
  itemId: e.item_id,
  audioEndMs: e.audio_end_ms,
}));
on(['input_audio_buffer.committed'], z.object({ item_id: id, previous_item_id: prev }), (e) => ({
  kind: 'committed',
  itemId: e.item_id,
  previousItemId: e.previous_item_id,
}));
on(['input_audio_buffer.cleared'], z.object({}), () => ({ kind: 'cleared' }));
on(
  ['conversation.item.created', 'conversation.item.added', 'conversation.item.done'],
  z.object({ previous_item_id: prev, item: z.object({ id }).loose() }),
  (e) => ({ kind: 'item', itemId: e.item.id, previousItemId: e.previous_item_id }),
);
on(
  ['conversation.item.input_audio_transcription.delta'],
  z.object({ item_id: id, delta: z.string() }),
  (e) => ({ kind: 'partial', itemId: e.item_id, text: e.delta, mode: 'append' }),
);
// DashScope: `text` is the settled part of the turn, `stash` the part still being revised.
on(
  ['conversation.item.input_audio_transcription.text'],
  z.object({ item_id: id, text: z.string().default(''), stash: z.string().default('') }),
  (e) => ({ kind: 'partial', itemId: e.item_id, text: e.text + e.stash, mode: 'replace' }),
);
// speaches: cumulative partials instead of deltas.
on(
  ['input_audio_buffer.partial_transcription'],
  z.object({ item_id: id, transcript: z.string() }),
  (e) => ({ kind: 'partial', itemId: e.item_id, text: e.transcript, mode: 'replace' }),
);
on(
  ['conversation.item.input_audio_transcription.completed'],
  z.object({
    item_id: id,
    transcript: z.string().nullable(),
    // OpenAI, with `include: ['item.input_audio_transcription.logprobs']`.
    logprobs: z
      .array(z.object({ logprob: z.number() }).loose())
      .nullish()
      .catch(undefined),
  }),
  (e) => ({
    kind: 'completed',
    itemId: e.item_id,
    transcript: e.transcript ?? '',
    ...(e.logprobs?.length ? { confidence: confidenceOf(e.logprobs) } : {}),
  }),
);

/** The tokens' geometric-mean probability, exp(mean log probability): 1 when the model was
 * sure of every token, lower the more it hesitated. Rounded to 3 places. */
export function confidenceOf(logprobs: readonly { logprob: number }[]): number {
  const mean = logprobs.reduce((sum, t) => sum + Math.min(0, t.logprob), 0) / logprobs.length;
  return Math.round(Math.exp(mean) * 1000) / 1000;
}
on(
  ['conversation.item.input_audio_transcription.failed'],
  z.object({
    item_id: id,
    error: z
      .object({ code: z.string().nullish(), message: z.string().nullish() })
      .loose()
      .nullish(),
  }),
  (e) => ({
    kind: 'failed',
    itemId: e.item_id,
    error: {
      code: e.error?.code || 'transcription_failed',
      message: e.error?.message || 'The server could not transcribe this turn.',
    },
  }),
);
on(
  ['error'],
  z.object({
    error: z
      .object({
        type: z.string().nullish(),
        code: z.string().nullish(),
        message: z.string().nullish(),
        param: z.string().nullish(),
        event_id: z.string().nullish(),
      })
      .loose(),
  }),
  (e) => ({
    kind: 'error',
    code: e.error.code ?? undefined,
    type: e.error.type ?? undefined,
    message: e.error.message ?? 'The server reported an error without a message.',
    param: e.error.param ?? undefined,
    eventId: e.error.event_id ?? undefined,
  }),
);
on(['session.finished'], z.object({}), () => ({ kind: 'finished' }));

/** Events that servers send and that carry nothing a transcription client needs. */
const IGNORED = [
  'conversation.created',
  'conversation.item.retrieved',
  'conversation.item.deleted',
  'conversation.item.truncated',
  'rate_limits.updated',
  'input_audio_buffer.timeout_triggered',
  'input_audio_buffer.dtmf_event_received',
];

function isIgnored(type: string): boolean {
  // A conversation session may still produce responses (OpenAI, when create_response is on).
  return (
    IGNORED.includes(type) ||
    type.startsWith('response.') ||
    type.startsWith('output_audio_buffer.')
  );
}

/** Parses one WebSocket text message. Never throws: malformed and unknown events are results. */
export function parseServerEvent(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed', detail: `not JSON: ${preview(text)}` };
  }
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string')
    return { ok: false, reason: 'malformed', detail: `no "type": ${preview(text)}` };
  const normalize = normalizers[type];
  if (!normalize) {
    if (isIgnored(type)) return { ok: true, event: { kind: 'ignored', type } };
    return { ok: false, reason: 'unknown', detail: `unknown event type "${preview(type)}"` };
  }
  try {
    return { ok: true, event: normalize(raw) };
  } catch (err) {
    const issues =
      err instanceof z.ZodError
        ? err.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')
        : String(err);
    return { ok: false, reason: 'malformed', detail: `${type}: ${issues}` };
  }
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
