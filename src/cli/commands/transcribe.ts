// `tingxie transcribe FILE.wav`: streams a WAV through a RealtimeSession and prints each final
// transcript on its own line, in order — and nothing else — on stdout. Each transcript goes
// through the text pipeline (core/text: vocabulary, script, rules, punctuation, spacing) first;
// a vocabulary or rules file with a mistake is refused, with its lines, before anything is
// transcribed. With --clean-up, each rules text then goes to an OpenAI-compatible chat server
// (the LLM clean-up); past its budget or on any failure, the rules text is printed (the reason
// goes to stderr), never nothing. Transcripts stay in order while a clean-up runs.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleepUntil } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { readWavAsPcm16 } from '../../core/audio/wav.ts';
import { HistoryStore } from '../../core/history/index.ts';
import { createSystemInserter, type InsertMode } from '../../core/output/index.ts';
import { RealtimeSession } from '../../core/realtime/index.ts';
import { startLocalServer, type LocalServer } from '../../server/index.ts';
import {
  DEFAULT_VAD,
  DIALECTS,
  PROVIDER_IDS,
  PROVIDERS,
  presetConfig,
  type Dialect,
  type ProviderId,
  type SampleRate,
  type SessionConfig,
} from '../../shared/providers.ts';
import type { TranscriptEvent, TranscriptEventOf } from '../../shared/events.ts';
import { CLEANUP_PRESET_IDS, type CleanupPresetId } from '../../shared/llm-cleanup-presets.ts';
import {
  CLEANUP_BUDGET_MS,
  OUTPUT_SCRIPTS,
  type CleanUpSettings,
  type OutputScript,
} from '../../shared/settings.ts';
import { cleanUpOptions } from '../../core/dictation/clean-up-step.ts';
import { vocabularyKeywords } from '../../core/settings/session-config.ts';
import { DEFAULT_CLEANUP_BUDGET_MS, cleanUpText } from '../../core/text/llm-cleanup.ts';
import {
  EMPTY_VOCABULARY,
  createTextPipeline,
  describeProblems,
  parseRules,
  parseVocabulary,
  promptWithVocabulary,
  type FileParse,
  type TextOptions,
  type TextPipeline,
} from '../../core/text/index.ts';
import type { Logger } from '../../core/log.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../io.ts';
import { addEngineOptions, engineSettings, type EngineCliOptions } from '../engine-options.ts';
import { oneOf } from '../options.ts';

/** Audio goes out in chunks of this length (the protocol's normal range is 20–250 ms). */
const CHUNK_MS = 40;

export interface TranscribeOptions extends EngineCliOptions {
  provider: ProviderId;
  url?: string;
  apiKey?: string;
  dialect?: Dialect;
  model?: string;
  language: string;
  prompt?: string;
  vad: 'server' | 'none';
  rate?: SampleRate;
  speed: 'realtime' | 'max';
  json?: boolean;
  timeout: number;
  save?: boolean;
  insert?: InsertMode;
  vocabulary?: string;
  rules?: string;
  script: OutputScript;
  spacing: boolean;
  punctuationWidth: boolean;
  removeFillers?: boolean;
  removeTrailingPeriod?: boolean;
  cleanUp?: string;
  cleanUpModel?: string;
  cleanUpApiKey?: string;
  cleanUpPrompt?: string;
  cleanUpBudget: number;
}

