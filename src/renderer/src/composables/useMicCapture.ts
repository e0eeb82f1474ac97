// The microphone: getUserMedia with the chosen device and processing switches, an
// AudioWorklet that turns it into PCM16 frames at the session's rate and posts them straight
// onto the dictation's audio port (this thread never touches a frame), a level meter fed a few
// times a second, and the list of inputs (kept fresh when devices come and go).
//
// The audio context and the worklet's code can be made ready ahead of time (prepare()), with
// no microphone open, so that opening it at a key down is only getUserMedia and a connect.
// One open microphone can serve dictations back to back: each dictation's audio is a segment,
// cut on the audio thread (begin / end), so none of one dictation's samples reach another's.
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
  /** Segment open from the first sample (see begin()). */
  segment?: number;
  /** While no segment is open, keep only the newest this much audio (default: all). */
  holdMs?: number;
  /** The device went away mid-capture; the open segment's audio has been sent: `framesSent`
   * frames. */
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

/** The segment start() opens for its dictation. */
const ONLY_SEGMENT = 0;

interface Running {
  stream: MediaStream;
  source: MediaStreamAudioSourceNode;
  node: AudioWorkletNode;
  /** Resolves once the worklet has answered every segment and stopped. */
  closed: Promise<void>;
}

/** Frames that hold `ms` of audio (Infinity: all). */
function framesFor(ms: number): number {
  return ms === Infinity ? Infinity : Math.ceil(ms / FRAME_MS);
}

/** An audio context with the capture worklet's code loaded, and no source; suspended while
 * the microphone is closed. (Chromium's "none" output sink was tried: its timer-driven
 * rendering dropped and inserted audio on a loaded machine, cutting words.) */
async function createContext(): Promise<AudioContext> {
  const context = new AudioContext({ latencyHint: 'interactive' });
  try {
    await context.audioWorklet.addModule(workletUrl);
  } catch (err) {
    await context.close();
    throw new CaptureError('failed', `The audio processor could not load: ${String(err)}`);
  }
  if (context.state === 'running') await context.suspend();
  return context;
}

