// The one contract between the renderer and main. `TingxieApi` is everything the renderer
// may call (the preload exposes it as `window.tingxie`); `MainEvents` is everything main may
// push. Each channel name is written here once; preload and main refer to `Channel`.
import type { TranscriptEvent } from './events.ts';
import type { LocalModelsView, ModelDownloadStatus, ModelImportResult } from './models.ts';
import type { SampleRate } from './providers.ts';
import type { FieldIssue, Settings, TextSettings } from './settings.ts';

export const Channel = {
  dictationStart: 'tingxie:dictation-start',
  dictationStop: 'tingxie:dictation-stop',
  dictationCancel: 'tingxie:dictation-cancel',
  settingsGet: 'tingxie:settings-get',
  settingsSave: 'tingxie:settings-save',
  apiKeySave: 'tingxie:api-key-save',
  cleanUpKeySave: 'tingxie:clean-up-key-save',
  connectionTest: 'tingxie:connection-test',
  appInfo: 'tingxie:app-info',
  historyList: 'tingxie:history-list',
  historyCount: 'tingxie:history-count',
  historyCopy: 'tingxie:history-copy',
  historyInsert: 'tingxie:history-insert',
  historyRetry: 'tingxie:history-retry',
  historyDelete: 'tingxie:history-delete',
  historyDeleteAll: 'tingxie:history-delete-all',
  historyExport: 'tingxie:history-export',
  historyCorrect: 'tingxie:history-correct',
  textPreview: 'tingxie:text-preview',
  textAddRule: 'tingxie:text-add-rule',
  textTestCleanUp: 'tingxie:text-test-clean-up',
  modelsList: 'tingxie:models-list',
  modelsDownload: 'tingxie:models-download',
  modelsCancel: 'tingxie:models-cancel',
  modelsRemove: 'tingxie:models-remove',
  modelsImport: 'tingxie:models-import',
  /** Renderer → main: hands over the MessagePort that carries PCM frames. */
  audioPort: 'tingxie:audio-port',
  /** Main → renderer: every `MainEvents` push, as `{ name, payload }`. */
  event: 'tingxie:event',
} as const;

export type DictationState = 'idle' | 'connecting' | 'listening' | 'finishing';

/** Several dictations may run side by side: at most one captures (connecting or listening)
 * while any number of earlier ones are finishing (waiting for their last transcripts). Main
 * sends this on every change of any of them. */
export interface DictationStatus {
  /** The microphone's side: the state of the dictation that captures; `finishing` when none
   * captures but earlier ones still wait for transcripts; `idle` when no dictation runs. */
  state: DictationState;
  /** How many dictations wait for their last transcripts. */
  finishing: number;
  /** The dictation this change is about, and its own state now (`idle`: it has ended). */
  dictation: { id: number; state: DictationState };
  /** Set when that dictation ended because of a problem. */
  error?: { code: string; message: string };
  /** Set when that dictation was cancelled (Esc): its untranscribed audio was discarded. */
  cancelled?: boolean;
}

/** A transcript event and the dictation it belongs to (main always says which). */
export type DictationTranscript = TranscriptEvent & { dictationId?: number };

export interface DictationStarted {
  /** The rate the capture must deliver PCM16 frames at. */
  sampleRate: SampleRate;
  /** Names this dictation in stop, cancel and on its audio port. */
  dictationId: number;
}

export interface DictationStopped {
  /** Audio frames main received during this dictation, and how many never arrived. */
  framesReceived: number;
  framesMissing: number;
}

/** Sent with the MessagePort on `Channel.audioPort`: the dictation whose frames it carries. */
export interface AudioPortMessage {
  dictationId: number;
}

/** One PCM16 frame on the audio port, numbered from 0 for each dictation. */
export interface AudioFrameMessage {
  seq: number;
  pcm: Int16Array;
}

/** What the renderer may know about the API key: never the key itself. */
export interface ApiKeyStatus {
  stored: boolean;
  /** false when the OS offers no keychain: the key then lives in memory until quit. */
  persistent: boolean;
}

export interface SettingsView {
  settings: Settings;
  apiKey: ApiKeyStatus;
  /** The LLM clean-up's key (Settings → Text), kept as the transcription key is. */
  cleanUpKey: ApiKeyStatus;
}

export type SettingsSaveResult =
  { ok: true; view: SettingsView } | { ok: false; issues: FieldIssue[] };

export type ConnectionFailure =
  'invalid-settings' | 'missing-key' | 'unauthorized' | 'unreachable' | 'timeout' | 'rejected';

export type ConnectionTestResult =
  | { ok: true; elapsedMs: number; url: string }
  | {
      ok: false;
      reason: ConnectionFailure;
      /** What happened, in English, with no secret in it; the UI shows it as detail. */
      detail: string;
    };

