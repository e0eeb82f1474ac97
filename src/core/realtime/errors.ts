// Errors a person can act on. Every message here is shown as is (CLI stderr, the app's
// status line), so it says what happened and where to fix it — and never holds the API key.
import { redact } from '../log.ts';

export class RealtimeError extends Error {
  override name = 'RealtimeError';
  /** Machine-readable: `unauthorized`, `unreachable`, `tls`, `http_status`, `dialect`,
   * `timeout`, `stop_timeout`, `closed`, `connection_lost`, or a server's error code. */
  readonly code: string;
  /** A fatal error ends the session; a non-fatal one is reported and the session goes on. */
  readonly fatal: boolean;

  constructor(code: string, message: string, fatal = true) {
    super(message);
    this.code = code;
    this.fatal = fatal;
  }
}

const SERVER_SETTINGS = 'Check Settings → Server.';

export function unauthorizedError(status: number | string): RealtimeError {
  return new RealtimeError(
    'unauthorized',
    `Server rejected the API key (${status}). ${SERVER_SETTINGS}`,
  );
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** The `host:port` of a URL, for messages (never its query, which may carry a key). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** Turns a socket-level failure before the handshake completed into an actionable error. */
export function connectFailure(err: unknown, url: string, secrets: string[]): RealtimeError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const host = hostOf(url);
  const detail = redact((err as Error).message ?? String(err), secrets);
  if (code === 'ECONNREFUSED')
    return new RealtimeError(
      'unreachable',
      `Cannot reach ${host}: connection refused. Is the server running? ${SERVER_SETTINGS}`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new RealtimeError(
      'unreachable',
      `Cannot reach ${host}: the host name does not resolve. Check the URL in Settings → Server.`,
    );
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new RealtimeError(
      'unreachable',
      `Cannot reach ${host} (${code}). Check your network and the URL in Settings → Server.`,
    );
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    // OpenSSL's messages run over several lines of internals; keep what a person can use.
    const reason = /wrong version number/i.test(detail)
      ? 'the server did not answer in TLS'
      : (detail.split('\n')[0] ?? '').slice(0, 160);
    return new RealtimeError(
      'tls',
      `Secure connection to ${host} failed (${code}: ${reason}). Check that the URL's scheme (wss:// or ws://) matches the server and that its certificate is valid.`,
    );
  }
  return new RealtimeError(
    'unreachable',
    `Cannot connect to ${host}: ${detail}. ${SERVER_SETTINGS}`,
  );
}

/** The server answered the WebSocket upgrade with an HTTP status instead of switching. */
export function handshakeStatusError(status: number, url: string): RealtimeError {
  if (status === 401 || status === 403) return unauthorizedError(status);
  const host = hostOf(url);
  if (status === 404)
    return new RealtimeError(
      'http_status',
      `${host} has no realtime endpoint at this path (HTTP 404). Check the URL in Settings → Server.`,
    );
  return new RealtimeError(
    'http_status',
    `${host} refused the WebSocket connection (HTTP ${status}). ${SERVER_SETTINGS}`,
  );
}
