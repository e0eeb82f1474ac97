// "Test connection" in Settings: the WebSocket handshake plus `session.update`, then hang up,
// and say in one sentence what happened.
import type { ConnectionFailure, ConnectionTestResult } from '../../shared/ipc.ts';
import type { SessionConfig } from '../../shared/providers.ts';
import { redact } from '../log.ts';
import type { SessionFactory } from './ports.ts';

export async function testConnection(
  createSession: SessionFactory,
  config: SessionConfig,
  timeoutMs = 10_000,
): Promise<ConnectionTestResult> {
  const started = performance.now();
  const session = createSession(config);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};
  // `ready` is the server's `session.updated` (or its dialect's sibling): configuration accepted.
  const configured = new Promise<void>((resolve, reject) => {
    unsubscribe = session.onEvent((event) => {
      if (event.type === 'ready') resolve();
      else if (event.type === 'error' && event.error.code !== 'input_audio_buffer_commit_empty')
        reject(Object.assign(new Error(event.error.message), { code: event.error.code }));
    });
    timer = setTimeout(
      () => reject(Object.assign(new Error('timeout'), { code: 'timeout' })),
      timeoutMs,
    );
  });
  try {
    await Promise.all([session.connect(), configured]);
    return { ok: true, elapsedMs: Math.round(performance.now() - started), url: config.url };
  } catch (err) {
    const reason = classifyFailure(err);
    return { ok: false, reason, detail: describeFailure(reason, err, config, timeoutMs) };
  } finally {
    clearTimeout(timer);
    unsubscribe();
    session.close();
  }
}

/** Codes of RealtimeError (src/core/realtime/errors.ts) and of Node's sockets. */
const FAILURES: Record<string, ConnectionFailure> = {
  unauthorized: 'unauthorized',
  unreachable: 'unreachable',
  tls: 'unreachable',
  timeout: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
};

export function classifyFailure(err: unknown): ConnectionFailure {
  const code = String((err as { code?: unknown })?.code ?? '');
  return FAILURES[code] ?? 'rejected';
}

function describeFailure(
  reason: ConnectionFailure,
  err: unknown,
  config: SessionConfig,
  timeoutMs: number,
): string {
  const where = safeHost(config.url);
  if (reason === 'timeout' && (err as { code?: unknown }).code === 'timeout') {
    return `${where} did not confirm the session within ${timeoutMs / 1000} s.`;
  }
  // RealtimeSession's messages already say what to do; the key is scrubbed all the same.
  const message = err instanceof Error ? err.message : String(err);
  return redact(reason === 'rejected' ? `${where} refused the session: ${message}` : message, [
    config.apiKey,
  ]);
}

/** The host part of a URL: query strings can hold keys (`?api-key=`), so they are never shown. */
function safeHost(url: string): string {
  try {
    return new URL(url).host || 'The server';
  } catch {
    return 'The server';
  }
}
