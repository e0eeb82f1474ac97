// The hands-free microphone, in the overlay window: main sends start / stop / cancel as the
// hotkey goes down and up. Key down opens the microphone and the session at the same time; the
// capture worklet holds the frames captured while the session is still connecting and sends
// them first, so the first word is not cut. With "keep microphone warm" the microphone stays open between dictations and the
// last PRE_ROLL_MS before the key down are sent too; otherwise it is closed whenever idle.
import { ref } from 'vue';
import type { Settings } from '../../../shared/settings.ts';
import { CaptureError, deviceOptions, useMicCapture } from './useMicCapture.ts';

/** Audio kept from before the key down when the microphone is warm. */
export const PRE_ROLL_MS = 300;

type Phase = 'idle' | 'starting' | 'capturing' | 'stopping';

export function useHandsFreeCapture(settings: () => Settings | null) {
  const mic = useMicCapture();
  const problem = ref<string | null>(null);
  let phase: Phase = 'idle';
  /** A stop or cancel that arrived while starting: carried out once started. */
  let pending: 'stop' | 'cancel' | null = null;
  let micRate = 0;

  const warm = (): boolean => settings()?.handsFree.keepMicrophoneWarm ?? false;

  /** Opens the microphone; the worklet holds up to `holdMs` of audio until a port is given. */
  async function openMic(sampleRate: number, holdMs: number): Promise<void> {
    const audio = settings()?.audio;
    micRate = sampleRate;
    await mic.start({
      sampleRate,
      ...deviceOptions(audio),
      holdMs,
      onDeviceLost: (framesSent) => {
        problem.value = 'device-lost';
        if (phase === 'capturing') void finish(false, framesSent);
      },
    });
  }

  /** Closes the microphone, flushing it; resolves with the frames it sent. */
  const closeMic = (): Promise<number> => mic.stop();

  /** Opens or closes the idle microphone as the "keep warm" setting says. */
  async function applyWarmth(): Promise<void> {
    const rate = settings()?.server.sampleRate;
    if (phase !== 'idle' || !rate) return;
    if (warm() && !mic.active.value) await openMic(rate, PRE_ROLL_MS).catch(() => {});
    else if (warm()) mic.hold(PRE_ROLL_MS);
    else if (mic.active.value) await closeMic();
  }

  async function start(): Promise<void> {
    const rate = settings()?.server.sampleRate;
    if (phase !== 'idle' || !rate) return;
    phase = 'starting';
    pending = null;
    problem.value = null;
    if (mic.active.value && micRate !== rate) await closeMic();
    // From the key down on, every frame is the dictation's (after a warm microphone's pre-roll).
    if (mic.active.value) mic.hold(Infinity);
    const [session, microphone] = await Promise.allSettled([
      window.tingxie.dictation.start(),
      mic.active.value ? Promise.resolve() : openMic(rate, Infinity),
    ]);
    let failure: unknown =
      session.status === 'rejected'
        ? session.reason
        : microphone.status === 'rejected'
          ? microphone.reason
          : undefined;
    if (failure === undefined && session.status === 'fulfilled') {
      const { sampleRate, dictationId } = session.value;
      try {
        if (sampleRate !== rate) {
          // The settings changed under us: the frames held are at the wrong rate.
          await closeMic();
          await openMic(sampleRate, Infinity);
        }
        await mic.send(dictationId);
      } catch (err) {
        failure = err;
      }
    }
    if (failure !== undefined) {
      problem.value = failure instanceof CaptureError ? failure.code : 'failed';
      if (session.status === 'fulfilled') await window.tingxie.dictation.stop(0);
      phase = 'idle';
      await applyWarmth();
      return;
    }
    phase = 'capturing';
    const next = pending;
    pending = null;
    if (next) await finish(next === 'cancel');
  }

  /** Ends the dictation; `framesSent` is given when the microphone has already stopped. */
  async function finish(discard: boolean, framesSent?: number): Promise<void> {
    if (phase === 'starting') {
      pending = discard ? 'cancel' : 'stop';
      return;
    }
    if (phase !== 'capturing') return;
    phase = 'stopping';
    if (discard) {
      // Main closes the session without a commit and drops what still arrives: nothing of
      // this dictation is transcribed, saved or inserted.
      await window.tingxie.dictation.cancel();
      await closeMic();
    } else {
      // Closing flushes the worklet, so the last syllable is sent; a warm microphone reopens.
      const sent = framesSent ?? (await closeMic());
      await window.tingxie.dictation.stop(sent);
    }
    phase = 'idle';
    await applyWarmth();
  }

  const stop = (): Promise<void> => finish(false);
  const cancel = (): Promise<void> => finish(true);

  return { level: mic.level, problem, start, stop, cancel, applyWarmth };
}
