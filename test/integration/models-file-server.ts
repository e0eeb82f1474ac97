// A real HTTP file server on 127.0.0.1 for the model download tests: serves files with Range
// support (206 + Content-Range), and can misbehave on purpose, as mirrors do: cut the connection
// mid-body, serve other bytes, send slowly. It records every request it answers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  body: Buffer;
  /** Destroy the socket after sending this many body bytes, on the first request only… */
  cutAfter?: number;
  /** …or on this many requests. */
  cuts?: number;
  /** Send the body in 64 kB chunks, this many milliseconds apart. */
  chunkDelayMs?: number;
  /** Stop sending (keeping the connection open) after this many body bytes, on the first request only. */
  stallAfter?: number;
  /** Answer only the first request; 404 afterwards (a mirror that goes away). */
  once?: boolean;
}

export interface ServedRequest {
  path: string;
  range: string | undefined;
  status: number;
  /** Body bytes sent. */
  sent: number;
}

export interface FileServer {
  url: string;
  routes: Map<string, Route>;
  requests: ServedRequest[];
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

async function send(res: ServerResponse, body: Buffer, route: Route, record: ServedRequest) {
  const cut = route.cutAfter;
  route.cuts = (route.cuts ?? 1) - 1;
  if (route.cuts <= 0) route.cutAfter = undefined;
  const stall = route.stallAfter;
  route.stallAfter = undefined;
  for (let at = 0; at < body.length; at += CHUNK) {
    let chunk = body.subarray(at, at + CHUNK);
    if (stall !== undefined && record.sent + chunk.length >= stall) {
      res.write(chunk.subarray(0, stall - record.sent));
      record.sent = stall;
      return; // silent until the client gives up (or the server closes)
    }
    if (cut !== undefined && record.sent + chunk.length >= cut) {
      chunk = chunk.subarray(0, cut - record.sent);
      await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      record.sent += chunk.length;
      res.socket?.destroy();
      return;
    }
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    record.sent += chunk.length;
    if (route.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, route.chunkDelayMs));
    if (res.destroyed) return;
  }
  res.end();
}

export async function startFileServer(routes = new Map<string, Route>()): Promise<FileServer> {
  const requests: ServedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const route = routes.get(path);
    const record: ServedRequest = { path, range: req.headers.range, status: 404, sent: 0 };
    requests.push(record);
    if (!route) {
      res.writeHead(404).end('Not found');
      return;
    }
    if (route.once) routes.delete(path);
    const size = route.body.length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= size) {
        record.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      record.status = 206;
      res.writeHead(206, {
        'content-length': size - start,
        'content-range': `bytes ${start}-${size - 1}/${size}`,
        'accept-ranges': 'bytes',
      });
      void send(res, route.body.subarray(start), route, record);
      return;
    }
    record.status = 200;
    res.writeHead(200, { 'content-length': size, 'accept-ranges': 'bytes' });
    void send(res, route.body, route, record);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that refuses connections (it was listening a moment ago). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
