// Bounds how many recognizer processes run at once across all connections, so that a burst of
// turns queues instead of overloading the machine.

export class Limiter {
  private readonly max: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(max: number) {
    this.max = Math.max(1, max);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
