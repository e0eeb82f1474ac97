// One client connection: the protocol of PROTOCOL.md Part 1 with Part 2's fields. Client
// events are handled one at a time, in order; turns are transcribed concurrently but their
// results go out in the order the turns were committed. When the engine can follow a turn
// while it is spoken, its live text goes out as `delta` events before the turn is committed
// (from speech_started with server VAD, from the turn's first append without), under the
// item_id its `committed` will carry; its `completed` text is the decode of the whole turn.
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../core/log.ts';
import { samplesToMs } from '../shared/audio/pcm.ts';
import { InputAudioBuffer } from './audio-buffer.ts';
import type { IdFactory } from './ids.ts';
import { commitEmptyMessage, protocolError } from './protocol-error.ts';
import type { ProtocolError } from './protocol-error.ts';
import { applySessionUpdate, describeSession, initialSessionConfig } from './session-config.ts';
import type { ServerSessionConfig } from './session-config.ts';
import type { LiveTurn } from './live-turn.ts';
import type { Transcriber, TurnResult } from './transcriber.ts';
import type { SileroModel, SileroStream } from './vad/silero-model.ts';
import { SpeechTrimmer } from './vad/speech-trimmer.ts';
import { TurnDetector } from './vad/turn-detector.ts';

export interface ConnectionLimits {
  /** After this long: `error` code `session_expired`, then close (as OpenAI does at 60 min). */
  maxSessionMs: number;
  /** Audio buffered and not yet committed; appends beyond it are refused with an `error`. */
  maxBufferedAudioMs: number;
  /** Committed turns still being transcribed; client commits beyond it are refused. */
  maxPendingTurns: number;
  /** `error` events per second; more are summed up in one `rate_limit_exceeded`. */
  maxErrorsPerSecond: number;
}

/** Counters across every connection of a server. */
export interface ServerStats {
  /** Open connections. */
  connections: number;
  /** PCM16 samples received in appends, accepted or not. */
  receivedSamples: number;
  /** Appended samples refused because a buffer was full. */
  refusedSamples: number;
  /** Turns committed (by the VAD or by clients). */
  turns: number;
}

export interface ConnectionContext {
  ids: IdFactory;
  stats: ServerStats;
  vad: SileroModel;
  transcriber: Transcriber;
  engineName: string;
  limits: ConnectionLimits;
  log: Logger;
}

/** OpenAI's limit for one `input_audio_buffer.append`. */
export const MAX_APPEND_BYTES = 15 * 1024 * 1024;
const MAX_APPEND_BASE64 = Math.ceil(MAX_APPEND_BYTES / 3) * 4;
const MIN_COMMIT_MS = 100;
/** Appends up to this size (2 s of 16 kHz audio) are decoded into a buffer kept for the next. */
const MAX_REUSED_BYTES = 64 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type ClientEvent = Record<string, unknown> & { type: string; event_id?: string };

export class RealtimeConnection {
  private readonly socket: WebSocket;
  private readonly ctx: ConnectionContext;
  private config: ServerSessionConfig;
  private buffer: InputAudioBuffer;
  private detector?: TurnDetector;
  private readonly stream: SileroStream;
  /** Push-to-talk turns only (made at the first): see speech-trimmer.ts. */
  private trimmer?: SpeechTrimmer;
  /** ms of audio appended before the current buffer's position 0 (a new rate starts a new buffer). */
  private timelineMs = 0;
  private openItemId?: string;
  /** The turn being spoken and followed for live text (`turn` undefined: the engine could not). */
  private live?: { itemId: string; turn?: LiveTurn };
  private lastItemId: string | null = null;
  private pendingTurns = 0;
  private delivery: Promise<void> = Promise.resolve();
  private inbox: Promise<void> = Promise.resolve();
  /** Client events received and not yet fully handled (see the 'message' listener). */
  private queued = 0;
  /** Reused for decoding appends: their samples are copied before the next event is read. */
  private decoded = Buffer.allocUnsafeSlow(4096);
  private readonly cancel = new AbortController();
  private readonly expiry: NodeJS.Timeout;
  private errorsThisSecond = 0;
  private errorWindowStart = 0;

