// Who may connect: loopback-only by default; anywhere else, a bearer token is required.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Whether the handshake carries `token`: `Authorization: Bearer T`, or Azure's `api-key: T`. */
export function hasToken(request: IncomingMessage, token: string): boolean {
  const auth = request.headers.authorization;
  const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const apiKey = request.headers['api-key'];
  const offered = bearer ?? (typeof apiKey === 'string' ? apiKey : undefined);
  if (offered === undefined) return false;
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
