// Messages between the capture worklet and the page. Frames never pass through the page:
// the worklet posts them straight onto the dictation's audio port, whose other end is in
// main, so that a frame costs no wake-up of the page's thread and no copy through the bridge.
//
// One microphone may serve dictations back to back (a key down right after a key up), so the
// audio is cut into segments, one per dictation, on the audio thread itself: every sample
// before `end` is the ending dictation's, every sample after `begin` the next one's.
import type { ResamplerKernel } from '../../../shared/audio/resampler.ts';

export interface CaptureProcessorOptions {
  outRate: number;
  frameMs: number;
  /** Frames kept while no segment is open (the newest ones): the warm microphone's pre-roll. */
  holdFrames: number;
  /** A segment open from the very first sample (a cold microphone opened by a key down). */
  segment?: number;
  /** Whether to report the level (see `levels`); default true. */
  levels?: boolean;
}

export type PageToWorklet =
  /** From now on frames are segment `segment`'s, starting with the frames kept while idle. */
  | { type: 'begin'; segment: number }
  /** Segment `segment`'s frames go to `port` as `AudioFrameMessage`s numbered from 0, the
   * held ones first. */
  | { type: 'send'; segment: number; port: MessagePort }
  /** Segment `segment` ends here, its last samples included; answered with `ended` once all
   * its frames are on its port. */
  | { type: 'end'; segment: number }
  /** Segment `segment` is discarded (cancelled): its held frames and its last samples go. */
  | { type: 'drop'; segment: number }
  /** Changes how many frames are kept while no segment is open. */
  | { type: 'hold'; frames: number }
  /** Whether anyone can see the level: off while the page is hidden (most dictations go into
   * another app's window), so that capturing then never wakes the page's thread. */
  | { type: 'levels'; on: boolean }
  /** Ends every segment, as far as it got, and stops; answered with `closed`. */
  | { type: 'close' };

export type WorkletToPage =
  /** Sent once, first: what resamples the device's audio ('none': it is at the session's rate
   * already). 'js' where the Content-Security-Policy forbids compiling WebAssembly: it works,
   * at several times the CPU. */
  | { type: 'started'; resampler: ResamplerKernel | 'none' }
  /** The peak level, 0..1, of the audio since the last one (a few times a second). */
  | { type: 'level'; peak: number }
  /** Segment `segment` has ended and `framesSent` frames went to its port (0 when it never
   * got one). */
  | { type: 'ended'; segment: number; framesSent: number }
  /** The processor has stopped; every segment was answered with `ended` before this. */
  | { type: 'closed' };

export const CAPTURE_PROCESSOR = 'tingxie-capture';

/** How often the worklet reports the level: the meter needs no more than this. */
export const LEVEL_INTERVAL_MS = 100;
