// The shape of one transcript in the history, as the store hands it out and takes it in.

export type HistoryStatus = 'ok' | 'failed';

export interface HistoryEntry {
  /** Stable for the life of the store: ids of deleted entries are never reused. */
  id: number;
  /** The transcript: the text pipeline's final text (or the person's correction); empty for
   * a failed turn until a retry succeeds. */
  text: string;
  /** The transcript as the server sent it, before the text pipeline; equal to `text` when
   * nothing changed it (and for entries from before the pipeline). */
  rawText: string;
  /** The text after the rules, before the LLM clean-up; equal to `text` when no clean-up
   * changed it. */
  rulesText: string;
  /** 0–1, from the tokens' log probabilities, when the server sent them. */
  confidence: number | null;
  /** When the transcript arrived, in ms since the Unix epoch. */
  createdAt: number;
  /** Where the turn starts and ends in its dictation's audio (the server's `audio_start_ms`
   * and `audio_end_ms`), when the server reported them. */
  audioStartMs: number | null;
  audioEndMs: number | null;
  /** Length of the turn's speech in ms, when known. */
  durationMs: number | null;
  provider: string;
  model: string;
  /** `auto` or a language code such as `zh`, `en`. */
  language: string;
  /** Groups the turns of one dictation (one hold of the hotkey, one CLI run). */
  dictationId: string | null;
  /** The application the text was typed into, where the platform tells us. */
  targetApp: string | null;
  status: HistoryStatus;
  /** Why the turn failed, for a person. */
  failureReason: string | null;
  /** Absolute path of the turn's kept WAV, or null when none is kept. */
  audioPath: string | null;
}

/** What a caller supplies to `HistoryStore.add()`; the store fills in the rest. */
export interface NewHistoryEntry {
  text: string;
  /** The server's transcript, when the text pipeline changed it (default: `text`). */
  rawText?: string | null;
  /** The rules text, when the LLM clean-up changed it (default: `text`). */
  rulesText?: string | null;
  /** 0–1, when the server sent log probabilities. */
  confidence?: number | null;
  /** Defaults to now. */
  createdAt?: number;
  audioStartMs?: number | null;
  audioEndMs?: number | null;
  /** Defaults to `audioEndMs - audioStartMs` when both are known. */
  durationMs?: number | null;
  provider: string;
  model: string;
  language?: string;
  dictationId?: string | null;
  targetApp?: string | null;
  /** Defaults to `ok`. */
  status?: HistoryStatus;
  failureReason?: string | null;
}

/** The fields a retry or a correction may change. */
export interface HistoryPatch {
  /** A new final text. The raw text stays what it was, unless `rawText` comes with it. */
  text?: string;
  /** A new raw text (a retry transcribed the turn again). */
  rawText?: string;
  /** A new rules text (a retry's, when the clean-up changed it). Without it, a new final text
   * keeps the rules text it had. */
  rulesText?: string;
  status?: HistoryStatus;
  failureReason?: string | null;
  provider?: string;
  model?: string;
  language?: string;
  targetApp?: string | null;
}

/** One turn's audio, mono PCM16, as the dictation service captured it. */
export interface TurnAudio {
  samples: Int16Array;
  sampleRate: number;
}

/** Filters shared by `list()`, `search()`, `count()` and export. Times are ms since the epoch. */
export interface HistoryFilter {
  /** Entries created at or after this time. */
  from?: number;
  /** Entries created before this time (exclusive). */
  to?: number;
  status?: HistoryStatus;
  dictationId?: string;
}

export interface HistoryPage extends HistoryFilter {
  /** At most this many entries (default: all). */
  limit?: number;
  /** Skip this many entries (for a virtualized list that jumps to a row). */
  offset?: number;
  /** Only entries older than this one (keyset paging: pass the last entry of the page before). */
  before?: Pick<HistoryEntry, 'createdAt' | 'id'>;
}
