// RealtimeSession: one dictation's realtime transcription, across however many WebSocket
// connections it takes. It configures the server in its dialect, streams audio in 20–100 ms
// chunks, turns the wire into canonical events (turns released once each, in order), and
// when a connection is lost or expires it reconnects and sends again every turn's audio that
// was not transcribed yet.
import type {
  ConnectionState,
  TranscriptEvent,
  TranscriptEventOf,
  TranscriptEventType,
} from '../../shared/events.ts';
import type { Dialect, SessionConfig, VadConfig } from '../../shared/providers.ts';
import { SEMANTIC_MAX_WAIT_MS } from '../../shared/transcription-models.ts';
import { Resampler } from '../../shared/audio/resampler.ts';
import { floatToPcm16, pcm16ToFloat } from '../../shared/audio/pcm.ts';
import { redact, silentLogger, type Logger } from '../log.ts';
import { gaFallbackUrl, planWire, type WirePlan } from './dialects.ts';
import { ClientTurns } from './client-turns.ts';
import { fitConfigToModel } from './model-fields.ts';
import { WireConnection } from './connection.ts';
import { RealtimeError, unauthorizedError } from './errors.ts';
import { parseServerEvent, type WireEvent } from './server-events.ts';
import { AudioSpool, WireTimeline } from './spool.ts';
import { TurnLedger, type TurnResult } from './turns.ts';

export { RealtimeError } from './errors.ts';
export type { TurnResult } from './turns.ts';

export interface RealtimeSessionOptions {
  config: SessionConfig;
  /** Default: silentLogger. */
  log?: Logger;
  reconnect?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Ping interval for half-open detection (no pong by the next ping = connection lost). */
  keepaliveMs?: number;
  /** How long the server has to confirm the configuration. Default 15 s. */
  connectTimeoutMs?: number;
}

export interface StopResult {
  /** In turn order. */
  turns: TurnResult[];
}

const MIN_CHUNK_MS = 20;
const MAX_CHUNK_MS = 100;
/** Servers refuse commits of less audio (`input_audio_buffer_commit_empty`). */
const MIN_COMMIT_MS = 100;
/** Silence added after the last sample at stop (VAD mode), beyond the server's silence duration,
 * so that its VAD ends any speech it is still in before our `clear` is answered. */
const STOP_PADDING_MS = 500;
/** Audio kept before the first untranscribed turn, in case the server heard speech before it said so. */
const RESEND_MARGIN_MS = 1000;
/** Audio sent this long ago has surely been heard by a server that streams in real time. */
const HEARD_AFTER_MS = 10_000;

/** How long the server's VAD may wait in silence before it ends a turn. */
function turnEndWaitMs(vad: VadConfig): number {
  return vad.type === 'semantic_vad'
    ? SEMANTIC_MAX_WAIT_MS[vad.eagerness ?? 'auto']
    : vad.silenceDurationMs;
}

interface Stopping {
  resolve: (r: StopResult) => void;
  reject: (e: RealtimeError) => void;
  timer: NodeJS.Timeout;
  /** The final commit / session.finish went out on the current connection. */
  finalized: boolean;
  /** DashScope confirmed `session.finish`. */
  finished: boolean;
}

export class RealtimeSession {
  private _state: ConnectionState = 'idle';
  private readonly config: SessionConfig;
  private readonly log: Logger;
  private readonly secrets: string[];
  private readonly maxAttempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly keepaliveMs: number;
  private readonly connectTimeoutMs: number;
  private readonly listeners = new Set<(e: TranscriptEvent) => void>();

  private dialect: Dialect;
  private url: string;
  private plan: WirePlan;
  private conn: WireConnection | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private everReady = false;
  private lastServerError: string | undefined;
  private switchingToGa = false;
  private expired = false;
  private connecting:
    { promise: Promise<void>; resolve: () => void; reject: (e: RealtimeError) => void } | undefined;
  private stopping: Stopping | undefined;

