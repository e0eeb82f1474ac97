import type { Logger } from '../core/log.ts';
import type { CliIo } from './io.ts';

/** What every command gets from the entry point. */
export interface CliContext {
  io: CliIo;
  /** A stderr logger that scrubs the given secrets. */
  logger(secrets: (string | undefined)[]): Logger;
  /** The folder of the transcript store (`--data-dir`, or the app's own). */
  dataDir(): string;
}
