// A small logger interface that every core service takes, so that the CLI can log to stderr,
// main to a file, and tests to nothing — and so that secrets are scrubbed in one place.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export type LogLevel = keyof Logger;
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Replaces every occurrence of each secret (API keys, tokens) with a mask. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('«redacted»');
  return out;
}

/** A logger that writes `[tingxie] level: message` lines through `write`, from `level` up,
 * with the given secrets scrubbed from every line. */
export function createLogger(
  write: (line: string) => void,
  level: LogLevel = 'info',
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const min = LEVELS.indexOf(level);
  const at =
    (l: LogLevel) =>
    (message: string): void => {
      if (LEVELS.indexOf(l) >= min) write(`[tingxie] ${l}: ${redact(message, secrets)}`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