  constructor(socket: WebSocket, ctx: ConnectionContext, ga: boolean) {
    this.socket = socket;
    this.ctx = ctx;
    this.stream = ctx.vad.createStream();
    this.config = initialSessionConfig(ctx.ids.session(), ga, ctx.engineName);
    this.buffer = this.newBuffer();
    this.startDetector();
    this.expiry = setTimeout(() => this.expire(), ctx.limits.maxSessionMs);
    ctx.stats.connections++;
    socket.on('message', (data, isBinary) => {
      // Most events (appends) are handled synchronously; only when one is still waiting (a
      // commit or clear waits for the VAD) do later events queue behind it, to keep the order.
      if (this.queued === 0) this.track(this.receive(data, isBinary));
      else this.track(this.inbox.then(() => this.receive(data, isBinary)));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (err) => ctx.log.debug(`Client socket error: ${err.message}`));
    this.send({ type: 'session.created', session: describeSession(this.config) });
    this.send({
      type: 'conversation.created',
      conversation: { id: `conv_${this.config.id.slice(5)}`, object: 'realtime.conversation' },
    });
  }

  private track(pending: Promise<void> | undefined): void {
    if (!pending) return;
    this.queued++;
    this.inbox = pending.then(() => {
      this.queued--;
    });
  }

  /** Handles one client event; returns a promise only if handling it has to wait. */
  private receive(data: RawData, isBinary: boolean): Promise<void> | undefined {
    if (isBinary) {
      this.error('invalid_event', 'Binary frames are not supported: send JSON text events.');
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(rawText(data));
    } catch {
      this.error('invalid_json', 'The event is not valid JSON.');
      return;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      this.error('invalid_event', 'An event must be a JSON object with a "type".');
      return;
    }
    const e = event as Record<string, unknown>;
    const eventId = typeof e.event_id === 'string' ? e.event_id : undefined;
    if (typeof e.type !== 'string') {
      this.error('invalid_event', 'The event has no "type".', { param: 'type', eventId });
      return;
    }
    const type = e.type;
    try {
      return this.handle(e as ClientEvent, eventId)?.catch((err: unknown) =>
        this.failedToHandle(type, eventId, err),
      );
    } catch (err) {
      this.failedToHandle(type, eventId, err);
    }
  }

  private failedToHandle(type: string, eventId: string | undefined, err: unknown): void {
    this.ctx.log.error(`Failed to handle ${type}: ${(err as Error).stack ?? String(err)}`);
    this.error('server_error', `The server failed to handle ${type}.`, {
      type: 'server_error',
      eventId,
    });
  }

  private handle(event: ClientEvent, eventId: string | undefined): Promise<void> | undefined {
    switch (event.type) {
      case 'session.update':
      case 'transcription_session.update':
        this.updateSession(event, eventId);
        return;
      case 'input_audio_buffer.append':
        this.append(event.audio, eventId);
        return;
      case 'input_audio_buffer.commit':
        return this.commitByClient(eventId);
      case 'input_audio_buffer.clear':
        return this.clear();
      default:
        this.error(
          'unknown_event_type',
          `Unknown event type "${event.type.slice(0, 100)}". The local server accepts session.update, transcription_session.update and input_audio_buffer.append/commit/clear.`,
          { param: 'type', eventId },
        );
    }
  }

  private updateSession(event: ClientEvent, eventId: string | undefined): void {
    const result = applySessionUpdate(this.config, event);
    if (!result.ok)
      return this.error('invalid_value', result.message, { param: result.param, eventId });
    const before = this.config;
    this.config = result.config;
    if (before.sampleRate !== this.config.sampleRate) {
      // A new rate starts a new timeline: audio already buffered was in the old rate.
      this.timelineMs = this.ms(this.buffer.end);
      this.buffer = this.newBuffer();
      this.openItemId = undefined;
      this.unfollow(false);
      this.startDetector();
    } else if (!before.vad !== !this.config.vad) {
      this.startDetector();
    } else if (this.config.vad) {
      this.detector?.configure(this.config.vad);
    }
    if (before.transcription !== this.config.transcription) {
      this.ctx.transcriber.prepare(this.config.transcription);
    }
    this.send({ type: result.reply, session: describeSession(this.config) });
  }

  private append(audio: unknown, eventId: string | undefined): void {
    if (typeof audio !== 'string') {
      return this.error(
        'missing_required_parameter',
        'input_audio_buffer.append needs "audio", base64 PCM16.',
        {
          param: 'audio',
          eventId,
        },
      );
    }
    if (audio.length > MAX_APPEND_BASE64) {
      return this.error(
        'input_audio_buffer_append_too_large',
        `An append may carry at most 15 MiB of audio; this one has ${((audio.length * 0.75) / 2 ** 20).toFixed(1)} MiB. Send smaller chunks (20–250 ms).`,
        { param: 'audio', eventId },
      );
    }
    if (audio.length % 4 !== 0 || !BASE64.test(audio)) {
      return this.error('invalid_base64', 'The "audio" field is not valid base64.', {
        param: 'audio',
        eventId,
      });
    }
    const size = (audio.length / 4) * 3 - (audio.endsWith('==') ? 2 : audio.endsWith('=') ? 1 : 0);
    if (size % 2 !== 0) {
      return this.error('invalid_audio', 'PCM16 audio must have an even number of bytes.', {
        param: 'audio',
        eventId,
      });
    }
    // Its own ArrayBuffer, at offset 0: aligned for Int16Array (pooled Buffers are not). Only
    // ordinary appends reuse it, so that one huge append does not stay allocated.
    if (this.decoded.length < size && size <= MAX_REUSED_BYTES) {
      this.decoded = Buffer.allocUnsafeSlow(size);
    }
    const target = this.decoded.length >= size ? this.decoded : Buffer.allocUnsafeSlow(size);
    const written = target.write(audio, 0, size, 'base64');
    const samples = new Int16Array(target.buffer, 0, written / 2);
    this.ctx.stats.receivedSamples += samples.length;
    if (!this.buffer.append(samples)) {
      this.ctx.stats.refusedSamples += samples.length;
      const limit = this.ctx.limits.maxBufferedAudioMs / 1000;
      return this.error(
        'input_audio_buffer_full',
        `The input audio buffer is full (${limit} s of uncommitted audio); this append was dropped. Commit or clear the buffer.`,
        { eventId },
      );
    }
    // The turn already followed first: a turn the VAD starts now reads the buffer itself.
    this.live?.turn?.accept(samples);
    if (!this.detector && !this.live) this.follow((this.openItemId ??= this.ctx.ids.item()));
    this.detector?.push(samples);
  }

  /** Starts following the turn `itemId` from the buffer's start, when the engine can. */
  private follow(itemId: string): void {
    this.live?.turn?.cancel();
    const turn = this.ctx.transcriber.follow(this.config.sampleRate, (delta) =>
      this.send({
        type: 'conversation.item.input_audio_transcription.delta',
        item_id: itemId,
        content_index: 0,
        delta,
      }),
    );
    turn?.accept(this.buffer.since(this.buffer.start));
    this.live = { itemId, turn };
  }

  /** Stops following the turn being spoken; returns whether it had live text. */
  private unfollow(committed: boolean): boolean {
    const turn = this.live?.turn;
    this.live = undefined;
    if (!committed) turn?.cancel();
    return committed && turn !== undefined && turn.finish();
  }

  private async commitByClient(eventId: string | undefined): Promise<void> {
    const end = this.buffer.end;
    if (this.detector) {
      // With server VAD, a commit only ends the speech the VAD has heard: wait for it to hear
      // everything appended before the commit, and answer "buffer too small" if the VAD's own
      // commit got there first (the race PROTOCOL Part 2 describes).
      await this.detector.heardUntil(end);
      if (!this.detector.inSpeech) {
        return this.error('input_audio_buffer_commit_empty', commitEmptyMessage(0), { eventId });
      }
    }
    const bufferedMs = samplesToMs(
      Math.min(end, this.buffer.end) - this.buffer.start,
      this.config.sampleRate,
    );
    if (bufferedMs < MIN_COMMIT_MS) {
      return this.error('input_audio_buffer_commit_empty', commitEmptyMessage(bufferedMs), {
        eventId,
      });
    }
    if (this.pendingTurns >= this.ctx.limits.maxPendingTurns) {
      return this.error(
        'too_many_pending_turns',
        `${this.pendingTurns} turns are still being transcribed; wait for their results before committing more.`,
        { eventId },
      );
    }
    this.detector?.restartAt(end);
    this.commit(end);
  }

  private async clear(): Promise<void> {
    // Events are answered in order: the VAD first hears everything appended before the clear,
    // so a client can use `cleared` as a barrier (the realtime client does at stop).
    await this.detector?.heardUntil(this.buffer.end);
    this.buffer.clear();
    this.detector?.restartAt(this.buffer.end);
    this.openItemId = undefined;
    this.unfollow(false);
    this.send({ type: 'input_audio_buffer.cleared' });
  }

  /** Commits the buffered audio up to `until` as a turn, and starts its transcription. */
  private commit(until: number): void {
    const itemId = this.openItemId ?? this.ctx.ids.item();
    this.openItemId = undefined;
    // The live text's last growth goes out before `committed`; then only the final text.
    const hadDeltas = this.unfollow(true);
    const previousItemId = this.lastItemId;
    this.lastItemId = itemId;
    const samples = this.buffer.take(until);
    this.send({
      type: 'input_audio_buffer.committed',
      previous_item_id: previousItemId,
      item_id: itemId,
    });
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    // OpenAI GA announces the user's item with `added` then `done`; the beta family with `created`.
    const announcements =
      this.config.shape === 'ga'
        ? ['conversation.item.added', 'conversation.item.done']
        : ['conversation.item.created'];
    for (const type of announcements) this.send({ type, previous_item_id: previousItemId, item });
    this.pendingTurns++;
    this.ctx.stats.turns++;
    const { sampleRate, transcription } = this.config;
    // Without server VAD a turn is all the client held: the server's VAD first cuts it down to
    // its speech, and a turn of silence is an empty transcript, as from a recognizer that heard
    // nothing (a commit under 100 ms is still refused: commitByClient measures the raw buffer).
    const speech = this.detector
      ? Promise.resolve(samples)
      : (this.trimmer ??= new SpeechTrimmer(this.ctx.vad, this.ctx.log)).trim(
          samples,
          sampleRate,
          this.cancel.signal,
        );
    const result = speech.then((heard): Promise<TurnResult> | TurnResult =>
      heard.length === 0
        ? { ok: true, transcript: '' }
        : this.ctx.transcriber.transcribe(heard, sampleRate, transcription, this.cancel.signal),
    );
    this.delivery = this.delivery.then(async () => this.deliver(itemId, await result, hadDeltas));
  }

  private deliver(itemId: string, result: TurnResult, hadDeltas: boolean): void {
    this.pendingTurns--;
    if (result.ok) {
      // Without live text, like OpenAI's whisper-1: one delta carrying the whole turn, then
      // completed. After live text, its deltas stand and completed says the final text.
      if (result.transcript && !hadDeltas) {
        this.send({
          type: 'conversation.item.input_audio_transcription.delta',
          item_id: itemId,
          content_index: 0,
          delta: result.transcript,
        });
      }
      this.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript: result.transcript,
      });
    } else {
      this.send({
        type: 'conversation.item.input_audio_transcription.failed',
        item_id: itemId,
        content_index: 0,
        error: {
          type: 'transcription_error',
          code: result.error.code,
          message: result.error.message,
          param: null,
        },
      });
    }
  }

  private startDetector(): void {
    this.detector?.close();
    this.detector = undefined;
    this.unfollow(false);
    const vad = this.config.vad;
    if (!vad) return;
    const prefix = () =>
      Math.round(((this.config.vad?.prefixPaddingMs ?? 0) * this.config.sampleRate) / 1000);
    this.detector = new TurnDetector(this.stream, this.config.sampleRate, vad, this.buffer.end, {
      speechStarted: (position) => {
        const start = Math.max(this.buffer.start, position - prefix());
        this.buffer.dropBefore(start);
        this.openItemId = this.ctx.ids.item();
        this.send({
          type: 'input_audio_buffer.speech_started',
          audio_start_ms: Math.round(this.ms(start)),
          item_id: this.openItemId,
        });
        this.follow(this.openItemId);
      },
      speechStopped: (_silenceStart, position) => {
        this.send({
          type: 'input_audio_buffer.speech_stopped',
          audio_end_ms: Math.round(this.ms(position)),
          item_id: this.openItemId,
        });
        this.commit(position);
      },
      silence: (position) => this.buffer.dropBefore(position - prefix()),
      failed: (err) => {
        this.ctx.log.error(`VAD failed: ${err.stack ?? err.message}`);
        this.error(
          'vad_failed',
          'Voice activity detection failed; commit turns yourself (turn_detection: null).',
          {
            type: 'server_error',
          },
        );
      },
    });
  }

  private newBuffer(): InputAudioBuffer {
    const capacity = Math.round(
      (this.ctx.limits.maxBufferedAudioMs * this.config.sampleRate) / 1000,
    );
    return new InputAudioBuffer(capacity);
  }

  /** ms from the start of this connection's audio to absolute position `position`. */
  private ms(position: number): number {
    return this.timelineMs + samplesToMs(position, this.config.sampleRate);
  }

  private expire(): void {
    const minutes = Math.round(this.ctx.limits.maxSessionMs / 60_000);
    this.send({
      type: 'error',
      error: protocolError(
        'session_expired',
        `Your session hit the maximum duration of ${minutes >= 1 ? `${minutes} minutes` : `${this.ctx.limits.maxSessionMs} ms`}. Start a new session.`,
      ),
    });
    this.socket.close(1000, 'session expired');
  }

  private error(
    code: string,
    message: string,
    extra: { type?: ProtocolError['type']; param?: string; eventId?: string } = {},
  ): void {
    const now = performance.now();
    if (now - this.errorWindowStart >= 1000) {
      this.errorWindowStart = now;
      this.errorsThisSecond = 0;
    }
    this.errorsThisSecond++;
    const max = this.ctx.limits.maxErrorsPerSecond;
    if (this.errorsThisSecond > max + 1) return;
    if (this.errorsThisSecond === max + 1) {
      code = 'rate_limit_exceeded';
      message = `More than ${max} bad events in a second; further errors are not reported for the rest of this second.`;
      extra = { eventId: extra.eventId };
    }
    this.send({ type: 'error', error: protocolError(code, message, extra) });
  }

  private send(event: Record<string, unknown> & { type: string }): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ event_id: this.ctx.ids.event(), ...event }));
  }

  private dispose(): void {
    this.ctx.stats.connections--;
    clearTimeout(this.expiry);
    this.cancel.abort();
    this.detector?.close();
    this.unfollow(false);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
