// How the preload hands the page a dictation's audio port. A MessagePort cannot cross the
// context bridge, so the preload posts it to its own window (Electron's documented way into
// a context-isolated page): `window.postMessage(handoff, '/', [port])`. The port's other end
// is in main, bound there to the dictation; the page gives it to the capture worklet, which
// posts `AudioFrameMessage`s on it.

export const AUDIO_PORT_HANDOFF = 'tingxie:audio-port';

export interface AudioPortHandoff {
  type: typeof AUDIO_PORT_HANDOFF;
  /** The dictation whose frames the port carries (`DictationStarted.dictationId`). */
  dictationId: number;
}

/** Whether a window message is a handoff: the message only; its source and port are the
 * receiver's to check. */
export function isAudioPortHandoff(data: unknown): data is AudioPortHandoff {
  const message = data as Partial<AudioPortHandoff> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    message.type === AUDIO_PORT_HANDOFF &&
    typeof message.dictationId === 'number'
  );
}
