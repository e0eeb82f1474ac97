// The sherpa-onnx recognizer's own process (started by sherpa.ts): it loads one model and
// decodes turns in the order they come, and, beside it, a streaming model that follows turns
// while they are spoken (live text). A process rather than a worker thread, because sherpa-onnx
// ends the process it runs in on a bad model file: ONNX Runtime's exception on a truncated or
// corrupt .onnx is not caught (std::terminate, abort), and a missing metadata key calls _Exit.
// Here that ends this process only, and the server reports why.
//
// sherpa-onnx-node is required on the first load, not when this file is imported, so that a
// computer where its native module cannot load gets a message instead of a crash.
import { createRequire } from 'node:module';
import type { PunctuationConfig, RecognizerConfig } from './sherpa-config.ts';

export type WorkerRequest =
  | { type: 'load'; recognizer: RecognizerConfig; punctuation?: PunctuationConfig }
  | { type: 'load-partials'; recognizer: RecognizerConfig }
  /** `hotwords`: for a model loaded with them in mind (sherpa-config.ts takesHotwords), terms
   * separated by '/', each one sherpa-onnx can encode (sherpa-hotwords.ts). */
  | { type: 'decode'; samples: Float32Array; sampleRate: number; hotwords?: string }
  | StreamRequest;

/** Live text: a stream per turn, fed as its audio arrives; answered only by `partial`s. */
export type StreamRequest =
  | { type: 'stream-open'; stream: number }
  | { type: 'stream-audio'; stream: number; samples: Float32Array; sampleRate: number }
  | { type: 'stream-close'; stream: number };

export type WorkerReply =
  | { type: 'loaded'; ms: number; reconfigured: boolean }
  | { type: 'load-failed'; message: string }
  | { type: 'partials-loaded'; ms: number }
  | { type: 'decoded'; text: string }
  | { type: 'decode-failed'; message: string };

/** Sent on its own whenever a stream's text changes (the whole text so far), or it fails. */
export type StreamReply =
  | { type: 'partial'; stream: number; text: string }
  | { type: 'stream-failed'; stream: number; message: string };

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
  createStream(hotwords?: string): { acceptWaveform(wave: Waveform): void };
  decode(stream: unknown): void;
  getResult(stream: unknown): { text: string };
}
interface OnlineStream {
  acceptWaveform(wave: Waveform): void;
  inputFinished(): void;
}
interface OnlineRecognizer {
  createStream(): OnlineStream;
  isReady(stream: unknown): boolean;
  decode(stream: unknown): void;
  getResult(stream: unknown): { text: string };
}

let sherpa: SherpaOnnx | undefined;
let recognize: ((wave: Waveform, hotwords?: string) => string) | undefined;
/** The Whisper recognizer loaded, and its config: another language only reconfigures it. */
let whisper: { recognizer: OfflineRecognizer; config: RecognizerConfig } | undefined;
/** The streaming model loaded for turns (when the chosen model is one), and its config. */
let onlineModel: { recognizer: OnlineRecognizer; key: string } | undefined;
let punctuate: ((text: string) => string) | undefined;
let punctuationModel: string | undefined;
/** The streaming model that follows turns as they are spoken. */
let partials: OnlineRecognizer | undefined;

function requireSherpa(): string | undefined {
  try {
    sherpa ??= createRequire(import.meta.url)('sherpa-onnx-node') as SherpaOnnx;
    return undefined;
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).split('\n')[0];
    return `sherpa-onnx-node could not be loaded on this computer: ${reason}. Reinstall Tingxie, or choose another engine.`;
  }
}

