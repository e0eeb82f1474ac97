// Everything the desktop window can ask of main, without Electron: settings, the API key,
// dictation, and the connection test. main/ wires this to IPC; the e2e tests wire the very
// same object to a browser page, so that what they exercise is what the app runs.
import { randomUUID } from 'node:crypto';
import type {
  AppInfo,
  ConnectionTestResult,
  DictationStarted,
  DictationStatus,
  DictationStopped,
  DictationTranscript,
  SettingsSaveResult,
  SettingsView,
} from '../../shared/ipc.ts';
import type { SessionConfig } from '../../shared/providers.ts';
import { validateSettings, type Settings } from '../../shared/settings.ts';
import type { HistoryStore } from '../history/index.ts';
import type { Logger } from '../log.ts';
import {
  ApiKeyStore,
  type CipherTextBackend,
  type SecretCipher,
} from '../settings/api-key-store.ts';
import { SettingsRepository, type SettingsBackend } from '../settings/settings-repository.ts';
import { MissingApiKeyError, toSessionConfig } from '../settings/session-config.ts';
import { testConnection } from './connection-test.ts';
import { DictationService } from './dictation-service.ts';
import { TurnAudioRecorder } from './turn-audio.ts';
import type { EventSink, LocalServer, SessionFactory } from './ports.ts';

export interface DesktopServicesOptions {
  settingsBackend: SettingsBackend;
  apiKeyBackend: CipherTextBackend;
  cipher: SecretCipher;
  /** Sessions for dictation (reconnecting) and for the connection test (one attempt). */
  createSession: SessionFactory;
  createTestSession: SessionFactory;
  startLocalServer: () => Promise<LocalServer>;
  sink: EventSink;
  log: Logger;
  appInfo: () => AppInfo;
  /** Called after settings were saved (main re-registers the global shortcut). */
  onSettingsSaved?: (settings: Settings) => void;
  /** Where transcripts are kept (the History view reads it through history-service.ts). */
  history?: Pick<HistoryStore, 'add'>;
  connectionTestTimeoutMs?: number;
}

export interface DesktopServices {
  /** Starts a dictation beside any that are finishing (see DictationService). */
  startDictation(): Promise<DictationStarted>;
  /** Ends the capture of `dictationId` (default: the capturing dictation); resolves once its
   * final commit is sent (its transcripts follow as events). */
  stopDictation(framesSent: number, dictationId?: number): Promise<DictationStopped>;
  /** Esc: ends the capturing dictation and discards its audio (see DictationService.cancel). */
  cancelDictation(dictationId?: number): Promise<void>;
  /** A frame of `dictationId`'s audio port (default: the newest dictation). */
  pushFrame(seq: number, pcm: Int16Array, dictationId?: number): void;
  getSettings(): Promise<SettingsView>;
  saveSettings(settings: unknown): Promise<SettingsSaveResult>;
  saveApiKey(apiKey: unknown): Promise<SettingsView>;
  testConnection(settings: unknown, apiKey: unknown): Promise<ConnectionTestResult>;
  /** The current provider's session configuration (a history retry transcribes with it);
   * starts the local server when that is the provider. */
  sessionConfig(): Promise<SessionConfig>;
  appInfo(): Promise<AppInfo>;
  /** The local server is to run another model (one was installed or removed): the next
   * dictation starts a new server, and the old one closes once nothing uses it. */
  restartLocalServer(): void;
  /** The settings repository, for main's own wiring (shortcut, locale). */
  readonly settings: SettingsRepository;
  dispose(): Promise<void>;
}

