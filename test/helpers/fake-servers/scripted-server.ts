// A scripted realtime far side on 127.0.0.1, port 0: it speaks the wire protocol of one
// flavor (flavors.ts) exactly, with an energy VAD and a "recognizer" that reads tone-speech
// words. It stands for servers that cannot run here (OpenAI, Azure, DashScope, speaches) and
// can be told to misbehave: drop connections, expire sessions, go half-open, send garbage.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { concatSamples } from '../concat-samples.ts';
import type { ErrorBody, Flavor, FakeVad } from './flavors.ts';
import { transcribeToneWords, transcribeTones } from './tone-speech.ts';

type Json = Record<string, unknown>;

export type Misbehaviour = 'drop' | 'expire' | 'silent-close';

export interface ScriptedServerOptions {
  flavor: Flavor;
  /** The key the server requires; undefined accepts any. */
  apiKey?: string;
  /** Send a wrong key's rejection as an `error` event after the upgrade instead of HTTP 401. */
  keyErrorAsEvent?: boolean;
  /** Server latency before each transcript (turn = 0-based count over the server's life). */
  transcribeDelayMs?: (turn: number) => number;
  /** What to do right after a turn was committed. */
  afterCommit?: (c: { connection: number; turn: number }) => Misbehaviour | undefined;
  /** Hold `session.updated` back this long (audio sent before it must not be lost). */
  configureDelayMs?: number;
  /** Mix malformed, unknown and binary messages into the stream. */
  noise?: boolean;
  /** Turns whose word is one of these fail with `audio_unintelligible`. */
  failWords?: string[];
}

export interface ScriptedServer {
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Every client event, with the connection it came on (1-based). */
  readonly clientEvents: { connection: number; event: Json }[];
  /** Handshake requests (URL and headers). */
  readonly handshakes: { url: string; headers: IncomingMessage['headers'] }[];
  /** Duration of each `append`, in ms at the session's rate. */
  readonly appendMs: number[];
  /** Every transcript sent, by connection, with when it was sent (performance.now()). */
  readonly transcripts: { connection: number; itemId: string; text: string; sentAt: number }[];
  /** Stop answering anything, pings included, on the connections open now (a half-open socket). */
  freeze(): void;
  close(): Promise<void>;
}

const FRAME_MS = 10;
const SPEECH_LEVEL = 200;
const MIN_COMMIT_MS = 100;

const delta = (itemId: string, text: string) => ({
  type: 'conversation.item.input_audio_transcription.delta',
  item_id: itemId,
  content_index: 0,
  delta: text,
});

/** Two tokens a word, sure of the first (0.9) and not of the second (0.4): their geometric
 * mean is 0.6. OpenAI's shape: `{token, logprob, bytes}`. */