/** One transcript of the history, as the window lists it. */
export interface HistoryItem {
  id: number;
  /** The final text: what was inserted (or what the person corrected it to). */
  text: string;
  /** The transcript as the server sent it, before the text pipeline; the same as `text` when
   * no step changed it. */
  rawText: string;
  /** The text after the rules, before the LLM clean-up; the same as `text` when the clean-up
   * did not change it (or did not run). */
  rulesText: string;
  /** 0–1, from the server's log probabilities (OpenAI's gpt-4o models); null when none came. */
  confidence: number | null;
  /** ms since the epoch */
  createdAt: number;
  status: 'ok' | 'failed';
  failureReason: string | null;
  /** Length of the turn's speech in ms, when known. */
  durationMs: number | null;
  /** The turn's audio is kept, so it can be transcribed again. */
  hasAudio: boolean;
}

/** Which transcripts the History view lists, counts or exports. Times are ms since the epoch. */
export interface HistoryListFilter {
  /** Every term must occur (Chinese substrings, English words); '' lists everything. */
  query?: string;
  /** Created at or after this time. */
  from?: number;
  /** Created before this time (exclusive). */
  to?: number;
  status?: 'ok' | 'failed';
}

export const HISTORY_EXPORT_FORMATS = ['txt', 'md', 'json', 'csv', 'srt', 'vtt'] as const;
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];

/** An export of either the chosen entries (`ids`) or everything `filter` matches. */
export interface HistoryExportRequest {
  format: HistoryExportFormat;
  /** CSV only: a byte order mark, so that Excel reads UTF-8. */
  bom?: boolean;
  ids?: number[];
  filter?: HistoryListFilter;
}

export type HistoryExportResult =
  { ok: true; path: string; count: number } | { ok: false; canceled: true };

export interface HistoryInsertResult {
  ok: boolean;
  /** For a person: what happened instead (the text is on the clipboard, …). */
  notice?: string;
}

/** The history changed (a new transcript, a retry, a delete): views refresh what they show. */
export interface HistoryChangeEvent {
  type: 'added' | 'updated' | 'deleted' | 'cleared';
  /** The entries concerned; at most 100 of them (an import of thousands sends the first). */
  ids: number[];
}

/** A hotkey that could not be set up, and why (English, from main). */
export interface HotkeyProblem {
  action: 'dictate' | 'pasteLast';
  /** In English, for the log (and the window, when there is no `code`). */
  message: string;
  /** What went wrong, for the window to say in the person's language, about the hotkey `key`
   * (as a person reads it): another application holds it, holds it too (the key hook still
   * sees it), or only the key hook could watch it and there is none. */
  code?: 'taken' | 'also-taken' | 'needs-hook';
  key?: string;
}

/** Why the global key hook cannot work here: a Wayland session, no X display, no macOS
 * permission, or the hook failed to load or start. */
export type HookFallbackCode = 'wayland' | 'no-display' | 'macos-permission' | 'hook-failed';

/** How hands-free dictation works right now. */
export interface HandsFreeInfo {
  /** The mode in effect: toggle when hold-to-talk cannot work here. */
  mode: 'hold' | 'toggle';
  /** Whether the global key hook watches the hotkey (else Electron's globalShortcut does). */
  keyHook: boolean;
  /** Why hold-to-talk is unavailable here, and how to fix it: `code` (and `detail`, an error's
   * words) for the window to say it in the person's language; `reason` and `fix` in English. */
  fallback?: { code: HookFallbackCode; reason: string; fix: string; detail?: string };
  problems: HotkeyProblem[];
}

export interface AppInfo {
  version: string;
  platform: string;
  /** The global dictation shortcut, as shown to the person. */
  shortcut: string;
  handsFree?: HandsFreeInfo;
}

/** A sample sentence through a draft of the text settings (Settings → Text: try it). */
export interface TextPreview {
  /** What Tingxie would insert; '' when there are problems. */
  final: string;
  /** The mistakes of the vocabulary and rules, each with its line (`text.vocabulary` and
   * `text.rules` issues, as a save would return them). */
  problems: FieldIssue[];
}

/** A sample through the rules, then the LLM clean-up (Settings → Text: Test clean-up). */
export interface CleanUpTestResult {
  /** The model cleaned the text up. */
  ok: boolean;
  /** The sample after the rules: what a dictation inserts without the clean-up. */
  rules: string;
  /** The cleaned text, or the rules text when the clean-up did not succeed. */
  text: string;
  elapsedMs: number;
  /** Why the rules text was kept, in English, with no secret in it. */
  reason?: string;
}

/** What main pushes to the renderer. */
export interface MainEvents {
  transcript: DictationTranscript;
  dictation: DictationStatus;
  /** A global shortcut or the tray asks the window to start or stop capturing; `cancel`
   * stops and discards (Esc). */
  command: { action: 'toggle' | 'start' | 'stop' | 'cancel' };
  /** Hands-free setup changed (settings saved, hotkey registered or refused). */
  handsFree: HandsFreeInfo;
  /** Something the person must know now, e.g. "the text is on the clipboard". */
  notice: { message: string };
  /** The tray asks the window to show one of its views. */
  navigate: { view: 'dictation' | 'history' | 'settings' };
  history: HistoryChangeEvent;
  /** A model download moved on (at most a few times a second), or ended. */
  modelDownload: ModelDownloadStatus;
}

