// Connection failures become errors a person can act on.
import { describe, expect, test } from 'vitest';
import { connectFailure, handshakeStatusError } from '../../src/core/realtime/errors.ts';

const KEY = 'sk-secret-123456789';
const err = (code: string, message = `${code} something`) =>
  Object.assign(new Error(message), { code });

describe('connectFailure', () => {
  test.each([
    ['ECONNREFUSED', 'unreachable', /^Cannot reach h:1: connection refused/],
    ['ENOTFOUND', 'unreachable', /does not resolve/],
    ['ETIMEDOUT', 'unreachable', /^Cannot reach h:1 \(ETIMEDOUT\)/],
    ['CERT_HAS_EXPIRED', 'tls', /^Secure connection to h:1 failed \(CERT_HAS_EXPIRED/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', /wss:\/\/ or ws:\/\//],
    ['EWHATEVER', 'unreachable', /^Cannot connect to h:1/],
  ])('%s', (code, expected, message) => {
    const e = connectFailure(err(code), 'ws://h:1/v1/realtime?key=x', [KEY]);
    expect(e.code).toBe(expected);
    expect(e.message).toMatch(message);
    expect(e.fatal).toBe(true);
  });

  test('a key inside a socket error message is redacted', () => {
    const e = connectFailure(err('EWHATEVER', `failed for ${KEY}`), 'ws://h:1', [KEY]);
    expect(e.message).not.toContain(KEY);
    expect(e.message).toContain('«redacted»');
  });

  test('the URL query (which may carry a key) never appears', () => {
    expect(
      connectFailure(err('ECONNREFUSED'), `ws://h:1/?api_key=${KEY}`, []).message,
    ).not.toContain(KEY);
  });
});

describe('handshakeStatusError', () => {
  test('401 and 403 name the key and where to fix it', () => {
    expect(handshakeStatusError(401, 'ws://h').message).toBe(
      'Server rejected the API key (401). Check Settings → Server.',
    );
    expect(handshakeStatusError(403, 'ws://h').code).toBe('unauthorized');
  });
  test('404 points at the path', () => {
    expect(handshakeStatusError(404, 'ws://h:1/x').message).toMatch(
      /^h:1 has no realtime endpoint at this path \(HTTP 404\)/,
    );
  });
  test('anything else', () => {
    expect(handshakeStatusError(502, 'ws://h:1/x').message).toBe(
      'h:1 refused the WebSocket connection (HTTP 502). Check Settings → Server.',
    );
  });
});
