// The whole bridge: `window.tingxie`, built from the contract in src/shared/ipc.ts. No raw
// ipcRenderer reaches the page. PCM frames go over a MessagePort of their own (handed to main
// when a dictation starts); control calls use invoke, so that errors reject with a reason.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  Channel,
  type AudioFrameMessage,
  type AudioPortMessage,
  type MainEventMessage,
  type TingxieApi,
} from '../shared/ipc.ts';

// The DOM's MessagePort (the preload's tsconfig only knows Node's lib, hence the inference).
type Port = InstanceType<typeof MessageChannel>['port1'];
/** The dictation this page captures: its id, its own port, the frames sent on it. A stop or
 * cancel lets go of it at once, so that the next dictation (which may start while this one
 * still finishes) gets a port of its own. */
let capture: { dictationId: number; port: Port; framesSent: number } | null = null;

const api: TingxieApi = {
  dictation: {
    async start() {
      const started = await ipcRenderer.invoke(Channel.dictationStart);
      const { port1, port2 } = new MessageChannel();
      const bound: AudioPortMessage = { dictationId: started.dictationId };
      ipcRenderer.postMessage(Channel.audioPort, bound, [port2]);
      capture?.port.close();
      capture = { dictationId: started.dictationId, port: port1, framesSent: 0 };
      return started;
    },
    async stop() {
      const c = capture;
      capture = null;
      // Main waits until it has received `framesSent` frames: the port and invoke are not ordered.
      const stopped = await ipcRenderer.invoke(
        Channel.dictationStop,
        c?.framesSent ?? 0,
        c?.dictationId,
      );
      c?.port.close();
      return stopped;
    },
    async cancel() {
      // Frames not sent yet are the cancelled dictation's: they stay here.
      const c = capture;
      capture = null;
      c?.port.close();
      await ipcRenderer.invoke(Channel.dictationCancel, c?.dictationId);
    },
  },
  audio: {
    push(frame) {
      if (!capture) return;
      // contextBridge handed us a copy of the page's frame: its buffer is ours to transfer.
      const message: AudioFrameMessage = { seq: capture.framesSent++, pcm: frame };
      capture.port.postMessage(message, [frame.buffer as ArrayBuffer]);
    },
  },
  settings: {
    get: () => ipcRenderer.invoke(Channel.settingsGet),
    save: (settings) => ipcRenderer.invoke(Channel.settingsSave, settings),
    saveApiKey: (apiKey) => ipcRenderer.invoke(Channel.apiKeySave, apiKey),
    testConnection: (settings, apiKey) =>
      ipcRenderer.invoke(Channel.connectionTest, settings, apiKey),
  },
  history: {
    list: (filter, offset, limit) => ipcRenderer.invoke(Channel.historyList, filter, offset, limit),
    count: (filter) => ipcRenderer.invoke(Channel.historyCount, filter),
    copy: (id) => ipcRenderer.invoke(Channel.historyCopy, id),
    insert: (id) => ipcRenderer.invoke(Channel.historyInsert, id),
    retry: (id) => ipcRenderer.invoke(Channel.historyRetry, id),
    delete: (id) => ipcRenderer.invoke(Channel.historyDelete, id),
    deleteAll: () => ipcRenderer.invoke(Channel.historyDeleteAll),
    export: (request) => ipcRenderer.invoke(Channel.historyExport, request),
  },
  app: { info: () => ipcRenderer.invoke(Channel.appInfo) },
  on(name, listener) {
    const handler = (_event: IpcRendererEvent, message: MainEventMessage) => {
      if (message.name === name) listener(message.payload as never);
    };
    ipcRenderer.on(Channel.event, handler);
    return () => void ipcRenderer.removeListener(Channel.event, handler);
  },
};

contextBridge.exposeInMainWorld('tingxie', api);