export type MainEventName = keyof MainEvents;

export interface MainEventMessage<K extends MainEventName = MainEventName> {
  name: K;
  payload: MainEvents[K];
}

export interface TingxieApi {
  dictation: {
    /** Opens a session (in the background) and says at which rate to send audio. Refused
     * while another dictation captures; one that is only finishing may go on beside it. The
     * dictation's audio port reaches the page as a window message (AudioPortHandoff in
     * shared/audio/audio-port-handoff.ts); frames go on it as `AudioFrameMessage`s. */
    start(): Promise<DictationStarted>;
    /** Ends the capture of the dictation: resolves once main has the `framesSent` frames sent
     * on its audio port and has sent the final commit. Its transcripts follow as events, and
     * its status says when it has ended; the next dictation may start meanwhile. */
    stop(framesSent: number): Promise<DictationStopped>;
    /** Ends the capturing dictation at once and discards its audio: no final commit, no
     * transcript of it after this call (so nothing more is saved or inserted); frames in
     * flight are dropped. Dictations that are finishing go on. */
    cancel(): Promise<void>;
  };
  settings: {
    get(): Promise<SettingsView>;
    save(settings: Settings): Promise<SettingsSaveResult>;
    /** Stores (or, with `''`, forgets) the API key. */
    saveApiKey(apiKey: string): Promise<SettingsView>;
    /** Stores (or, with `''`, forgets) the LLM clean-up's key; the view says only whether one
     * is stored. */
    saveCleanUpKey(apiKey: string): Promise<SettingsView>;
    /** Connects with these settings (and this key, or the stored one), then hangs up. */
    testConnection(settings: Settings, apiKey?: string): Promise<ConnectionTestResult>;
  };
  history: {
    /** Transcripts matching `filter`, newest first: `limit` of them from the `offset`th. */
    list(filter: HistoryListFilter, offset: number, limit: number): Promise<HistoryItem[]>;
    /** How many transcripts match `filter`. */
    count(filter: HistoryListFilter): Promise<number>;
    /** Puts the transcript on the clipboard. */
    copy(id: number): Promise<void>;
    /** Inserts the transcript into the window that had focus before Tingxie's. */
    insert(id: number): Promise<HistoryInsertResult>;
    /** Transcribes a kept turn again with the current provider; rejects with the reason. */
    retry(id: number): Promise<HistoryItem>;
    /** Deletes the transcript and its kept audio. */
    delete(id: number): Promise<void>;
    /** Deletes every transcript and all kept audio; resolves to how many were deleted. */
    deleteAll(): Promise<number>;
    /** Asks where to save (a save dialog), then writes the export there. */
    export(request: HistoryExportRequest): Promise<HistoryExportResult>;
    /** Replaces the transcript's final text with the person's correction (the raw text
     * stays); resolves to the entry as it is now. */
    correct(id: number, text: string): Promise<HistoryItem>;
  };
  /** The text pipeline (Settings → Text). */
  text: {
    /** `sample` through the pipeline of `text`, or the mistakes of its vocabulary and rules. */
    preview(sample: string, text: TextSettings): Promise<TextPreview>;
    /** Appends one rule (`pattern => replacement`) to the saved rules; a line with a mistake is
     * refused with it. */
    addRule(line: string): Promise<SettingsSaveResult>;
    /** `sample` through the rules of `text`, then its clean-up (with `apiKey`, or the stored
     * clean-up key); resolves with the reason when the clean-up did not succeed. */
    testCleanUp(sample: string, text: TextSettings, apiKey?: string): Promise<CleanUpTestResult>;
  };
  /** The local server's neural models (Settings → Local models). */
  models: {
    list(): Promise<LocalModelsView>;
    /** Downloads (or resumes) the model, from the chosen mirror first; progress comes as
     * `modelDownload` events. Resolves to how it ended: installed, failed (with the reason)
     * or cancelled (what was downloaded is kept for the next try). */
    download(id: string): Promise<ModelDownloadStatus>;
    /** Stops a download under way; its `download` call resolves as cancelled. */
    cancel(id: string): Promise<void>;
    /** Deletes an installed model, or what a download left behind. */
    remove(id: string): Promise<void>;
    /** Asks for an archive or folder downloaded by hand (an open dialog), checks it against the
     * catalog and installs it as `id`; rejects with what is wrong with it. */
    import(id: string): Promise<ModelImportResult>;
  };
  app: { info(): Promise<AppInfo> };
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<K extends MainEventName>(name: K, listener: (payload: MainEvents[K]) => void): () => void;
}
