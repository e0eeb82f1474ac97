// Where a command writes: data on stdout, diagnostics on stderr. In-process tests pass their own.
import { createLogger, type Logger, type LogLevel } from '../core/log.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A failure that ends the command with a one-line reason on stderr and a non-zero exit. */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function stderrLogger(io: CliIo, level: LogLevel, secrets: (string | undefined)[]): Logger {
  return createLogger((line) => io.stderr(`${line}\n`), level, secrets);
}
