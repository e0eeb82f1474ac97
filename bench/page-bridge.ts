// The keydown bench's window.tingxie: it times the overlay page and the main-side services
// alone, so it swaps only the transport under `window.tingxie` (the e2e tests run the real
// main and preload instead, under the Electron stand-in). An init script builds the same API
// the preload exposes, and forwards each call through page.exposeBinding to the real main-side
// services (createDesktopServices) running in the bench's process; main's pushed events come
// back through page.evaluate. Like main, the binding checks who is calling.
import type { Page } from '@playwright/test';
import type { DesktopServices } from '../src/core/dictation/desktop-services.ts';
import type { HistoryService } from '../src/core/dictation/history-service.ts';
import { AUDIO_PORT_HANDOFF } from '../src/shared/audio/audio-port-handoff.ts';
import type { MainEventMessage } from '../src/shared/ipc.ts';

type Call =
  | ['startDictation']
  | ['stopDictation', number, number | undefined]
  | ['cancelDictation', number | undefined]
  | ['getSettings']
  | ['saveSettings', unknown]
  | ['saveApiKey', unknown]
  | ['testConnection', unknown, unknown]
  | ['history', HistoryMethod, ...unknown[]]
  | ['appInfo'];

type HistoryMethod = Exclude<keyof HistoryService, 'dispose'>;
const HISTORY_METHODS: readonly HistoryMethod[] = [
  'list',
  'count',
  'copy',
  'insert',
  'retry',
  'delete',
  'deleteAll',
  'export',
];

/** Runs in the page: the preload's API over two bindings. Like the preload, start() hands
 * the page one end of a MessageChannel per dictation (a window message of type `handoff`);
 * the other end stands for main's and forwards each frame, as base64, to the services. */
