// The input audio buffer of one connection. Samples are addressed by their absolute position
// since the connection's first append, because the VAD runs behind the appends: when it hears
// speech stop it commits exactly the audio up to that point, not what arrived since.

export class InputAudioBuffer {
  private data: Int16Array;
  private offset = 0; // index in `data` of the first buffered sample
  private length = 0;
  private base = 0; // absolute position of the first buffered sample
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.data = new Int16Array(Math.min(capacity, 1 << 16));
  }

  /** Absolute position of the first buffered sample. */
  get start(): number {
    return this.base;
  }

  /** Absolute position just past the last appended sample. */
  get end(): number {
    return this.base + this.length;
  }

  get size(): number {
    return this.length;
  }

  /** Appends samples; returns false (and appends nothing) when the buffer would overflow. */
  append(samples: Int16Array): boolean {
    if (this.length + samples.length > this.capacity) return false;
    if (this.offset + this.length + samples.length > this.data.length)
      this.makeRoom(samples.length);
    this.data.set(samples, this.offset + this.length);
    this.length += samples.length;
    return true;
  }

  /** Removes and returns the samples from the start up to absolute position `until`. */
  take(until: number): Int16Array {
    const n = Math.max(0, Math.min(until, this.end) - this.base);
    const out = this.data.slice(this.offset, this.offset + n);
    this.drop(n);
    return out;
  }

  /** The samples from absolute position `from` to the end: a view, good until the next call. */
  since(from: number): Int16Array {
    const skip = Math.max(0, Math.min(from, this.end) - this.base);
    return this.data.subarray(this.offset + skip, this.offset + this.length);
  }

  /** Forgets every sample before absolute position `position`. */
  dropBefore(position: number): void {
    this.drop(Math.max(0, Math.min(position, this.end) - this.base));
  }

  clear(): void {
    this.drop(this.length);
  }

  private drop(n: number): void {
    this.offset += n;
    this.length -= n;
    this.base += n;
    if (this.length === 0) this.offset = 0;
  }

  private makeRoom(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.data.length / 2) {
      this.data.copyWithin(0, this.offset, this.offset + this.length);
    } else {
      const grown = new Int16Array(Math.min(this.capacity, Math.max(needed, this.data.length * 2)));
      grown.set(this.data.subarray(this.offset, this.offset + this.length));
      this.data = grown;
    }
    this.offset = 0;
  }
}
