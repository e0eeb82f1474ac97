// A turn's live text as the protocol's `delta` events: append-only pieces whose concatenation
// is the text so far (PROTOCOL.md Part 2; the realtime client appends them), at most one per
// interval so that a fast recognizer does not flood the socket. A streaming model may rewrite
// what it said before (a beam search can); a delta cannot take text back, so only growth of the
// text already sent goes out, and after a rewrite nothing more until the text again extends
// what was sent — the turn's `completed` text replaces the live text in any case.

/** What `text` adds to `sent`, when it begins with it; '' when it does not (a rewrite). */
export function stableGrowth(sent: string, text: string): string {
  return text.length > sent.length && text.startsWith(sent) ? text.slice(sent.length) : '';
}

export class LiveDeltas {
  private readonly send: (delta: string) => void;
  private readonly intervalMs: number;
  private sent = '';
  private latest = '';
  private lastSentAt = -Infinity;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  /** `send` gets each delta; at most one per `intervalMs` (default 100: ≤ 10 a second). */
  constructor(send: (delta: string) => void, intervalMs = 100) {
    this.send = send;
    this.intervalMs = intervalMs;
  }

  /** The text sent so far: every delta, concatenated. */
  get text(): string {
    return this.sent;
  }

  /** The recognizer's whole text so far. */
  update(text: string): void {
    if (this.stopped) return;
    this.latest = text;
    if (this.timer) return;
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** The turn was committed: what grew since the last delta goes out now, then nothing. */
  finish(): void {
    if (this.stopped) return;
    this.flush();
    this.stopped = true;
  }

  /** The turn went away (cleared, or its connection closed): nothing more goes out. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopped = true;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const delta = stableGrowth(this.sent, this.latest);
    if (!delta) return;
    this.sent += delta;
    this.lastSentAt = performance.now();
    this.send(delta);
  }
}
