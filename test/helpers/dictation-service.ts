// A DictationService wired to scripted sessions, as the dictation unit tests drive it: each
// session connects when the test says so, and its stop() (the final commit) waits for the test
// to answer or fail it — unless it is made to answer at once.
import { DictationService } from '../../src/core/dictation/dictation-service.ts';
import type { TranscriptionSession } from '../../src/core/dictation/ports.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { TranscriptEvent } from '../../src/shared/events.ts';
import type {
  DictationStatus,
  DictationTranscript,
  MainEventMessage,
} from '../../src/shared/ipc.ts';
import { presetConfig } from '../../src/shared/providers.ts';

/** A frame of one sample, so a session's `appended` names the frames it got. */
export const frame = (n: number) => Int16Array.of(n);

/** Lets pending promise callbacks and I/O callbacks run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A scripted far side: connects on `accept()` (or fails on `refuse()`); its stop() waits
 * until the test answers it with `complete(text)` or `failStop()`, and close() rejects that
 * wait and says `closed`, as RealtimeSession does. */
export class ScriptedSession implements TranscriptionSession {
  readonly appended: number[] = [];
  stopCalls = 0;
  closed = false;
  private listeners = new Set<(e: TranscriptEvent) => void>();
  private open!: () => void;
  private fail!: (err: Error) => void;
  readonly opened = new Promise<void>((resolve, reject) => {
    this.open = resolve;
    this.fail = reject;
  });
  private pendingStop: { resolve(): void; reject(err: Error): void } | undefined;
  private stopCalled!: () => void;
  /** Resolves once the service has committed (called stop()). */
  readonly stopping = new Promise<void>((resolve) => (this.stopCalled = resolve));
  readonly name: string;
  /** When set, stop() is answered with this transcript at once. */
  private readonly answerAtOnce: string | undefined;
  constructor(name: string, options: { answerStopWith?: string } = {}) {
    this.name = name;
    this.answerAtOnce = options.answerStopWith;
  }
  connect(): Promise<void> {
    return this.opened;
  }
  accept(): void {
    this.open();
  }
  refuse(message: string): void {
    this.fail(new Error(message));
  }
  append(pcm: Int16Array): void {
    this.appended.push(pcm[0]!);
  }
  stop(): Promise<void> {
    this.stopCalls++;
    this.stopCalled();
    const answered = new Promise<void>(
      (resolve, reject) => (this.pendingStop = { resolve, reject }),
    );
    if (this.answerAtOnce !== undefined) this.complete(this.answerAtOnce);
    return answered;
  }
  /** The server commits the turn and answers with its transcript. */
  complete(text = 'hello'): void {
    const itemId = `${this.name}-item`;
    this.emit({ type: 'committed', itemId, previousItemId: null });
    this.emit({ type: 'completed', itemId, previousItemId: null, transcript: text });
    this.pendingStop?.resolve();
  }
  failStop(message: string): void {
    this.pendingStop?.reject(new Error(message));
  }
  close(): void {
    this.closed = true;
    this.pendingStop?.reject(new Error('The session was closed.'));
    this.emit({ type: 'state', state: 'closed' });
  }
  onEvent(listener: (e: TranscriptEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: TranscriptEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** A session factory that keeps every session it made, named "1", "2", … in order. */
export function scriptedSessions(options: { answerStopWith?: string } = {}) {
  const sessions: ScriptedSession[] = [];
  const createSession = () => {
    const s = new ScriptedSession(String(sessions.length + 1), options);
    sessions.push(s);
    return s;
  };
  return { sessions, createSession };
}

export interface DictationSetupOptions {
  /** Dictate through the embedded server (started on first use) instead of a custom URL. */
  local?: boolean;
  /** How long stop() waits for frames that trail it. */
  frameGraceMs?: number;
  /** When set, every session answers stop() with this transcript at once. */
  answerStopWith?: string;
}

/** A DictationService over scripted sessions, with what it said collected for the test. */
export function setupDictationService(options: DictationSetupOptions = {}) {
  const { local = false, frameGraceMs = 5000, answerStopWith } = options;
  const events: MainEventMessage[] = [];
  const { sessions, createSession } = scriptedSessions({ answerStopWith });
  let serversStarted = 0;
  let serversClosed = 0;
  const service = new DictationService({
    createSession,
    sessionConfig: async (localUrl) =>
      presetConfig(local ? 'local' : 'custom', { url: localUrl ?? 'ws://x' }),
    usesLocalServer: () => local,
    startLocalServer: async () => {
      serversStarted++;
      return { url: 'ws://127.0.0.1:1/v1/realtime', close: async () => void serversClosed++ };
    },
    sink: (m) => events.push(m),
    log: silentLogger,
    frameGraceMs,
  });
  const statuses = () =>
    events.flatMap((e) => (e.name === 'dictation' ? [e.payload as DictationStatus] : []));
  const states = () => statuses().map((s) => s.state);
  const transcripts = () => events.filter((e) => e.name === 'transcript');
  /** The final transcripts forwarded, as [dictationId, text]. */
  const finals = () =>
    events.flatMap((e) => {
      const t = e.payload as DictationTranscript;
      return e.name === 'transcript' && t.type === 'completed'
        ? [[t.dictationId, t.transcript]]
        : [];
    });
  /** Starts a dictation and lets its session connect: it is listening. */
  const listening = async () => {
    const { dictationId } = await service.start();
    sessions.at(-1)!.accept();
    await settle();
    return dictationId;
  };
  const servers = () => ({ serversStarted, serversClosed });
  return { service, events, sessions, statuses, states, transcripts, finals, listening, servers };
}
