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
import { Channel, type AudioFrameMessage, type MainEventMessage } from '../shared/ipc.ts';
import type { TrustedOrigin } from './trusted-origin.ts';

type Handler = (...args: unknown[]) => Promise<unknown>;

export function registerIpc(
  services: DesktopServices,
  history: HistoryService,
  origin: TrustedOrigin,
  isOurWindow: (contentsId: number) => boolean,
  log: Logger,
): () => void {
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

  const handlers: Record<string, Handler> = {
    [Channel.dictationStart]: () => services.startDictation(),
    [Channel.dictationStop]: (framesSent) => services.stopDictation(Number(framesSent) || 0),
    [Channel.dictationCancel]: () => services.cancelDictation(),
    [Channel.settingsGet]: () => services.getSettings(),
    [Channel.settingsSave]: (settings) => services.saveSettings(settings),
    [Channel.apiKeySave]: (apiKey) => services.saveApiKey(apiKey),
    [Channel.connectionTest]: (settings, apiKey) => services.testConnection(settings, apiKey),
    [Channel.historyList]: (filter, offset, limit) => history.list(filter, offset, limit),
    [Channel.historyCount]: (filter) => history.count(filter),
    [Channel.historyCopy]: (id) => history.copy(id),
    [Channel.historyInsert]: (id) => history.insert(id),
    [Channel.historyRetry]: (id) => history.retry(id),
    [Channel.historyDelete]: (id) => history.delete(id),
    [Channel.historyDeleteAll]: () => history.deleteAll(),
    [Channel.historyExport]: (request) => history.export(request),
    [Channel.appInfo]: () => services.appInfo(),
  };
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!trusted(event)) throw new Error('This window may not use Tingxie.');
      return handler(...args);
    });
  }

  const onAudioPort = (event: IpcMainEvent) => {
    const port = event.ports[0];
    if (!port || !trusted(event)) return port?.close();
    attachAudioPort(port, services.pushFrame, log);
  };
  ipcMain.on(Channel.audioPort, onAudioPort);

  return () => {
    for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel);
    ipcMain.off(Channel.audioPort, onAudioPort);
  };
}

function attachAudioPort(
  port: MessagePortMain,
  pushFrame: DesktopServices['pushFrame'],
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
