// Dictations side by side: PCM frames from the renderer → a RealtimeSession each → canonical
// events → the sink (the windows, hands-free, the history). Electron-free; main wires it to IPC.
//
// Each dictation runs this machine, with its own session, frame sequence and state:
//
//   start() ──▶ connecting ──connected──▶ listening ──stop()──▶ finishing ──▶ ended
//                   │ (stop() here: finishing once connected)        ▲
//                   └──────── connection failed / fatal error ───────┘
//
// At most one dictation captures (connecting or listening) at a time; any number may be
// finishing. So a key down while the last dictation still waits for its transcripts starts
// the next one at once, and what is said then is not lost. The status sent on every change
// says what the capturing side does, how many are finishing, and which dictation changed.
//
// cancel() (Esc) ends the capturing dictation at once, with `cancelled` in its status: the
// session is closed without a final commit. What it discards: the audio not transcribed yet —
// the turn in progress and every frame still on its way — so nothing more of that dictation
// reaches the sink (no transcript, hence nothing saved and nothing inserted). Turns the server
// completed before the Esc (server VAD cuts turns while the key is held) were already
// delivered: hands-free has typed them, and the history keeps them as the record of what was
// typed. Esc never cancels a finishing dictation: by then Esc belongs to the focused app.
//
// Frames arrive on their own path (a MessagePort per dictation) and may overtake or trail the
// stop call, so each carries its dictation's id and a sequence number, and stop() says how
// many were sent: the service waits for the stragglers before committing, and counts any that
// never came. A straggler of a finishing dictation goes to it, never to the next one.
import type { TranscriptEvent } from '../../shared/events.ts';
import type {
  DictationStarted,
  DictationState,
  DictationStatus,
  DictationStopped,
} from '../../shared/ipc.ts';
import type { SessionConfig } from '../../shared/providers.ts';
import type { Logger } from '../log.ts';
import type { EventSink, LocalServer, SessionFactory, TranscriptionSession } from './ports.ts';

export interface DictationServiceOptions {
  createSession: SessionFactory;
  /** The session configuration from the current settings; `localUrl` when provider is local. */
  sessionConfig: (localUrl?: string) => Promise<SessionConfig>;
  /** Whether the current settings use the embedded server. */
  usesLocalServer: () => boolean;
  startLocalServer: () => Promise<LocalServer>;
  sink: EventSink;
  log: Logger;
  /** How long stop() waits for frames still in flight. */
  frameGraceMs?: number;
  /** How long stop() waits for the last transcripts before giving up. */
  finishTimeoutMs?: number;
}

interface Dictation {
  id: number;
  state: Exclude<DictationState, 'idle'>;
  /** Absent while the local server starts. */
  session?: TranscriptionSession;
  /** Whether the session connected; settles false when the dictation ended before. */
  connected: Promise<boolean>;
  settleConnected: (ok: boolean) => void;
  nextSeq: number;
  received: number;
  frameWaiters: (() => void)[];
  unsubscribe: () => void;
}

export class DictationService {
  /** Running dictations, oldest first. */
  readonly #running = new Map<number, Dictation>();
  #nextId = 1;
  #localServer: Promise<LocalServer> | null = null;
  /** Servers replaced by a new one, closed once no dictation runs (one may still use them). */
  #retiredServers: Promise<LocalServer>[] = [];
  readonly #options: Required<DictationServiceOptions>;

  constructor(options: DictationServiceOptions) {
    this.#options = { frameGraceMs: 2000, finishTimeoutMs: 30_000, ...options };
  }

  /** The capturing side, as {@link DictationStatus.state} says it. */
  get status(): DictationState {
    const capturing = this.#capturing();
    if (capturing) return capturing.state;
    return this.#running.size ? 'finishing' : 'idle';
  }

  /** The dictation that captures now, if any. */
  get capturingId(): number | undefined {
    return this.#capturing()?.id;
  }

  /** The dictation started last, capturing or finishing: the one frames that name no
   * dictation belong to (the capturing one, or the stragglers of the one just stopped). */
  get newestId(): number | undefined {
    let newest: number | undefined;
    for (const id of this.#running.keys()) newest = id;
    return newest;
  }

  /** The embedded server's address, starting it on first use. */
  async localServerUrl(): Promise<string> {
    this.#localServer ??= this.#options.startLocalServer().catch((err: unknown) => {
      this.#localServer = null; // let the next attempt try again
      throw err;
    });
    return (await this.#localServer).url;
  }