  private readonly spool = new AudioSpool();
  private readonly ledger: TurnLedger;
  private timeline: WireTimeline;
  private resampler: Resampler | undefined;
  /** Session sample up to which audio went out on the current connection. */
  private sentUpTo = 0;
  /** Manual mode: where the client committed, for turns not released yet (session samples). */
  private commitMarks: number[] = [];
  /** How many of `commitMarks` went out on the current connection. */
  private marksSent = 0;
  /** Commits sent on this connection and not answered yet: where each one cut the audio. */
  private unacked: { cut: number; wireMs: number }[] = [];
  /** The end of the last committed turn on this connection (manual-mode turn starts). */
  private lastCut = 0;
  /** Session sample up to which the server has shown (by its events, or by time) that it heard. */
  private heardUpTo = 0;
  private readonly sendTimes: { end: number; at: number }[] = [];
  /** Where the server's buffer started, in ms of this connection's audio (speaches counts
   * VAD times from there). */
  private bufferStartMs = 0;
  /** VAD: speech started and not stopped. */
  private openSpeech: { itemId: string; startSample: number } | undefined;
  /** `clear`s sent on this connection and not answered by `cleared` yet. */
  private unackedClears: number[] = [];
  /** VAD: speech stopped; the server's own commit is due. */
  private readonly vadCommitDue = new Set<string>();
  /** Models without voice detection, when it was asked for: the pauses we hear end turns. */
  private readonly clientTurns: ClientTurns | undefined;

  constructor(options: RealtimeSessionOptions) {
    this.log = options.log ?? silentLogger;
    const fitted = fitConfigToModel(options.config);
    this.config = fitted.config;
    for (const change of fitted.changes) this.log.info(`${change}.`);
    if (fitted.clientTurnPauseMs)
      this.clientTurns = new ClientTurns(this.config.sampleRate, fitted.clientTurnPauseMs);
    this.secrets = [options.config.apiKey ?? ''].filter(Boolean);
    this.maxAttempts = options.reconnect?.maxAttempts ?? 6;
    this.initialDelayMs = options.reconnect?.initialDelayMs ?? 250;
    this.maxDelayMs = options.reconnect?.maxDelayMs ?? 8000;
    this.keepaliveMs = options.keepaliveMs ?? 15_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    this.dialect = options.config.dialect;
    this.url = options.config.url;
    this.plan = this.makePlan();
    this.timeline = new WireTimeline(this.config.sampleRate);
    this.ledger = new TurnLedger(this.config.sampleRate, (r) => this.released(r));
  }

  get state(): ConnectionState {
    return this._state;
  }

  on<T extends TranscriptEventType>(
    type: T,
    listener: (e: TranscriptEventOf<T>) => void,
  ): () => void {
    return this.onEvent((e) => {
      if (e.type === type) listener(e as TranscriptEventOf<T>);
    });
  }

