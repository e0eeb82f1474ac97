// Speed and time left of a transfer, from the bytes seen over the last few seconds (a whole-run
// average would keep showing yesterday's speed after a network change).

export interface TransferReading {
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the window; 0 until two readings are apart in time. */
  bytesPerSecond: number;
  /** Seconds left at that speed; `undefined` while the speed is unknown. */
  secondsLeft: number | undefined;
}

export class TransferMeter {
  private readonly samples: { at: number; bytes: number }[] = [];
  private readonly bytesTotal: number;
  private readonly windowMs: number;

  constructor(bytesTotal: number, windowMs = 5_000) {
    this.bytesTotal = bytesTotal;
    this.windowMs = windowMs;
  }

  /** Records that `bytesDone` bytes are done at time `at` (milliseconds). */
  reading(bytesDone: number, at: number): TransferReading {
    this.samples.push({ at, bytes: bytesDone });
    // Keep one sample older than the window, so that the window is always covered.
    while (this.samples.length > 2 && at - this.samples[1]!.at >= this.windowMs)
      this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = (at - first.at) / 1000;
    const bytesPerSecond = elapsed > 0 ? Math.max(0, (bytesDone - first.bytes) / elapsed) : 0;
    const left = Math.max(0, this.bytesTotal - bytesDone);
    return {
      bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond,
      secondsLeft: bytesPerSecond > 0 ? left / bytesPerSecond : left === 0 ? 0 : undefined,
    };
  }

  /** Bytes that were already there (a resumed part) must not count as speed. */
  rebase(bytesDone: number, at: number): void {
    this.samples.length = 0;
    this.samples.push({ at, bytes: bytesDone });
  }
}
