// A relay between the app and a realtime server that says one partial transcript in the
// server's name: when the server first says speech started, the relay passes that on, then
// sends a delta for that turn (`text`), as a server's live transcription would, and holds the
// server's own messages back until the test releases them. So the live text is on screen for
// as long as the test needs, whatever the recognizer's own partials would have been (the local
// server sends its one delta just before the turn's transcript). Everything else passes
// through unchanged, in order.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface PartialRelay {
  /** The URL the app connects to. */
  url: string;
  /** Resolves once the partial was sent. */
  said: Promise<void>;
  /** Lets the server's messages through again. */
  release(): void;
  close(): Promise<void>;
}

export async function startPartialRelay(upstream: string, text: string): Promise<PartialRelay> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const sockets = new Set<WebSocket>();
  let said!: () => void;
  const saidPromise = new Promise<void>((resolve) => (said = resolve));
  let sent = false;
  let holding = false;
  const held: (() => void)[] = [];

  wss.on('connection', (app) => {
    const server = new WebSocket(upstream);
    sockets.add(app).add(server);
    const toServer: [RawData, boolean][] = [];
    app.on('message', (data, isBinary) => {
      if (server.readyState === WebSocket.OPEN) server.send(data, { binary: isBinary });
      else toServer.push([data, isBinary]);
    });
    server.on('open', () => {
      for (const [data, isBinary] of toServer.splice(0)) server.send(data, { binary: isBinary });
    });
    server.on('message', (data, isBinary) => {
      const forward = () => {
        if (app.readyState === WebSocket.OPEN) app.send(data, { binary: isBinary });
      };
      if (holding) {
        held.push(forward);
        return;
      }
      forward();
      if (sent || isBinary) return;
      const event = JSON.parse(String(data)) as { type?: string; item_id?: string };
      if (event.type !== 'input_audio_buffer.speech_started') return;
      sent = true;
      holding = true;
      app.send(
        JSON.stringify({
          type: 'conversation.item.input_audio_transcription.delta',
          event_id: 'relay_partial',
          item_id: event.item_id,
          content_index: 0,
          delta: text,
        }),
      );
      said();
    });
    const closeBoth = () => {
      if (app.readyState === WebSocket.OPEN) app.close();
      if (server.readyState === WebSocket.OPEN) server.close();
    };
    app.on('close', closeBoth);
    server.on('close', () => {
      // What the server said before it closed reaches the app first.
      if (holding) held.push(closeBoth);
      else closeBoth();
    });
    app.on('error', closeBoth);
    server.on('error', closeBoth);
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const path = new URL(upstream).pathname;
  return {
    url: `ws://127.0.0.1:${port}${path}`,
    said: saidPromise,
    release() {
      holding = false;
      for (const forward of held.splice(0)) forward();
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
