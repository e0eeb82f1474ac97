// Chooses the recognizer: the one named, or the best one installed (sherpa-onnx when a neural
// model is given, whisper.cpp when its CLI and a model are found, else pocketsphinx), and says
// why.
import type { Logger } from '../../core/log.ts';
import { CommandEngine } from './command.ts';
import { EngineUnavailableError } from './engine.ts';
import type { TranscriptionEngine } from './engine.ts';
import { OpenAiEngine } from './openai.ts';
import { pocketsphinxEngine, pocketsphinxInstalled, POCKETSPHINX_CLI } from './pocketsphinx.ts';
import { SherpaEngine } from './sherpa.ts';
import { isLocalModel } from './sherpa-config.ts';
import { findWhisperCpp, whisperCppEngine } from './whisper-cpp.ts';

export const ENGINE_NAMES = ['sherpa', 'pocketsphinx', 'whisper-cpp', 'command', 'openai'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export function createEngine(
  name: string | undefined,
  options: Record<string, unknown>,
  log: Logger,
): TranscriptionEngine {
  switch (name) {
    case undefined:
      return pickInstalledEngine(options, log);
    case 'sherpa':
      return sherpaEngine(options, log);
    case 'pocketsphinx':
      if (!pocketsphinxInstalled()) {
        throw new EngineUnavailableError(
          `${POCKETSPHINX_CLI} was not found. Install pocketsphinx (apt-get install pocketsphinx pocketsphinx-en-us).`,
        );
      }
      return pocketsphinxEngine();
    case 'whisper-cpp': {
      const found = findWhisperCpp({ cli: str(options.cli), model: str(options.model) });
      if (typeof found === 'string') throw new EngineUnavailableError(found);
      return whisperCppEngine(found);
    }
    case 'command': {
      const command = options.command;
      if (!Array.isArray(command) || !command.every((a) => typeof a === 'string')) {
        throw new Error(
          'The command engine needs engineOptions.command, an argv array such as ["my-asr", "{wav}"].',
        );
      }
      const rate = options.sampleRate;
      return new CommandEngine({
        command,
        sampleRate: typeof rate === 'number' ? rate : undefined,
      });
    }
    case 'openai':
      return new OpenAiEngine({
        url: str(options.url) ?? '',
        apiKey: str(options.apiKey),
        model: str(options.model),
      });
    default:
      throw new Error(`Unknown engine "${name}". Choose one of: ${ENGINE_NAMES.join(', ')}.`);
  }
}

function pickInstalledEngine(options: Record<string, unknown>, log: Logger): TranscriptionEngine {
  if (isLocalModel(options.model)) {
    log.info(`Transcription engine: sherpa (model ${options.model.id}).`);
    return sherpaEngine(options, log);
  }
  const whisper = findWhisperCpp({ cli: str(options.cli), model: str(options.model) });
  if (typeof whisper !== 'string') {
    log.info(`Transcription engine: whisper-cpp (${whisper.cli}, model ${whisper.model}).`);
    return whisperCppEngine(whisper);
  }
  if (pocketsphinxInstalled()) {
    log.info(`Transcription engine: pocketsphinx (whisper.cpp not used: ${whisper})`);
    return pocketsphinxEngine();
  }
  throw new EngineUnavailableError();
}

/** `sherpa`: { model: LocalModel, punctuation?: LocalModel, streaming?: LocalModel,
 * livePartials?: boolean, numThreads?, language? }. */
function sherpaEngine(options: Record<string, unknown>, log: Logger): SherpaEngine {
  const { model, punctuation, streaming, livePartials, numThreads } = options;
  if (!isLocalModel(model)) {
    throw new Error(
      'The sherpa engine needs engineOptions.model, an installed model ({ id, kind, files, languages }).',
    );
  }
  if (punctuation !== undefined && !isLocalModel(punctuation)) {
    throw new Error(
      'engineOptions.punctuation must be an installed punctuation model ({ id, kind, files, languages }).',
    );
  }
  if (streaming !== undefined && !isLocalModel(streaming)) {
    throw new Error(
      'engineOptions.streaming must be an installed streaming model ({ id, kind, files, languages }).',
    );
  }
  return new SherpaEngine({
    model,
    punctuation,
    streaming,
    livePartials: livePartials !== false,
    numThreads:
      Number.isInteger(numThreads) && Number(numThreads) > 0 ? Number(numThreads) : undefined,
    language: str(options.language),
    log,
  });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
