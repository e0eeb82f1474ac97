// The turn ledger: matches every server event to its turn by item_id, in whatever order the
// wire delivers them, orders turns by previous_item_id, and releases each turn's final
// result (completed or failed) exactly once, in turn order.
import type { TranscriptError } from '../../shared/events.ts';

export interface TurnResult {
  itemId: string;
  previousItemId: string | null;
  status: 'completed' | 'failed';
  transcript?: string;
  /** 0–1, from the server's token log probabilities, when it sent them. */
  confidence?: number;
  error?: TranscriptError;
  audioStartMs?: number;
  audioEndMs?: number;
}

interface Turn {
  itemId: string;
  /** previous_item_id as the wire said it: undefined while unknown. */
  wirePrev?: string | null;
  placed: boolean;
  outcome?:
    | { status: 'completed'; transcript: string; confidence?: number }
    | { status: 'failed'; error: TranscriptError };
  partial: string;
  /** Where the turn's audio lies on the session's own timeline, in samples. */
  startSample?: number;
  endSample?: number;
}

export class TurnLedger {
  private readonly turns = new Map<string, Turn>();
  private order: Turn[] = [];
  private released = 0;
  private readonly results: TurnResult[] = [];
  private readonly release: (result: TurnResult) => void;
  private readonly sampleRate: number;
  /** Connection generation: servers may reuse item ids on a new connection. */
  private generation = 0;

  /** `release` receives each turn's result once, in turn order. */
  constructor(sampleRate: number, release: (result: TurnResult) => void) {
    this.sampleRate = sampleRate;
    this.release = release;
  }

  /** A turn's place in the order (from `committed` or `conversation.item.*`). Idempotent. */
  place(itemId: string, previousItemId: string | null | undefined): void {
    const turn = this.turn(itemId);
    if (turn.placed) return;
    if (previousItemId !== undefined) turn.wirePrev = previousItemId;
    const prev = turn.wirePrev ? this.turns.get(this.key(turn.wirePrev)) : undefined;
    if (turn.wirePrev && !prev?.placed) return; // its predecessor has not shown up yet
    this.insert(turn);
  }

  /** The turn's audio range on the session timeline, as far as it is known. */
  setRange(itemId: string, range: { startSample?: number; endSample?: number }): void {
    const turn = this.turn(itemId);
    if (range.startSample !== undefined) turn.startSample = range.startSample;
    if (range.endSample !== undefined) turn.endSample = range.endSample;
  }

  range(itemId: string): { startSample?: number; endSample?: number } | undefined {
    return this.turns.get(this.key(itemId));
  }

  /** Accumulates a partial; returns the turn's whole partial text so far. */
  partial(itemId: string, text: string, mode: 'append' | 'replace'): string {
    const turn = this.turn(itemId);
    turn.partial = mode === 'append' ? turn.partial + text : text;
    return turn.partial;
  }

  complete(itemId: string, transcript: string, confidence?: number): void {
    this.settle(itemId, {
      status: 'completed',
      transcript,
      ...(confidence !== undefined ? { confidence } : {}),
    });
  }

  fail(itemId: string, error: TranscriptError): void {
    this.settle(itemId, { status: 'failed', error });
  }

  /** True when every placed turn has been released. */
  get settled(): boolean {
    return this.released === this.order.length;
  }

  /** Placed turns not released yet, in turn order. */
  get unreleased(): string[] {
    return this.order.slice(this.released).map((t) => t.itemId);
  }

  /** The last released turn. */
  get lastReleased(): TurnResult | undefined {
    return this.results.at(-1);
  }

  /** The end of the last released turn on the session timeline, when known. */
  get releasedUpToSample(): number | undefined {
    return this.order[this.released - 1]?.endSample;
  }

  /** Every released result, in turn order. */
  get all(): TurnResult[] {
    return [...this.results];
  }

  /** Places turns whose predecessor never showed up (it belonged to a lost connection),
   * after everything else, in the order they were first seen. */
  placeOrphans(): void {
    for (const turn of this.turns.values())
      if (!turn.placed && (turn.outcome || turn.wirePrev !== undefined)) this.insert(turn);
  }

  /** Forgets every turn not released yet (its audio will be sent again on a new connection),
   * starts a new item-id namespace, and returns the forgotten turns' item ids. */
  dropUnreleased(): string[] {
    const dropped = [...this.turns.values()].filter(
      (t) => !this.order.slice(0, this.released).includes(t),
    );
    for (const [key, t] of this.turns) if (dropped.includes(t)) this.turns.delete(key);
    this.order = this.order.slice(0, this.released);
    this.generation++;
    return dropped.filter((t) => t.placed).map((t) => t.itemId);
  }

  private key(itemId: string): string {
    return `${this.generation}\u0000${itemId}`;
  }

  private turn(itemId: string): Turn {
    let turn = this.turns.get(this.key(itemId));
    if (!turn) {
      turn = { itemId, placed: false, partial: '' };
      this.turns.set(this.key(itemId), turn);
    }
    return turn;
  }

  private settle(itemId: string, outcome: NonNullable<Turn['outcome']>): void {
    const turn = this.turn(itemId);
    if (turn.outcome) return; // a repeated result must not become a second line
    turn.outcome = outcome;
    // A server that never commits explicitly (or whose commit came late) still orders by arrival.
    if (!turn.placed && turn.wirePrev === undefined) this.insert(turn);
    this.flush();
  }

  /** Places a turn after every turn placed so far: its predecessor is among them (or it has
   * none), and arrival order breaks any tie — speaches may name a stale predecessor. */
  private insert(turn: Turn): void {
    this.order.push(turn);
    turn.placed = true;
    // Turns that were waiting for this one can now take their place.
    for (const waiting of this.turns.values())
      if (!waiting.placed && waiting.wirePrev === turn.itemId) this.insert(waiting);
    this.flush();
  }

  private flush(): void {
    while (this.released < this.order.length) {
      const turn = this.order[this.released]!;
      if (!turn.outcome) return;
      const ms = (s: number | undefined) =>
        s === undefined ? undefined : Math.round((s * 1000) / this.sampleRate);
      const result: TurnResult = {
        itemId: turn.itemId,
        previousItemId: this.results.at(-1)?.itemId ?? null,
        status: turn.outcome.status,
        ...(turn.outcome.status === 'completed'
          ? {
              transcript: turn.outcome.transcript,
              ...(turn.outcome.confidence !== undefined
                ? { confidence: turn.outcome.confidence }
                : {}),
            }
          : { error: turn.outcome.error }),
        audioStartMs: ms(turn.startSample),
        audioEndMs: ms(turn.endSample),
      };
      this.released++;
      this.results.push(result);
      this.release(result);
    }
  }
}