  /** The embedded server is to run another recognizer (a model was chosen, installed or
   * removed): the next dictation starts a new one, and this one closes once the dictations
   * that may be using it have ended, so that no turn of theirs is lost. */
  retireLocalServer(): void {
    if (!this.#localServer) return;
    this.#retiredServers.push(this.#localServer);
    this.#localServer = null;
    this.#closeRetiredServers();
  }

  #closeRetiredServers(): void {
    if (this.#running.size > 0) return;
    for (const server of this.#retiredServers.splice(0)) {
      void server.then((s) => s.close()).catch(() => {});
    }
  }

  /** Starts a dictation beside any that are finishing; refused while another one captures. */
  async start(): Promise<DictationStarted> {
    if (this.#capturing()) {
      throw new Error('A dictation is already listening. Stop it first.');
    }
    let settleConnected = (_ok: boolean): void => {};
    const connected = new Promise<boolean>((resolve) => (settleConnected = resolve));
    const d: Dictation = {
      id: this.#nextId++,
      state: 'connecting',
      connected,
      settleConnected,
      nextSeq: 0,
      received: 0,
      frameWaiters: [],
      unsubscribe: () => {},
    };
    this.#running.set(d.id, d);
    this.#emit(d);
    let config: SessionConfig;
    try {
      const localUrl = this.#options.usesLocalServer() ? await this.localServerUrl() : undefined;
      config = await this.#options.sessionConfig(localUrl);
    } catch (err) {
      this.#end(d, { code: 'start_failed', message: messageOf(err) });
      throw err;
    }
    if (!this.#running.has(d.id)) {
      // Cancelled while the local server started (or the key was decrypted).
      return { sampleRate: config.sampleRate, dictationId: d.id };
    }
    const session = this.#options.createSession(config);
    d.session = session;
    d.unsubscribe = session.onEvent((event) => this.#onSessionEvent(d, event));
    session.connect().then(
      () => {
        if (!this.#running.has(d.id)) return;
        if (d.state === 'connecting') {
          d.state = 'listening';
          this.#emit(d);
        }
        d.settleConnected(true);
      },
      (err: unknown) => this.#abandon(d, 'connect_failed', messageOf(err)),
    );
    this.#options.log.info(
      `Dictation ${d.id}: connecting to ${config.provider} at ${config.sampleRate} Hz`,
    );
    return { sampleRate: config.sampleRate, dictationId: d.id };
  }

  /** One PCM16 frame of dictation `dictationId` (default: the newest one); `seq` counts
   * from 0. Returns whether the frame was taken: frames of no running dictation (e.g.
   * trailing a cancel) are dropped. */
  pushFrame(seq: number, pcm: Int16Array, dictationId = this.newestId): boolean {
    const d = dictationId === undefined ? undefined : this.#running.get(dictationId);
    if (!d?.session) return false;
    if (seq < d.nextSeq) {
      this.#options.log.warn(`Dictation ${d.id}: frame ${seq} arrived twice or late; dropped`);
      return false;
    }
    if (seq > d.nextSeq) {
      this.#options.log.warn(`Dictation ${d.id}: frames ${d.nextSeq}–${seq - 1} never arrived`);
    }
    d.nextSeq = seq + 1;
    d.received++;
    d.session.append(pcm);
    for (const wake of d.frameWaiters.splice(0)) wake();
    return true;
  }

  /** Ends the capture of dictation `dictationId` (default: the capturing one): waits for the
   * `framesSent` frames, commits, and resolves once the transcripts are in. The next
   * dictation may start as soon as this is called. */
  stop(framesSent: number, dictationId = this.capturingId): Promise<DictationStopped> {
    return this.#stop(framesSent, dictationId, () => {});
  }

  /** As stop(), but resolves as soon as the final commit is sent: the renderer's stop, which
   * must not keep the microphone's side busy while the transcripts come (as events). */
  stopCapture(framesSent: number, dictationId = this.capturingId): Promise<DictationStopped> {
    return new Promise(
      (resolve) => void this.#stop(framesSent, dictationId, resolve).then(resolve),
    );
  }

  async #stop(
    framesSent: number,
    dictationId: number | undefined,
    committed: (result: DictationStopped) => void,
  ): Promise<DictationStopped> {
    const d = dictationId === undefined ? undefined : this.#running.get(dictationId);
    if (!d || d.state === 'finishing') {
      return { framesReceived: d?.received ?? 0, framesMissing: 0 };
    }
    d.state = 'finishing';
    this.#emit(d);
    await this.#waitForFrames(d, framesSent);
    const framesMissing = Math.max(0, framesSent - d.received);
    if (framesMissing > 0)
      this.#options.log.warn(`Dictation ${d.id}: ${framesMissing} frames lost`);
    const result = { framesReceived: d.received, framesMissing };
    if (!(await d.connected) || !this.#running.has(d.id)) return result;
    try {
      const finished = withTimeout(d.session!.stop(), this.#options.finishTimeoutMs);
      committed(result);
      await finished;
      this.#end(d);
    } catch (err) {
      // A cancel or dispose closed the session under us: that is no failure.
      if (!this.#running.has(d.id)) return result;
      this.#abandon(d, 'finish_failed', `The last words may be missing: ${messageOf(err)}`);
    }
    return result;
  }

  /** Ends dictation `dictationId` at once and discards its audio: the session is closed
   * without a final commit, frames still arriving are dropped, and no further event of it is
   * forwarded. Without an id (Esc) only the capturing dictation is cancelled: finishing ones
   * go on. Returns whether there was one to cancel. */
  cancel(dictationId = this.capturingId): boolean {
    const d = dictationId === undefined ? undefined : this.#running.get(dictationId);
    if (!d) return false;
    this.#options.log.info(`Dictation ${d.id} cancelled while ${d.state}; its audio is discarded`);
    this.#end(d, undefined, true);
    return true;
  }

  /** Ends every dictation and stops the embedded server (on quit). */
  async dispose(): Promise<void> {
    for (const d of [...this.#running.values()]) this.#end(d);
    const servers = [...this.#retiredServers.splice(0), this.#localServer];
    this.#localServer = null;
    await Promise.all(servers.map((server) => server?.then((s) => s.close()).catch(() => {})));
  }

  #capturing(): Dictation | undefined {
    for (const d of this.#running.values()) if (d.state !== 'finishing') return d;
    return undefined;
  }

  #onSessionEvent(d: Dictation, event: TranscriptEvent): void {
    if (!this.#running.has(d.id)) return;
    this.#options.sink({ name: 'transcript', payload: { ...event, dictationId: d.id } });
    if (event.type === 'error' && event.fatal) {
      this.#abandon(d, event.error.code, event.error.message);
    }
  }

  #waitForFrames(d: Dictation, count: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = setTimeout(resolve, this.#options.frameGraceMs);
      const check = () => {
        // Ended meanwhile (cancelled, failed): nothing more will arrive for it.
        if (d.nextSeq >= count || !this.#running.has(d.id)) {
          clearTimeout(deadline);
          resolve();
        } else d.frameWaiters.push(check);
      };
      check();
    });
  }

  #end(d: Dictation, error?: DictationStatus['error'], cancelled = false): void {
    if (!this.#running.delete(d.id)) return;
    // Unsubscribed first: close() rejects what is pending and emits `closed`, none of which
    // is news to the window (and a cancelled dictation must send nothing more).
    d.unsubscribe();
    d.session?.close();
    d.settleConnected(false);
    for (const wake of d.frameWaiters.splice(0)) wake();
    this.#emit(d, true, error, cancelled);
    this.#closeRetiredServers();
  }

  #abandon(d: Dictation, code: string, message: string): void {
    if (!this.#running.has(d.id)) return;
    this.#options.log.warn(`Dictation ${d.id} ended: ${code}: ${message}`);
    this.#end(d, { code, message });
  }

  #emit(d: Dictation, ended = false, error?: DictationStatus['error'], cancelled = false): void {
    let finishing = 0;
    for (const r of this.#running.values()) if (r.state === 'finishing') finishing++;
    const payload: DictationStatus = {
      state: this.status,
      finishing,
      dictation: { id: d.id, state: ended ? 'idle' : d.state },
    };
    if (error) payload.error = error;
    if (cancelled) payload.cancelled = true;
    this.#options.sink({ name: 'dictation', payload });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from the server within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
