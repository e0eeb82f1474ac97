// One WebSocket connection to a realtime server: the handshake with the plan's URL and
// headers, keepalive pings that detect a half-open socket, a deadline for the server to
// confirm the configuration, and the reason the connection ended, as a person would say it.
import WebSocket from 'ws';
import { redact, type Logger } from '../log.ts';
import type { WirePlan } from './dialects.ts';
import { connectFailure, handshakeStatusError, RealtimeError } from './errors.ts';

export interface ConnectionOptions {
  keepaliveMs: number;
  /** Time allowed from connecting to `confirmed()`. */
  confirmTimeoutMs: number;
  log: Logger;
  secrets: string[];
}

export interface ConnectionHandlers {
  message(text: string): void;
  /** The connection ended (not by `close()`); `failure` says why when it is known. */
  ended(failure: RealtimeError | undefined): void;
  /** The failure to report when the server never confirmed the configuration. */
  unconfirmed(timeoutMs: number): RealtimeError;
}

export class WireConnection {
  private readonly ws: WebSocket | undefined;
  private readonly plan: WirePlan;
  private readonly log: Logger;
  private readonly secrets: string[];
  private readonly handlers: ConnectionHandlers;
  private keepalive: NodeJS.Timeout | undefined;
  private confirmTimer: NodeJS.Timeout | undefined;
  private failure: RealtimeError | undefined;
  private done = false;
  private eventSeq = 0;

  constructor(plan: WirePlan, options: ConnectionOptions, handlers: ConnectionHandlers) {
    this.plan = plan;
    this.log = options.log;
    this.secrets = options.secrets;
    this.handlers = handlers;
    let ws: WebSocket;
    try {
      ws = new WebSocket(plan.url, {
        headers: plan.headers,
        handshakeTimeout: options.confirmTimeoutMs,
      });
    } catch (err) {
      this.failure = new RealtimeError(
        'bad_url',
        `The server URL is not valid (${redact((err as Error).message, this.secrets)}). Check Settings → Server.`,
      );
      queueMicrotask(() => this.end());
      return;
    }
    this.ws = ws;
    this.confirmTimer = setTimeout(() => {
      this.failure ??= handlers.unconfirmed(options.confirmTimeoutMs);
      ws.terminate();
    }, options.confirmTimeoutMs);
    ws.on('unexpected-response', (_req, res) => {
      this.failure = handshakeStatusError(res.statusCode ?? 0, plan.url);
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => {
      this.failure ??= connectFailure(err, plan.url, this.secrets);
      this.log.debug(`Socket error: ${redact(String(err), this.secrets)}`);
    });
    ws.on('open', () => this.startKeepalive(ws, options.keepaliveMs));
    ws.on('message', (data, isBinary) => {
      if (this.done) return;
      if (isBinary) this.log.warn('Ignored a binary message from the server.');
      else handlers.message(String(data));
    });
    ws.on('close', (code, reason) => {
      const why = reason.length ? `: ${redact(String(reason), this.secrets)}` : '';
      this.log.info(`Connection closed (${code}${why}).`);
      this.end();
    });
  }

  /** Sends a client event once the socket is open (events before that are dropped: the
   * session sends nothing but the configuration before the server confirms it). */
  send(event: Record<string, unknown>): void {
    const ws = this.ws;
    if (this.done || !ws || ws.readyState !== WebSocket.OPEN) return;
    // DashScope rejects client events without an event_id.
    const out = this.plan.eventIds ? { event_id: `event_tx${++this.eventSeq}`, ...event } : event;
    ws.send(JSON.stringify(out));
  }

  /** Runs `fn` once the socket is open. */
  onOpen(fn: () => void): void {
    this.ws?.once('open', fn);
  }

  /** The server confirmed the configuration: the deadline no longer applies. */
  confirmed(): void {
    clearTimeout(this.confirmTimer);
  }

  /** Ends the connection now, as lost (the session reconnects): `failure` says why. */
  drop(failure?: RealtimeError): void {
    if (failure) this.failure = failure;
    this.ws?.terminate();
  }

  /** Closes without reporting anything back. */
  close(): void {
    this.done = true;
    this.stopTimers();
    const ws = this.ws;
    if (!ws) return;
    ws.on('error', () => {}); // a late socket error must not become an uncaught exception
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
    else ws.terminate();
  }

  private startKeepalive(ws: WebSocket, intervalMs: number): void {
    let answered = true;
    ws.on('pong', () => (answered = true));
    this.keepalive = setInterval(() => {
      if (!answered) {
        this.log.warn('The server stopped answering pings; reconnecting.');
        ws.terminate();
        return;
      }
      answered = false;
      ws.ping();
    }, intervalMs);
    this.keepalive.unref();
  }

  private stopTimers(): void {
    clearInterval(this.keepalive);
    clearTimeout(this.confirmTimer);
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.stopTimers();
    this.handlers.ended(this.failure);
  }
}
