// The canonical transcription events. Every dialect and provider quirk of the wire protocol
// is normalized into these at the edge (src/core/realtime); everything after that — the CLI,
// the dictation service, the renderer, history — sees only this shape.

/** Lifecycle of one realtime connection, as a person would describe it. */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';

export interface TranscriptError {
  /** Machine-readable code from the server (e.g. `audio_unintelligible`) or from Tingxie. */
  code: string;
  /** What happened and what to do, for a person. Never contains an API key. */
  message: string;
}

export type TranscriptEvent =
  /** The connection state changed. */
  | { type: 'state'; state: ConnectionState; attempt?: number }
  /** The server accepted our configuration (`session.updated` and its dialect siblings). */
  | { type: 'ready'; sessionId?: string }
  | { type: 'speech_started'; itemId: string; audioStartMs?: number }
  | { type: 'speech_stopped'; itemId: string; audioEndMs?: number }
  /** A turn's audio was committed; `previousItemId` orders the turns. */
  | { type: 'committed'; itemId: string; previousItemId: string | null }
  /** The whole partial text of a turn so far (deltas are accumulated; cumulative partials replace). */
  | { type: 'partial'; itemId: string; text: string }
  /** The final transcript of a turn. Emitted once per turn, in turn order. */
  | {
      type: 'completed';
      itemId: string;
      previousItemId: string | null;
      /** The server's text; once the text pipeline ran (the app, the CLI), its final text. In a
       * dictation of the app it is the text that follows the turns before it: it may start with
       * the space that separates them, and punctuation that would double theirs is left out. */
      transcript: string;
      /** Set once the text pipeline ran: the transcript as the server sent it. */
      rawTranscript?: string;
      audioStartMs?: number;
      audioEndMs?: number;
      /** 0–1: the geometric mean of the tokens' probabilities, from the log probabilities
       * that OpenAI's gpt-4o transcription models send; absent from every other server. */
      confidence?: number;
    }
  /** The server could not transcribe a turn. Emitted once per turn, in turn order. */
  | { type: 'failed'; itemId: string; previousItemId: string | null; error: TranscriptError }
  /** Something went wrong outside a turn. `fatal` errors end the session. */
  | { type: 'error'; error: TranscriptError; fatal: boolean };

export type TranscriptEventType = TranscriptEvent['type'];
export type TranscriptEventOf<T extends TranscriptEventType> = Extract<
  TranscriptEvent,
  { type: T }
>;
