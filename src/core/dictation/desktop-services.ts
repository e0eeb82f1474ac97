// Everything the desktop window can ask of main, without Electron: settings, the API key,
// dictation, the connection test and the text preview. main/ wires this to IPC; the e2e tests
// wire the very same object to a browser page, so that what they exercise is what the app runs.
//
// Every completed transcript goes through the text pipeline of the settings (core/text) here,
// before anything sees it: the history keeps the raw text and the final one, and the window and
// hands-free insertion get the final text (`transcript`) with the raw one (`rawTranscript`). A
// dictation's turns are joined as one text (core/text/join-turns.ts): no punctuation doubled
// where a turn ends with a mark and the next starts with one, and a space where the two need
// one. The final text may go through an asynchronous step after the pipeline (the LLM clean-up
// of the settings, clean-up-step.ts, or a test's `refineText`); messages stay in the order the
// service sent them while one waits, and past the clean-up's latency budget, or when the step
// fails, the rules text is inserted — never nothing. The history keeps the rules text beside
// the final one where the step changed it, and the turn's confidence where the server sent one.
import { randomUUID } from 'node:crypto';
import type {
  AppInfo,
  CleanUpTestResult,
  ConnectionTestResult,
  DictationStarted,
  DictationStatus,
  DictationStopped,
  DictationTranscript,
  MainEventMessage,
  SettingsSaveResult,
  SettingsView,
  TextPreview,
} from '../../shared/ipc.ts';
import type { SessionConfig } from '../../shared/providers.ts';
import { settingsSchema, validateSettings, type Settings } from '../../shared/settings.ts';
import type { HistoryStore } from '../history/index.ts';
import type { Logger } from '../log.ts';
import {
  ApiKeyStore,
  type CipherTextBackend,
  type SecretCipher,
} from '../settings/api-key-store.ts';
import { SettingsRepository, type SettingsBackend } from '../settings/settings-repository.ts';
import { MissingApiKeyError, toSessionConfig } from '../settings/session-config.ts';
import { textIssues } from '../settings/text-issues.ts';
import {
  SettingsTextPipeline,
  checkedTextOptions,
  textToAppend,
  type TextPipeline,
  type TextResult,
} from '../text/index.ts';
import { cleanUpText } from '../text/llm-cleanup.ts';
import { cleanUpOptions, createCleanUpStep } from './clean-up-step.ts';
import { testConnection } from './connection-test.ts';
import { DictationService } from './dictation-service.ts';
import { TurnAudioRecorder } from './turn-audio.ts';
import type { EventSink, LocalServer, SessionFactory } from './ports.ts';

