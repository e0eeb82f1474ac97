// Drives a RealtimeSession the way the app does (20 ms frames, then stop) and records the
// canonical events it emits, for tests and the bench.
import type { TranscriptEvent } from '../../../src/shared/events.ts';
import type { RealtimeSession, StopResult } from '../../../src/core/realtime/index.ts';
import { frames } from './tone-speech.ts';

export interface Recording {
  events: TranscriptEvent[];
  /** Final transcripts in the order the `completed` events came. */
  transcripts(): string[];
  of<T extends TranscriptEvent['type']>(type: T): Extract<TranscriptEvent, { type: T }>[];
  /** Resolves with the first event matching `match`; rejects after `timeoutMs` naming it. */
  next(
    match: (e: TranscriptEvent) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<TranscriptEvent>;
}

export function record(session: RealtimeSession): Recording {
  const events: TranscriptEvent[] = [];
  const waiters = new Set<(e: TranscriptEvent) => void>();
  session.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w(e);
  });
  const of = <T extends TranscriptEvent['type']>(type: T) =>
    events.filter((e): e is Extract<TranscriptEvent, { type: T }> => e.type === type);
  return {
    events,
    of,
    transcripts: () => of('completed').map((e) => e.transcript),
    next(match, what, timeoutMs = 10_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No ${what} within ${timeoutMs} ms.`));
        }, timeoutMs);
        const waiter = (e: TranscriptEvent) => {
          if (!match(e)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(e);
        };
        waiters.add(waiter);
      });
    },
  };
}

/** Appends `pcm` in 20 ms frames. */
export function appendAll(session: RealtimeSession, pcm: Int16Array, rate: number): void {
  for (const f of frames(pcm, rate)) session.append(f);
}

/** Connects, streams `pcm`, stops. */
export async function dictate(
  session: RealtimeSession,
  pcm: Int16Array,
  rate: number,
  stopTimeoutMs = 10_000,
): Promise<StopResult> {
  await session.connect();
  appendAll(session, pcm, rate);
  return session.stop({ timeoutMs: stopTimeoutMs });
}