function installBridge(handoff: string): void {
  const w = globalThis as unknown as {
    __tingxieCall(...args: unknown[]): Promise<unknown>;
    __tingxieFrame(dictationId: number, seq: number, base64: string): Promise<void>;
    __tingxieDispatch(message: { name: string; payload: unknown }): void;
    tingxie: unknown;
    postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
  };
  // The DOM's MessagePort, as far as used here (this file is checked with Node's lib).
  type FramePort = {
    onmessage: ((event: { data: { seq: number; pcm: Int16Array } }) => void) | null;
  };
  const listeners = new Set<(message: { name: string; payload: unknown }) => void>();
  // Like the preload: the dictation this page captures, let go of at stop or cancel.
  let capturing: number | null = null;
  w.__tingxieDispatch = (message) => listeners.forEach((l) => l(message));
  const toBase64 = (pcm: Int16Array) => {
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  w.tingxie = Object.freeze({
    dictation: {
      async start() {
        const started = (await w.__tingxieCall('startDictation')) as { dictationId: number };
        const { dictationId } = started;
        const { port1, port2 } = new MessageChannel();
        (port2 as unknown as FramePort).onmessage = (event) => {
          void w.__tingxieFrame(dictationId, event.data.seq, toBase64(event.data.pcm));
        };
        w.postMessage({ type: handoff, dictationId }, '/', [port1]);
        capturing = dictationId;
        return started;
      },
      stop(framesSent: number) {
        const dictationId = capturing;
        capturing = null;
        return w.__tingxieCall('stopDictation', framesSent, dictationId ?? undefined);
      },
      // As in the preload, frames still in flight after a cancel travel on: main drops them.
      cancel() {
        const dictationId = capturing;
        capturing = null;
        return w.__tingxieCall('cancelDictation', dictationId ?? undefined);
      },
    },
    settings: {
      get: () => w.__tingxieCall('getSettings'),
      save: (settings: unknown) => w.__tingxieCall('saveSettings', settings),
      saveApiKey: (apiKey: string) => w.__tingxieCall('saveApiKey', apiKey),
      testConnection: (settings: unknown, apiKey?: string) =>
        w.__tingxieCall('testConnection', settings, apiKey),
    },
    history: {
      list: (...args: unknown[]) => w.__tingxieCall('history', 'list', ...args),
      count: (...args: unknown[]) => w.__tingxieCall('history', 'count', ...args),
      copy: (...args: unknown[]) => w.__tingxieCall('history', 'copy', ...args),
      insert: (...args: unknown[]) => w.__tingxieCall('history', 'insert', ...args),
      retry: (...args: unknown[]) => w.__tingxieCall('history', 'retry', ...args),
      delete: (...args: unknown[]) => w.__tingxieCall('history', 'delete', ...args),
      deleteAll: () => w.__tingxieCall('history', 'deleteAll'),
      export: (...args: unknown[]) => w.__tingxieCall('history', 'export', ...args),
    },
    app: { info: () => w.__tingxieCall('appInfo') },
    on(name: string, listener: (payload: unknown) => void) {
      const l = (m: { name: string; payload: unknown }) => m.name === name && listener(m.payload);
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
}

export interface Bridge {
  /** Every event main pushed, in order. */
  readonly events: MainEventMessage[];
  /** Audio frames main received from the page. */
  readonly framesReceived: number;
  /** The frame count the page gave each stop(), in order. */
  readonly framesSentAtStop: number[];
  /** Delivers pushed events to the page (the DesktopServices sink); several given together
   * arrive in one task, as two IPC messages sent at once may. */
  push(...messages: MainEventMessage[]): void;
}

/** Forwards `page`'s `window.tingxie` to `services`; only `origin`'s main frame may call. */
export async function connectBridge(
  page: Page,
  origin: string,
  services: () => DesktopServices,
  history: () => HistoryService,
): Promise<Bridge> {
  const trusted = (source: { frame: { url(): string; parentFrame(): unknown } }) => {
    const frame = source.frame;
    if (frame.parentFrame() !== null || new URL(frame.url()).origin !== origin) {
      throw new Error('This page may not use Tingxie.');
    }
  };
  const framesSentAtStop: number[] = [];
  await page.exposeBinding('__tingxieCall', async (source, ...call: unknown[]) => {
    trusted(source);
    const [method, ...args] = call as Call;
    const s = services();
    switch (method) {
      case 'startDictation':
        return s.startDictation();
      case 'stopDictation':
        framesSentAtStop.push(Number(args[0]));
        return s.stopDictation(Number(args[0]), args[1] as number | undefined);
      case 'cancelDictation':
        return s.cancelDictation(args[0] as number | undefined);
      case 'getSettings':
        return s.getSettings();
      case 'saveSettings':
        return s.saveSettings(args[0]);
      case 'saveApiKey':
        return s.saveApiKey(args[0]);
      case 'testConnection':
        return s.testConnection(args[0], args[1]);
      case 'history': {
        const [name, ...rest] = args as [HistoryMethod, ...unknown[]];
        if (!HISTORY_METHODS.includes(name)) throw new Error(`Unknown history call ${name}`);
        return (history()[name] as (...a: unknown[]) => Promise<unknown>)(...rest);
      }
      case 'appInfo':
        return s.appInfo();
      default:
        throw new Error(`Unknown call ${String(method)}`);
    }
  });
  let framesReceived = 0;
  await page.exposeBinding(
    '__tingxieFrame',
    (source, dictationId: number, seq: number, base64: string) => {
      trusted(source);
      framesReceived++;
      const bytes = Buffer.from(base64, 'base64');
      const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
      services().pushFrame(seq, pcm.slice(), dictationId);
    },
  );
  await page.addInitScript(installBridge, AUDIO_PORT_HANDOFF);

  const events: MainEventMessage[] = [];
  return {
    events,
    get framesReceived() {
      return framesReceived;
    },
    framesSentAtStop,
    push(...messages) {
      events.push(...messages);
      page
        .evaluate((all) => {
          const w = globalThis as unknown as { __tingxieDispatch?(m: unknown): void };
          for (const m of all) w.__tingxieDispatch?.(m);
        }, messages)
        .catch(() => {}); // the page may be closing
    },
  };
}
