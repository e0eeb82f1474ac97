// whisper.cpp's command-line tool: `whisper-cli` (older builds: `main`) with a ggml model.
// Found through options, then WHISPER_CPP_CLI / WHISPER_CPP_MODEL, then PATH.
import { existsSync } from 'node:fs';
import { CommandEngine } from './command.ts';
import { findCommand } from './find-command.ts';

export interface WhisperCppOptions {
  /** Path or name of the CLI (`whisper-cli`, or whisper.cpp's older `main`). */
  cli?: string;
  /** Path of a ggml model file, e.g. ggml-base.en.bin. */
  model?: string;
}

export interface WhisperCppInstall {
  cli: string;
  model: string;
}

/** The CLI and model to use, or a sentence saying which one is missing. */
export function findWhisperCpp(options: WhisperCppOptions = {}): WhisperCppInstall | string {
  const cliName = options.cli ?? process.env.WHISPER_CPP_CLI;
  // A bare `main` on PATH could be anything: it is only used when named explicitly.
  const cli = cliName ? findCommand(cliName) : findCommand('whisper-cli');
  if (!cli) {
    return `whisper.cpp's CLI was not found (${cliName ?? 'whisper-cli'}); put it on PATH or set WHISPER_CPP_CLI.`;
  }
  const model = options.model ?? process.env.WHISPER_CPP_MODEL;
  if (!model) return 'No whisper.cpp model given; set WHISPER_CPP_MODEL to a ggml model file.';
  if (!existsSync(model)) return `The whisper.cpp model ${model} does not exist.`;
  return { cli, model };
}

export function whisperCppEngine(install: WhisperCppInstall): CommandEngine {
  return new CommandEngine({
    name: 'whisper-cpp',
    // -nt: no timestamps, so stdout is the plain transcript. whisper.cpp accepts `-l auto`.
    command: [install.cli, '-m', install.model, '-l', '{language}', '-nt', '-f', '{wav}'],
    sampleRate: 16000,
  });
}