export function registerTranscribeCommand(program: Command, context: CliContext): void {
  const command = program
    .command('transcribe')
    .description('transcribe a WAV file through a realtime server (the local one by default)')
    .argument('<file>', 'a WAV file of any sample rate and channel count')
    .option('--provider <p>', PROVIDER_IDS.join(' | '), oneOf(PROVIDER_IDS), 'local')
    .option(
      '--url <url>',
      'realtime WebSocket URL (default: the provider preset, or a local server started in-process)',
    )
    // From the environment rather than a default value: help text shows defaults, never this.
    .addOption(new Option('--api-key <key>', 'API key').env('TINGXIE_API_KEY'))
    .option('--dialect <d>', DIALECTS.join(' | '), oneOf(DIALECTS))
    .option('--model <m>', 'transcription model')
    .option('--language <l>', 'auto, or a language code such as zh or en', 'auto')
    .option('--prompt <text>', 'transcription hint (vocabulary, names)')
    .option(
      '--vad <mode>',
      'server: the server detects turns; none: one turn per file',
      oneOf(['server', 'none'] as const),
      'server',
    )
    .option(
      '--rate <hz>',
      '16000 | 24000 (default: the provider preset)',
      (v) => Number(oneOf(['16000', '24000'] as const)(v)) as SampleRate,
    )
    .option(
      '--speed <s>',
      'realtime: pace audio like a microphone; max: as fast as possible',
      oneOf(['realtime', 'max'] as const),
      'max',
    )
    .option('--json', 'print one JSON object per event instead of transcripts')
    .option(
      '--timeout <s>',
      'seconds to wait for the last transcripts after the audio ends',
      Number,
      60,
    )
    .option('--save', 'record the transcripts in the history (see --data-dir)')
    .option(
      '--insert <mode>',
      'also insert each transcript into the focused window: paste | type | copy',
      oneOf(['paste', 'type', 'copy'] as const),
    )
    .option(
      '--vocabulary <file>',
      'terms, one a line: "term" or "term = heard as, heard as" (in the prompt, and replaced)',
    )
    .option('--rules <file>', 'replacement rules, one a line: "pattern => replacement"')
    .option(
      '--script <s>',
      `Chinese script of the text: ${OUTPUT_SCRIPTS.join(' | ')}`,
      oneOf(OUTPUT_SCRIPTS),
      'as-is',
    )
    .option('--no-spacing', 'no space between Chinese and Latin text')
    .option('--no-punctuation-width', 'leave the width of punctuation as the server wrote it')
    .option('--remove-fillers', 'remove fillers (嗯, 呃, um, uh…)')
    .option(
      '--remove-trailing-period',
      'remove the 。 or . that ends a transcript of a single sentence',
    )
    .option('--clean-up <url>', 'clean each text up with an OpenAI-compatible chat API (…/v1)')
    .option('--clean-up-model <m>', 'the clean-up chat model')
    .addOption(
      new Option('--clean-up-api-key <key>', 'clean-up API key').env('TINGXIE_CLEANUP_API_KEY'),
    )
    .option(
      '--clean-up-prompt <p>',
      `the clean-up prompt: ${CLEANUP_PRESET_IDS.join(' | ')}, or your own text`,
    )
    .option(
      '--clean-up-budget <ms>',
      `time for each clean-up; past it, the rules text (${CLEANUP_BUDGET_MS.min}–${CLEANUP_BUDGET_MS.max})`,
      budgetMs,
      DEFAULT_CLEANUP_BUDGET_MS,
    );
  addEngineOptions(command).action(async (file: string, options: TranscribeOptions) => {
    await transcribe(file, options, context);
  });
}

function budgetMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < CLEANUP_BUDGET_MS.min || ms > CLEANUP_BUDGET_MS.max) {
    throw new InvalidArgumentError(
      `Give a whole number of milliseconds from ${CLEANUP_BUDGET_MS.min} to ${CLEANUP_BUDGET_MS.max}.`,
    );
  }
  return ms;
}

/** The clean-up the flags ask for, or undefined without --clean-up. */
function cleanUpSettings(options: TranscribeOptions): CleanUpSettings | undefined {
  if (options.cleanUp === undefined) {
    if (options.cleanUpModel !== undefined || options.cleanUpPrompt !== undefined)
      throw new CliError('--clean-up-model and --clean-up-prompt need --clean-up URL.');
    return undefined;
  }
  if (!/^https?:\/\/\S+$/u.test(options.cleanUp))
    throw new CliError(
      `--clean-up takes the chat API's http:// or https:// base URL (like http://127.0.0.1:11434/v1), not "${options.cleanUp}".`,
    );
  if (!options.cleanUpModel?.trim())
    throw new CliError('--clean-up needs --clean-up-model: the chat model to clean up with.');
  const prompt = options.cleanUpPrompt ?? 'punctuation';
  const preset = (CLEANUP_PRESET_IDS as readonly string[]).includes(prompt);
  return {
    enabled: true,
    server: 'custom',
    baseUrl: options.cleanUp,
    model: options.cleanUpModel.trim(),
    promptPreset: preset ? (prompt as CleanupPresetId) : 'custom',
    prompt: preset ? '' : prompt,
    budgetMs: options.cleanUpBudget,
  };
}