export function useMicCapture() {
  const devices = ref<InputDevice[]>([]);
  /** Peak level of the last ~100 ms (the worklet reports it), 0..1. */
  const level = ref(0);
  const active = ref(false);
  /** The device actually in use (after falling back from a missing one). */
  const device = ref<InputDevice | null>(null);
  const running = shallowRef<Running | null>(null);
  let context: Promise<AudioContext> | null = null;
  /** Segments begun and not yet answered by the worklet: how to hand each its frame count. */
  const ended = new Map<number, { answer: (framesSent: number) => void; done: Promise<number> }>();
  /** The segment capturing now. */
  let live: number | null = null;
  let disposed = false;

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
  // The level is only worth the page's wake-ups while someone can see it.
  const onVisibilityChange = () => {
    post({ type: 'levels', on: !document.hidden });
    if (document.hidden) level.value = 0;
  };
  document.addEventListener('visibilitychange', onVisibilityChange);
  onScopeDispose(() => {
    disposed = true;
    navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
    document.removeEventListener('visibilitychange', onVisibilityChange);
    void close().then(async () => (await context?.catch(() => null))?.close());
  });

  /** Makes the audio context and the worklet ready without opening the microphone, so that a
   * later open() starts capturing sooner. */
  function prepare(): Promise<AudioContext> {
    context ??= createContext().catch((err: unknown) => {
      context = null;
      throw err;
    });
    return context;
  }

  /** The remembered device if it is plugged in (by id, else by name), or the system default. */
  function pickDevice(options: CaptureOptions): string | undefined {
    const byId = devices.value.find((d) => d.deviceId === options.deviceId);
    if (byId) return byId.deviceId;
    const byLabel = devices.value.find(
      (d) => options.deviceLabel && d.label === options.deviceLabel,
    );
    return byLabel?.deviceId;
  }

  function expectAnswer(segment: number): void {
    let answer = (_framesSent: number) => {};
    const done = new Promise<number>((resolve) => (answer = resolve));
    ended.set(segment, { answer, done });
  }

  /** Opens the microphone. */
  async function open(options: CaptureOptions): Promise<void> {
    if (running.value) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new CaptureError('no-microphone', 'This window cannot use a microphone.');
    }
    // The device list is kept fresh; it is read here only when a remembered device is not on it.
    const remembered = options.deviceId || options.deviceLabel;
    if (remembered && !pickDevice(options)) await refreshDevices().catch(() => {});
    const chosen = pickDevice(options);
    const [media, ready] = await Promise.allSettled([
      navigator.mediaDevices.getUserMedia({
        audio: {
          ...(chosen ? { deviceId: { exact: chosen } } : {}),
          channelCount: 1,
          echoCancellation: options.echoCancellation,
          noiseSuppression: options.noiseSuppression,
          autoGainControl: options.autoGainControl,
        },
      }),
      prepare(),
    ]);
    if (media.status === 'rejected') throw toCaptureError(media.reason);
    const stream = media.value;
    if (ready.status === 'rejected' || disposed) {
      stream.getTracks().forEach((t) => t.stop());
      throw ready.status === 'rejected' ? ready.reason : new CaptureError('failed', 'Closed.');
    }
    const audio = ready.value;
    const track = stream.getAudioTracks()[0]!;
    device.value = { deviceId: track.getSettings().deviceId ?? chosen ?? '', label: track.label };
    // Labels are only readable once permission is granted.
    void refreshDevices().catch(() => {});

    const processorOptions: CaptureProcessorOptions = {
      outRate: options.sampleRate,
      frameMs: FRAME_MS,
      holdFrames: framesFor(options.holdMs ?? Infinity),
      segment: options.segment,
      levels: !document.hidden,
    };
    const node = new AudioWorkletNode(audio, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      processorOptions,
    });
    if (options.segment !== undefined) {
      live = options.segment;
      expectAnswer(options.segment);
    }
    let resolveClosed = () => {};
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    node.port.onmessage = (event: MessageEvent<WorkletToPage>) => {
      const message = event.data;
      if (message.type === 'level') level.value = message.peak;
      else if (message.type === 'ended') {
        ended.get(message.segment)?.answer(message.framesSent);
        ended.delete(message.segment);
      } else if (message.type === 'started') {
        if (message.resampler === 'js') {
          console.warn(
            'Capture: resampling in JavaScript, at several times the CPU: this page cannot ' +
              "compile WebAssembly (its Content-Security-Policy needs 'wasm-unsafe-eval').",
          );
        } else console.debug(`Capture: resampler ${message.resampler}`);
      } else resolveClosed();
    };
    const source = audio.createMediaStreamSource(stream);
    source.connect(node);
    running.value = { stream, source, node, closed };
    active.value = true;
    track.addEventListener('ended', () => {
      // Unplugged (or revoked) mid-dictation: send what we have, then tell the caller.
      void stop().then(options.onDeviceLost);
    });
    if (audio.state !== 'running') await audio.resume();
  }

  function post(message: PageToWorklet, transfer: Transferable[] = []): void {
    running.value?.node.port.postMessage(message, transfer);
  }

  /** From now on the audio is segment `segment`'s (after what was kept while idle). */
  function begin(segment: number): void {
    if (!running.value) return;
    if (live !== null) void end(live);
    live = segment;
    expectAnswer(segment);
    post({ type: 'begin', segment });
  }

  /** Ends segment `segment` here; resolves with the frames it sent once they are all on its
   * port (0 if the microphone closed before its port came). */
  function end(segment: number): Promise<number> {
    if (live === segment) live = null;
    const answer = ended.get(segment);
    if (!answer || !running.value) return Promise.resolve(0);
    post({ type: 'end', segment });
    return answer.done;
  }

  /** Discards segment `segment`: nothing more of it is sent. */
  function drop(segment: number): void {
    if (live === segment) live = null;
    ended.get(segment)?.answer(0);
    ended.delete(segment);
    post({ type: 'drop', segment });
  }

  /** Segment `segment`'s frames (the held ones first) go to dictation `dictationId`'s port. */
  async function send(segment: number, dictationId: number): Promise<void> {
    let port: MessagePort;
    try {
      port = await audioPort(dictationId);
    } catch (err) {
      throw new CaptureError('failed', (err as Error).message);
    }
    if (!running.value || !ended.has(segment)) return port.close();
    post({ type: 'send', segment, port }, [port]);
  }

  /** While no segment is open, keep only the newest `ms` of audio (Infinity: all of it). */
  function hold(ms: number): void {
    post({ type: 'hold', frames: framesFor(ms) });
  }

  /** Closes the microphone once every segment has been answered; the context is kept
   * (suspended) for the next open. */
  async function close(): Promise<void> {
    const r = running.value;
    if (!r) return;
    running.value = null;
    live = null;
    const audio = await prepare();
    r.node.port.postMessage({ type: 'close' } satisfies PageToWorklet);
    // The worklet answers on the audio thread, which runs only while the context does.
    if (audio.state === 'running') await r.closed;
    for (const { answer } of ended.values()) answer(0);
    ended.clear();
    r.stream.getTracks().forEach((t) => t.stop());
    r.source.disconnect();
    r.node.port.onmessage = null;
    if (audio.state === 'running') await audio.suspend();
    active.value = false;
    level.value = 0;
  }

  /** Opens the microphone for dictation `options.dictationId` (or holding its frames until
   * send()). */
  async function start(options: CaptureOptions): Promise<void> {
    if (running.value) return;
    await open({ ...options, segment: ONLY_SEGMENT });
    if (options.dictationId !== undefined) {
      try {
        await send(ONLY_SEGMENT, options.dictationId);
      } catch (err) {
        await stop();
        throw err;
      }
    }
  }

  /** Stops capturing once every captured sample has been posted; resolves with the number of
   * frames the open segment sent on its port (0 when none was attached, or not capturing). */
  async function stop(): Promise<number> {
    if (!running.value) return 0;
    const sent = live === null ? Promise.resolve(0) : end(live);
    await close();
    return sent;
  }

  return {
    devices,
    level,
    active,
    device,
    refreshDevices,
    prepare,
    open,
    begin,
    end,
    drop,
    send,
    hold,
    close,
    start,
    stop,
  };
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
