// One dictation at a time: PCM frames from the renderer → a RealtimeSession → canonical
// events → the sink (the window). Electron-free; main wires it to IPC.
//
//   idle ──start()──▶ connecting ──connected──▶ listening ──stop()──▶ finishing ──▶ idle
//                         │ (stop() here: finishing once connected)        ▲
//                         └──────────── connection failed / fatal error ───┘
//   cancel() (Esc), in any state but idle: the session is closed without a final commit and
//   the service is idle at once, with `cancelled` in the status.
//
// What a cancel discards: the audio not transcribed yet — the turn in progress and every frame
// still on its way — so nothing more of that dictation reaches the sink (no transcript, hence
// nothing saved to the history and nothing inserted). Turns the server completed before the
// Esc (server VAD cuts turns while the key is held) were already delivered: hands-free has
// typed them into the focused window, and the history keeps them as the record of what was
// typed.
//
// Frames arrive on their own path (a MessagePort) and may overtake or trail the stop call,
// so each carries a sequence number and stop() says how many were sent: the service waits
// for the stragglers before committing, and counts any that never came.
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
  sessionConfig: (localUrl?: string) => SessionConfig;
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
  session: TranscriptionSession;
  connected: Promise<boolean>;
  nextSeq: number;
  received: number;
  missing: number;
  frameWaiters: (() => void)[];
  unsubscribe: () => void;
}

export class DictationService {
  private state: DictationState = 'idle';
  private current: Dictation | null = null;
  private localServer: Promise<LocalServer> | null = null;
  private readonly options: Required<DictationServiceOptions>;

  constructor(options: DictationServiceOptions) {
    this.options = { frameGraceMs: 2000, finishTimeoutMs: 30_000, ...options };
  }

  get status(): DictationState {
    return this.state;
  }

  /** The embedded server's address, starting it on first use. */
  async localServerUrl(): Promise<string> {
    this.localServer ??= this.options.startLocalServer().catch((err: unknown) => {
      this.localServer = null; // let the next attempt try again
      throw err;
    });
    return (await this.localServer).url;
  }

  async start(): Promise<DictationStarted> {
    if (this.state !== 'idle') throw new Error('A dictation is already running. Stop it first.');
    this.setState('connecting');
    let config: SessionConfig;
    try {
      const localUrl = this.options.usesLocalServer() ? await this.localServerUrl() : undefined;
      config = this.options.sessionConfig(localUrl);
    } catch (err) {
      this.setState('idle', { code: 'start_failed', message: messageOf(err) });
      throw err;
    }
    const session = this.options.createSession(config);
    const dictation: Dictation = {
      session,
      connected: Promise.resolve(false),
      nextSeq: 0,
      received: 0,
      missing: 0,
      frameWaiters: [],
      unsubscribe: session.onEvent((event) => this.onSessionEvent(dictation, event)),
    };
    this.current = dictation;
    dictation.connected = session.connect().then(
      () => {
        if (this.current !== dictation) return false;
        if (this.state === 'connecting') this.setState('listening');
        return true;
      },
      (err: unknown) => {
        if (this.current === dictation) this.abandon(dictation, 'connect_failed', messageOf(err));
        return false;
      },
    );
    this.options.log.info(`Dictation: connecting to ${config.provider} at ${config.sampleRate} Hz`);
    return { sampleRate: config.sampleRate };
  }

  /** One PCM16 frame of the current dictation; `seq` counts from 0. Returns whether the frame
   * was taken: frames with no dictation (e.g. trailing a cancel) are dropped. */
  pushFrame(seq: number, pcm: Int16Array): boolean {
    const d = this.current;
    if (!d || this.state === 'idle') return false;
    if (seq < d.nextSeq) {
      this.options.log.warn(`Dictation: frame ${seq} arrived twice or late; dropped`);
      return false;
    }
    if (seq > d.nextSeq) {
      d.missing += seq - d.nextSeq;
      this.options.log.warn(`Dictation: frames ${d.nextSeq}–${seq - 1} never arrived`);
    }
    d.nextSeq = seq + 1;
    d.received++;
    d.session.append(pcm);
    for (const wake of d.frameWaiters.splice(0)) wake();
    return true;
  }

  /** Ends the dictation: waits for the `framesSent` frames, commits, and waits for the transcripts. */
  async stop(framesSent: number): Promise<DictationStopped> {
    const d = this.current;
    if (!d || this.state === 'idle' || this.state === 'finishing') {
      return { framesReceived: d?.received ?? 0, framesMissing: 0 };
    }
    this.setState('finishing');
    await this.waitForFrames(d, framesSent);
    const framesMissing = Math.max(0, framesSent - d.received);
    if (framesMissing > 0) this.options.log.warn(`Dictation: ${framesMissing} frames lost`);
    const result = { framesReceived: d.received, framesMissing };
    if (!(await d.connected) || this.current !== d) return result;
    try {
      await withTimeout(d.session.stop(), this.options.finishTimeoutMs);
      this.finish(d);
    } catch (err) {
      // A cancel while finishing closed the session under us: that is no failure.
      if (this.current !== d) return result;
      this.abandon(d, 'finish_failed', `The last words may be missing: ${messageOf(err)}`);
    }
    return result;
  }

  /** Ends the dictation at once and discards its audio (Esc): the session is closed without a
   * final commit, frames still arriving are dropped, and no further event of it is forwarded.
   * Returns whether there was a dictation to cancel. */
  cancel(): boolean {
    const d = this.current;
    if (!d) return false;
    this.options.log.info(`Dictation cancelled in state ${this.state}; its audio is discarded`);
    this.finish(d, undefined, true);
    return true;
  }

  /** Ends any dictation and stops the embedded server (on quit). */
  async dispose(): Promise<void> {
    if (this.current) this.finish(this.current);
    const server = this.localServer;
    this.localServer = null;
    if (server) await server.then((s) => s.close()).catch(() => {});
  }

  private onSessionEvent(d: Dictation, event: TranscriptEvent): void {
    if (this.current !== d) return;
    this.options.sink({ name: 'transcript', payload: event });
    if (event.type === 'error' && event.fatal) {
      this.abandon(d, event.error.code, event.error.message);
    }
  }

  private waitForFrames(d: Dictation, count: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = setTimeout(resolve, this.options.frameGraceMs);
      const check = () => {
        // Ended meanwhile (cancelled, failed): nothing more will arrive for it.
        if (d.nextSeq >= count || this.current !== d) {
          clearTimeout(deadline);
          resolve();
        } else d.frameWaiters.push(check);
      };
      check();
    });
  }

  private finish(d: Dictation, error?: DictationStatus['error'], cancelled = false): void {
    if (this.current !== d) return;
    this.current = null;
    // Unsubscribed first: close() rejects what is pending and emits `closed`, none of which
    // is news to the window (and a cancelled dictation must send nothing more).
    d.unsubscribe();
    d.session.close();
    for (const wake of d.frameWaiters.splice(0)) wake();
    this.setState('idle', error, cancelled);
  }

  private abandon(d: Dictation, code: string, message: string): void {
    this.options.log.warn(`Dictation ended: ${code}: ${message}`);
    this.finish(d, { code, message });
  }

  private setState(
    state: DictationState,
    error?: DictationStatus['error'],
    cancelled = false,
  ): void {
    this.state = state;
    const payload: DictationStatus = { state };
    if (error) payload.error = error;
    if (cancelled) payload.cancelled = true;
    this.options.sink({ name: 'dictation', payload });
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