function sessionConfig(options: TranscribeOptions, url: string, text: TextOptions): SessionConfig {
  const config = presetConfig(options.provider, {
    url,
    apiKey: options.apiKey,
    ...(options.dialect && { dialect: options.dialect }),
    ...(options.model && { model: options.model }),
    ...(options.rate && { sampleRate: options.rate }),
    language: options.language,
    prompt: promptWithVocabulary(options.prompt, text.vocabulary, options.language),
    vad: options.vad === 'server' ? { ...DEFAULT_VAD } : null,
  });
  return { ...config, ...vocabularyKeywords(config.model, text.vocabulary) };
}

/** A vocabulary or rules file, parsed; a file that cannot be read, or with a mistake, is
 * refused with what to fix ("rules.txt: 1 mistake, so none of its lines are used:\n  line 3: …"). */
async function readTextFile<T>(
  path: string,
  what: string,
  parse: (text: string) => FileParse<T>,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`Could not read the ${what} file ${path}: ${(err as Error).message}`);
  }
  const parsed = parse(text);
  if (!parsed.ok) throw new CliError(describeProblems(basename(path), parsed.problems));
  return parsed.value;
}

/** The text pipeline's options from the flags and files. */
async function textOptions(options: TranscribeOptions): Promise<TextOptions> {
  return {
    script: options.script,
    spacing: options.spacing,
    punctuationWidth: options.punctuationWidth,
    removeFillers: options.removeFillers ?? false,
    removeTrailingPeriod: options.removeTrailingPeriod ?? false,
    vocabulary: options.vocabulary
      ? await readTextFile(options.vocabulary, 'vocabulary', parseVocabulary)
      : EMPTY_VOCABULARY,
    rules: options.rules ? await readTextFile(options.rules, 'rules', parseRules) : [],
  };
}

async function transcribe(
  file: string,
  options: TranscribeOptions,
  context: CliContext,
): Promise<void> {
  const { io } = context;
  const log = context.logger([options.apiKey, options.cleanUpApiKey]);
  // Before anything is transcribed: a file or a flag with a mistake ends the command here.
  const cleanUp = cleanUpSettings(options);
  const text = await textOptions(options);
  const pipeline: TextPipeline = await createTextPipeline(text).catch((err: Error) => {
    throw new CliError(err.message);
  });
  const sampleRate = options.rate ?? PROVIDERS[options.provider].sampleRate;
  const audio = await readWavAsPcm16(file, sampleRate).catch((err: Error) => {
    throw new CliError(err.message);
  });

  let server: LocalServer | undefined;
  let url = options.url ?? PROVIDERS[options.provider].url;
  if (!url) {
    if (options.provider !== 'local') {
      throw new CliError(`The ${options.provider} provider needs a server address: pass --url.`);
    }
    server = await startLocalServer({
      ...engineSettings(options, { dataDir: context.dataDir(), language: options.language }),
      log,
    });
    url = server.url;
  }

  const config = sessionConfig(options, url, text);
  const session = new RealtimeSession({ config, log });
  const save = options.save ? transcriptSaver(context, config, audio, log) : undefined;
  const insert = options.insert ? transcriptInserter(options.insert, log) : undefined;
  let failed = 0;
  const json = (event: TranscriptEvent) => io.stdout(`${JSON.stringify(event)}\n`);
  if (options.json) {
    // A completed turn is printed with its final text, once the pipeline ran (below).
    session.onEvent((event) => event.type !== 'completed' && json(event));
  }
  session.on('speech_started', (e) => save?.heard(e.itemId, { startMs: e.audioStartMs }));
  session.on('speech_stopped', (e) => save?.heard(e.itemId, { endMs: e.audioEndMs }));
  /** The rules text → the text to print: cleaned up, or as it is. */
  const clean = async (rules: string): Promise<string> => {
    if (!cleanUp || !rules.trim()) return rules;
    const request = cleanUpOptions(cleanUp, text.vocabulary, rules, options.cleanUpApiKey, log);
    return (await cleanUpText(rules, request)).text;
  };
  /** Turns are printed in order, each once its clean-up is done (cleaned up side by side). */
  let printed = Promise.resolve();
  session.on('completed', (e) => {
    const rules = pipeline(e.transcript).final;
    const cleaned = clean(rules);
    printed = printed.then(async () => {
      const final = await cleaned;
      const completed = { ...e, transcript: final, rawTranscript: e.transcript };
      // Saved first: whatever happens next, the transcript is on disk.
      save?.completed(completed, rules);
      if (options.json) json(completed);
      // One transcript, one line: a newline inside a transcript would break the contract.
      const line = final.replace(/\s*[\r\n]+\s*/g, ' ').trim();
      if (!line) return;
      if (!options.json) io.stdout(`${line}\n`);
      insert?.(line);
    });
  });
  session.on('failed', (e) => {
    failed++;
    save?.failed(e);
    log.error(`a turn could not be transcribed: ${e.error.message} (${e.error.code})`);
  });
  session.on('error', (e) => (e.fatal ? log.error : log.warn)(e.error.message));

  try {
    await session.connect();
    await stream(session, audio, sampleRate, options.speed);
    await session.stop({ timeoutMs: options.timeout * 1000 });
    await printed;
    await insert?.done();
  } finally {
    session.close();
    save?.close();
    await server?.close();
  }
  if (failed > 0) throw new CliError(`${failed} turn(s) could not be transcribed.`);
}