  onEvent(listener: (e: TranscriptEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connect(): Promise<void> {
    if (this.connecting) return this.connecting.promise;
    if (this._state === 'closed')
      return Promise.reject(
        new RealtimeError('closed', 'This session is closed; start a new one.'),
      );
    if (this._state === 'ready') return Promise.resolve();
    let resolve!: () => void;
    let reject!: (e: RealtimeError) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.connecting = { promise, resolve, reject };
    if (this._state === 'idle') {
      this.setState('connecting');
      this.open();
    }
    return promise; // when reconnecting, the next `ready` resolves it
  }

  append(pcm: Int16Array): void {
    if (this._state === 'closed' || this.stopping) {
      this.log.debug('Audio after stop/close is ignored.');
      return;
    }
    this.spool.append(pcm);
    if (this.clientTurns?.hear(pcm)) this.commit();
    else this.pump(false);
    // VAD mode: silence between turns need not be kept for a resend.
    if (this.config.vad && this._state === 'ready')
      this.spool.trimBefore(Math.min(this.sentUpTo, this.resendFrom()));
  }

  commit(): void {
    if (this._state === 'closed') return;
    if (this.config.vad) {
      // VAD mode: the server cuts turns; a commit here only ends the speech in progress.
      this.pump(true);
      if (this._state === 'ready') this.sendCommit(this.sentUpTo);
      return;
    }
    const from = this.commitMarks.at(-1) ?? this.lastCut;
    if (this.spool.countBetween(from, this.spool.total) < this.msToSamples(MIN_COMMIT_MS)) {
      this.log.debug(`Commit skipped: less than ${MIN_COMMIT_MS} ms of audio since the last one.`);
      return;
    }
    this.commitMarks.push(this.spool.total);
    this.pump(true);
  }

  clear(): void {
    if (this._state === 'closed') return;
    // Audio since the last commit is discarded: the server drops what it has, and what it
    // has not received yet is never sent (nor sent again after a reconnect).
    this.spool.dropFrom(this.commitMarks.at(-1) ?? this.lastCut);
    this.openSpeech = undefined;
    if (this._state === 'ready') this.sendClear();
  }

  stop(options: { timeoutMs?: number } = {}): Promise<StopResult> {
    if (this.stopping)
      return Promise.reject(new RealtimeError('stopping', 'stop() was already called.'));
    if (this._state === 'closed')
      return Promise.reject(
        new RealtimeError('closed', 'This session is closed; start a new one.'),
      );
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<StopResult>((resolve, reject) => {
      const timer = setTimeout(() => this.stopTimedOut(timeoutMs), timeoutMs);
      this.stopping = { resolve, reject, timer, finalized: false, finished: false };
      if (this._state === 'idle')
        this.connect().catch(() => {}); // its failure rejects the stop too
      else if (this._state === 'ready') this.finalize();
    });
  }

  close(): void {
    if (this._state === 'closed') return;
    this.teardown();
    this.setState('closed');
    const err = new RealtimeError('closed', 'The session was closed.');
    this.connecting?.reject(err);
    this.connecting = undefined;
    this.failStop(err);
  }

  // ── connection ────────────────────────────────────────────────────────────────────────

  private makePlan(): WirePlan {
    return planWire({ ...this.config, url: this.url }, this.dialect);
  }

  private open(): void {
    const plan = (this.plan = this.makePlan());
    this.lastServerError = undefined;
    this.log.info(`Connecting to ${redact(plan.url, this.secrets)} (dialect ${this.dialect}).`);
    const conn: WireConnection = new WireConnection(
      plan,
      {
        keepaliveMs: this.keepaliveMs,
        confirmTimeoutMs: this.connectTimeoutMs,
        log: this.log,
        secrets: this.secrets,
      },
      {
        message: (text) => {
          if (conn === this.conn) this.receive(text);
        },
        ended: (failure) => {
          if (conn === this.conn) this.lost(failure);
        },
        unconfirmed: (ms) =>
          this.dialectError(`did not confirm the session configuration within ${ms} ms`),
      },
    );
    this.conn = conn;
    conn.onOpen(() => conn.send(plan.configure));
  }

  private teardown(): void {
    clearTimeout(this.reconnectTimer);
    this.conn?.close();
    this.conn = undefined;
  }

  /** The connection is gone: reconnect, or give up with the reason. */
  private lost(failure: RealtimeError | undefined): void {
    this.teardown();
    if (this._state === 'closed') return;
    const immediate = this.switchingToGa || this.expired;
    this.switchingToGa = false;
    this.expired = false;
    if (
      !immediate &&
      (!this.everReady || failure?.code === 'unauthorized' || failure?.code === 'dialect')
    ) {
      // The first connection failing means a setting is wrong: say so instead of retrying.
      this.fail(
        failure ??
          this.dialectError('closed the connection before confirming the session configuration'),
      );
      return;
    }
    this.prepareResend();
    if (immediate) {
      this.setState('reconnecting');
      this.open();
      return;
    }
    this.attempt++;
    if (this.attempt > this.maxAttempts) {
      this.fail(
        new RealtimeError(
          'connection_lost',
          `Lost the connection to the server and could not reconnect after ${this.maxAttempts} attempts${failure ? ` (${failure.message})` : ''}.`,
        ),
      );
      return;
    }
    const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (this.attempt - 1));
    this.log.warn(
      `Connection lost; reconnecting in ${delay} ms (attempt ${this.attempt} of ${this.maxAttempts}).`,
    );
    this._state = 'reconnecting';
    this.emit({ type: 'state', state: 'reconnecting', attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  /** Forgets what the lost connection was doing and rewinds the audio to the first sample
   * not yet transcribed; the turns it held are transcribed again on the next connection. */
  private prepareResend(): void {
    this.sentUpTo = Math.min(this.sentUpTo, this.resendFrom()); // never skip audio not sent yet
    const dropped = this.ledger.dropUnreleased();
    if (dropped.length)
      this.log.info(`Sending the audio of ${dropped.length} untranscribed turn(s) again.`);
    this.lastCut = this.ledger.releasedUpToSample ?? this.sentUpTo;
    this.marksSent = 0;
    this.unacked = [];
    this.unackedClears = [];
    this.openSpeech = undefined;
    this.vadCommitDue.clear();
    if (this.stopping) this.stopping.finalized = false;
  }

  /** The first session sample a new connection must hear. */
  private resendFrom(): number {
    const released = this.ledger.releasedUpToSample;
    if (!this.config.vad) return released ?? this.firstHeld();
    // VAD mode: everything after what the server has heard, and every turn it did not
    // transcribe (from a little before its speech started).
    const now = performance.now();
    while (this.sendTimes.length && now - this.sendTimes[0]!.at > HEARD_AFTER_MS)
      this.heard(this.sendTimes.shift()!.end);
    const margin = this.msToSamples(RESEND_MARGIN_MS);
    let from = this.heardUpTo - margin;
    for (const id of this.pendingVadItems()) {
      const start = this.ledger.range(id)?.startSample;
      if (start !== undefined) from = Math.min(from, start - margin);
    }
    return Math.max(from, released ?? 0, this.firstHeld());
  }

  private heard(sample: number): void {
    this.heardUpTo = Math.max(this.heardUpTo, sample);
  }

  private pendingVadItems(): string[] {
    return [
      ...this.ledger.unreleased,
      ...this.vadCommitDue,
      ...(this.openSpeech ? [this.openSpeech.itemId] : []),
    ];
  }

  private firstHeld(): number {
    return this.spool.read(0, 1)?.start ?? this.spool.total;
  }

  private fail(err: RealtimeError): void {
    this.log.error(err.message);
    this.teardown();
    this.setState('closed');
    this.emit({ type: 'error', error: { code: err.code, message: err.message }, fatal: true });
    this.connecting?.reject(err);
    this.connecting = undefined;
    this.failStop(err);
  }

  private dialectError(what: string): RealtimeError {
    return new RealtimeError(
      'dialect',
      `The server ${what} (dialect "${this.dialect}")${this.lastServerError ? `; it said: ${this.lastServerError}` : ''}. Check the URL and try another dialect in Settings → Server.`,
    );
  }

  // ── server events ─────────────────────────────────────────────────────────────────────

  private receive(text: string): void {
    const parsed = parseServerEvent(text);
    if (!parsed.ok) {
      this.log.warn(
        `Ignored a ${parsed.reason} server event: ${redact(parsed.detail, this.secrets)}`,
      );
      return;
    }
    this.handle(parsed.event);
    this.checkStopped();
  }

  private handle(e: WireEvent): void {
    switch (e.kind) {
      case 'created':
      case 'ignored':
        return;
      case 'configured':
        return this.configured(e.sessionId);
      case 'speech_started': {
        const startSample = this.atMs(e.audioStartMs) ?? this.sentUpTo;
        this.openSpeech = { itemId: e.itemId, startSample };
        this.heard(startSample);
        this.ledger.setRange(e.itemId, { startSample });
        this.emit({ type: 'speech_started', itemId: e.itemId, audioStartMs: this.ms(startSample) });
        return;
      }
      case 'speech_stopped': {
        const endSample = this.atMs(e.audioEndMs) ?? this.sentUpTo;
        // speaches starts a new buffer when its VAD has heard silence_duration_ms of silence.
        if (this.plan.vadMsFrom === 'buffer' && this.config.vad)
          this.bufferStartMs += (e.audioEndMs ?? 0) + this.config.vad.silenceDurationMs;
        if (this.openSpeech?.itemId === e.itemId) this.openSpeech = undefined;
        if (this.config.vad) this.vadCommitDue.add(e.itemId);
        this.ledger.setRange(e.itemId, { endSample });
        this.heard(endSample);
        this.emit({ type: 'speech_stopped', itemId: e.itemId, audioEndMs: this.ms(endSample) });
        return;
      }
      case 'committed':
        return this.committed(e.itemId, e.previousItemId);
      case 'item':
        this.ledger.place(e.itemId, e.previousItemId);
        return;
      case 'cleared':
        this.newServerBuffer(this.unackedClears.shift());
        if (this.stopping?.finalized && this.openSpeech) {
          this.log.warn(
            `Speech ${this.openSpeech.itemId} was still open when the stop padding was cleared.`,
          );
          this.openSpeech = undefined;
        }
        return;
      case 'partial':
        this.emit({
          type: 'partial',
          itemId: e.itemId,
          text: this.ledger.partial(e.itemId, e.text, e.mode),
        });
        return;
      case 'completed':
        this.ledger.complete(e.itemId, e.transcript, e.confidence);
        return;
      case 'failed':
        this.ledger.fail(e.itemId, e.error);
        return;
      case 'finished':
        if (this.stopping) this.stopping.finished = true;
        return;
      case 'error':
        return this.serverError(e);
    }
  }

  private configured(sessionId: string | undefined): void {
    this.conn?.confirmed();
    if (this._state === 'ready') return; // a later session.updated (e.g. after our own update)
    this.attempt = 0;
    this.everReady = true;
    this.timeline = new WireTimeline(this.config.sampleRate);
    this.bufferStartMs = 0;
    this.heardUpTo = this.sentUpTo;
    this.sendTimes.length = 0;
    this.resampler =
      this.plan.wireRate === this.config.sampleRate
        ? undefined
        : new Resampler(this.config.sampleRate, this.plan.wireRate);
    this.marksSent = this.commitMarks.filter((m) => m <= this.sentUpTo).length;
    this.setState('ready');
    this.emit({ type: 'ready', ...(sessionId ? { sessionId } : {}) });
    this.connecting?.resolve();
    this.connecting = undefined;
    this.pump(false);
    if (this.stopping) this.finalize();
  }

  private committed(itemId: string, previousItemId: string | null | undefined): void {
    // The server's own VAD commit: its range came with speech_started/stopped (under the same
    // item id on OpenAI; a server that names the item anew commits the oldest stopped speech).
    const due = this.vadCommitDue.has(itemId)
      ? itemId
      : this.unacked.length
        ? undefined
        : this.vadCommitDue.values().next().value;
    if (due !== undefined) {
      this.vadCommitDue.delete(due);
      if (due !== itemId) this.ledger.setRange(itemId, this.ledger.range(due) ?? {});
    } else {
      const ours = this.unacked.shift();
      this.newServerBuffer(ours?.wireMs);
      const cut = ours?.cut ?? this.sentUpTo;
      this.openSpeech = undefined; // our commit ended whatever speech was open
      const range = this.ledger.range(itemId);
      this.ledger.setRange(itemId, {
        startSample: range?.startSample ?? this.lastCut,
        endSample: range?.endSample ?? cut,
      });
    }
    if (this.openSpeech?.itemId === itemId) this.openSpeech = undefined;
    this.lastCut = this.ledger.range(itemId)?.endSample ?? this.lastCut;
    this.ledger.place(itemId, previousItemId);
    this.emit({ type: 'committed', itemId, previousItemId: previousItemId ?? null });
  }

  private serverError(e: Extract<WireEvent, { kind: 'error' }>): void {
    const message = redact(e.message, this.secrets);
    const code = e.code ?? e.type ?? 'server_error';
    if (code === 'input_audio_buffer_commit_empty' || /buffer too small/i.test(message)) {
      // Our commit raced the server's VAD commit (or had too little audio): nothing was lost.
      this.unacked.shift();
      this.openSpeech = undefined;
      this.log.debug(`Commit answered "${message}"; nothing to transcribe.`);
      return;
    }
    if (code === 'beta_api_shape_disabled') {
      this.log.info('The server refused the beta protocol shape; switching to the GA dialect.');
      this.dialect = 'ga';
      this.url = gaFallbackUrl(this.url);
      this.switchingToGa = true;
      return; // the server closes with 4000; lost() reconnects at once
    }
    if (code === 'session_expired') {
      this.log.info('The server session expired; continuing on a new one.');
      this.expired = true;
      this.conn?.drop();
      return;
    }
    if (
      code === 'invalid_api_key' ||
      e.type === 'authentication_error' ||
      /\b(401|403)\b|unauthori[sz]ed|(invalid|incorrect) api key/i.test(message)
    ) {
      this.fail(unauthorizedError(/\b403\b/.test(message) ? 403 : 401));
      return;
    }
    if (this._state !== 'ready' && e.param?.startsWith('session.')) {
      // OpenAI refuses a whole session.update for one field and applies none of it: waiting
      // for a confirmation that cannot come would only delay the same failure.
      this.fail(
        new RealtimeError(
          'session_refused',
          `The server refused the session configuration (${e.param}): ${message.replace(/[.\s]+$/, '')}. Check the model and its options in Settings → Server.`,
        ),
      );
      return;
    }
    if (this._state !== 'ready') this.lastServerError = message.replace(/[.\s]+$/, '');
    this.log.warn(`Server error (${code}): ${message}`);
    this.emit({ type: 'error', error: { code, message }, fatal: false });
  }

  private released(r: TurnResult): void {
    if (r.status === 'completed')
      this.emit({
        type: 'completed',
        itemId: r.itemId,
        previousItemId: r.previousItemId,
        transcript: r.transcript ?? '',
        ...(r.audioStartMs !== undefined ? { audioStartMs: r.audioStartMs } : {}),
        ...(r.audioEndMs !== undefined ? { audioEndMs: r.audioEndMs } : {}),
        ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
      });
    else
      this.emit({
        type: 'failed',
        itemId: r.itemId,
        previousItemId: r.previousItemId,
        error: r.error ?? {
          code: 'transcription_failed',
          message: 'The server could not transcribe this turn.',
        },
      });
    // Released audio is never sent again.
    const upTo = this.ledger.releasedUpToSample;
    if (upTo !== undefined) {
      while (this.commitMarks.length && this.commitMarks[0]! <= upTo) {
        this.commitMarks.shift();
        this.marksSent = Math.max(0, this.marksSent - 1);
      }
      this.spool.trimBefore(Math.min(upTo, this.resendFrom()));
    }
  }

  // ── audio out ─────────────────────────────────────────────────────────────────────────

  /** Sends what the spool holds beyond `sentUpTo` in 20–100 ms chunks, with the client's
   * commits in between (manual mode). `force` also sends a last chunk shorter than 20 ms. */
  private pump(force: boolean): void {
    if (this._state !== 'ready') return;
    const min = this.msToSamples(MIN_CHUNK_MS);
    const max = this.msToSamples(MAX_CHUNK_MS);
    for (;;) {
      const mark = this.commitMarks[this.marksSent];
      const limit = mark ?? this.spool.total;
      const piece = this.spool.read(this.sentUpTo, max, limit);
      if (piece && (piece.samples.length >= min || force || mark !== undefined)) {
        this.sendAudio(piece.start, piece.samples);
        continue;
      }
      if (mark === undefined) return;
      // every sample before the mark is out: the turn ends here
      this.sentUpTo = Math.max(this.sentUpTo, mark);
      this.marksSent++;
      this.sendCommit(mark);
    }
  }

  private sendAudio(start: number, samples: Int16Array): void {
    this.timeline.sent(start, samples.length);
    this.sentUpTo = start + samples.length;
    if (this.config.vad) this.sendTimes.push({ end: this.sentUpTo, at: performance.now() });
    const wire = this.resampler
      ? floatToPcm16(this.resampler.process(pcm16ToFloat(samples)))
      : samples;
    if (wire.length) this.sendWire(wire);
  }

  /** Sends the few samples the resampler holds back (its filter's delay) before a turn ends. */
  private flushResampler(): void {
    const tail = this.resampler?.flush();
    if (tail?.length) this.sendWire(floatToPcm16(tail));
  }

  private sendCommit(cut: number): void {
    this.flushResampler();
    this.unacked.push({ cut, wireMs: this.timeline.sentMs });
    this.send({ type: 'input_audio_buffer.commit' });
  }

  private sendClear(): void {
    this.unackedClears.push(this.timeline.sentMs);
    this.send({ type: 'input_audio_buffer.clear' });
  }

  private sendWire(pcm: Int16Array): void {
    this.send({
      type: 'input_audio_buffer.append',
      audio: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64'),
    });
  }

  private send(event: Record<string, unknown>): void {
    this.conn?.send(event);
  }

  // ── stopping ──────────────────────────────────────────────────────────────────────────

  /** Sends what ends the dictation on this connection: DashScope's `session.finish`; a final
   * commit in manual mode or while VAD speech is open; otherwise (VAD, no speech open that we
   * know of) silence longer than the server's silence duration and a `clear`. The server
   * answers each of these after it processed every sample before them, so once they are
   * answered we know every turn there will be. The cleared audio held no speech: the padding
   * let the VAD close it. */
  private finalize(): void {
    const stopping = this.stopping;
    if (!stopping || stopping.finalized || this._state !== 'ready') return;
    stopping.finalized = true;
    const vad = this.config.vad;
    // With turns cut at pauses, what follows the last one is silence unless speech was heard.
    if (!vad && (this.clientTurns?.heardSinceTurn ?? true)) this.commit();
    this.pump(true);
    if (this.plan.finishOnStop) this.send({ type: 'session.finish' });
    else if (vad && this.openSpeech) this.sendCommit(this.sentUpTo);
    else if (vad) {
      this.flushResampler();
      const padMs = turnEndWaitMs(vad) + STOP_PADDING_MS;
      this.timeline.sent(this.sentUpTo, this.msToSamples(padMs));
      const chunk = new Int16Array(Math.round((MAX_CHUNK_MS * this.plan.wireRate) / 1000));
      for (let ms = 0; ms < padMs; ms += MAX_CHUNK_MS) this.sendWire(chunk);
      this.sendClear();
    }
    this.checkStopped();
  }

  private checkStopped(): void {
    const s = this.stopping;
    if (!s?.finalized || this._state !== 'ready') return;
    if (this.unacked.length || this.unackedClears.length || this.vadCommitDue.size) return;
    if (this.config.vad && this.openSpeech && !this.plan.finishOnStop) return;
    if (this.marksSent < this.commitMarks.length) return;
    if (this.plan.finishOnStop && !s.finished) return;
    if (!this.ledger.settled) return;
    this.ledger.placeOrphans();
    if (!this.ledger.settled) return;
    clearTimeout(s.timer);
    this.stopping = undefined;
    const result = { turns: this.ledger.all };
    this.teardown();
    this.setState('closed');
    s.resolve(result);
  }

  private stopTimedOut(timeoutMs: number): void {
    const missing = [...this.ledger.unreleased, ...this.vadCommitDue];
    const waiting = this.unacked.length ? ` and ${this.unacked.length} commit(s) unanswered` : '';
    const what = missing.length ? `turn(s) ${missing.join(', ')}` : 'the final turn';
    const err = new RealtimeError(
      'stop_timeout',
      `Gave up waiting for the transcript of ${what}${waiting} after ${timeoutMs} ms.`,
    );
    this.log.error(err.message);
    this.failStop(err);
    this.close();
  }

  private failStop(err: RealtimeError): void {
    const s = this.stopping;
    if (!s) return;
    clearTimeout(s.timer);
    this.stopping = undefined;
    s.reject(err);
  }

  // ── small things ──────────────────────────────────────────────────────────────────────

  private setState(state: ConnectionState): void {
    if (this._state === state) return;
    this._state = state;
    this.emit({ type: 'state', state });
  }

  private emit(e: TranscriptEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch (err) {
        this.log.error(`A transcript listener threw: ${redact(String(err), this.secrets)}`);
      }
    }
  }

  private msToSamples(ms: number): number {
    return Math.round((ms * this.config.sampleRate) / 1000);
  }

  private ms(sample: number): number {
    return Math.round((sample * 1000) / this.config.sampleRate);
  }

  /** The server answered our commit or clear sent at `wireMs`: its buffer restarts there. */
  private newServerBuffer(wireMs: number | undefined): void {
    if (wireMs !== undefined) this.bufferStartMs = wireMs;
  }

  private atMs(ms: number | undefined): number | undefined {
    if (ms === undefined) return undefined;
    return this.timeline.toSession(this.plan.vadMsFrom === 'buffer' ? this.bufferStartMs + ms : ms);
  }
}
