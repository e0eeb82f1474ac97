// The audio of each turn of the current dictation, so that the history can keep a failed
// turn's audio and "Retry" can transcribe it again. A turn is the audio main received between
// the previous commit and this one (our own sample count: a server's audio_start_ms restarts
// with every new session, ours does not); where the server reported speech_started and
// speech_stopped, the turn is cut to that speech, with some margin.
import type { TranscriptEvent } from '../../shared/events.ts';
import type { TurnAudio } from '../history/index.ts';

/** Audio kept before and after the speech the server heard. */
const MARGIN_MS = 300;
/** Older audio is dropped: a turn this long is kept whole, a longer one only its end. */
const MAX_KEPT_MS = 10 * 60_000;

interface Span {
  /** Samples since the start of the dictation. */
  start: number;
  end: number;
}

export class TurnAudioRecorder {
  #rate = 16000;
  #chunks: Int16Array[] = [];
  /** Samples dropped from the front, and samples received in all. */
  #dropped = 0;
  #received = 0;
  /** Where the next turn starts: the end of the last committed one. */
  #lastCommit = 0;
  /** Per item: the speech the server heard, in samples (start, end), as events arrive. */
  #speech = new Map<string, Partial<Span>>();
  #turns = new Map<string, Span>();

  /** A new dictation: forget the last one's audio. */
  start(sampleRate: number): void {
    this.#rate = sampleRate;
    this.#chunks = [];
    this.#dropped = 0;
    this.#received = 0;
    this.#lastCommit = 0;
    this.#speech.clear();
    this.#turns.clear();
  }

  push(pcm: Int16Array): void {
    this.#chunks.push(pcm);
    this.#received += pcm.length;
    const max = (MAX_KEPT_MS * this.#rate) / 1000;
    while (this.#received - this.#dropped - this.#chunks[0]!.length > max) {
      this.#dropped += this.#chunks.shift()!.length;
    }
  }

  /** Follows the session's events: speech boundaries and commits mark the turns. */
  onEvent(event: TranscriptEvent): void {
    const samples = (ms: number) => Math.round((ms * this.#rate) / 1000);
    switch (event.type) {
      case 'speech_started':
        if (event.audioStartMs !== undefined) {
          this.#speechOf(event.itemId).start = samples(event.audioStartMs - MARGIN_MS);
        }
        break;
      case 'speech_stopped':
        if (event.audioEndMs !== undefined) {
          this.#speechOf(event.itemId).end = samples(event.audioEndMs + MARGIN_MS);
        }
        break;
      case 'committed': {
        const turn = { start: this.#lastCommit, end: this.#received };
        const speech = this.#speech.get(event.itemId);
        // Server times count from the session's start; trust them only inside the turn.
        if (speech?.start !== undefined && speech.start >= turn.start && speech.start < turn.end) {
          turn.start = speech.start;
        }
        if (speech?.end !== undefined && speech.end > turn.start && speech.end < turn.end) {
          turn.end = speech.end;
        }
        this.#turns.set(event.itemId, turn);
        this.#lastCommit = this.#received;
        this.#speech.delete(event.itemId);
        break;
      }
    }
  }

  /** The audio of turn `itemId` (once), or undefined when it is unknown or was dropped. */
  take(itemId: string): TurnAudio | undefined {
    const turn = this.#turns.get(itemId);
    this.#turns.delete(itemId);
    if (!turn) return undefined;
    const start = Math.max(turn.start, this.#dropped);
    if (turn.end <= start) return undefined;
    const samples = new Int16Array(turn.end - start);
    let at = this.#dropped;
    for (const chunk of this.#chunks) {
      const from = Math.max(start - at, 0);
      const to = Math.min(turn.end - at, chunk.length);
      if (to > from) samples.set(chunk.subarray(from, to), at + from - start);
      at += chunk.length;
      if (at >= turn.end) break;
    }
    return { samples, sampleRate: this.#rate };
  }

  #speechOf(itemId: string): Partial<Span> {
    let span = this.#speech.get(itemId);
    if (!span) this.#speech.set(itemId, (span = {}));
    return span;
  }
}
