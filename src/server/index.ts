// The local realtime server: Tingxie's embedded default, and the peer its tests talk to.
// It speaks PROTOCOL.md Part 1 with Part 2's fields at ws://HOST:PORT/v1/realtime, detects
// turns with Silero VAD, and transcribes each turn with a local (or OpenAI-compatible) engine;
// an engine that can follow a turn while it is spoken sends its live text as deltas first.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { silentLogger } from '../core/log.ts';
import type { Logger } from '../core/log.ts';
import { hasToken, isLoopback } from './auth.ts';
import { MAX_APPEND_BYTES, RealtimeConnection } from './connection.ts';
import type { ConnectionLimits, ServerStats } from './connection.ts';
import { createEngine } from './engines/select.ts';
import { createIds } from './ids.ts';
import { Transcriber } from './transcriber.ts';
import { SileroModel } from './vad/silero-model.ts';

export { EngineUnavailableError, TranscriptionError } from './engines/engine.ts';
export type { TranscriptionEngine, TranscriptionRequest } from './engines/engine.ts';
export { ENGINE_NAMES } from './engines/select.ts';
export type { ServerStats } from './connection.ts';
export type { EngineName } from './engines/select.ts';

export interface LocalServerOptions {
  /** Default '127.0.0.1'. Any other host requires `token`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** 'sherpa' | 'pocketsphinx' | 'whisper-cpp' | 'command' | 'openai'; undefined: the best one
   * installed (sherpa when engineOptions.model is an installed model). */
  engine?: string;
  /** `sherpa`: { model: LocalModel, punctuation?: LocalModel, streaming?: LocalModel (live
   * text while speaking, as `delta` events before the commit), livePartials?: false,
   * numThreads?, language? };
   * `command`: { command: string[], sampleRate? }; `openai`: { url, apiKey, model };
   * `whisper-cpp`: { cli, model }. */
  engineOptions?: Record<string, unknown>;
  /** Bearer token clients must send; required when `host` is not loopback. */
  token?: string;
  log?: Logger;
  /** Session cap: then `error` code `session_expired` and close, like OpenAI. Default 60 min. */
  maxSessionMs?: number;
  /** Uncommitted audio one connection may buffer. Default 10 min. */
  maxBufferedAudioMs?: number;
  /** A turn whose recognition takes longer fails with `engine_timeout`. Default 120 s. */
  transcriptionTimeoutMs?: number;
}

export interface LocalServer {
  /** ws://HOST:PORT/v1/realtime */
  url: string;
  /** The engine in use (why it was picked is logged). */
  engineName: string;
  close(): Promise<void>;
  /** Terminates every client socket abruptly (for tests of reconnection). */
  dropConnections(): void;
  /** Counters for benchmarks and diagnostics. */
  stats(): ServerStats;
}

const PATH = '/v1/realtime';
// Room for a 15 MiB append in base64 plus its JSON, so that an oversized append is answered
// with an `error` event instead of the socket being dropped.
const MAX_MESSAGE_BYTES = Math.ceil(MAX_APPEND_BYTES / 3) * 4 * 2;

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? silentLogger;
  const token = options.token || undefined;
  if (!isLoopback(host) && !token) {
    throw new Error(
      `Refusing to listen on ${host} without a token: anyone who can reach it could use it. Pass a token (--token), or listen on 127.0.0.1.`,
    );
  }
  const engine = createEngine(options.engine, options.engineOptions ?? {}, log);
  const vad = await SileroModel.load().catch(async (err: unknown) => {
    await engine.close?.();
    throw err;
  });
  const tempDir = mkdtempSync(join(tmpdir(), 'tingxie-server-'));
  const limits: ConnectionLimits = {
    maxSessionMs: options.maxSessionMs ?? 60 * 60_000,
    maxBufferedAudioMs: options.maxBufferedAudioMs ?? 10 * 60_000,
    maxPendingTurns: 32,
    maxErrorsPerSecond: 20,
  };
  const stats: ServerStats = { connections: 0, receivedSamples: 0, refusedSamples: 0, turns: 0 };
  const context = {
    ids: createIds(),
    stats,
    vad,
    engineName: engine.name,
    limits,
    log,
    transcriber: new Transcriber(engine, {
      tempDir,
      timeoutMs: options.transcriptionTimeoutMs ?? 120_000,
      concurrency: availableParallelism(),
      log,
    }),
  };

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end(`Tingxie's realtime server speaks WebSocket at ${PATH}.\n`);
  });
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== PATH) return refuse(socket, 404, 'Not Found');
    if (token && !hasToken(request, token)) {
      log.warn('Refused a connection without the right token (401).');
      return refuse(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // OpenAI GA's transcription URL (`?intent=transcription`) starts a 24 kHz GA session.
      new RealtimeConnection(ws, context, url.searchParams.get('intent') === 'transcription');
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await vad.release();
    await engine.close?.();
    rmSync(tempDir, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    const message =
      e.code === 'EADDRINUSE'
        ? `Port ${options.port} on ${host} is already in use; pick another port (0 = any free port).`
        : `Cannot listen on ${host}:${options.port ?? 0} (${e.code ?? e.message}).`;
    throw new Error(message, { cause: err });
  }
  const { port } = http.address() as AddressInfo;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}${PATH}`;
  log.info(`Local realtime server listening on ${url} (engine: ${engine.name}).`);

  let closed: Promise<void> | undefined;
  return {
    url,
    engineName: engine.name,
    stats: () => ({ ...stats }),
    dropConnections() {
      for (const ws of sockets) ws.terminate();
    },
    close() {
      closed ??= (async () => {
        const gone = [...sockets].map((ws) => new Promise((resolve) => ws.once('close', resolve)));
        for (const ws of sockets) ws.terminate();
        await Promise.all(gone);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await vad.release();
        await engine.close?.();
        rmSync(tempDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

function refuse(socket: Duplex, status: 401 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