async function load(request: Extract<WorkerRequest, { type: 'load' }>): Promise<WorkerReply> {
  const started = performance.now();
  const unavailable = requireSherpa();
  if (unavailable || !sherpa) return { type: 'load-failed', message: unavailable ?? '' };
  const next = request.recognizer;
  // Whisper's setConfig takes a new language and nothing else, so the model stays. (SenseVoice's
  // would also reset the features it set up when it loaded: it is loaded again.)
  if (whisper && sameExceptWhisperLanguage(whisper.config, next)) {
    whisper.recognizer.setConfig(next.config);
    whisper.config = next;
    return { type: 'loaded', ms: Math.round(performance.now() - started), reconfigured: true };
  }
  // A model loaded before goes first: one model for turns in memory at a time. Node runs native
  // finalizers after the collection, in a task of their own.
  // The live pass shares the streaming model for turns: loaded again (with other hotwords), it
  // follows new turns with the new one, and the old one goes once its turns are done.
  const liveShared = partials !== undefined && partials === onlineModel?.recognizer;
  if (recognize) {
    recognize = undefined;
    whisper = undefined;
    onlineModel = undefined;
    globalThis.gc?.();
    await new Promise(setImmediate);
  }
  try {
    if (next.streaming) {
      const recognizer = new sherpa.OnlineRecognizer(next.config);
      recognize = online(recognizer);
      onlineModel = { recognizer, key: JSON.stringify(next) };
      if (liveShared) partials = recognizer;
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

/** Loads the streaming model for live text, once: the model for turns, when it is the same one. */
function loadPartials(request: Extract<WorkerRequest, { type: 'load-partials' }>): WorkerReply {
  const started = performance.now();
  const unavailable = requireSherpa();
  if (unavailable || !sherpa) return { type: 'load-failed', message: unavailable ?? '' };
  try {
    partials =
      onlineModel?.key === JSON.stringify(request.recognizer)
        ? onlineModel.recognizer
        : new sherpa.OnlineRecognizer(request.recognizer.config);
  } catch (err) {
    return { type: 'load-failed', message: (err as Error).message };
  }
  return { type: 'partials-loaded', ms: Math.round(performance.now() - started) };
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

function offline(recognizer: OfflineRecognizer): (wave: Waveform, hotwords?: string) => string {
  return (wave, hotwords) => {
    // The hotwords are this turn's alone: the model stays as it was loaded.
    const stream = hotwords ? recognizer.createStream(hotwords) : recognizer.createStream();
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
    const wave = { samples: request.samples, sampleRate: request.sampleRate };
    const text = recognize(wave, request.hotwords).trim();
    return { type: 'decoded', text: text && punctuate ? punctuate(text) : text };
  } catch (err) {
    return { type: 'decode-failed', message: (err as Error).message };
  }
}

/** A turn being followed: its stream (made once the model is loaded) and the recognizer that
 * made it (a stream is decoded by its own, after the model is loaded again too), audio not yet
 * given to the model, and the text last sent. */
interface LiveStream {
  recognizer?: OnlineRecognizer;
  stream?: OnlineStream;
  waiting: Waveform[];
  text: string;
}
const streams = new Map<number, LiveStream>();

function onStream(request: StreamRequest): void {
  switch (request.type) {
    case 'stream-open':
      // A turn may start while the model still loads: it is followed from its start once it is.
      streams.set(request.stream, { waiting: [], text: '' });
      return;
    case 'stream-audio':
      streams.get(request.stream)?.waiting.push(request);
      return;
    case 'stream-close':
      streams.delete(request.stream);
  }
}

/** One step of live text: a chunk of one stream decoded, taking turns between streams. Returns
 * false when no stream has anything to do. */
function followOneStream(): boolean {
  if (!partials) return false;
  for (const [id, live] of streams) {
    const recognizer = (live.recognizer ??= partials);
    const stream = (live.stream ??= recognizer.createStream());
    for (const wave of live.waiting.splice(0)) stream.acceptWaveform(wave);
    if (!recognizer.isReady(stream)) continue;
    // Last in the map: the next step starts with another stream.
    streams.delete(id);
    streams.set(id, live);
    try {
      recognizer.decode(stream);
      const text = recognizer.getResult(stream).text.trim();
      if (text !== live.text) {
        live.text = text;
        send({ type: 'partial', stream: id, text });
      }
    } catch (err) {
      streams.delete(id);
      send({ type: 'stream-failed', stream: id, message: (err as Error).message });
    }
    return true;
  }
  return false;
}

function send(reply: WorkerReply | StreamReply): void {
  process.send?.(reply);
}

if (process.send) {
  // Loads and turns are answered one at a time, in order, and always before live text: a
  // turn's final text never waits for more than the one chunk of live text being decoded when
  // it came. Each step runs in a task of its own, so that requests that came meanwhile are
  // read before the next step is chosen.
  const requests: Exclude<WorkerRequest, StreamRequest>[] = [];
  let running = false;
  const step = async (): Promise<void> => {
    const request = requests.shift();
    if (request) {
      if (request.type === 'load') send(await load(request));
      else if (request.type === 'load-partials') send(loadPartials(request));
      else send(decode(request));
    } else if (!followOneStream()) {
      running = false;
      return;
    }
    setImmediate(() => void step());
  };
  process.on('message', (request: WorkerRequest) => {
    if (request.type.startsWith('stream-')) onStream(request as StreamRequest);
    else requests.push(request as Exclude<WorkerRequest, StreamRequest>);
    if (!running) {
      running = true;
      setImmediate(() => void step());
    }
  });
  // The server went away (closed, or crashed): nothing is left to decode for.
  process.on('disconnect', () => process.exit(0));
}