export function tokenLogprobs(text: string): { token: string; logprob: number; bytes: number[] }[] {
  return text
    .split(' ')
    .filter(Boolean)
    .flatMap((word) => {
      const half = Math.ceil(word.length / 2);
      return [
        [word.slice(0, half), 0.9],
        [word.slice(half), 0.4],
      ] as const;
    })
    .map(([token, p]) => ({ token, logprob: Math.log(p), bytes: [...Buffer.from(token)] }));
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const { flavor } = options;
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const sockets = new Set<WebSocket>();
  let turnCount = 0;
  const frozen = new WeakSet<WebSocket>();
  const state = {
    connections: 0,
    clientEvents: [] as { connection: number; event: Json }[],
    handshakes: [] as { url: string; headers: IncomingMessage['headers'] }[],
    appendMs: [] as number[],
    transcripts: [] as { connection: number; itemId: string; text: string; sentAt: number }[],
  };

  http.on('upgrade', (req, socket, head) => {
    state.handshakes.push({ url: req.url ?? '', headers: req.headers });
    const status = options.keyErrorAsEvent ? undefined : flavor.handshake(req, options.apiKey);
    if (status) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req));
  });

  function serve(ws: WebSocket, req: IncomingMessage): void {
    const connection = ++state.connections;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('ping', (data) => {
      if (!frozen.has(ws)) ws.pong(data);
    });
    let seq = 0;
    const id = (p: string) => `${p}_${connection}_${++seq}`;
    const send = (e: Json) => {
      if (frozen.has(ws) || ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify({ event_id: id('event'), ...e }));
      if (options.noise) noise();
    };
    let noiseTurn = 0;
    const garbage = [
      'not json {',
      '{"no_type":true}',
      '{"type":"totally.unknown.event","x":1}',
      '{"type":"conversation.item.input_audio_transcription.completed","transcript":"ghost"}',
      '{"type":"error"}',
      '{"type":"input_audio_buffer.committed","item_id":42}',
      'null',
    ];
    const noise = () => {
      const g = garbage[noiseTurn++ % garbage.length]!;
      ws.send(g);
      if (noiseTurn % 5 === 0) ws.send(Buffer.from([1, 2, 3]), { binary: true });
    };
    const error = (body: ErrorBody, eventId?: string) =>
      send({
        type: 'error',
        error: { param: null, code: null, ...body, event_id: eventId ?? null },
      });

    send({
      type: 'session.created',
      session: { id: `sess_${connection}`, object: 'realtime.session' },
    });
    if (flavor.name !== 'openai' && flavor.name !== 'azure')
      send({ type: 'conversation.created', conversation: { id: `conv_${connection}` } });

    if (options.keyErrorAsEvent && flavor.handshake(req, options.apiKey)) {
      error({
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        message: 'Incorrect API key provided.',
      });
      ws.close(1008);
      return;
    }

    let rate = flavor.fixedRate ?? 16000;
    let vad: FakeVad | null = { silenceMs: 500 };
    let live = false;
    let logprobs = false;
    /** A live model's item for the buffer it is transcribing, and the text it sent so far. */
    let liveItem: string | undefined;
    let liveSent = '';
    let buffer: Int16Array[] = [];
    let bufferLength = 0;
    let position = 0; // samples received on this connection
    let bufferStart = 0; // where the current buffer began (speaches counts VAD ms from there)
    const vadMs = (sample: number) => ms(sample - (flavor.vadMsFromBuffer ? bufferStart : 0));
    let frameRest = new Int16Array(0);
    let speech: { itemId: string } | undefined;
    let silenceRun = 0;
    let lastSpeechEnd = 0;
    let previousItem: string | null = null;
    let lastTranscribed: string | null = null;
    let transcribing = 0;
    let finishing = false;
    let closed = false;
    ws.on('close', () => (closed = true));

    const ms = (samples: number) => Math.round((samples * 1000) / rate);

    const misbehave = (what: Misbehaviour | undefined) => {
      if (what === 'drop') ws.terminate();
      else if (what === 'silent-close') ws.close(1000);
      else if (what === 'expire') {
        error({
          type: 'invalid_request_error',
          code: 'session_expired',
          message: 'Your session hit the maximum duration of 60 minutes.',
        });
        ws.close(1000);
      }
    };

    const commit = (itemId: string, end: number) => {
      bufferStart = end;
      const audio = new Int16Array(bufferLength);
      let at = 0;
      for (const b of buffer) {
        audio.set(b, at);
        at += b.length;
      }
      buffer = [];
      bufferLength = 0;
      const prev = flavor.previousIsLastTranscribed ? lastTranscribed : previousItem;
      previousItem = itemId;
      const turn = turnCount++;
      send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: prev });
      const items = () => {
        for (const e of flavor.itemEvents(itemId, prev)) send(e);
      };
      if (!flavor.itemsAfterTranscript) items();
      transcribing++;
      const text = live ? transcribeToneWords(audio, rate).join(' ') : transcribeTones(audio);
      const partials = live
        ? text.length > liveSent.length
          ? [delta(itemId, text.slice(liveSent.length))]
          : []
        : flavor.partials(itemId, text);
      liveItem = undefined;
      liveSent = '';
      setTimeout(
        () => {
          transcribing--;
          if (closed) return;
          if (options.failWords?.includes(text)) {
            send({
              type: 'conversation.item.input_audio_transcription.failed',
              item_id: itemId,
              content_index: 0,
              error: {
                type: 'transcription_error',
                code: 'audio_unintelligible',
                message: '音频无法识别',
              },
            });
          } else {
            for (const p of partials) send(p);
            state.transcripts.push({ connection, itemId, text, sentAt: performance.now() });
            lastTranscribed = itemId;
            send({
              type: 'conversation.item.input_audio_transcription.completed',
              item_id: itemId,
              content_index: 0,
              transcript: text,
              ...(logprobs ? { logprobs: tokenLogprobs(text) } : {}),
            });
          }
          if (flavor.itemsAfterTranscript) items();
          if (finishing && transcribing === 0) finished();
        },
        options.transcribeDelayMs?.(turn) ?? 5,
      );
      misbehave(options.afterCommit?.({ connection, turn }));
    };

    /** A live model writes each word as soon as it is spoken, before any commit. */
    const streamLive = () => {
      const text = transcribeToneWords(concatSamples(Int16Array, buffer), rate, {
        complete: true,
      }).join(' ');
      if (text.length <= liveSent.length) return;
      liveItem ??= id('item');
      send(delta(liveItem, text.slice(liveSent.length)));
      liveSent = text;
    };

    const finished = () => {
      send({ type: 'session.finished' });
      ws.close(1000);
    };

    const hear = (samples: Int16Array) => {
      buffer.push(samples);
      bufferLength += samples.length;
      if (!vad) {
        position += samples.length;
        if (live) streamLive();
        return;
      }
      const all = new Int16Array(frameRest.length + samples.length);
      all.set(frameRest);
      all.set(samples, frameRest.length);
      const frame = Math.round((FRAME_MS * rate) / 1000);
      let i = 0;
      for (; i + frame <= all.length; i += frame) {
        let sum = 0;
        for (let j = i; j < i + frame; j++) sum += Math.abs(all[j]!);
        const start = position - frameRest.length + i;
        if (sum / frame > SPEECH_LEVEL) {
          silenceRun = 0;
          lastSpeechEnd = start + frame;
          if (!speech) {
            speech = { itemId: id('item') };
            send({
              type: 'input_audio_buffer.speech_started',
              item_id: speech.itemId,
              audio_start_ms: vadMs(start),
            });
          }
        } else if (speech) {
          silenceRun += frame;
          if (ms(silenceRun) >= vad.silenceMs) {
            const itemId = speech.itemId;
            speech = undefined;
            send({
              type: 'input_audio_buffer.speech_stopped',
              item_id: itemId,
              audio_end_ms: vadMs(lastSpeechEnd),
            });
            commit(itemId, start + frame);
            if (closed) return;
          }
        }
      }
      position += samples.length;
      frameRest = all.slice(i);
    };

    ws.on('message', (data, isBinary) => {
      if (frozen.has(ws)) return;
      if (isBinary)
        return error({
          type: 'invalid_request_error',
          message: 'Binary frames are not supported.',
        });
      let event: Json;
      try {
        event = JSON.parse(String(data)) as Json;
      } catch {
        return error({ type: 'invalid_request_error', code: 'invalid_json', message: 'Not JSON.' });
      }
      state.clientEvents.push({ connection, event });
      const eventId = typeof event.event_id === 'string' ? event.event_id : undefined;
      if (flavor.requireEventId && !eventId)
        return error({
          type: 'invalid_request_error',
          code: 'missing_required_parameter',
          message: 'event_id is required.',
          param: 'event_id',
        });
      switch (event.type) {
        case 'session.update':
        case 'transcription_session.update': {
          const result = flavor.configure(event);
          if (!result.ok) {
            error(result.error, eventId);
            if (result.closeCode) ws.close(result.closeCode);
            return;
          }
          rate = flavor.fixedRate ?? result.settings.rate;
          vad = result.settings.vad;
          live = result.settings.live ?? false;
          logprobs = result.settings.logprobs ?? false;
          for (const c of result.settings.complaints ?? []) error(c, eventId);
          const confirm = () =>
            send({ type: flavor.updatedType, session: { id: `sess_${connection}` } });
          if (options.configureDelayMs) setTimeout(confirm, options.configureDelayMs);
          else confirm();
          return;
        }
        case 'input_audio_buffer.append': {
          const bytes = Buffer.from(String(event.audio ?? ''), 'base64');
          const samples = new Int16Array(
            bytes.buffer,
            bytes.byteOffset,
            bytes.byteLength >> 1,
          ).slice();
          state.appendMs.push((samples.length * 1000) / rate);
          return hear(samples);
        }
        case 'input_audio_buffer.commit': {
          if (ms(bufferLength) < MIN_COMMIT_MS) return error(flavor.commitEmpty, eventId);
          const itemId = speech?.itemId ?? liveItem ?? id('item');
          speech = undefined;
          silenceRun = 0;
          return commit(itemId, position);
        }
        case 'input_audio_buffer.clear':
          buffer = [];
          bufferLength = 0;
          liveItem = undefined;
          liveSent = '';
          bufferStart = position;
          speech = undefined;
          return send({ type: 'input_audio_buffer.cleared' });
        case 'session.finish':
          if (!flavor.finish) break;
          finishing = true;
          if (speech || transcribeTones(concatSamples(Int16Array, buffer)))
            commit(speech?.itemId ?? id('item'), position);
          speech = undefined;
          if (transcribing === 0) finished();
          return;
      }
      error(
        {
          type: 'invalid_request_error',
          code: 'unknown_event',
          message: `Unknown event type: ${String(event.type)}`,
        },
        eventId,
      );
    });
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const path =
    flavor.name === 'openai' || flavor.name === 'azure'
      ? '/v1/realtime?intent=transcription'
      : '/v1/realtime';
  return {
    url: `ws://127.0.0.1:${port}${path}`,
    get connections() {
      return state.connections;
    },
    clientEvents: state.clientEvents,
    handshakes: state.handshakes,
    appendMs: state.appendMs,
    transcripts: state.transcripts,
    freeze() {
      for (const ws of sockets) frozen.add(ws);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
