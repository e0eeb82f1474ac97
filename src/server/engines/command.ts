// The generic engine: runs a configured command line on each turn's WAV file, in a child
// process (so recognition never blocks the event loop); its stdout is the transcript.
import { execFile } from 'node:child_process';
import { TranscriptionError } from './engine.ts';
import type { TranscriptionEngine, TranscriptionRequest } from './engine.ts';

export interface CommandEngineOptions {
  /** argv; `{wav}` is replaced by the turn's WAV path (appended when absent),
   * `{language}` by the session language. */
  command: readonly string[];
  /** Resample turns to this rate before running the command (default: the session's rate). */
  sampleRate?: number;
  name?: string;
  /** Turn the command's stdout into the transcript (default: lines joined by spaces). */
  parse?: (stdout: string) => string;
}

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export function joinLines(stdout: string): string {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

export class CommandEngine implements TranscriptionEngine {
  readonly name: string;
  readonly sampleRate?: number;
  private readonly command: readonly string[];
  private readonly parse: (stdout: string) => string;

  constructor(options: CommandEngineOptions) {
    if (options.command.length === 0 || !options.command[0]) {
      throw new Error('The command engine needs a command, e.g. ["my-asr", "--wav", "{wav}"].');
    }
    this.command = options.command;
    this.name = options.name ?? 'command';
    this.sampleRate = options.sampleRate;
    this.parse = options.parse ?? joinLines;
  }

  async transcribe(request: TranscriptionRequest): Promise<string> {
    const wavPath = await request.wavFile();
    const hasWav = this.command.some((a) => a.includes('{wav}'));
    const argv = this.command.map((a) =>
      a.replaceAll('{wav}', wavPath).replaceAll('{language}', request.language),
    );
    if (!hasWav) argv.push(wavPath);
    const [file, ...args] = argv as [string, ...string[]];
    return new Promise((resolve, reject) => {
      execFile(
        file,
        args,
        { signal: request.signal, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true },
        (err, stdout, stderr) => {
          if (!err) return resolve(this.parse(stdout));
          reject(this.describe(file, err, stderr, request.signal.aborted));
        },
      );
    });
  }

  private describe(file: string, err: Error, stderr: string, aborted: boolean): TranscriptionError {
    const e = err as NodeJS.ErrnoException & { code?: string | number };
    if (aborted) {
      return new TranscriptionError(
        'engine_timeout',
        `${this.name}: transcription was stopped before it finished.`,
      );
    }
    if (e.code === 'ENOENT') {
      return new TranscriptionError(
        'engine_failed',
        `${this.name}: command not found: ${file}. Install it or check the engine's command.`,
      );
    }
    const lastLine = stderr.trim().split(/\r?\n/).at(-1)?.slice(0, 200).replace(/\.$/, '');
    const exit =
      typeof e.code === 'number' ? `exited with code ${e.code}` : `failed (${e.message})`;
    return new TranscriptionError(
      'engine_failed',
      `${this.name}: ${file} ${exit}${lastLine ? `: ${lastLine}` : ''}.`,
    );
  }
}
