// The dictation as the window shows it: main's state machine, the connection, whether the
// server hears speech, the live partial text and the final transcripts. It also drives the
// microphone: Start asks main for a session and the rate, then streams frames to it.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConnectionState, TranscriptEvent } from '../../../shared/events.ts';
import type { DictationState } from '../../../shared/ipc.ts';
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
  const state = ref<DictationState>('idle');
  const connection = ref<ConnectionState>('idle');
  const speaking = ref(false);
  const partials = ref(new Map<string, string>());
  const transcripts = ref<Transcript[]>([]);
  const problem = ref<DictationProblem | null>(null);
  /** True from pressing Start until main has answered and the microphone is open. */
  const starting = ref(false);

  const partialText = computed(() => [...partials.value.values()].join(' ').trim());
  const busy = computed(() => starting.value || state.value !== 'idle');

  function onTranscript(event: TranscriptEvent): void {
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
        partials.value.set(event.itemId, event.text);
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
        if (status.error) problem.value = { key: 'connect', detail: status.error.message };
        if (status.state === 'idle') {
          speaking.value = false;
          // A cancelled dictation's live text was never transcribed: it goes too.
          if (status.cancelled) partials.value.clear();
          connection.value = 'idle';
          // The session ended on its own (connection lost): release the microphone.
          void mic.stop();
        }
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
      const { sampleRate } = await window.tingxie.dictation.start();
      try {
        await mic.start({
          sampleRate,
          ...deviceOptions(audio),
          onFrame: (pcm) => window.tingxie.audio.push(pcm),
          onDeviceLost: () => {
            problem.value = { key: 'device-lost' };
            void finish();
          },
        });
      } catch (err) {
        await window.tingxie.dictation.stop();
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

  /** Stops the microphone (flushing the last samples), then ends the dictation in main. */
  async function stop(): Promise<void> {
    if (state.value === 'idle' || state.value === 'finishing') return;
    await mic.stop();
    await finish();
  }

  /** Ends the dictation in main at once, discarding its audio, then closes the microphone. */
  async function cancel(): Promise<void> {
    if (state.value === 'idle' && !starting.value) return;
    await window.tingxie.dictation.cancel();
    await mic.stop();
  }

  async function finish(): Promise<void> {
    const result = await window.tingxie.dictation.stop();
    if (result.framesMissing > 0) problem.value = { key: 'frames', count: result.framesMissing };
  }

  function clear(): void {
    transcripts.value = [];
    partials.value.clear();
  }

  return {
    state,
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
