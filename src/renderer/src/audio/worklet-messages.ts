// Messages between the capture worklet and the page.

export interface CaptureProcessorOptions {
  outRate: number;
  frameMs: number;
}

export type WorkletToPage =
  /** `peak` is the frame's peak level, 0..1, for the meter. */
  | { type: 'frame'; pcm: Int16Array; peak: number }
  /** Every frame has been posted; the processor has stopped. */
  | { type: 'flushed' };

export type PageToWorklet = { type: 'flush' };

export const CAPTURE_PROCESSOR = 'tingxie-capture';
