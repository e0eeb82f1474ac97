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

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

export function classifyFailure(err: unknown): ConnectionFailure {
  const e = err as { code?: unknown; status?: unknown; message?: unknown; cause?: unknown };
  const code = String(e?.code ?? '');
  const status = Number(e?.status ?? NaN);
  const message = String(e?.message ?? err);
  if (code === 'timeout' || code === 'ETIMEDOUT') return 'timeout';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (
    status === 401 ||
    status === 403 ||
    /\b(401|403)\b|unauthori[sz]ed|invalid_api_key|api key/i.test(`${code} ${message}`)
  )
    return 'unauthorized';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|unreachable|could not connect/i.test(message))
    return 'unreachable';
  if (e?.cause) return classifyFailure(e.cause);
  return 'rejected';
}

function describeFailure(
  reason: ConnectionFailure,
  err: unknown,
  config: SessionConfig,
  timeoutMs: number,
): string {
  const where = safeHost(config.url);
  switch (reason) {
    case 'unauthorized':
      return `${where} rejected the API key. Check the key in Settings → Server.`;
    case 'unreachable':
      return `Could not reach ${where}. Check the URL and your network.`;
    case 'timeout':
      return `${where} did not confirm the session within ${timeoutMs / 1000} s.`;
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return `${where} refused the session: ${redact(message, [config.apiKey])}`;
    }
  }
}

/** The host part of a URL: query strings can hold keys (`?api-key=`), so they are never shown. */
function safeHost(url: string): string {
  try {
    return new URL(url).host || 'The server';
  } catch {
    return 'The server';
  }
}
