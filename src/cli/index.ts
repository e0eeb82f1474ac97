#!/usr/bin/env node
// The `tingxie` command line: the same core as the app, without a window.
//   npm run --silent cli -- transcribe FILE.wav   |   serve   |   history …
import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerHistoryCommands } from './commands/history.ts';
import { registerModelsCommands } from './commands/models.ts';
import { defaultDataDir } from '../core/history/paths.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTranscribeCommand } from './commands/transcribe.ts';
import type { CliContext } from './context.ts';
import { CliError, processIo, stderrLogger, type CliIo } from './io.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command('tingxie')
    .description('Tingxie (听写): realtime dictation from the command line')
    .option(
      '--data-dir <dir>',
      'folder of the transcript store and the speech models (default: the app’s own)',
    )
    .option('-v, --verbose', 'log debugging detail on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const context: CliContext = {
    io,
    logger: (secrets) => stderrLogger(io, program.opts().verbose ? 'debug' : 'info', secrets),
    dataDir: () => {
      const dir = program.opts().dataDir as string | undefined;
      return dir ? resolve(dir) : defaultDataDir();
    },
  };
  registerTranscribeCommand(program, context);
  registerServeCommand(program, context);
  registerHistoryCommands(program, context);
  registerModelsCommands(program, context);
  for (const command of program.commands) {
    command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
  }
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode; // commander already said why
    if (err instanceof CliError) {
      io.stderr(`tingxie: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`tingxie: ${message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Exit explicitly: a recognizer's worker threads must not keep a finished command alive.
  // (stdout and stderr are synchronous for files and pipes on Linux and macOS, so nothing is cut.)
  process.exit(await runCli(process.argv.slice(2)));
}
