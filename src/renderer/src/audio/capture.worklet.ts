// The audio thread's part of capture: device audio → FrameEncoder → PCM16 frames, posted
// straight onto the dictation's audio port (main holds its other end) with their buffers
// transferred. The page hears from it only a few times a second (the level) and once at the
// end (`flushed`, with the number of frames sent), so capturing does not wake the page's
// thread 25 times a second. Until a port is attached, frames are held: all of them while a
// dictation starts, the newest few while a warm microphone waits (the pre-roll).
import type { AudioFrameMessage } from '../../../shared/ipc.ts';
import { FrameEncoder } from '../../../shared/audio/frame-encoder.ts';
import {
  CAPTURE_PROCESSOR,
  LEVEL_INTERVAL_MS,
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
  private readonly framesPerLevel: number;
  private running = true;
  private out: MessagePort | null = null;
  private held: Int16Array[] = [];
  private holdFrames: number;
  private framesSent = 0;
  private peak = 0;
  private framesSinceLevel = 0;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const { outRate, frameMs, holdFrames } = options.processorOptions as CaptureProcessorOptions;
    this.encoder = new FrameEncoder(sampleRate, outRate, frameMs);
    this.framesPerLevel = Math.max(1, Math.round(LEVEL_INTERVAL_MS / frameMs));
    this.holdFrames = holdFrames;
    this.port.onmessage = (event: MessageEvent<PageToWorklet>) => this.onMessage(event.data);
  }

  process(inputs: Float32Array[][]): boolean {
    // The node is created with channelCount 1 ('explicit'), so the browser has downmixed.
    const block = inputs[0]?.[0];
    if (this.running && block) this.deliver(this.encoder.push(block));
    return this.running;
  }

  private onMessage(message: PageToWorklet): void {
    switch (message.type) {
      case 'send':
        this.out = message.port;
        for (const pcm of this.held) this.send(this.out, pcm);
        this.held = [];
        break;
      case 'hold':
        this.holdFrames = message.frames;
        this.trimHeld();
        break;
      case 'flush': {
        if (!this.running) return;
        this.running = false;
        this.deliver(this.encoder.flush());
        this.reportLevel();
        const done: WorkletToPage = { type: 'flushed', framesSent: this.framesSent };
        this.port.postMessage(done);
        break;
      }
    }
  }

  private deliver(frames: Int16Array[]): void {
    for (const pcm of frames) {
      for (let i = 0; i < pcm.length; i++) this.peak = Math.max(this.peak, Math.abs(pcm[i]!));
      if (++this.framesSinceLevel >= this.framesPerLevel) this.reportLevel();
      if (this.out) this.send(this.out, pcm);
      else {
        this.held.push(pcm);
        this.trimHeld();
      }
    }
  }

  private send(out: MessagePort, pcm: Int16Array): void {
    const message: AudioFrameMessage = { seq: this.framesSent++, pcm };
    out.postMessage(message, [pcm.buffer]);
  }

  private trimHeld(): void {
    if (this.held.length > this.holdFrames) this.held.splice(0, this.held.length - this.holdFrames);
  }

  private reportLevel(): void {
    const level: WorkletToPage = { type: 'level', peak: this.peak / 0x8000 };
    this.port.postMessage(level);
    this.peak = 0;
    this.framesSinceLevel = 0;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
