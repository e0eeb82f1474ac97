// Messages between the capture worklet and the page. Frames never pass through the page:
// the worklet posts them straight onto the dictation's audio port, whose other end is in
// main, so that a frame costs no wake-up of the page's thread and no copy through the bridge.

export interface CaptureProcessorOptions {
  outRate: number;
  frameMs: number;
  /** Frames kept while no port is attached (the newest ones); Infinity keeps them all. */
  holdFrames: number;
}

export type PageToWorklet =
  /** From now on frames go to `port` as `AudioFrameMessage`s numbered from 0, the frames held
   * first. */
  | { type: 'send'; port: MessagePort }
  /** Changes how many frames are kept while no port is attached. */
  | { type: 'hold'; frames: number }
  /** Posts the last samples and stops; answered with `flushed`. */
  | { type: 'flush' };

export type WorkletToPage =
  /** The peak level, 0..1, of the audio since the last one (a few times a second). */
  | { type: 'level'; peak: number }
  /** Every frame has been posted; the processor has stopped. `framesSent` went to the port. */
  | { type: 'flushed'; framesSent: number };

export const CAPTURE_PROCESSOR = 'tingxie-capture';

/** How often the worklet reports the level: the meter needs no more than this. */
export const LEVEL_INTERVAL_MS = 100;
