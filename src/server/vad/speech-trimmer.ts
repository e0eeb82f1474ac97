// Push-to-talk turns (turn_detection: null) cut down to their speech before an engine hears
// them: Silero hears the whole committed turn, and the engine gets each stretch of speech with
// padding (speech-span.ts). Server-VAD turns need none of this: their detector already starts
// them shortly before the speech.
import type { Logger } from '../../core/log.ts';
import { pcm16ToFloat, rmsDbfs } from '../../shared/audio/pcm.ts';
import { Resampler } from '../../shared/audio/resampler.ts';
import { DEFAULT_VAD } from '../../shared/providers.ts';
import { VAD_SAMPLE_RATE, VAD_WINDOW } from './silero-model.ts';
import type { SileroModel, SileroStream } from './silero-model.ts';
import { keepRanges, speechSpans } from './speech-span.ts';

/** Kept before and after each stretch of speech. Before: Silero hears weak onsets (the "th" of
 * "the", an "s", an "h") a window or two late, and the server VAD's default prefix padding
 * (OpenAI's too) is 300 ms, so both kinds of turn start alike. After: Silero already trails a
 * fading voice by ~100 ms; 300 ms more keeps a soft final consonant. Less of the lead-in is what
 * matters: pocketsphinx hears 500 ms of dither before speech unharmed, and a second of it not.
 * A pause inside the turn longer than both paddings (600 ms) is shortened to them. */
const PAD_MS = 300;
/** Only what is quiet is cut: a window counts as speech when Silero hears speech in it, or when
 * it is louder than this — above the noise floor of a quiet microphone (-50 to -65 dBFS), below
 * any voice close to one. Silero misses some of what people say (a far or whispering voice, a
 * word it hears late, singing) and takes a click for speech; trimming must never lose words, so
 * it cuts only dither, hiss and silence. A turn with nothing to keep is silence: an empty
 * transcript, and no engine run. */
const SILENCE_DB = -50;

export class SpeechTrimmer {
  private readonly model: SileroModel;
  private readonly log: Logger;
  private stream?: SileroStream;
  /** Turns are heard one at a time, in order: they share one stream (its state and buffers). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(model: SileroModel, log: Logger) {
    this.model = model;
    this.log = log;
  }

  /** The samples of the turn the engine should hear: empty when the turn is silence. Never
   * rejects: where the VAD fails (or `signal` aborts) the turn comes back whole. */
  trim(samples: Int16Array, rate: number, signal: AbortSignal): Promise<Int16Array> {
    const trimmed = this.queue.then(() => this.run(samples, rate, signal));
    this.queue = trimmed;
    return trimmed;
  }

  private async run(samples: Int16Array, rate: number, signal: AbortSignal): Promise<Int16Array> {
    try {
      this.stream ??= this.model.createStream();
      const heard = await hear(this.stream, samples, rate, signal);
      if (!heard) return samples;
      const pad = Math.round((PAD_MS * rate) / 1000);
      const loudIsSpeech = heard.probabilities.map((p, w) =>
        heard.levels[w]! >= SILENCE_DB ? 1 : p,
      );
      const spans = speechSpans(loudIsSpeech, {
        windowSamples: (VAD_WINDOW * rate) / VAD_SAMPLE_RATE,
        length: samples.length,
        threshold: DEFAULT_VAD.threshold,
        padBefore: pad,
        padAfter: pad,
      });
      return keepRanges(samples, spans);
    } catch (err) {
      this.log.error(
        `VAD failed on a push-to-talk turn; the engine hears it untrimmed: ${(err as Error).stack ?? String(err)}`,
      );
      return samples;
    }
  }
}

interface HeardTurn {
  /** Silero's speech probability for each whole 32 ms window of the turn. */
  probabilities: number[];
  /** The level of each of those windows, in dBFS. */
  levels: number[];
}

/** Runs Silero over a whole turn, in batches of the stream's capacity (1 s of audio): the
 * model runs on the main thread (onnxruntime-node defers each run with setImmediate and runs it
 * synchronously), so other connections' events are handled between batches, and a long turn
 * never holds the event loop for more than one batch (a few ms). Undefined if `signal` aborts. */
async function hear(
  stream: SileroStream,
  samples: Int16Array,
  rate: number,
  signal: AbortSignal,
): Promise<HeardTurn | undefined> {
  stream.reset();
  const resampler = rate === VAD_SAMPLE_RATE ? undefined : new Resampler(rate, VAD_SAMPLE_RATE);
  const batch = stream.capacity * VAD_WINDOW;
  // Every window is heard (none gated as silence, as the turn detector does outside speech):
  // the VAD costs far less than an engine on the same audio, and a turn is heard only once.
  const heardAll = new Uint8Array(stream.capacity);
  const chunk = Math.ceil((batch * rate) / VAD_SAMPLE_RATE);
  const scratch = new Float32Array(Math.min(chunk, samples.length));
  let queue = new Float32Array(batch + VAD_WINDOW);
  let queued = 0;
  const probabilities: number[] = [];
  const levels: number[] = [];
  for (let at = 0; at < samples.length; at += chunk) {
    const input = samples.subarray(at, at + chunk);
    const last = at + chunk >= samples.length;
    let floats = pcm16ToFloat(input, scratch.subarray(0, input.length));
    if (resampler) {
      const head = resampler.process(floats);
      floats = last ? joinFloats(head, resampler.flush()) : head;
    }
    if (queued + floats.length > queue.length) {
      const grown = new Float32Array(queued + floats.length);
      grown.set(queue.subarray(0, queued));
      queue = grown;
    }
    queue.set(floats, queued);
    queued += floats.length;
    // Whole batches while audio comes; at the end, whatever whole windows are left.
    let used = 0;
    while (queued - used >= (last ? VAD_WINDOW : batch)) {
      const count = Math.min(stream.capacity, Math.floor((queued - used) / VAD_WINDOW));
      const windows = stream.windows;
      windows.set(queue.subarray(used, used + count * VAD_WINDOW));
      for (let k = 0; k < count; k++) {
        levels.push(rmsDbfs(windows.subarray(k * VAD_WINDOW, (k + 1) * VAD_WINDOW)));
      }
      const batchProbabilities = await stream.run(count, heardAll);
      for (let k = 0; k < count; k++) probabilities.push(batchProbabilities[k]!);
      used += count * VAD_WINDOW;
      if (signal.aborted) return undefined;
    }
    queue.copyWithin(0, used, queued);
    queued -= used;
  }
  return { probabilities, levels };
}

function joinFloats(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
