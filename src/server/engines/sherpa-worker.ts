// The sherpa-onnx recognizer's own process (started by sherpa.ts): it loads one model and
// decodes turns in the order they come. A process rather than a worker thread, because
// sherpa-onnx ends the process it runs in on a bad model file: ONNX Runtime's exception on a
// truncated or corrupt .onnx is not caught (std::terminate, abort), and a missing metadata key
// calls _Exit. Here that ends this process only, and the server reports why.
//
// sherpa-onnx-node is required on the first load, not when this file is imported, so that a
// computer where its native module cannot load gets a message instead of a crash.
import { createRequire } from 'node:module';
import type { PunctuationConfig, RecognizerConfig } from './sherpa-config.ts';

export type WorkerRequest =
  | { type: 'load'; recognizer: RecognizerConfig; punctuation?: PunctuationConfig }
  | { type: 'decode'; samples: Float32Array; sampleRate: number };

export type WorkerReply =
  | { type: 'loaded'; ms: number; reconfigured: boolean }
  | { type: 'load-failed'; message: string }
  | { type: 'decoded'; text: string }
  | { type: 'decode-failed'; message: string };

/** The part of sherpa-onnx-node used here (its package has no type declarations). */
interface SherpaOnnx {
  OfflineRecognizer: new (config: unknown) => OfflineRecognizer;
  OnlineRecognizer: new (config: unknown) => OnlineRecognizer;
  OfflinePunctuation: new (config: unknown) => { addPunct(text: string): string };
}
interface Waveform {
  samples: Float32Array;
  sampleRate: number;
}
interface OfflineRecognizer {
  setConfig(config: unknown): void;
  createStream(): { acceptWaveform(wave: Waveform): void };
  decode(stream: unknown): void;
  getResult(stream: unknown): { text: string };
}
interface OnlineRecognizer {
  createStream(): { acceptWaveform(wave: Waveform): void; inputFinished(): void };
  isReady(stream: unknown): boolean;
  decode(stream: unknown): void;
  getResult(stream: unknown): { text: string };
}

let sherpa: SherpaOnnx | undefined;
let recognize: ((wave: Waveform) => string) | undefined;
/** The Whisper recognizer loaded, and its config: another language only reconfigures it. */
let whisper: { recognizer: OfflineRecognizer; config: RecognizerConfig } | undefined;
let punctuate: ((text: string) => string) | undefined;
let punctuationModel: string | undefined;

async function load(request: Extract<WorkerRequest, { type: 'load' }>): Promise<WorkerReply> {
  const started = performance.now();
  try {
    sherpa ??= createRequire(import.meta.url)('sherpa-onnx-node') as SherpaOnnx;
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).split('\n')[0];
    return {
      type: 'load-failed',
      message: `sherpa-onnx-node could not be loaded on this computer: ${reason}. Reinstall Tingxie, or choose another engine.`,
    };
  }
  const next = request.recognizer;
  // Whisper's setConfig takes a new language and nothing else, so the model stays. (SenseVoice's
  // would also reset the features it set up when it loaded: it is loaded again.)
  if (whisper && sameExceptWhisperLanguage(whisper.config, next)) {
    whisper.recognizer.setConfig(next.config);
    whisper.config = next;
    return { type: 'loaded', ms: Math.round(performance.now() - started), reconfigured: true };
  }
  // A model loaded before goes first: one model in memory at a time. Node runs native
  // finalizers after the collection, in a task of their own.
  if (recognize) {
    recognize = undefined;
    whisper = undefined;
    globalThis.gc?.();
    await new Promise(setImmediate);
  }
  try {
    if (next.streaming) {
      recognize = online(new sherpa.OnlineRecognizer(next.config));
    } else {
      const recognizer = new sherpa.OfflineRecognizer(next.config);
      recognize = offline(recognizer);
      if (next.config.modelConfig.whisper) whisper = { recognizer, config: next };
    }
    const punctuation = request.punctuation?.model.ctTransformer;
    if (punctuation !== punctuationModel) {
      const model = request.punctuation && new sherpa.OfflinePunctuation(request.punctuation);
      punctuate = model && ((text) => model.addPunct(text));
      punctuationModel = punctuation;
    }
  } catch (err) {
    // sherpa-onnx says what was wrong on stderr; its exception says only "check your config".
    return { type: 'load-failed', message: (err as Error).message };
  }
  return { type: 'loaded', ms: Math.round(performance.now() - started), reconfigured: false };
}

function sameExceptWhisperLanguage(a: RecognizerConfig, b: RecognizerConfig): boolean {
  const withoutLanguage = (c: RecognizerConfig) => {
    const whisperConfig = c.config.modelConfig.whisper as Record<string, unknown> | undefined;
    return (
      whisperConfig &&
      JSON.stringify({
        ...c,
        config: {
          ...c.config,
          modelConfig: { ...c.config.modelConfig, whisper: { ...whisperConfig, language: '' } },
        },
      })
    );
  };
  const key = withoutLanguage(a);
  return key !== undefined && key === withoutLanguage(b);
}

function offline(recognizer: OfflineRecognizer): (wave: Waveform) => string {
  return (wave) => {
    const stream = recognizer.createStream();
    stream.acceptWaveform(wave);
    recognizer.decode(stream);
    return recognizer.getResult(stream).text;
  };
}

function online(recognizer: OnlineRecognizer): (wave: Waveform) => string {
  return (wave) => {
    const stream = recognizer.createStream();
    stream.acceptWaveform(wave);
    // Trailing silence lets the model emit the last words before the input ends.
    stream.acceptWaveform({
      samples: new Float32Array(wave.sampleRate / 2),
      sampleRate: wave.sampleRate,
    });
    stream.inputFinished();
    while (recognizer.isReady(stream)) recognizer.decode(stream);
    return recognizer.getResult(stream).text;
  };
}

function decode(request: Extract<WorkerRequest, { type: 'decode' }>): WorkerReply {
  if (!recognize) return { type: 'decode-failed', message: 'No model is loaded.' };
  try {
    const text = recognize({ samples: request.samples, sampleRate: request.sampleRate }).trim();
    return { type: 'decoded', text: text && punctuate ? punctuate(text) : text };
  } catch (err) {
    return { type: 'decode-failed', message: (err as Error).message };
  }
}

if (process.send) {
  // One request at a time, in order (the engine also waits for each reply before the next).
  let handled: Promise<unknown> = Promise.resolve();
  process.on('message', (request: WorkerRequest) => {
    handled = handled.then(async () => {
      process.send?.(request.type === 'load' ? await load(request) : decode(request));
    });
  });
  // The server went away (closed, or crashed): nothing is left to decode for.
  process.on('disconnect', () => process.exit(0));
}
