// The hands-free microphone, in the overlay window: main sends start / stop / cancel as the
// hotkey goes down and up. Each command acts on the microphone the moment it arrives, so the
// audio is cut at the key itself: a key up ends its dictation's segment, a key down begins the
// next one's. Main hears of them in order (the next start only after the last stop), but the
// microphone does not wait for main: a key down right after a key up keeps the microphone open
// and every sample after it goes to the new dictation, none of the last one's.
//
// A key down opens the microphone (when closed) and the session at the same time; the capture
// worklet holds the frames captured while the session is still connecting and sends them
// first, so the first word is not cut. The audio context and the worklet's code are made ready
// ahead of time (with no microphone open), so a cold key down only waits for getUserMedia.
// With "keep microphone warm" the microphone stays open between dictations and the last
// PRE_ROLL_MS before the key down are sent too; otherwise it is closed whenever idle.
import { ref } from 'vue';
import type { Settings } from '../../../shared/settings.ts';
import { CaptureError, deviceOptions, useMicCapture } from './useMicCapture.ts';

/** Audio kept from before the key down when the microphone is warm. */
export const PRE_ROLL_MS = 300;

/** A dictation from its key down until main has its last frames. */
interface Dictation {
  /** Its audio on the microphone. */
  segment: number;
  /** Resolves true once its session runs and its audio goes to main; false if it failed. */
  started: Promise<boolean>;
}

export function useHandsFreeCapture(settings: () => Settings | null) {
  const mic = useMicCapture();
  const problem = ref<string | null>(null);
  /** The dictation whose key is down. */
  let current: Dictation | null = null;
  /** Dictations not yet handed over to main in full (started, or still stopping). */
  let inFlight = 0;
  let segments = 0;
  let micRate = 0;
  /** Microphone operations, one after another (opening and closing take a while). */
  let micOps: Promise<unknown> = Promise.resolve();
  /** Main's calls, in order: a dictation's stop reaches main before the next one's start. */
  let mainCalls: Promise<unknown> = Promise.resolve();

  const warm = (): boolean => settings()?.handsFree.keepMicrophoneWarm ?? false;
  const idle = (): boolean => current === null && inFlight === 0;

  function queue<T>(chain: 'mic' | 'main', op: () => Promise<T>): Promise<T> {
    const result = (chain === 'mic' ? micOps : mainCalls).then(op, op);
    const settled = result.catch(() => {});
    if (chain === 'mic') micOps = settled;
    else mainCalls = settled;
    return result;
  }

  /** Opens the microphone; `segment` (if any) is that dictation's from the first sample. */
  async function openMic(sampleRate: number, segment?: number): Promise<void> {
    micRate = sampleRate;
    await mic.open({
      sampleRate,
      ...deviceOptions(settings()?.audio),
      segment,
      // Between two dictations a cold microphone keeps nothing: the next begins at its key.
      holdMs: warm() ? PRE_ROLL_MS : 0,
      onDeviceLost: (framesSent) => {
        problem.value = 'device-lost';
        const lost = current;
        current = null;
        if (lost) void handOver(lost, Promise.resolve(framesSent), 'stop');
      },
    });
  }

  /** Opens or closes the idle microphone as the "keep warm" setting says; a closed one still
   * has its audio context and worklet ready, so that a key down only opens the device. */
  function applyWarmth(): Promise<void> {
    void mic.prepare().catch(() => {}); // failing here is reported at the key down
    return queue('mic', async () => {
      const rate = settings()?.server.sampleRate;
      if (!idle() || !rate) return;
      if (warm() && mic.active.value && micRate !== rate) await mic.close();
      if (warm() && !mic.active.value) await openMic(rate).catch(() => {});
      else if (warm()) mic.hold(PRE_ROLL_MS);
      else if (mic.active.value) await mic.close();
    });
  }

  function start(): Promise<void> {
    const rate = settings()?.server.sampleRate;
    if (current || !rate) return Promise.resolve();
    problem.value = null;
    const segment = ++segments;
    inFlight++;
    const micReady = queue('mic', async () => {
      if (mic.active.value && micRate === rate) return mic.begin(segment);
      if (mic.active.value) await mic.close();
      await openMic(rate, segment);
    });
    const session = queue('main', () => window.tingxie.dictation.start());
    const started = connect(segment, rate, session, micReady);
    current = { segment, started };
    return started.then(() => {});
  }

  /** Gives the dictation its audio port once both its session and the microphone are up. */
  async function connect(
    segment: number,
    rate: number,
    session: Promise<{ sampleRate: number; dictationId: number }>,
    micReady: Promise<void>,
  ): Promise<boolean> {
    const [s, m] = await Promise.allSettled([session, micReady]);
    let failure: unknown =
      s.status === 'rejected' ? s.reason : m.status === 'rejected' ? m.reason : undefined;
    if (failure === undefined && s.status === 'fulfilled') {
      const { sampleRate, dictationId } = s.value;
      try {
        if (sampleRate !== rate) {
          // The settings changed under us: the frames held are at the wrong rate.
          await queue('mic', async () => {
            mic.drop(segment);
            await mic.close();
            await openMic(sampleRate, segment);
          });
        }
        await mic.send(segment, dictationId);
      } catch (err) {
        failure = err;
      }
    }
    if (failure === undefined) return true;
    problem.value = failure instanceof CaptureError ? failure.code : 'failed';
    mic.drop(segment);
    if (s.status === 'fulfilled') await window.tingxie.dictation.stop(0).catch(() => {});
    if (current?.segment === segment) {
      current = null;
      inFlight--;
      await settle();
    }
    return false;
  }

  /** Ends the dictation whose key is down: its audio is cut here, and main hears of it once
   * its last frames are sent (a stop) or at once (a cancel, whose audio is discarded). */
  function finish(how: 'stop' | 'cancel'): Promise<void> {
    const dictation = current;
    if (!dictation) return Promise.resolve();
    current = null;
    if (how === 'cancel') {
      mic.drop(dictation.segment);
      return handOver(dictation, Promise.resolve(0), how);
    }
    // After the microphone operations before it (it may still be opening for this dictation).
    const framesSent = queue('mic', async () => ({ sent: mic.end(dictation.segment) })).then(
      ({ sent }) => sent,
      () => 0,
    );
    return handOver(dictation, framesSent, how);
  }

  async function handOver(
    dictation: Dictation,
    framesSent: Promise<number>,
    how: 'stop' | 'cancel',
  ): Promise<void> {
    await queue('main', async () => {
      if (!(await dictation.started)) return;
      // A cancel: main closes the session without a commit and drops what still arrives, so
      // nothing of this dictation is transcribed, saved or inserted.
      if (how === 'cancel') await window.tingxie.dictation.cancel();
      else await window.tingxie.dictation.stop(await framesSent);
    }).catch(() => {});
    inFlight--;
    await settle();
  }

  /** Once no dictation needs it, the microphone closes (or waits warm for the next key). */
  function settle(): Promise<void> {
    return idle() ? applyWarmth() : Promise.resolve();
  }

  const stop = (): Promise<void> => finish('stop');
  const cancel = (): Promise<void> => finish('cancel');

  return { level: mic.level, active: mic.active, problem, start, stop, cancel, applyWarmth };
}
