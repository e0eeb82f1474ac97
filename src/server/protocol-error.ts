// `error` events as PROTOCOL Part 2 shapes them: `error.event_id` names the client event that
// caused the error, `param` the offending field.

export type ErrorType = 'invalid_request_error' | 'server_error';

export interface ProtocolError {
  type: ErrorType;
  code: string;
  message: string;
  param: string | null;
  event_id: string | null;
}

export function protocolError(
  code: string,
  message: string,
  extra: { type?: ErrorType; param?: string; eventId?: string } = {},
): ProtocolError {
  return {
    type: extra.type ?? 'invalid_request_error',
    code,
    message,
    param: extra.param ?? null,
    event_id: extra.eventId ?? null,
  };
}

/** OpenAI's wording, which clients recognize as the harmless race with a VAD commit. */
export function commitEmptyMessage(bufferedMs: number): string {
  return `buffer too small. Expected at least 100ms of audio, but buffer only has ${bufferedMs.toFixed(2)}ms of audio.`;
}
