// The microphone: getUserMedia with the chosen device and processing switches, an
// AudioWorklet that turns it into PCM16 frames at the session's rate and posts them straight
// onto the dictation's audio port (this thread never touches a frame), a level meter fed a few
// times a second, and the list of inputs (kept fresh when devices come and go).
import { onScopeDispose, ref, shallowRef } from 'vue';
import type { Settings } from '../../../shared/settings.ts';
import { audioPort } from '../audio/audio-ports.ts';
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
  /** Send to this dictation's audio port from the start; without it frames are held until
   * send(). */
  dictationId?: number;
  /** While no port is attached, keep only the newest this much audio (default: all). */
  holdMs?: number;
  /** The device went away mid-capture; what was captured has been sent: `framesSent` frames. */
  onDeviceLost: (framesSent: number) => void;
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

/** Frame length posted by the worklet: 40 ms is well inside the 20–100 ms chunks servers
 * expect, and each frame is one message to main. */
const FRAME_MS = 40;

interface Running {
  stream: MediaStream;
  context: AudioContext;
  node: AudioWorkletNode;
  /** Resolves with the number of frames sent once the worklet has flushed. */
  flushed: Promise<number>;
}

/** Frames that hold `ms` of audio (Infinity: all). */
function framesFor(ms: number): number {
  return ms === Infinity ? Infinity : Math.ceil(ms / FRAME_MS);
}

export function useMicCapture() {
  const devices = ref<InputDevice[]>([]);
  /** Peak level of the last ~100 ms (the worklet reports it), 0..1. */
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
      holdFrames: framesFor(options.holdMs ?? Infinity),
    };
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      processorOptions,
    });
    let resolveFlushed = (_framesSent: number) => {};
    const flushed = new Promise<number>((resolve) => (resolveFlushed = resolve));
    node.port.onmessage = (event: MessageEvent<WorkletToPage>) => {
      const message = event.data;
      if (message.type === 'level') level.value = message.peak;
      else resolveFlushed(message.framesSent);
    };
    context.createMediaStreamSource(stream).connect(node);
    if (context.state === 'suspended') await context.resume();

    track.addEventListener('ended', () => {
      // Unplugged (or revoked) mid-dictation: send what we have, then tell the caller.
      void stop().then(options.onDeviceLost);
    });
    running.value = { stream, context, node, flushed };
    active.value = true;
    if (options.dictationId !== undefined) {
      try {
        await send(options.dictationId);
      } catch (err) {
        await stop();
        throw err;
      }
    }
  }

  function post(message: PageToWorklet, transfer: Transferable[] = []): void {
    running.value?.node.port.postMessage(message, transfer);
  }

  /** From now on frames (the held ones first) go to dictation `dictationId`'s audio port. */
  async function send(dictationId: number): Promise<void> {
    let port: MessagePort;
    try {
      port = await audioPort(dictationId);
    } catch (err) {
      throw new CaptureError('failed', (err as Error).message);
    }
    if (!running.value) return port.close();
    post({ type: 'send', port }, [port]);
  }

  /** While no port is attached, keep only the newest `ms` of audio (Infinity: all of it). */
  function hold(ms: number): void {
    post({ type: 'hold', frames: framesFor(ms) });
  }

  /** Stops capturing once every captured sample has been posted; resolves with the number of
   * frames sent on the dictation's port (0 when none was attached, or not capturing). */
  async function stop(): Promise<number> {
    const r = running.value;
    if (!r) return 0;
    running.value = null;
    const flush: PageToWorklet = { type: 'flush' };
    r.node.port.postMessage(flush);
    // The worklet answers on the audio thread; a closed context would never answer.
    const framesSent = r.context.state === 'closed' ? 0 : await r.flushed;
    r.stream.getTracks().forEach((t) => t.stop());
    r.node.port.onmessage = null;
    await r.context.close();
    active.value = false;
    level.value = 0;
    return framesSent;
  }

  return { devices, level, active, device, refreshDevices, start, send, hold, stop };
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
