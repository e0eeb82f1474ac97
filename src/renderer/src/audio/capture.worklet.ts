// The audio thread's part of capture: device audio → FrameEncoder → PCM16 frames, posted
// straight onto the dictation's audio port (main holds its other end), as copies (see send()).
// The page hears from it only a few times a second (the level, and only while the page is
// shown) and once at the end (`ended`, with the number of frames sent), so capturing does not
// wake the page's thread 25 times a second. Each dictation's audio is a segment
// (worklet-messages.ts); until its port is attached, its frames are held. While no segment is
// open, only the newest few frames are kept (a warm microphone's pre-roll).
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

/** One dictation's audio. */
interface Segment {
  out: MessagePort | null;
  held: Int16Array[];
  framesSent: number;
  /** Its last samples are in: it is answered once its port has everything. */
  ended: boolean;
}

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly encoder: FrameEncoder;
  private readonly framesPerLevel: number;
  private running = true;
  /** Segments not yet answered, by the page's number. */
  private readonly segments = new Map<number, Segment>();
  /** The segment capturing now, if any. */
  private live: Segment | null = null;
  /** Frames kept while no segment is open (the newest `holdFrames`). */
  private idle: Int16Array[] = [];
  private holdFrames: number;
  private levels: boolean;
  private peak = 0;
  private framesSinceLevel = 0;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const { outRate, frameMs, holdFrames, segment, levels } =
      options.processorOptions as CaptureProcessorOptions;
    this.levels = levels ?? true;
    this.encoder = new FrameEncoder(sampleRate, outRate, frameMs);
    this.post({ type: 'started', resampler: this.encoder.resampling });
    this.framesPerLevel = Math.max(1, Math.round(LEVEL_INTERVAL_MS / frameMs));
    this.holdFrames = holdFrames;
    if (segment !== undefined) this.begin(segment);
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
      case 'begin':
        this.begin(message.segment);
        break;
      case 'send': {
        const segment = this.segments.get(message.segment);
        // Dropped meanwhile: main has let that dictation go.
        if (!segment) return message.port.close();
        segment.out = message.port;
        for (const pcm of segment.held) this.send(segment, message.port, pcm);
        segment.held = [];
        if (segment.ended) this.answer(message.segment);
        break;
      }
      case 'end':
        this.end(message.segment);
        break;
      case 'drop': {
        const segment = this.segments.get(message.segment);
        if (segment && segment === this.live) {
          this.live = null;
          this.encoder.flush(); // its last samples go with it
        }
        segment?.out?.close();
        this.segments.delete(message.segment);
        break;
      }
      case 'hold':
        this.holdFrames = message.frames;
        this.trimIdle();
        break;
      case 'levels':
        this.levels = message.on;
        this.peak = 0;
        this.framesSinceLevel = 0;
        break;
      case 'close': {
        if (!this.running) return;
        this.running = false;
        for (const [id, segment] of this.segments) {
          this.end(id);
          // A segment still waiting for its port when the microphone closes never gets one.
          if (this.segments.has(id)) {
            segment.held = [];
            this.answer(id);
          }
        }
        if (this.levels) this.reportLevel();
        this.post({ type: 'closed' });
        break;
      }
    }
  }

  private begin(id: number): void {
    for (const [other, segment] of this.segments) if (segment === this.live) this.end(other);
    // The frames kept while idle (the pre-roll) open the segment.
    this.live = { out: null, held: this.idle, framesSent: 0, ended: false };
    this.idle = [];
    this.segments.set(id, this.live);
  }

  private end(id: number): void {
    const segment = this.segments.get(id);
    if (!segment) return this.post({ type: 'ended', segment: id, framesSent: 0 });
    if (segment === this.live) {
      this.deliver(this.encoder.flush());
      this.live = null;
    }
    segment.ended = true;
    if (segment.out) this.answer(id);
  }

  private answer(id: number): void {
    const segment = this.segments.get(id);
    this.segments.delete(id);
    // Its frames are all posted (a port delivers what was posted before it closed): the port
    // goes, on both ends, instead of lingering for the life of the page and of main.
    segment?.out?.close();
    this.post({ type: 'ended', segment: id, framesSent: segment?.framesSent ?? 0 });
  }

  private deliver(frames: readonly Int16Array[]): void {
    for (const pcm of frames) {
      if (this.levels) {
        for (let i = 0; i < pcm.length; i++) this.peak = Math.max(this.peak, Math.abs(pcm[i]!));
        if (++this.framesSinceLevel >= this.framesPerLevel) this.reportLevel();
      }
      const live = this.live;
      if (live?.out) this.send(live, live.out, pcm);
      else if (live) live.held.push(pcm);
      else {
        this.idle.push(pcm);
        this.trimIdle();
      }
    }
  }

  private send(segment: Segment, out: MessagePort, pcm: Int16Array): void {
    const message: AudioFrameMessage = { seq: segment.framesSent++, pcm };
    // A copy, never a transfer: the port's other end is a MessagePortMain, and Electron's main
    // process drops the data of a message whose transfer list holds an ArrayBuffer (it
    // deserializes without the transferred contents: shell/browser/api/message_port.cc
    // MessagePort::Accept, shell/common/v8_util.cc V8Deserializer; electron/electron issue
    // 34905): every frame would arrive as null. A copied buffer is written into the message
    // itself, which V8's deserializer in main reads back as an Int16Array. 1280 bytes per
    // 40 ms frame: the copy costs nothing measurable (the capture bench).
    out.postMessage(message);
  }

  private trimIdle(): void {
    if (this.idle.length > this.holdFrames) this.idle.splice(0, this.idle.length - this.holdFrames);
  }

  private reportLevel(): void {
    this.post({ type: 'level', peak: this.peak / 0x8000 });
    this.peak = 0;
    this.framesSinceLevel = 0;
  }

  private post(message: WorkletToPage): void {
    this.port.postMessage(message);
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
