// The dictation as the window shows it: main's state machine, the connection, whether the
// server hears speech, the live partial text and the final transcripts. It also drives the
// microphone: Start asks main for a session and the rate, then streams frames to it. Main runs
// dictations side by side: once one is stopped it finishes on its own (its transcripts still
// arrive here), and Start may begin the next at once.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConnectionState } from '../../../shared/events.ts';
import type { DictationState, DictationTranscript } from '../../../shared/ipc.ts';
import {
  CaptureError,
  deviceOptions,
  useMicCapture,
  type CaptureErrorCode,
} from '../composables/useMicCapture.ts';
import { messageOf } from '../ipc-error.ts';
import { useSettingsStore } from './settings.ts';

export interface Transcript {
  itemId: string;
  text: string;
  /** When it arrived (ms since epoch). */
  at: number;
  failed?: boolean;
}

/** A problem to show: an i18n key under `errors.` plus what to put in it. */
export interface DictationProblem {
  key: CaptureErrorCode | 'server' | 'connect' | 'frames';
  detail?: string;
  count?: number;
}

export const useDictationStore = defineStore('dictation', () => {
  const mic = useMicCapture();
  /** The capturing side of main's dictations (see DictationStatus.state). */
  const state = ref<DictationState>('idle');
  /** How many dictations still wait for their transcripts. */
  const finishing = ref(0);
  const connection = ref<ConnectionState>('idle');
  const speaking = ref(false);
  /** Live text by item, with the dictation it belongs to. */
  const partials = ref(new Map<string, { text: string; dictationId?: number }>());
  const transcripts = ref<Transcript[]>([]);
  const problem = ref<DictationProblem | null>(null);
  /** True from pressing Start until main has answered and the microphone is open. */
  const starting = ref(false);
  /** True from pressing Stop until main says the capture has ended. */
  const stopping = ref(false);

  const partialText = computed(() =>
    [...partials.value.values()]
      .map((p) => p.text)
      .join(' ')
      .trim(),
  );
  /** A dictation is connecting or listening (this window's, or the hotkey's). */
  const capturing = computed(() => state.value === 'connecting' || state.value === 'listening');
  const busy = computed(() => starting.value || stopping.value || capturing.value);

  function onTranscript(event: DictationTranscript): void {
    switch (event.type) {
      case 'state':
        connection.value = event.state;
        break;
      case 'ready':
        connection.value = 'ready';
        break;
      case 'speech_started':
        speaking.value = true;
        break;
      case 'speech_stopped':
        speaking.value = false;
        break;
      case 'partial':
        partials.value.set(event.itemId, { text: event.text, dictationId: event.dictationId });
        break;
      case 'completed':
        partials.value.delete(event.itemId);
        if (event.transcript.trim()) {
          transcripts.value.push({
            itemId: event.itemId,
            text: event.transcript.trim(),
            at: Date.now(),
          });
        }
        break;
      case 'failed':
        partials.value.delete(event.itemId);
        transcripts.value.push({
          itemId: event.itemId,
          text: event.error.message,
          at: Date.now(),
          failed: true,
        });
        break;
      case 'error':
        // "Buffer too small" after the server's own VAD commit is harmless (PROTOCOL.md Part 2).
        if (event.error.code !== 'input_audio_buffer_commit_empty') {
          problem.value = { key: 'server', detail: event.error.message };
        }
        break;
    }
  }

  function listen(): () => void {
    const offs = [
      window.tingxie.on('transcript', onTranscript),
      window.tingxie.on('dictation', (status) => {
        state.value = status.state;
        finishing.value = status.finishing;
        if (status.error) problem.value = { key: 'connect', detail: status.error.message };
        if (status.cancelled) {
          // A cancelled dictation's live text was never transcribed: it goes too.
          for (const [itemId, p] of partials.value) {
            if (p.dictationId === status.dictation.id) partials.value.delete(itemId);
          }
        }
        if (!capturing.value) {
          speaking.value = false;
          stopping.value = false;
          // The capture ended on its own (connection lost): release the microphone.
          if (!starting.value) void mic.stop();
        }
        if (status.state === 'idle') connection.value = 'idle';
      }),
      window.tingxie.on('command', ({ action }) => {
        if (action === 'start' || (action === 'toggle' && !busy.value)) void start();
        else if (action === 'cancel') void cancel();
        else void stop();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  async function start(): Promise<void> {
    if (busy.value) return;
    const settings = useSettingsStore();
    const audio = settings.saved?.audio;
    problem.value = null;
    starting.value = true;
    try {
      const { sampleRate, dictationId } = await window.tingxie.dictation.start();
      try {
        await mic.start({
          sampleRate,
          dictationId,
          ...deviceOptions(audio),
          onDeviceLost: (framesSent) => {
            problem.value = { key: 'device-lost' };
            void finish(framesSent);
          },
        });
      } catch (err) {
        await window.tingxie.dictation.stop(0);
        throw err;
      }
    } catch (err) {
      problem.value =
        err instanceof CaptureError
          ? { key: err.code, detail: err.message }
          : { key: 'connect', detail: messageOf(err) };
    } finally {
      starting.value = false;
    }
  }

  /** Stops the microphone (flushing the last samples), then ends the capture in main; the
   * dictation then finishes on its own, and Start may begin the next. */
  async function stop(): Promise<void> {
    if (!capturing.value || stopping.value) return;
    stopping.value = true;
    try {
      await finish(await mic.stop());
    } finally {
      // Main's status normally said so already; a new capture has its own Stop.
      if (!capturing.value) stopping.value = false;
    }
  }

  /** Ends the dictation in main at once, discarding its audio, then closes the microphone. */
  async function cancel(): Promise<void> {
    if (!capturing.value && !starting.value) return;
    await window.tingxie.dictation.cancel();
    await mic.stop();
  }

  /** Ends the capture in main once it has the `framesSent` frames the microphone sent. */
  async function finish(framesSent: number): Promise<void> {
    const result = await window.tingxie.dictation.stop(framesSent);
    if (result.framesMissing > 0) problem.value = { key: 'frames', count: result.framesMissing };
  }

  function clear(): void {
    transcripts.value = [];
    partials.value.clear();
  }

  return {
    state,
    finishing,
    capturing,
    stopping,
    connection,
    speaking,
    partialText,
    transcripts,
    problem,
    starting,
    busy,
    level: mic.level,
    devices: mic.devices,
    device: mic.device,
    refreshDevices: mic.refreshDevices,
    listen,
    start,
    stop,
    cancel,
    clear,
  };
});
