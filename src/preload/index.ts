// The whole bridge: `window.tingxie`, built from the contract in src/shared/ipc.ts. No raw
// ipcRenderer reaches the page. PCM frames go over a MessagePort of their own per dictation:
// one end goes to main, the other to the page (posted to this window, as a port cannot cross
// the context bridge), where the capture worklet posts frames on it from the audio thread.
// Control calls use invoke, so that errors reject with a reason.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { AUDIO_PORT_HANDOFF, type AudioPortHandoff } from '../shared/audio/audio-port-handoff.ts';
import {
  Channel,
  type AudioPortMessage,
  type MainEventMessage,
  type TingxieApi,
} from '../shared/ipc.ts';

// The page's window, as far as the preload uses it (its tsconfig only knows Node's lib).
declare const window: {
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
};

/** The dictation this page captures. A stop or cancel lets go of it at once, so that the next
 * dictation (which may start while this one still finishes) is named on its own. */
let capturing: number | null = null;

const api: TingxieApi = {
  dictation: {
    async start() {
      const started = await ipcRenderer.invoke(Channel.dictationStart);
      const { port1, port2 } = new MessageChannel();
      const bound: AudioPortMessage = { dictationId: started.dictationId };
      ipcRenderer.postMessage(Channel.audioPort, bound, [port2]);
      // '/': only a page of this window's own origin receives it; the page checks the source.
      const handoff: AudioPortHandoff = {
        type: AUDIO_PORT_HANDOFF,
        dictationId: started.dictationId,
      };
      window.postMessage(handoff, '/', [port1]);
      capturing = started.dictationId;
      return started;
    },
    async stop(framesSent) {
      const dictationId = capturing;
      capturing = null;
      // Main waits until it has received `framesSent` frames: the port and invoke are not ordered.
      return ipcRenderer.invoke(Channel.dictationStop, framesSent, dictationId ?? undefined);
    },
    async cancel() {
      const dictationId = capturing;
      capturing = null;
      await ipcRenderer.invoke(Channel.dictationCancel, dictationId ?? undefined);
    },
  },
  settings: {
    get: () => ipcRenderer.invoke(Channel.settingsGet),
    save: (settings) => ipcRenderer.invoke(Channel.settingsSave, settings),
    saveApiKey: (apiKey) => ipcRenderer.invoke(Channel.apiKeySave, apiKey),
    saveCleanUpKey: (apiKey) => ipcRenderer.invoke(Channel.cleanUpKeySave, apiKey),
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
    correct: (id, text) => ipcRenderer.invoke(Channel.historyCorrect, id, text),
  },
  text: {
    preview: (sample, text) => ipcRenderer.invoke(Channel.textPreview, sample, text),
    addRule: (line) => ipcRenderer.invoke(Channel.textAddRule, line),
    testCleanUp: (sample, text, apiKey) =>
      ipcRenderer.invoke(Channel.textTestCleanUp, sample, text, apiKey),
  },
  models: {
    list: () => ipcRenderer.invoke(Channel.modelsList),
    download: (id) => ipcRenderer.invoke(Channel.modelsDownload, id),
    cancel: (id) => ipcRenderer.invoke(Channel.modelsCancel, id),
    remove: (id) => ipcRenderer.invoke(Channel.modelsRemove, id),
    import: (id) => ipcRenderer.invoke(Channel.modelsImport, id),
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
