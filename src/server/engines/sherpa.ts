// Neural recognition through sherpa-onnx (SenseVoice, Paraformer + punctuation, Whisper,
// Parakeet TDT, and streaming models on whole turns). One model is loaded, once, in a process
// of its own (sherpa-worker.ts), shared by every connection: turns are decoded there one after
// another, so the server's VAD and sockets never wait on a decode, and a model file that makes
// sherpa-onnx end its process (a corrupt .onnx does) fails turns with a message instead of
// ending the server. Beside it, a streaming model can follow each turn while it is spoken (live
// text, the first of two passes); the turn's text is still the model's decode of the whole turn.
// A transducer also hears a session's keywords as hotwords (sherpa-hotwords.ts): Parakeet's on
// each turn's stream, a streaming zipformer's in its config (loaded again when they change; its
// live pass, when it is the same model, follows the next turns with them too).
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav, downmix } from '../../core/audio/wav.ts';
import { silentLogger } from '../../core/log.ts';
import type { Logger } from '../../core/log.ts';
import type { LocalModel } from '../../core/models/model-types.ts';
import { EngineUnavailableError, TranscriptionError } from './engine.ts';
import type { LiveTranscription, TranscriptionEngine, TranscriptionRequest } from './engine.ts';
import {
  languageHint,
  missingFiles,
  punctuationConfig,
  recognizerConfig,
  takesHotwords,
} from './sherpa-config.ts';
import type { HotwordsSetup } from './sherpa-config.ts';
import { HotwordVocabulary } from './sherpa-hotwords.ts';
import type { StreamReply, WorkerReply, WorkerRequest } from './sherpa-worker.ts';

export interface SherpaEngineOptions {
  model: LocalModel;
  /** A CT-Transformer model that punctuates the text (for Paraformer, which has none). */
  punctuation?: LocalModel;
  /** ONNX Runtime threads per decode. Default: the cores, at most 4. */
  numThreads?: number;
  /** The language turns are expected in ('auto' by default): SenseVoice is loaded with it, and
   * loaded again when a turn asks for another. */
  language?: string;
  /** A streaming model that gives live text while a turn is spoken. Default: the model itself,
   * when it is a streaming one. */
  streaming?: LocalModel;
  /** false: no live text, even from a streaming model. Default true. */
  livePartials?: boolean;
  log?: Logger;
}

/** The live pass runs on one thread: the turns' decodes keep the other cores. */
const LIVE_THREADS = 1;

/** How much of the recognizer's stderr is kept, for the reason it stopped. */
const STDERR_KEPT = 4096;

export class SherpaEngine implements TranscriptionEngine {
  readonly name = 'sherpa';
  /** The rate every model here was trained at (turns come resampled to it). */
  readonly sampleRate = 16000;
  private readonly model: LocalModel;
  private readonly punctuation?: LocalModel;
  private readonly numThreads: number;
  private readonly log: Logger;
  private worker?: ChildProcess;
  /** The language hint the loaded model was given (SenseVoice takes it when it loads). */
  private loadedHint?: string;
  /** Whether the loaded model searches with hotwords in mind (loaded so at the first turn that
   * has keywords; a model that takes them per turn stays so: greedy search until then). */
  private loadedForHotwords = false;
  /** The hotwords a model that takes them when it loads was loaded with. */
  private loadedHotwords?: string;
  /** How this model spells hotwords, or why it takes none; prepared at the first keywords. */
  private hotwordSpelling?: { vocabulary: HotwordVocabulary; setup: HotwordsSetup } | string;
  /** A folder for the sentencepiece vocabulary made for the model, removed at close. */
  private hotwordsDir?: string;
  /** The keywords whose dropped terms were last logged (said once, not every turn). */
  private loggedKeywords?: string;
  /** Set once the model failed to load: every later turn fails with it. */
  private loadError?: EngineUnavailableError;
  private waiting?: { resolve(reply: WorkerReply): void; reject(error: Error): void };
  private stderr = '';
  /** Turns run one after another; this settles when the last one queued has. */
  private queue: Promise<unknown>;
  private readonly loading: Promise<void>;
  private closed = false;
  /** The streaming model of the live pass, while it is wanted and has not failed. */
  private live?: LocalModel;
  /** The process the live pass's model is loaded in. */
  private liveIn?: ChildProcess;
  private nextStream = 0;
  /** Each open live stream's listener, by the id the recognizer's process knows it by. */
  private readonly streams = new Map<number, (text: string) => void>();

