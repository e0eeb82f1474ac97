// A bare WebSocket client for the local server's tests and bench: it speaks the wire protocol
// directly (not through src/core/realtime), records every server event, and waits for events
// by name with a bounded timeout that fails with what it was waiting for.
import WebSocket from 'ws';

export type ServerEvent = Record<string, unknown> & { type: string };

export class WireClient {
  readonly events: ServerEvent[] = [];
  /** Arrival time (performance.now()) of each event, by index. */
  readonly times: number[] = [];
  closed?: { code: number; reason: string };
  private readonly socket: WebSocket;
  private readonly listeners = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.events.push(JSON.parse(String(data)) as ServerEvent);
      this.times.push(performance.now());
      for (const l of this.listeners) l();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const l of this.listeners) l();
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`Handshake refused: HTTP ${res.statusCode}`)),
      );
      socket.once('error', reject);
      const client = new WireClient(socket);
    });
  }

  send(event: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(event));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Appends PCM16 audio in chunks of `chunkMs` as fast as the socket takes them. */
  append(samples: Int16Array, rate: number, chunkMs = 40): void {
    const step = Math.round((rate * chunkMs) / 1000);
    for (let i = 0; i < samples.length; i += step) {
      const chunk = samples.subarray(i, i + step);
      const audio = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(
        'base64',
      );
      this.send({ type: 'input_audio_buffer.append', audio });
    }
  }

  ofType(type: string): ServerEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Resolves with the events once `count` events of `type` have arrived. */
  waitFor(type: string, count = 1, timeoutMs = 30_000): Promise<ServerEvent[]> {
    return this.until(
      () => {
        const found = this.ofType(type);
        return found.length >= count ? found : undefined;
      },
      `${count} × ${type}`,
      timeoutMs,
    );
  }

  waitForClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, 'the socket to close', timeoutMs);
  }

  until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (this.closed && what !== 'the socket to close') {
          done();
          reject(
            new Error(
              `Socket closed (${this.closed.code}) while waiting for ${what}. Got: ${this.types()}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Got: ${this.types()}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      listener();
    });
  }

  types(): string {
    return this.events.map((e) => e.type).join(', ');
  }

  close(): void {
    this.socket.close();
  }
}