async function stream(
  session: RealtimeSession,
  audio: Int16Array,
  rate: number,
  speed: 'realtime' | 'max',
): Promise<void> {
  const chunk = (rate * CHUNK_MS) / 1000;
  const start = performance.now();
  for (let i = 0, n = 0; i < audio.length; i += chunk, n++) {
    if (speed === 'realtime') {
      // Paced by the clock, not by summed delays, so that the stream does not drift.
      const due = start + n * CHUNK_MS - performance.now();
      if (due > 0) await sleepUntil(due);
    }
    session.append(audio.subarray(i, i + chunk));
  }
}

/** Records each turn in the history store as its result arrives (`--save`). */
function transcriptSaver(
  context: CliContext,
  config: SessionConfig,
  audio: Int16Array,
  log: Logger,
) {
  const store = HistoryStore.open(context.dataDir(), { log });
  if (store.notice) log.warn(store.notice);
  const dictationId = randomUUID();
  const spans = new Map<string, { startMs?: number; endMs?: number }>();
  const base = {
    provider: config.provider,
    model: config.model,
    language: config.language,
    dictationId,
  };
  const sample = (ms: number) => Math.round((ms * config.sampleRate) / 1000);
  return {
    heard(itemId: string, span: { startMs?: number; endMs?: number }) {
      spans.set(itemId, { ...spans.get(itemId), ...span });
    },
    /** `rules`: the text before the clean-up. */
    completed(e: TranscriptEventOf<'completed'>, rules: string) {
      const span = spans.get(e.itemId);
      // A turn of fillers alone leaves no text to keep.
      if (!e.transcript.trim()) return;
      store.add({
        ...base,
        text: e.transcript,
        rawText: e.rawTranscript ?? e.transcript,
        rulesText: rules,
        confidence: e.confidence ?? null,
        audioStartMs: e.audioStartMs ?? span?.startMs,
        audioEndMs: e.audioEndMs ?? span?.endMs,
      });
    },
    failed(e: TranscriptEventOf<'failed'>) {
      // Keep the turn's audio (when the server said where it is) so that it can be retried.
      const { startMs, endMs } = spans.get(e.itemId) ?? {};
      const turnAudio =
        startMs === undefined
          ? undefined
          : {
              samples: audio.subarray(
                sample(startMs),
                endMs === undefined ? undefined : sample(endMs),
              ),
              sampleRate: config.sampleRate,
            };
      store.add(
        {
          ...base,
          text: '',
          status: 'failed',
          failureReason: e.error.message,
          audioStartMs: startMs,
          audioEndMs: endMs,
        },
        turnAudio,
      );
    },
    close: () => store.close(),
  };
}

/** Inserts each transcript into the focused window, one after the other (`--insert`). */
function transcriptInserter(mode: InsertMode, log: Logger) {
  const inserter = createSystemInserter({ log });
  let queue = Promise.resolve();
  const insert = (text: string) => {
    queue = queue.then(async () => {
      const result = await inserter.insert(text, { mode, trailingSpace: true });
      if (!result.ok)
        log.warn(result.notice ?? 'The transcript could not be inserted; it is on the clipboard.');
    });
  };
  insert.done = () => queue;
  return insert;
}
