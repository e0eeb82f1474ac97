// One attempt at one file from one URL: appends to a `.part` file, resuming where it stopped
// with an HTTP Range request. Which source to try next, and when, is download.ts's business.
import { open, rm, stat } from 'node:fs/promises';

/** A source could not deliver the file: why, whether trying it again may help, and whether the
 * bytes received so far are suspect (a server sending another file). */
export class SourceFailure extends Error {
  override name = 'SourceFailure';
  readonly retryable: boolean;
  readonly discardPart: boolean;
  constructor(message: string, retryable: boolean, discardPart = false) {
    super(message);
    this.retryable = retryable;
    this.discardPart = discardPart;
  }
}

export interface FetchPartOptions {
  url: string;
  partPath: string;
  /** The file's exact size. */
  bytes: number;
  /** The caller's cancel signal; its abort is rethrown as is. */
  signal: AbortSignal;
  /** A connection that sends nothing for this long is given up (and resumed). */
  idleTimeoutMs: number;
  /** Called once the server has answered, with the offset it resumes from. */
  onStart(offset: number): void;
  /** Called after each chunk is written, with the part's size. */
  onData(partBytes: number): void;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** "connect ECONNREFUSED 127.0.0.1:1" rather than fetch's bare "fetch failed". */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** Resolves once `partPath` holds `bytes` bytes from `url`; throws a SourceFailure otherwise. */
export async function fetchPart(o: FetchPartOptions): Promise<void> {
  let offset = await sizeOf(o.partPath);
  if (offset > o.bytes) {
    await rm(o.partPath, { force: true });
    offset = 0;
  }
  if (offset === o.bytes) return;

  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => idle.abort(new Error(`no data for ${o.idleTimeoutMs / 1000} s`)),
      o.idleTimeoutMs,
    );
  };
  const signal = AbortSignal.any([o.signal, idle.signal]);
  arm();
  let response: Response;
  try {
    response = await fetch(o.url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      signal,
    });
  } catch (err) {
    clearTimeout(timer);
    if (o.signal.aborted) throw err;
    // Unreachable, refused, no such host: this source is out for now.
    throw new SourceFailure(
      idle.signal.aborted ? describe(idle.signal.reason) : describe(err),
      false,
    );
  }

  try {
    if (response.status === 416) {
      // The server's file ends before our part does: it is not the file we are after.
      throw new SourceFailure(
        `HTTP 416: the file there is smaller than ${offset} bytes`,
        false,
        true,
      );
    }
    if (response.status !== 200 && response.status !== 206) {
      throw new SourceFailure(`HTTP ${response.status} ${response.statusText}`.trim(), false);
    }
    if (response.status === 206) {
      const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (Number(start) !== offset) {
        throw new SourceFailure('answered a Range request with another range', false);
      }
    } else {
      offset = 0; // a server that ignores Range sends the whole file again
    }
    const length = response.headers.get('content-length');
    if (length !== null && !response.headers.has('content-encoding')) {
      if (offset + Number(length) !== o.bytes) {
        throw new SourceFailure(
          `serves ${offset + Number(length)} bytes, expected ${o.bytes}`,
          false,
          true,
        );
      }
    }
    if (!response.body) throw new SourceFailure('sent no body', false);
    o.onStart(offset);
    const file = await open(o.partPath, offset > 0 ? 'a' : 'w');
    try {
      for await (const chunk of response.body) {
        arm();
        if (offset + chunk.length > o.bytes) {
          throw new SourceFailure(`sends more than the expected ${o.bytes} bytes`, false, true);
        }
        await file.write(chunk);
        offset += chunk.length;
        o.onData(offset);
      }
    } finally {
      await file.close();
    }
    if (offset !== o.bytes) {
      throw new SourceFailure(`the connection ended after ${offset} of ${o.bytes} bytes`, true);
    }
  } catch (err) {
    if (o.signal.aborted || err instanceof SourceFailure) throw err;
    // Cut mid-body (reset, timeout): what arrived is kept, and the next attempt resumes.
    throw new SourceFailure(
      idle.signal.aborted ? describe(idle.signal.reason) : describe(err),
      true,
    );
  } finally {
    clearTimeout(timer);
    await response.body?.cancel().catch(() => {});
  }
}
