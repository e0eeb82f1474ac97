// The options that choose and configure the local server's recognizer, shared by `serve` and
// `transcribe` (which starts the local server when no --url is given).
import type { Command } from 'commander';
import { ENGINE_NAMES, type EngineName } from '../server/index.ts';
import { oneOf } from './options.ts';

export interface EngineCliOptions {
  engine?: EngineName;
  engineCommand?: string;
  engineUrl?: string;
  engineModel?: string;
}

export function addEngineOptions(command: Command): Command {
  return command
    .option(
      '--engine <engine>',
      `recognizer of the local server: ${ENGINE_NAMES.join(' | ')} (default: the best installed)`,
      oneOf(ENGINE_NAMES),
    )
    .option(
      '--engine-command <cmdline>',
      'command engine: the program and arguments (split at spaces) run on each turn; {wav} is the turn’s WAV file, {language} its language',
    )
    .option(
      '--engine-url <url>',
      'openai engine: an OpenAI-compatible API, e.g. https://api.openai.com/v1 (key: $TINGXIE_ENGINE_API_KEY)',
    )
    .option('--engine-model <model>', 'openai engine: the model; whisper-cpp: the ggml model file');
}

/** The `startLocalServer` options the engine flags stand for. */
export function engineSettings(options: EngineCliOptions): {
  engine?: string;
  engineOptions: Record<string, unknown>;
} {
  const engineOptions: Record<string, unknown> = {};
  if (options.engineCommand) engineOptions.command = options.engineCommand.trim().split(/\s+/);
  if (options.engineUrl) engineOptions.url = options.engineUrl;
  if (options.engineModel) engineOptions.model = options.engineModel;
  if (process.env.TINGXIE_ENGINE_API_KEY) engineOptions.apiKey = process.env.TINGXIE_ENGINE_API_KEY;
  return { engine: options.engine, engineOptions };
}
