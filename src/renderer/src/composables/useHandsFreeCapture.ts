// The hands-free microphone, in the overlay window: main sends start / stop / cancel as the
// hotkey goes down and up. Key down opens the microphone and the session at the same time, and
// the frames captured while the session is still connecting are sent first, so the first word
// is not cut. With "keep microphone warm" the microphone stays open between dictations and the
// last PRE_ROLL_MS before the key down are sent too; otherwise it is closed whenever idle.
import { ref } from 'vue';
import type { Settings } from '../../../shared/settings.ts';
import { CaptureError, deviceOptions, useMicCapture } from './useMicCapture.ts';

/** Audio kept from before the key down when the microphone is warm. */
export const PRE_ROLL_MS = 300;
/** Frame length of the capture worklet (useMicCapture). */
const FRAME_MS = 40;

type Phase = 'idle' | 'starting' | 'capturing' | 'stopping';

export function useHandsFreeCapture(settings: () => Settings | null) {
  const mic = useMicCapture();
  const problem = ref<string | null>(null);
  let phase: Phase = 'idle';
  /** A stop or cancel that arrived while starting: carried out once started. */
  let pending: 'stop' | 'cancel' | null = null;
  let streaming = false;
  let held: Int16Array[] = [];
  let micRate = 0;

  const warm = (): boolean => settings()?.handsFree.keepMicrophoneWarm ?? false;

  function onFrame(pcm: Int16Array): void {
    if (streaming) {
      window.tingxie.audio.push(pcm);
      return;
    }
    held.push(pcm);
    // While idle, only the pre-roll is kept; while starting, everything (it is the dictation).
    if (phase === 'idle') held = held.slice(-Math.ceil(PRE_ROLL_MS / FRAME_MS));
  }

  async function openMic(sampleRate: number): Promise<void> {
    const audio = settings()?.audio;
    micRate = sampleRate;
    await mic.start({
      sampleRate,
      ...deviceOptions(audio),
      onFrame,
      onDeviceLost: () => {
        problem.value = 'device-lost';
        if (phase === 'capturing') void stop();
      },
    });
  }

  async function closeMic(): Promise<void> {
    await mic.stop();
    held = [];
  }

  /** Opens or closes the idle microphone as the "keep warm" setting says. */
  async function applyWarmth(): Promise<void> {
    const rate = settings()?.server.sampleRate;
    if (phase !== 'idle' || !rate) return;
    if (warm() && !mic.active.value) await openMic(rate).catch(() => {});
    else if (!warm() && mic.active.value) await closeMic();
  }

  async function start(): Promise<void> {
    const rate = settings()?.server.sampleRate;
    if (phase !== 'idle' || !rate) return;
    phase = 'starting';
    pending = null;
    problem.value = null;
    if (mic.active.value && micRate !== rate) await closeMic();
    const [session, microphone] = await Promise.allSettled([
      window.tingxie.dictation.start(),
      mic.active.value ? Promise.resolve() : openMic(rate),
    ]);
    if (session.status === 'rejected' || microphone.status === 'rejected') {
      const err =
        session.status === 'rejected'
          ? session.reason
          : (microphone as PromiseRejectedResult).reason;
      problem.value = err instanceof CaptureError ? err.code : 'failed';
      if (session.status === 'fulfilled') await window.tingxie.dictation.stop();
      phase = 'idle';
      await applyWarmth();
      return;
    }
    if (session.value.sampleRate !== rate) {
      // The settings changed under us: the frames held are at the wrong rate.
      await closeMic();
      await openMic(session.value.sampleRate);
    }
    for (const frame of held) window.tingxie.audio.push(frame);
    held = [];
    streaming = true;
    phase = 'capturing';
    const next = pending;
    pending = null;
    if (next) await finish(next === 'cancel');
  }

  async function finish(discard: boolean): Promise<void> {
    if (phase === 'starting') {
      pending = discard ? 'cancel' : 'stop';
      return;
    }
    if (phase !== 'capturing') return;
    phase = 'stopping';
    if (discard) {
      // Main closes the session without a commit and drops what still arrives: nothing of
      // this dictation is transcribed, saved or inserted.
      streaming = false;
      await window.tingxie.dictation.cancel();
      await closeMic();
    } else {
      // Closing flushes the worklet, so the last syllable is sent; a warm microphone reopens.
      await closeMic();
      streaming = false;
      await window.tingxie.dictation.stop();
    }
    phase = 'idle';
    await applyWarmth();
  }

  const stop = (): Promise<void> => finish(false);
  const cancel = (): Promise<void> => finish(true);

  return { level: mic.level, problem, start, stop, cancel, applyWarmth };
}