export function createDesktopServices(options: DesktopServicesOptions): DesktopServices {
  const settings = new SettingsRepository(options.settingsBackend, options.log);
  const apiKeys = new ApiKeyStore(options.cipher, options.apiKeyBackend);
  const history = options.history;
  /** What the history needs of each running dictation: the id its entries are grouped by,
   * and its turns' audio (a failed turn's, by default, is kept for a retry). Dictations
   * overlap, so each has its own: the audio of one never receives the frames of another. */
  const recordings = new Map<number, { id: string; audio: TurnAudioRecorder }>();
  /** Keeps each finished turn, before the window (or anything else) sees it. */
  const record = (event: DictationTranscript): void => {
    const recording =
      event.dictationId === undefined ? undefined : recordings.get(event.dictationId);
    if (!history || !recording) return;
    recording.audio.onEvent(event);
    if (event.type !== 'completed' && event.type !== 'failed') return;
    const { provider, model, language } = settings.current.server;
    const failed = event.type === 'failed';
    const audio = recording.audio.take(event.itemId);
    const keep = settings.current.history.keepAudio;
    if (!failed && !event.transcript.trim()) return;
    try {
      history.add(
        {
          text: failed ? '' : event.transcript.trim(),
          audioStartMs: failed ? null : (event.audioStartMs ?? null),
          audioEndMs: failed ? null : (event.audioEndMs ?? null),
          provider,
          model,
          language,
          dictationId: recording.id,
          status: failed ? 'failed' : 'ok',
          failureReason: failed ? event.error.message : null,
        },
        keep === 'all' || (keep === 'failed' && failed) ? audio : undefined,
      );
    } catch (err) {
      options.log.error(`History: could not save a transcript: ${(err as Error).message}`);
    }
  };
  /** A dictation begins or ends: its recording too (a cancelled one's audio goes with it). */
  const follow = ({ dictation: d }: DictationStatus): void => {
    if (d.state === 'idle') recordings.delete(d.id);
    else if (history && !recordings.has(d.id)) {
      recordings.set(d.id, { id: randomUUID(), audio: new TurnAudioRecorder() });
    }
  };
  const dictation = new DictationService({
    createSession: options.createSession,
    usesLocalServer: () => settings.current.server.provider === 'local',
    sessionConfig: async (localUrl) =>
      toSessionConfig(settings.current.server, await apiKeys.get(), localUrl),
    startLocalServer: options.startLocalServer,
    sink: (message) => {
      if (message.name === 'transcript') record(message.payload as DictationTranscript);
      else if (message.name === 'dictation') follow(message.payload as DictationStatus);
      options.sink(message);
    },
    log: options.log,
  });
  const view = async (): Promise<SettingsView> => ({
    settings: settings.current,
    apiKey: await apiKeys.status(),
  });

  return {
    settings,
    startDictation: async () => {
      const started = await dictation.start();
      recordings.get(started.dictationId)?.audio.start(started.sampleRate);
      return started;
    },
    stopDictation: (framesSent, dictationId) => dictation.stopCapture(framesSent, dictationId),
    cancelDictation: async (dictationId) => {
      dictation.cancel(dictationId);
    },
    pushFrame: (seq, pcm, dictationId = dictation.newestId) => {
      // Only the frames the dictation took: those trailing a cancel are discarded.
      if (dictationId !== undefined && dictation.pushFrame(seq, pcm, dictationId)) {
        recordings.get(dictationId)?.audio.push(pcm);
      }
    },
    getSettings: async () => view(),
    async saveSettings(input) {
      const before = settings.current;
      const result = settings.save(input);
      if (!result.ok) return result;
      // The model, or the language that picks the best installed one, changed.
      const after = result.settings;
      if (
        before.localModels.model !== after.localModels.model ||
        before.server.language !== after.server.language
      ) {
        dictation.retireLocalServer();
      }
      options.onSettingsSaved?.(result.settings);
      return { ok: true, view: await view() };
    },
    async saveApiKey(apiKey) {
      if (typeof apiKey !== 'string') throw new Error('The API key must be text.');
      await apiKeys.set(apiKey);
      options.log.info(`API key ${apiKey.trim() ? 'stored' : 'forgotten'}.`);
      return view();
    },
    async testConnection(input, apiKey) {
      const checked = validateSettings(input);
      if (!checked.ok) {
        return {
          ok: false,
          reason: 'invalid-settings',
          detail: 'Fix the highlighted fields first.',
        };
      }
      const server = checked.settings.server;
      try {
        const localUrl = server.provider === 'local' ? await dictation.localServerUrl() : undefined;
        const key =
          typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : await apiKeys.get();
        const config = toSessionConfig(server, key, localUrl);
        return await testConnection(
          options.createTestSession,
          config,
          options.connectionTestTimeoutMs,
        );
      } catch (err) {
        if (err instanceof MissingApiKeyError)
          return { ok: false, reason: 'missing-key', detail: err.message };
        if (server.provider !== 'local') throw err;
        const detail = `The local server could not start: ${(err as Error).message}`;
        return { ok: false, reason: 'unreachable', detail };
      }
    },
    async sessionConfig() {
      const server = settings.current.server;
      const localUrl = server.provider === 'local' ? await dictation.localServerUrl() : undefined;
      return toSessionConfig(server, await apiKeys.get(), localUrl);
    },
    appInfo: async () => options.appInfo(),
    restartLocalServer: () => dictation.retireLocalServer(),
    dispose: () => dictation.dispose(),
  };
}