export interface DesktopServicesOptions {
  settingsBackend: SettingsBackend;
  apiKeyBackend: CipherTextBackend;
  /** The clean-up key's slot, kept as the transcription key is (default: memory only). */
  cleanUpKeyBackend?: CipherTextBackend;
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
  /** A step after the text pipeline: the pipeline's result → the text to insert and keep. It
   * may take its time: later events wait for it, in order, up to the clean-up's budget (plus
   * REFINE_MARGIN_MS); past it, or when it fails, the rules text. Default: the LLM clean-up of
   * the settings (clean-up-step.ts). */
  refineText?: (result: TextResult) => string | Promise<string>;
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
  /** Stores (or, with `''`, forgets) the clean-up key. */
  saveCleanUpKey(apiKey: unknown): Promise<SettingsView>;
  /** `sample` through the rules of `text` (a draft of the settings' text group), then its
   * clean-up, with `apiKey` or the stored clean-up key (Settings → Text: Test clean-up). */
  testCleanUp(sample: unknown, text: unknown, apiKey?: unknown): Promise<CleanUpTestResult>;
  testConnection(settings: unknown, apiKey: unknown): Promise<ConnectionTestResult>;
  /** `sample` through the text pipeline of `text` (a draft of the settings' text group), or
   * the mistakes of its vocabulary and rules (Settings → Text: try it). */
  previewText(sample: unknown, text: unknown): Promise<TextPreview>;
  /** Appends a rule line to the settings' rules (History: a correction); refused with the
   * line's mistake. */
  addTextRule(line: unknown): Promise<SettingsSaveResult>;
  /** A transcript through the text pipeline of the settings and the clean-up (a retried
   * history turn): the final text, and the rules text where the clean-up changed it. */
  finalText(raw: string): Promise<{ text: string; rulesText: string }>;
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

/** A step after the pipeline gets the clean-up's budget and this much more: the clean-up
 * aborts its own request at the budget and says why; this only ends a step that hangs. */
export const REFINE_MARGIN_MS = 250;

/** The final text of one turn, and the rules text it came from. */
interface TurnTexts {
  rules: string;
  final: string;
}

export function createDesktopServices(options: DesktopServicesOptions): DesktopServices {
  const settings = new SettingsRepository(options.settingsBackend, options.log);
  const apiKeys = new ApiKeyStore(options.cipher, options.apiKeyBackend);
  const cleanUpKeys = new ApiKeyStore(options.cipher, options.cleanUpKeyBackend ?? memorySlot());
  const history = options.history;
  /** What the history needs of each running dictation: the id its entries are grouped by,
   * and its turns' audio (a failed turn's, by default, is kept for a retry). Dictations
   * overlap, so each has its own: the audio of one never receives the frames of another. */
  const recordings = new Map<number, { id: string; audio: TurnAudioRecorder }>();
  /** Keeps each finished turn, before the window (or anything else) sees it; `rules`: a
   * completed turn's text before the clean-up. */
  const record = (event: DictationTranscript, rules?: string): void => {
    const recording =
      event.dictationId === undefined ? undefined : recordings.get(event.dictationId);
    if (!history || !recording) return;
    recording.audio.onEvent(event);
    if (event.type !== 'completed' && event.type !== 'failed') return;
    const { provider, model, language } = settings.current.server;
    const failed = event.type === 'failed';
    const audio = recording.audio.take(event.itemId);
    const keep = settings.current.history.keepAudio;
    // A turn of fillers alone leaves no text: nothing to keep, nothing to insert.
    if (!failed && !event.transcript.trim()) return;
    try {
      history.add(
        {
          text: failed ? '' : event.transcript.trim(),
          rawText: failed ? null : (event.rawTranscript ?? event.transcript).trim(),
          rulesText: failed ? null : (rules?.trim() ?? null),
          confidence: failed ? null : (event.confidence ?? null),
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
  const texts = new SettingsTextPipeline();
  /** Each running dictation's text so far, which its next turn is joined to. */
  const joined = new Map<number, string>();
  const refine =
    options.refineText ??
    createCleanUpStep({
      settings: () => settings.current.text,
      apiKey: () => cleanUpKeys.get(),
      log: options.log,
    });
  /** A turn's final text: the pipeline's result, then the step after it — within the budget,
   * or the rules text. */
  const finalText = (result: TextResult): TurnTexts | Promise<TurnTexts> => {
    const rules = result.final;
    const keepRules = (why: string): TurnTexts => {
      options.log.warn(`Clean-up: the text was inserted without it: ${why}`);
      return { rules, final: rules };
    };
    let refined: string | Promise<string>;
    try {
      refined = refine(result);
    } catch (err) {
      return keepRules((err as Error).message);
    }
    if (!(refined instanceof Promise)) return { rules, final: refined };
    const budgetMs = settings.current.text.cleanUp.budgetMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let late = false;
    const timeLimit = new Promise<TurnTexts>((resolve) => {
      timer = setTimeout(() => {
        late = true;
        resolve(keepRules(`it took longer than its time limit, ${budgetMs} ms (Settings → Text).`));
      }, budgetMs + REFINE_MARGIN_MS);
    });
    const done = refined.then(
      (final): TurnTexts => ({ rules, final }),
      // A step that fails after its time is up was already said to be late.
      (err: unknown) => (late ? { rules, final: rules } : keepRules((err as Error).message)),
    );
    return Promise.race([done, timeLimit]).finally(() => clearTimeout(timer));
  };
  /** A completed turn through the pipeline of the settings of the moment it arrived: at once,
   * or a promise while the pipeline loads its dictionaries. */
  const prepare = (
    event: DictationTranscript & { type: 'completed' },
  ): TurnTexts | Promise<TurnTexts> => {
    const raw = event.transcript;
    const run = (pipeline: TextPipeline) => finalText(pipeline(raw));
    // A pipeline that cannot be built (the script's dictionaries failed to load) leaves the
    // text as the server sent it, and says so.
    const unchanged = (err: unknown) => {
      const message = `The text was left as it was heard: ${(err as Error).message}`;
      options.log.error(`Text: ${message}`);
      options.sink({ name: 'notice', payload: { message } });
      return { rules: raw, final: raw };
    };
    try {
      const pipeline = texts.get(settings.current.text);
      return pipeline instanceof Promise ? pipeline.then(run).catch(unchanged) : run(pipeline);
    } catch (err) {
      return unchanged(err);
    }
  };
  /** The turn's final text, joined to the dictation's text so far, on its way to the history,
   * the window and hands-free insertion. */
  const deliver = (message: MainEventMessage, texts?: TurnTexts): void => {
    if (message.name === 'transcript' && texts !== undefined) {
      const event = message.payload as DictationTranscript & { type: 'completed' };
      const id = event.dictationId;
      const before = id === undefined ? '' : (joined.get(id) ?? '');
      const transcript = textToAppend(before, texts.final.trim(), {
        spacing: settings.current.text.spacing,
      });
      if (id !== undefined) joined.set(id, before + transcript);
      message = {
        name: 'transcript',
        payload: { ...event, transcript, rawTranscript: event.transcript },
      };
    }
    if (message.name === 'transcript') record(message.payload as DictationTranscript, texts?.rules);
    else if (message.name === 'dictation') {
      const status = message.payload as DictationStatus;
      follow(status);
      if (status.dictation.state === 'idle') joined.delete(status.dictation.id);
    }
    options.sink(message);
  };
  /** Messages waiting for a turn before them whose final text is not ready yet. */
  const waiting: { message: MainEventMessage; texts?: TurnTexts | Promise<TurnTexts> }[] = [];
  let draining = false;
  /** Delivers the waiting messages in order; synchronous until one must wait. */
  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      while (waiting.length > 0) {
        const head = waiting.shift()!;
        const texts = head.texts instanceof Promise ? await head.texts : head.texts;
        try {
          deliver(head.message, texts);
        } catch (err) {
          options.log.error(
            `Dictation: an event could not be delivered: ${(err as Error).message}`,
          );
        }
      }
    } finally {
      draining = false;
    }
  };
  const dictation = new DictationService({
    createSession: options.createSession,
    usesLocalServer: () => settings.current.server.provider === 'local',
    // Settings edited by hand with a mistake in the vocabulary or rules end the dictation here,
    // naming the line (its status says so: hands-free shows it), rather than transcribing it
    // with part of them.
    sessionConfig: async (localUrl) =>
      toSessionConfig(
        settings.current.server,
        await apiKeys.get(),
        localUrl,
        checkedTextOptions(settings.current.text).vocabulary,
      ),
    startLocalServer: options.startLocalServer,
    sink: (message) => {
      // A dictation's recording begins at once, even while messages wait: its frames come now.
      if (
        message.name === 'dictation' &&
        (message.payload as DictationStatus).dictation.state !== 'idle'
      ) {
        follow(message.payload as DictationStatus);
      }
      const payload = message.payload as DictationTranscript;
      const completed = message.name === 'transcript' && payload.type === 'completed';
      waiting.push({ message, texts: completed ? prepare(payload) : undefined });
      void drain();
    },
    log: options.log,
  });
  const view = async (): Promise<SettingsView> => ({
    settings: settings.current,
    apiKey: await apiKeys.status(),
    cleanUpKey: await cleanUpKeys.status(),
  });

  // The dictionaries of the chosen script load now, not at the first transcript.
  const prewarm = (text: Settings['text']): void => {
    try {
      const pipeline = texts.get(text);
      if (pipeline instanceof Promise) pipeline.catch(() => {});
    } catch {
      // A mistake in the vocabulary or rules: the next dictation says so.
    }
  };
  prewarm(settings.current.text);

  const saveSettings = async (input: unknown): Promise<SettingsSaveResult> => {
    const before = settings.current;
    const result = settings.save(input);
    if (!result.ok) return result;
    // The model, its live text, or the language that picks the best installed one, changed.
    const after = result.settings;
    if (
      before.localModels.model !== after.localModels.model ||
      before.localModels.livePartials !== after.localModels.livePartials ||
      before.server.language !== after.server.language
    ) {
      dictation.retireLocalServer();
    }
    prewarm(after.text);
    options.onSettingsSaved?.(result.settings);
    return { ok: true, view: await view() };
  };

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
    saveSettings,
    async saveApiKey(apiKey) {
      if (typeof apiKey !== 'string') throw new Error('The API key must be text.');
      await apiKeys.set(apiKey);
      options.log.info(`API key ${apiKey.trim() ? 'stored' : 'forgotten'}.`);
      return view();
    },
    async saveCleanUpKey(apiKey) {
      if (typeof apiKey !== 'string') throw new Error('The clean-up key must be text.');
      await cleanUpKeys.set(apiKey);
      options.log.info(`Clean-up key ${apiKey.trim() ? 'stored' : 'forgotten'}.`);
      return view();
    },
    async testCleanUp(sample, input, apiKey) {
      const text = settingsSchema.shape.text.safeParse(input);
      if (!text.success || typeof sample !== 'string') {
        return {
          ok: false,
          rules: '',
          text: '',
          elapsedMs: 0,
          reason: 'Fix the highlighted fields first.',
        };
      }
      if (textIssues(text.data).length > 0) {
        const reason = 'Fix the mistakes in the vocabulary or rules first.';
        return { ok: false, rules: '', text: '', elapsedMs: 0, reason };
      }
      const rules = (await new SettingsTextPipeline().get(text.data))(sample).final;
      if (!text.data.cleanUp.model.trim()) {
        const reason = 'Enter the clean-up model’s name first.';
        return { ok: false, rules, text: rules, elapsedMs: 0, reason };
      }
      const typed = typeof apiKey === 'string' ? apiKey.trim() : '';
      const key = typed || (await cleanUpKeys.get());
      const { vocabulary } = checkedTextOptions(text.data);
      const result = await cleanUpText(
        rules,
        cleanUpOptions(text.data.cleanUp, vocabulary, rules, key, options.log),
      );
      return {
        ok: result.cleaned,
        rules,
        text: result.text,
        elapsedMs: result.elapsedMs,
        ...(result.reason !== undefined ? { reason: result.reason } : {}),
      };
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
      const { server, text } = settings.current;
      const localUrl = server.provider === 'local' ? await dictation.localServerUrl() : undefined;
      return toSessionConfig(
        server,
        await apiKeys.get(),
        localUrl,
        checkedTextOptions(text).vocabulary,
      );
    },
    async previewText(sample, input) {
      // The rules alone: a clean-up half filled in (switched on, no model yet) is no reason.
      const parsed = settingsSchema.shape.text.omit({ cleanUp: true }).safeParse(input);
      if (!parsed.success || typeof sample !== 'string') {
        throw new Error('The text settings to try are not valid.');
      }
      const text = { ...parsed.data, cleanUp: settings.current.text.cleanUp };
      const problems = textIssues(text);
      if (problems.length > 0) return { final: '', problems };
      const pipeline = await new SettingsTextPipeline().get(text);
      return { final: pipeline(sample).final, problems: [] };
    },
    async finalText(raw) {
      const turn = await finalText((await texts.get(settings.current.text))(raw));
      return { text: turn.final, rulesText: turn.rules };
    },
    async addTextRule(line) {
      if (typeof line !== 'string' || /[\r\n]/u.test(line) || !line.trim()) {
        throw new Error('A rule is one line: "pattern => replacement".');
      }
      const current = settings.current;
      const rules = current.text.rules;
      const separator = rules === '' || rules.endsWith('\n') ? '' : '\n';
      const next = {
        ...current,
        text: { ...current.text, rules: `${rules}${separator}${line.trim()}\n` },
      };
      return saveSettings(next);
    },
    appInfo: async () => options.appInfo(),
    restartLocalServer: () => dictation.retireLocalServer(),
    dispose: () => dictation.dispose(),
  };
}

/** A key slot in memory, for services given none (tests): nothing is written anywhere. */
function memorySlot(): CipherTextBackend {
  let stored: string | undefined;
  return { read: () => stored, write: (value) => (stored = value) };
}
