// The options that choose and configure the local server's recognizer, shared by `serve` and
// `transcribe` (which starts the local server when no --url is given).
import type { Command } from 'commander';
import { modelsDir } from '../core/models/paths.ts';
import { neuralEngineSettings } from '../core/models/local-engine.ts';
import { ENGINE_NAMES, type EngineName } from '../server/index.ts';
import { CliError } from './io.ts';
import { oneOf } from './options.ts';

export interface EngineCliOptions {
  engine?: EngineName;
  engineCommand?: string;
  engineUrl?: string;
  engineModel?: string;
  /** false with --no-live-partials. */
  livePartials?: boolean;
}

export function addEngineOptions(command: Command): Command {
  return command
    .option(
      '--engine <engine>',
      `recognizer of the local server: ${ENGINE_NAMES.join(' | ')} (default: the best installed model, else whisper.cpp, else pocketsphinx)`,
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
    .option(
      '--engine-model <model>',
      'sherpa: an installed model’s id (`tingxie models list`); openai: the model; whisper-cpp: the ggml model file',
    )
    .option(
      '--no-live-partials',
      'sherpa: no live text while speaking (by default an installed streaming model that speaks the language gives it, beside an offline model)',
    );
}

/** The `startLocalServer` options the engine flags stand for. Neural models are looked for in
 * `dataDir`'s models folder; `language` (a code, or 'auto') picks among them. */
export function engineSettings(
  options: EngineCliOptions,
  where: { dataDir: string; language?: string },
): { engine?: string; engineOptions: Record<string, unknown> } {
  const neural = neuralEngine(options, where);
  if (neural) return neural;
  const engineOptions: Record<string, unknown> = {};
  if (options.engineCommand) engineOptions.command = options.engineCommand.trim().split(/\s+/);
  if (options.engineUrl) engineOptions.url = options.engineUrl;
  if (options.engineModel) engineOptions.model = options.engineModel;
  if (process.env.TINGXIE_ENGINE_API_KEY) engineOptions.apiKey = process.env.TINGXIE_ENGINE_API_KEY;
  return { engine: options.engine, engineOptions };
}

function neuralEngine(
  options: EngineCliOptions,
  where: { dataDir: string; language?: string },
): { engine: string; engineOptions: Record<string, unknown> } | undefined {
  // Only `--engine sherpa`, or no engine named and no other engine's options given.
  const unnamed =
    !options.engine && !options.engineCommand && !options.engineUrl && !options.engineModel;
  if (options.engine !== 'sherpa' && !unnamed) return undefined;
  const locale =
    where.language && where.language !== 'auto'
      ? where.language
      : Intl.DateTimeFormat().resolvedOptions().locale;
  let settings;
  try {
    settings = neuralEngineSettings(modelsDir(where.dataDir), {
      modelId: options.engineModel,
      locale,
      livePartials: options.livePartials,
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (!settings && options.engine === 'sherpa') {
    throw new CliError(
      'No speech model is installed. Install one with `tingxie models pull sense-voice-small` (Chinese, English, Japanese, Korean, Cantonese), or see `tingxie models list`.',
    );
  }
  // Loaded for the language asked for, rather than loaded for 'auto' and again for it.
  if (settings && where.language && where.language !== 'auto') {
    return { ...settings, engineOptions: { ...settings.engineOptions, language: where.language } };
  }
  return settings;
}
