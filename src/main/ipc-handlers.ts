// Every IPC channel main answers, each one behind the sender check. A handler's error
// rejects the renderer's promise with its message, which says what to do.
import {
  ipcMain,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type MessagePortMain,
} from 'electron';
import type { DesktopServices } from '../core/dictation/desktop-services.ts';
import type { HistoryService } from '../core/dictation/history-service.ts';
import type { Logger } from '../core/log.ts';
import type { ModelsService } from '../core/models/models-service.ts';
import {
  Channel,
  type AudioFrameMessage,
  type AudioPortMessage,
  type MainEventMessage,
} from '../shared/ipc.ts';
import type { TrustedOrigin } from './trusted-origin.ts';

type Handler = (...args: unknown[]) => Promise<unknown>;

/** What the IPC channels reach. */
export interface IpcServices {
  services: DesktopServices;
  history: HistoryService;
  models: ModelsService;
  /** Asks where a model archive downloaded by hand is; undefined when the person cancels. */
  chooseModelImport(): Promise<string | undefined>;
}

export function registerIpc(
  { services, history, models, chooseModelImport }: IpcServices,
  origin: TrustedOrigin,
  isOurWindow: (contentsId: number) => boolean,
  log: Logger,
): RegisteredIpc {
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const url = event.senderFrame?.url ?? '';
    const ok =
      isOurWindow(event.sender.id) && event.senderFrame?.parent === null && origin.isTrusted(url);
    if (!ok)
      log.warn(
        `IPC: refused a message from an untrusted sender (${url.split('?')[0] || 'unknown'}).`,
      );
    return ok;
  };

  /** Each dictation's audio port, until the worklet closes it after its last frame or the
   * dictation ends (a started MessagePortMain otherwise lives as long as main does). */
  const ports = new Map<number, MessagePortMain>();
  const releaseAudioPort = (dictationId: number) => {
    ports.get(dictationId)?.close();
    ports.delete(dictationId);
  };

  const handlers: Record<string, Handler> = {
    [Channel.dictationStart]: () => services.startDictation(),
    [Channel.dictationStop]: (framesSent, id) =>
      services.stopDictation(Number(framesSent) || 0, dictationIdOf(id)),
    [Channel.dictationCancel]: (id) => services.cancelDictation(dictationIdOf(id)),
    [Channel.settingsGet]: () => services.getSettings(),
    [Channel.settingsSave]: (settings) => services.saveSettings(settings),
    [Channel.apiKeySave]: (apiKey) => services.saveApiKey(apiKey),
    [Channel.cleanUpKeySave]: (apiKey) => services.saveCleanUpKey(apiKey),
    [Channel.connectionTest]: (settings, apiKey) => services.testConnection(settings, apiKey),
    [Channel.historyList]: (filter, offset, limit) => history.list(filter, offset, limit),
    [Channel.historyCount]: (filter) => history.count(filter),
    [Channel.historyCopy]: (id) => history.copy(id),
    [Channel.historyInsert]: (id) => history.insert(id),
    [Channel.historyRetry]: (id) => history.retry(id),
    [Channel.historyDelete]: (id) => history.delete(id),
    [Channel.historyDeleteAll]: () => history.deleteAll(),
    [Channel.historyExport]: (request) => history.export(request),
    [Channel.historyCorrect]: (id, text) => history.correct(id, text),
    [Channel.textPreview]: (sample, text) => services.previewText(sample, text),
    [Channel.textAddRule]: (line) => services.addTextRule(line),
    [Channel.textTestCleanUp]: (sample, text, apiKey) => services.testCleanUp(sample, text, apiKey),
    [Channel.modelsList]: () => models.view(),
    [Channel.modelsDownload]: (id) => models.download(modelIdOf(id)),
    [Channel.modelsCancel]: async (id) => models.cancel(modelIdOf(id)),
    [Channel.modelsRemove]: (id) => models.remove(modelIdOf(id)),
    [Channel.modelsImport]: async (id) => {
      const modelId = modelIdOf(id);
      const path = await chooseModelImport();
      if (path === undefined) return { ok: false, canceled: true };
      return { ok: true, model: await models.importFrom(modelId, path) };
    },
    [Channel.appInfo]: () => services.appInfo(),
  };
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!trusted(event)) throw new Error('This window may not use Tingxie.');
      return handler(...args);
    });
  }

  const onAudioPort = (event: IpcMainEvent, message: unknown) => {
    const port = event.ports[0];
    if (!port || !trusted(event)) return port?.close();
    // Each port carries one dictation's frames: bound to it by id, a straggler of a finishing
    // dictation can never reach the next one, whichever of port and start() comes first.
    const dictationId = dictationIdOf((message as Partial<AudioPortMessage> | null)?.dictationId);
    if (dictationId === undefined) {
      log.warn('Audio: refused a port that names no dictation.');
      return port.close();
    }
    attachAudioPort(port, (seq, pcm) => services.pushFrame(seq, pcm, dictationId), log);
    releaseAudioPort(dictationId);
    ports.set(dictationId, port);
    port.on('close', () => {
      if (ports.get(dictationId) === port) ports.delete(dictationId);
    });
  };
  ipcMain.on(Channel.audioPort, onAudioPort);

  return {
    releaseAudioPort,
    dispose() {
      for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel);
      ipcMain.off(Channel.audioPort, onAudioPort);
      for (const id of [...ports.keys()]) releaseAudioPort(id);
    },
  };
}

export interface RegisteredIpc {
  /** Closes the audio port of a dictation that has ended (however it ended). */
  releaseAudioPort(dictationId: number): void;
  dispose(): void;
}

/** A model id from the renderer (the catalog then says whether it knows it). */
function modelIdOf(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new Error('Name a model from the list.');
  return value;
}

/** A dictation id from the renderer, or undefined when it sent none (or nonsense). */
function dictationIdOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function attachAudioPort(
  port: MessagePortMain,
  pushFrame: (seq: number, pcm: Int16Array) => void,
  log: Logger,
): void {
  port.on('message', ({ data }) => {
    const frame = data as Partial<AudioFrameMessage> | null;
    const pcm = frame?.pcm as unknown;
    if (typeof frame?.seq !== 'number' || !ArrayBuffer.isView(pcm)) {
      log.warn('Audio: ignored a message that is not a PCM frame.');
      return;
    }
    // Structured clone keeps the Int16Array; a view of another type is reinterpreted as PCM16.
    const samples =
      pcm instanceof Int16Array
        ? pcm
        : new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength >> 1);
    pushFrame(frame.seq, samples);
  });
  port.start();
}

/** Sends one pushed event to a window. */
export function sendEvent(
  contents: { send(channel: string, message: unknown): void },
  message: MainEventMessage,
): void {
  contents.send(Channel.event, message);
}
