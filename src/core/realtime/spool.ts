// The audio spool: every sample the user appended, on the session's own timeline (sample
// offsets that never restart), kept until its turn is transcribed — so that a new connection
// can be sent again whatever the old one did not transcribe.

interface Chunk {
  start: number;
  samples: Int16Array;
}

export class AudioSpool {
  private chunks: Chunk[] = [];
  /** Samples appended so far: the end of the session timeline. */
  total = 0;

  append(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.chunks.push({ start: this.total, samples: pcm.slice() });
    this.total += pcm.length;
  }

  /** Forgets audio before `sample` (it was transcribed). */
  trimBefore(sample: number): void {
    let drop = 0;
    while (drop < this.chunks.length) {
      const c = this.chunks[drop]!;
      if (c.start + c.samples.length > sample) break;
      drop++;
    }
    if (drop) this.chunks.splice(0, drop);
  }

  /** Forgets audio from `sample` to the end (cleared); the timeline keeps counting. */
  dropFrom(sample: number): void {
    const keep: Chunk[] = [];
    for (const c of this.chunks) {
      if (c.start >= sample) continue;
      const end = c.start + c.samples.length;
      keep.push(
        end <= sample ? c : { start: c.start, samples: c.samples.subarray(0, sample - c.start) },
      );
    }
    this.chunks = keep;
  }

  /** Samples held in [from, to), skipping cleared gaps. */
  countBetween(from: number, to: number): number {
    let n = 0;
    for (const c of this.chunks) {
      const s = Math.max(from, c.start);
      const e = Math.min(to, c.start + c.samples.length);
      if (e > s) n += e - s;
    }
    return n;
  }

  /** Up to `max` contiguous samples from `from` (or from the first held sample after it, when
   * `from` lies in a cleared gap), stopping at `limit`; undefined when none. */
  read(
    from: number,
    max: number,
    limit = this.total,
  ): { start: number; samples: Int16Array } | undefined {
    const first = this.chunks.findIndex((c) => c.start + c.samples.length > from);
    if (first < 0) return undefined;
    const start = Math.max(from, this.chunks[first]!.start);
    const end = Math.min(start + max, limit);
    if (end <= start) return undefined;
    const out = new Int16Array(end - start);
    let filled = 0;
    for (let i = first; i < this.chunks.length && start + filled < end; i++) {
      const c = this.chunks[i]!;
      if (c.start > start + filled) break; // a cleared gap ends this piece
      const from = start + filled - c.start;
      const take = Math.min(c.samples.length - from, end - start - filled);
      out.set(c.samples.subarray(from, from + take), filled);
      filled += take;
    }
    return { start, samples: filled === out.length ? out : out.subarray(0, filled) };
  }
}

/** Maps one connection's audio positions (what the server counts from its own start) to the
 * session timeline, across cleared gaps and resends. */
export class WireTimeline {
  private segments: { wireStart: number; start: number; length: number }[] = [];
  private wireTotal = 0;
  private readonly rate: number;

  constructor(rate: number) {
    this.rate = rate;
  }

  /** Records that session samples [start, start + length) were sent next. */
  sent(start: number, length: number): void {
    const last = this.segments.at(-1);
    if (last && last.start + last.length === start) last.length += length;
    else this.segments.push({ wireStart: this.wireTotal, start, length });
    this.wireTotal += length;
  }

  /** How much audio this connection has sent, in ms. */
  get sentMs(): number {
    return (this.wireTotal * 1000) / this.rate;
  }

  /** The session sample at `ms` of this connection's audio. */
  toSession(ms: number): number {
    const wire = Math.round((ms * this.rate) / 1000);
    let seg = this.segments[0];
    if (!seg) return wire;
    for (const s of this.segments) {
      if (s.wireStart > wire) break;
      seg = s;
    }
    return seg.start + Math.max(0, wire - seg.wireStart);
  }
}
