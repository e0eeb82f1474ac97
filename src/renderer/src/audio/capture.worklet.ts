// The audio thread's part of capture: device audio → FrameEncoder → PCM16 frames posted to
// the page with their buffers transferred (no copy). On `flush` it posts the remainder and
// stops, so that the last words of a dictation are never cut off.
import { FrameEncoder } from '../../../shared/audio/frame-encoder.ts';
import {
  CAPTURE_PROCESSOR,
  type CaptureProcessorOptions,
  type PageToWorklet,
  type WorkletToPage,
} from './worklet-messages.ts';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
  abstract process(inputs: Float32Array[][]): boolean;
}
declare function registerProcessor(
  name: string,
  processor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly encoder: FrameEncoder;
  private running = true;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const { outRate, frameMs } = options.processorOptions as CaptureProcessorOptions;
    this.encoder = new FrameEncoder(sampleRate, outRate, frameMs);
    this.port.onmessage = (event: MessageEvent<PageToWorklet>) => {
      if (event.data.type !== 'flush' || !this.running) return;
      this.running = false;
      this.post(this.encoder.flush());
      const done: WorkletToPage = { type: 'flushed' };
      this.port.postMessage(done);
    };
  }

  process(inputs: Float32Array[][]): boolean {
    // The node is created with channelCount 1 ('explicit'), so the browser has downmixed.
    const block = inputs[0]?.[0];
    if (this.running && block) this.post(this.encoder.push(block));
    return this.running;
  }

  private post(frames: Int16Array[]): void {
    for (const pcm of frames) {
      let peak = 0;
      for (let i = 0; i < pcm.length; i++) peak = Math.max(peak, Math.abs(pcm[i]!));
      const message: WorkletToPage = { type: 'frame', pcm, peak: peak / 0x8000 };
      this.port.postMessage(message, [pcm.buffer]);
    }
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