  /** Throws EngineUnavailableError when a file of the model is missing. Starts loading it. */
  constructor(options: SherpaEngineOptions) {
    this.model = options.model;
    this.punctuation = options.punctuation;
    this.numThreads = options.numThreads ?? Math.min(4, availableParallelism());
    this.log = options.log ?? silentLogger;
    const missing =
      missingFiles(this.model, 'recognizer') ??
      (this.punctuation && missingFiles(this.punctuation, 'punctuation'));
    if (missing) throw new EngineUnavailableError(missing);
    const live =
      options.livePartials === false
        ? undefined
        : (options.streaming ?? (isStreaming(this.model) ? this.model : undefined));
    if (live) {
      const why = isStreaming(live)
        ? missingFiles(live, 'recognizer')
        : `"${live.id}" (${live.kind}) is not a streaming model; choose a streaming one.`;
      if (why) this.liveOff(why.replace(/^The model/, 'the model'));
      else this.live = live;
    }
    // Loaded now rather than on the first turn, so that the first dictation does not wait.
    this.loading = this.ensureLoaded(languageHint(this.model, options.language ?? 'auto'));
    this.queue = this.loading.catch(() => undefined);
  }

  /** Resolves once the model is loaded; rejects with EngineUnavailableError if it cannot be. */
  ready(): Promise<void> {
    return this.loading;
  }

