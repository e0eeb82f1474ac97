// The microphone: getUserMedia with the chosen device and processing switches, an
// AudioWorklet that turns it into PCM16 frames at the session's rate, a level meter, and the
// list of inputs (kept fresh when devices come and go).
import { onScopeDispose, ref, shallowRef } from 'vue';
import type { Settings } from '../../../shared/settings.ts';
import workletUrl from '../audio/capture.worklet.ts?worker&url';
import {
  CAPTURE_PROCESSOR,
  type CaptureProcessorOptions,
  type PageToWorklet,
  type WorkletToPage,
} from '../audio/worklet-messages.ts';

export type CaptureErrorCode = 'permission-denied' | 'no-microphone' | 'device-lost' | 'failed';

export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode, message: string) {
    super(message);
    this.name = 'CaptureError';
    this.code = code;
  }
}

export interface CaptureOptions {
  sampleRate: number;
  /** The remembered device: its id, and its name to find it again if the id changed. */
  deviceId: string;
  deviceLabel: string;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
  onFrame: (pcm: Int16Array) => void;
  /** The device went away mid-capture; what was captured has been flushed through onFrame. */
  onDeviceLost: () => void;
}

export type DeviceOptions = Pick<
  CaptureOptions,
  'deviceId' | 'deviceLabel' | 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'
>;

/** The device and processing switches the audio settings ask for; before the settings have
 * loaded, the system default with the browser's processing on. */
export function deviceOptions(audio: Settings['audio'] | undefined): DeviceOptions {
  return {
    deviceId: audio?.deviceId ?? '',
    deviceLabel: audio?.deviceLabel ?? '',
    echoCancellation: audio?.echoCancellation ?? true,
    noiseSuppression: audio?.noiseSuppression ?? true,
    autoGainControl: audio?.autoGainControl ?? true,
  };
}

export interface InputDevice {
  deviceId: string;
  label: string;
}

/** Frame length posted by the worklet. Each frame costs a wake-up of this thread and an IPC
 * message, which dominate the capture's CPU (bench/capture.bench.ts): 40 ms frames cost half
 * of 20 ms ones, and 40 ms is still well inside the 20–100 ms chunks servers expect. */
const FRAME_MS = 40;

interface Running {
  stream: MediaStream;
  context: AudioContext;
  node: AudioWorkletNode;
  flushed: Promise<void>;
}

export function useMicCapture() {
  const devices = ref<InputDevice[]>([]);
  /** Peak level of the last frame, 0..1. */
  const level = ref(0);
  const active = ref(false);
  /** The device actually in use (after falling back from a missing one). */
  const device = ref<InputDevice | null>(null);
  const running = shallowRef<Running | null>(null);

  async function refreshDevices(): Promise<void> {
    const all = await navigator.mediaDevices.enumerateDevices();
    devices.value = all
      .filter(
        (d) =>
          d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications',
      )
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
  }

  const onDeviceChange = () => void refreshDevices();
  navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange);
  onScopeDispose(() => {
    navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
    void stop();
  });

  /** The remembered device if it is plugged in (by id, else by name), or the system default. */
  function pickDevice(options: CaptureOptions): string | undefined {
    const byId = devices.value.find((d) => d.deviceId === options.deviceId);
    if (byId) return byId.deviceId;
    const byLabel = devices.value.find(
      (d) => options.deviceLabel && d.label === options.deviceLabel,
    );
    return byLabel?.deviceId;
  }

  async function start(options: CaptureOptions): Promise<void> {
    if (running.value) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new CaptureError('no-microphone', 'This window cannot use a microphone.');
    }
    await refreshDevices().catch(() => {});
    const chosen = pickDevice(options);
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          ...(chosen ? { deviceId: { exact: chosen } } : {}),
          channelCount: 1,
          echoCancellation: options.echoCancellation,
          noiseSuppression: options.noiseSuppression,
          autoGainControl: options.autoGainControl,
        },
      });
    } catch (err) {
      throw toCaptureError(err);
    }
    // Labels are only readable once permission is granted.
    await refreshDevices().catch(() => {});
    const track = stream.getAudioTracks()[0]!;
    const settings = track.getSettings();
    device.value = {
      deviceId: settings.deviceId ?? chosen ?? '',
      label: track.label,
    };

    const context = new AudioContext({ latencyHint: 'interactive' });
    try {
      await context.audioWorklet.addModule(workletUrl);
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      await context.close();
      throw new CaptureError('failed', `The audio processor could not load: ${String(err)}`);
    }
    const processorOptions: CaptureProcessorOptions = {
      outRate: options.sampleRate,
      frameMs: FRAME_MS,
    };
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      processorOptions,
    });
    let resolveFlushed = () => {};
    const flushed = new Promise<void>((resolve) => (resolveFlushed = resolve));
    node.port.onmessage = (event: MessageEvent<WorkletToPage>) => {
      const message = event.data;
      if (message.type === 'frame') {
        level.value = message.peak;
        options.onFrame(message.pcm);
      } else resolveFlushed();
    };
    context.createMediaStreamSource(stream).connect(node);
    if (context.state === 'suspended') await context.resume();

    track.addEventListener('ended', () => {
      // Unplugged (or revoked) mid-dictation: send what we have, then tell the caller.
      void stop().then(options.onDeviceLost);
    });
    running.value = { stream, context, node, flushed };
    active.value = true;
  }

  /** Stops capturing once every captured sample has been passed to onFrame. */
  async function stop(): Promise<void> {
    const r = running.value;
    if (!r) return;
    running.value = null;
    const flush: PageToWorklet = { type: 'flush' };
    r.node.port.postMessage(flush);
    // The worklet answers on the audio thread; a closed context would never answer.
    if (r.context.state !== 'closed') await r.flushed;
    r.stream.getTracks().forEach((t) => t.stop());
    r.node.port.onmessage = null;
    await r.context.close();
    active.value = false;
    level.value = 0;
  }

  return { devices, level, active, device, refreshDevices, start, stop };
}

function toCaptureError(err: unknown): CaptureError {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new CaptureError('permission-denied', 'Microphone access was denied.');
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return new CaptureError('no-microphone', 'No microphone was found.');
  }
  return new CaptureError('failed', `The microphone could not start: ${String(err)}`);
}
