// What the dictation service needs from the outside world, as small interfaces: main wires
// the real RealtimeSession and local server in; tests wire fakes or the real ones.
import type { TranscriptEvent } from '../../shared/events.ts';
import type { MainEventMessage } from '../../shared/ipc.ts';
import type { SessionConfig } from '../../shared/providers.ts';

/** The part of `RealtimeSession` (src/core/realtime) that dictation uses. */
export interface TranscriptionSession {
  /** Resolves once the server has accepted the configuration. */
  connect(): Promise<void>;
  /** Audio appended before the connection is ready is buffered by the session, not lost. */
  append(pcm: Int16Array): void;
  /** Commits what is buffered and resolves once the last transcript has arrived. */
  stop(): Promise<unknown>;
  close(): void;
  onEvent(listener: (event: TranscriptEvent) => void): () => void;
}

export type SessionFactory = (config: SessionConfig) => TranscriptionSession;

/** The embedded realtime server (src/server), started on first use. */
export interface LocalServer {
  url: string;
  close(): Promise<void>;
}

/** Where the service's events go: the window (main), a list (tests). */
export type EventSink = (message: MainEventMessage) => void;