  transcribe(request: TranscriptionRequest): Promise<string> {
    if (this.closed) {
      return Promise.reject(
        new TranscriptionError('engine_failed', 'sherpa: the engine is closed.'),
      );
    }
    const hint = languageHint(this.model, request.language);
    const hotwords = this.hotwordsFor(request.keywords);
    const turn = this.queue.then(async () => {
      // A turn given up while it waited is not decoded at all.
      if (request.signal.aborted) throw aborted();
      const wav = decodeWav(request.wav);
      try {
        await this.ensureLoaded(hint, hotwords);
      } catch (err) {
        throw new TranscriptionError('engine_failed', `sherpa: ${(err as Error).message}`);
      }
      return this.decode(downmix(wav), wav.sampleRate, hotwords);
    });
    this.queue = turn.catch(() => undefined);
    // A turn given up while it is decoded is answered now; its decode runs on, unread.
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      request.signal.addEventListener('abort', onAbort, { once: true });
      turn
        .then(resolve, reject)
        .finally(() => request.signal.removeEventListener('abort', onAbort));
    });
  }

  /** A session's keywords: the model is loaded to search with them now, while the session is
   * spoken (queued like a turn), rather than when its first turn is decoded. */
  prepare(settings: { language: string; keywords?: readonly string[] }): void {
    const hotwords = this.hotwordsFor(settings.keywords);
    if (this.closed || hotwords === undefined) return;
    const hint = languageHint(this.model, settings.language);
    // A failure is the next turn's to report (the model's load error stays).
    const loaded = this.queue.then(() => this.ensureLoaded(hint, hotwords));
    this.queue = loaded.catch(() => undefined);
  }

  /** Follows a turn while it is spoken (from the time its streaming model is loaded, when the
   * turn came first); undefined without one. Audio is 16 kHz; `onText` gets the whole text so
   * far when it changes. */
  startLive(onText: (text: string) => void): LiveTranscription | undefined {
    const worker = this.worker;
    if (this.closed || !this.live || !worker) return undefined;
    const stream = ++this.nextStream;
    this.streams.set(stream, onText);
    const post = (request: WorkerRequest) => {
      // A stream lives in one process: a new one (after a crash) knows nothing of it.
      if (this.worker === worker && worker.connected) worker.send(request);
    };
    post({ type: 'stream-open', stream });
    return {
      accept: (samples) => post({ type: 'stream-audio', stream, samples, sampleRate: 16000 }),
      close: () => {
        if (this.streams.delete(stream)) post({ type: 'stream-close', stream });
      },
    };
  }

  /** Stops the recognizer's process (the model is unloaded). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.hotwordsDir) rmSync(this.hotwordsDir, { recursive: true, force: true });
    const worker = this.worker;
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.kill();
    await exited;
  }

  /** Loads the model for `hint` and, with `hotwords` (from hotwordsFor), to search with them:
   * a model that takes them per turn is loaded so once; one that takes them when it loads is
   * loaded again whenever they change. */
  private async ensureLoaded(hint: string, hotwords?: string): Promise<void> {
    if (this.loadError) throw this.loadError;
    const perTurn = takesHotwords(this.model.kind) === 'per-turn';
    const spelling = typeof this.hotwordSpelling === 'object' ? this.hotwordSpelling : undefined;
    const beam =
      spelling !== undefined && (hotwords !== undefined || (perTurn && this.loadedForHotwords));
    const atLoad = beam && !perTurn ? hotwords : undefined;
    if (
      this.worker &&
      this.loadedHint === hint &&
      this.loadedForHotwords === beam &&
      this.loadedHotwords === atLoad
    ) {
      return;
    }
    const setup = spelling && beam ? { ...spelling.setup, hotwords: atLoad } : undefined;
    const request: WorkerRequest = {
      type: 'load',
      recognizer: recognizerConfig(this.model, hint, this.numThreads, setup),
      punctuation: this.punctuation && punctuationConfig(this.punctuation, this.numThreads),
    };
    let reply: WorkerReply;
    try {
      reply = await this.ask(request);
    } catch (err) {
      if (setup) return this.hotwordsFailed(hint, lastError(this.stderr) ?? (err as Error).message);
      throw this.failedToLoad((err as Error).message);
    }
    if (reply.type !== 'loaded') {
      // sherpa-onnx explains on stderr; give it a moment to arrive after the reply.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const why = lastError(this.stderr) ?? ('message' in reply ? reply.message : undefined);
      if (setup) return this.hotwordsFailed(hint, why ?? 'its recognizer did not start');
      throw this.failedToLoad(why);
    }
    this.loadedHint = hint;
    this.loadedForHotwords = beam;
    this.loadedHotwords = atLoad;
    const count = atLoad?.split('/').length ?? 0;
    const terms = count ? ` (${count} hotword${count === 1 ? '' : 's'})` : '';
    this.log.info(
      reply.reconfigured
        ? `sherpa: model ${this.model.id} switched to ${hint ? `language ${hint}` : 'detecting the language'} without reloading.`
        : `sherpa: model ${this.model.id} (${this.model.kind}${hint ? `, language ${hint}` : ''}${beam ? `, beam search for hotwords${terms}` : ''}) loaded in ${reply.ms} ms.`,
    );
    if (this.live && this.liveIn !== this.worker) await this.loadLive(this.live, hint);
  }

  /** Loads the live pass's model beside the model for turns. If it cannot be, live text is
   * off and turns go on; if it ends the process, the model for turns is loaded again. */
  private async loadLive(live: LocalModel, hint: string): Promise<void> {
    let reply: WorkerReply;
    try {
      reply = await this.ask({
        type: 'load-partials',
        // The model for turns, when it is the live one, is the same config: loaded once.
        recognizer: recognizerConfig(
          live,
          '',
          live === this.model ? this.numThreads : LIVE_THREADS,
        ),
      });
    } catch (err) {
      this.liveFailed(live, lastError(this.stderr) ?? (err as Error).message);
      if (!this.closed) await this.ensureLoaded(hint);
      return;
    }
    if (reply.type !== 'partials-loaded') {
      // sherpa-onnx explains on stderr; give it a moment to arrive after the reply.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const why = lastError(this.stderr) ?? ('message' in reply ? reply.message : undefined);
      this.liveFailed(live, why ?? 'its recognizer did not start');
      return;
    }
    this.liveIn = this.worker;
    this.log.info(
      live === this.model
        ? `sherpa: live text from model ${live.id} itself.`
        : `sherpa: live text from streaming model ${live.id}, loaded in ${reply.ms} ms.`,
    );
  }

  private liveFailed(live: LocalModel, why: string): void {
    this.liveOff(
      `the streaming model "${live.id}" could not be loaded: ${why.replace(/\.$/, '')}. Delete the model and download it again.`,
    );
  }

  /** Live text is off for good (`reason` says why and what to do); turns go on. */
  private liveOff(reason: string): void {
    this.live = undefined;
    if (this.closed) return;
    this.log.warn(
      `sherpa: no live text while speaking: ${reason} Transcripts still come from "${this.model.id}".`,
    );
  }

  /** The turn's keywords as the model's hotwords ('/' between terms), or undefined: the model
   * takes none, or none of them can be spelt with its tokens (each one left out is logged, once
   * for a session's keywords). */
  private hotwordsFor(keywords: readonly string[] | undefined): string | undefined {
    if (!keywords?.length) return undefined;
    this.hotwordSpelling ??= this.prepareHotwords();
    if (typeof this.hotwordSpelling === 'string') return undefined;
    const { line, dropped } = this.hotwordSpelling.vocabulary.hotwords(keywords);
    const key = keywords.join('\n');
    if (key !== this.loggedKeywords) {
      this.loggedKeywords = key;
      for (const { term, reason } of dropped) {
        this.log.warn(
          `sherpa: the keyword "${term}" is not boosted: ${reason}. The vocabulary's replacements still apply to it.`,
        );
      }
    }
    return line || undefined;
  }

  /** The model could not be loaded to search with hotwords: it is loaded without them, and
   * keywords are not boosted from now on. */
  private async hotwordsFailed(hint: string, why: string): Promise<void> {
    this.hotwordSpelling = why;
    // Whatever the process held before, it holds no model now.
    this.loadedHint = undefined;
    this.log.warn(
      `sherpa: keywords are not boosted by "${this.model.id}": it could not be loaded with hotwords (${why.replace(/\.$/, '')}). The vocabulary reaches it through the replacement pass.`,
    );
    if (!this.closed) await this.ensureLoaded(hint);
  }

  /** How the model spells hotwords, or why it cannot take them (said once in the log). */
  private prepareHotwords(): { vocabulary: HotwordVocabulary; setup: HotwordsSetup } | string {
    let why: string;
    if (!takesHotwords(this.model.kind)) {
      why = `${this.model.kind} models take no hotwords (sherpa-onnx boosts them for transducer models only)`;
    } else {
      try {
        const tokens = this.model.files.tokens;
        if (!tokens) throw new Error('it has no tokens file');
        const vocabulary = new HotwordVocabulary(readFileSync(tokens, 'utf8'));
        let bpeVocab: string | undefined;
        if (vocabulary.bpeVocab !== undefined) {
          this.hotwordsDir = mkdtempSync(join(tmpdir(), 'tingxie-hotwords-'));
          bpeVocab = join(this.hotwordsDir, 'bpe.vocab');
          writeFileSync(bpeVocab, vocabulary.bpeVocab);
        }
        return { vocabulary, setup: { modelingUnit: vocabulary.modelingUnit, bpeVocab } };
      } catch (err) {
        why = `its hotwords could not be prepared (${(err as Error).message})`;
      }
    }
    this.log.info(
      `sherpa: keywords are not boosted by "${this.model.id}": ${why}. The vocabulary reaches it through the replacement pass.`,
    );
    return why;
  }

  private async decode(
    samples: Float32Array,
    sampleRate: number,
    hotwords?: string,
  ): Promise<string> {
    let reply: WorkerReply;
    try {
      reply = await this.ask({
        type: 'decode',
        samples,
        sampleRate,
        // A model that takes them when it loads has them already.
        hotwords:
          this.loadedForHotwords && takesHotwords(this.model.kind) === 'per-turn'
            ? hotwords
            : undefined,
      });
    } catch (err) {
      throw new TranscriptionError(
        'engine_failed',
        `sherpa: the recognizer stopped while decoding (${(err as Error).message}); it starts again with the next turn. If it stops on every turn, delete the model "${this.model.id}" and download it again.`,
      );
    }
    if (reply.type === 'decoded') return reply.text;
    throw new TranscriptionError(
      'engine_failed',
      `sherpa: ${'message' in reply ? reply.message : 'the decode failed'}.`,
    );
  }

  private failedToLoad(reason: string | undefined): EngineUnavailableError {
    // Closed while it loaded: nothing failed.
    if (this.closed) return new EngineUnavailableError('sherpa: the engine is closed.');
    this.worker?.kill();
    const why = (reason ?? 'its process ended').replace(/\.$/, '');
    this.loadError = new EngineUnavailableError(
      why.startsWith('sherpa-onnx-node could not be loaded')
        ? `${why}.`
        : `The speech model "${this.model.id}" could not be loaded: ${why}. Delete the model and download it again.`,
    );
    this.log.warn(this.loadError.message);
    return this.loadError;
  }

  /** Sends one request to the recognizer's process (started if need be) and awaits its reply. */
  private ask(request: WorkerRequest): Promise<WorkerReply> {
    // A turn queued before close() must not start the process again.
    if (this.closed) return Promise.reject(new Error('the engine is closed'));
    const worker = this.worker ?? this.start();
    return new Promise<WorkerReply>((resolve, reject) => {
      this.waiting = { resolve, reject };
      // Only while a request is out does the process keep the server's own process alive.
      worker.ref();
      worker.channel?.ref();
      worker.send(request);
    }).finally(() => {
      this.waiting = undefined;
      worker.unref();
      worker.channel?.unref();
    });
  }

  private start(): ChildProcess {
    this.stderr = '';
    this.loadedHint = undefined;
    const worker = fork(workerScript(), [], {
      // Electron's own binary runs the script as Node (as VS Code starts its helper processes).
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: ['--expose-gc'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    worker.stderr?.setEncoding('utf8');
    worker.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEPT);
    });
    worker.on('message', (reply: WorkerReply | StreamReply) => {
      if (reply.type === 'partial') this.streams.get(reply.stream)?.(reply.text);
      else if (reply.type === 'stream-failed') this.streamFailed(reply.stream, reply.message);
      else this.waiting?.resolve(reply);
    });
    worker.on('error', (err) => this.waiting?.reject(err));
    // 'close' comes after stderr has been read to its end, so the reason is complete.
    worker.on('close', (code, signal) => {
      if (this.worker === worker) this.worker = undefined;
      // Live text stops for the turns being spoken; the next process follows new ones.
      this.streams.clear();
      const reason = lastError(this.stderr) ?? `exit ${signal ?? code}`;
      this.waiting?.reject(new Error(reason));
    });
    this.worker = worker;
    return worker;
  }

  private streamFailed(stream: number, message: string): void {
    if (!this.streams.delete(stream)) return;
    this.log.warn(`sherpa: live text stopped for a turn: ${message}`);
  }
}

function isStreaming(model: LocalModel): boolean {
  return model.kind === 'streaming-zipformer' || model.kind === 'streaming-paraformer';
}

/** sherpa-worker.ts beside this file, or the .js the app's build makes of it (an entry of its
 * own in electron.vite.config.ts, next to the bundle this code is in). In the packaged app,
 * its unpacked copy (electron-builder.yml): a process started from a path inside app.asar
 * would depend on Electron's asar support in it. */
export function workerScript(url: string = import.meta.url): string {
  const script = fileURLToPath(new URL(`./sherpa-worker${extname(url)}`, url));
  return script.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** The reason sherpa-onnx or ONNX Runtime gave on stderr before failing: an uncaught
 * exception's what(), else its last log line without the source location. */
export function lastError(stderr: string): string | undefined {
  const what = /what\(\):\s*(.+)/.exec(stderr)?.[1];
  if (what) return what.trim();
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/Errors in config|Please check your config/.test(l));
  const last = lines.at(-1);
  return last?.replace(/^\S+:\w+:\d+\s+/, '');
}

function aborted(): TranscriptionError {
  return new TranscriptionError('engine_failed', 'sherpa: the turn was cancelled.');
}
