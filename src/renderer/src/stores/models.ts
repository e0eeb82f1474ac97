// The local server's models as Settings → Local models shows them: main's list (catalog,
// installed, partly downloaded), the downloads under way as main reports them, and what went
// wrong per model. Main owns the files and the network; this only asks and listens. The model
// choice and the mirror are settings that apply at once (a download needs its mirror, and the
// choice restarts the local server), saved apart from the rest of the form's draft.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  LocalModelItem,
  LocalModelsView,
  ModelDownloadStatus,
} from '../../../shared/models.ts';
import { validateSettings, type Settings } from '../../../shared/settings.ts';
import { messageOf } from '../ipc-error.ts';
import { useSettingsStore } from './settings.ts';

/** Where a model stands, for its row. */
export type ModelState =
  | { kind: 'absent' }
  | { kind: 'partial'; bytes: number }
  | { kind: 'downloading'; status: ModelDownloadStatus }
  | { kind: 'installed' };

type LocalModelsSettings = Settings['localModels'];

/** The models to suggest first, by spoken language, when none is installed (SenseVoice for the
 * CJK languages it knows, Parakeet for English, Whisper for the rest). A catalog without these
 * falls back to its first recognizer that speaks the language. */
const SUGGESTED: Record<string, readonly string[]> = {
  zh: ['sense-voice-small', 'paraformer-zh'],
  yue: ['sense-voice-small'],
  ja: ['sense-voice-small'],
  ko: ['sense-voice-small'],
  en: ['parakeet-tdt-0.6b-v2', 'whisper-small'],
};
const SUGGESTED_OTHERWISE = ['whisper-small', 'whisper-base'];

export const useModelsStore = defineStore('models', () => {
  const settings = useSettingsStore();
  const view = ref<LocalModelsView | null>(null);
  /** Why the list could not be loaded. */
  const loadError = ref<string | null>(null);
  /** Downloads under way, by model id, as main last reported them. */
  const downloads = ref(new Map<string, ModelDownloadStatus>());
  /** Why the last download of a model failed (main's words), until it is tried again. */
  const failures = ref(new Map<string, string>());
  /** What went wrong with another action on a model (delete, import). */
  const problems = ref(new Map<string, string>());
  const importing = ref(new Set<string>());
  const removing = ref(new Set<string>());
  /** What is wrong with the mirror typed (an i18n key of the settings' validation). */
  const mirrorIssue = ref<string | undefined>(undefined);
  /** Why the model choice or the mirror could not be saved (main's words). */
  const settingsError = ref<string | null>(null);
  const mirrorSaved = ref(false);
  // Downloads that ended: a progress event still in flight must not bring them back.
  const ended = new Set<string>();
  // Downloads this window started and waits for (main may not list them yet).
  const awaiting = new Set<string>();
  // A settings save under way: a download waits for it, so that it uses the mirror just typed.
  let saving: Promise<unknown> = Promise.resolve();
  // The mirror being saved now.
  let mirrorAsked: string | undefined;

  const models = computed(() => view.value?.models ?? []);
  const recognizers = computed(() => models.value.filter((m) => m.recognizer));
  const helpers = computed(() => models.value.filter((m) => !m.recognizer));
  const installedRecognizers = computed(() => recognizers.value.filter((m) => m.installed));
  const activeModelId = computed(() => view.value?.activeModelId);
  const choice = computed(() => settings.saved?.localModels.model ?? '');
  const mirror = computed(() => settings.saved?.localModels.mirror ?? '');
  const livePartials = computed(() => settings.saved?.localModels.livePartials ?? true);
  /** Bytes on disk, installed and partly downloaded (as far as a download under way has got). */
  const diskBytes = computed(() =>
    models.value.reduce(
      (sum, m) => sum + Math.max(m.diskBytes, downloads.value.get(m.id)?.bytesDone ?? 0),
      0,
    ),
  );

  function stateOf(model: LocalModelItem): ModelState {
    const status = downloads.value.get(model.id);
    if (status) return { kind: 'downloading', status };
    if (model.installed) return { kind: 'installed' };
    if (model.partialBytes > 0) return { kind: 'partial', bytes: model.partialBytes };
    return { kind: 'absent' };
  }

  /** The recognizer to suggest for `language` (a code such as zh or en) while none is installed. */
  function suggestion(language: string): LocalModelItem | undefined {
    if (installedRecognizers.value.length > 0) return undefined;
    const wanted = SUGGESTED[language] ?? SUGGESTED_OTHERWISE;
    for (const id of wanted) {
      const found = recognizers.value.find((m) => m.id === id);
      if (found) return found;
    }
    return recognizers.value.find((m) => m.languages.includes(language));
  }

  // Each refresh is numbered: the answer to an older one (asked before a download ended, say)
  // is dropped.
  let generation = 0;

  async function refresh(): Promise<void> {
    const call = ++generation;
    try {
      const next = await window.tingxie.models.list();
      if (call !== generation) return;
      view.value = next;
      loadError.value = null;
      // Downloads main runs that this window did not start or no longer followed (it was
      // closed meanwhile), and those that ended unseen.
      const running = next.downloads.filter((d) => d.state === 'downloading');
      for (const status of running) {
        ended.delete(status.modelId);
        downloads.value.set(status.modelId, status);
      }
      for (const id of downloads.value.keys()) {
        if (!awaiting.has(id) && !running.some((d) => d.modelId === id)) downloads.value.delete(id);
      }
    } catch (err) {
      if (call === generation) loadError.value = messageOf(err);
    }
  }

  /** A download moved on or ended (an event, or the answer to `download`). */
  function onStatus(status: ModelDownloadStatus): void {
    const id = status.modelId;
    if (status.state === 'downloading') {
      if (!ended.has(id)) downloads.value.set(id, status);
      return;
    }
    if (ended.has(id) && !downloads.value.has(id)) return; // both the event and the answer
    ended.add(id);
    downloads.value.delete(id);
    if (status.state === 'failed') {
      failures.value.set(id, status.error ?? 'The download failed.');
    }
    void refresh();
  }

  async function download(id: string): Promise<void> {
    failures.value.delete(id);
    problems.value.delete(id);
    await saving;
    const model = models.value.find((m) => m.id === id);
    ended.delete(id);
    downloads.value.set(id, {
      modelId: id,
      state: 'downloading',
      bytesDone: model?.partialBytes ?? 0,
      bytesTotal: model?.bytes ?? 0,
      bytesPerSecond: 0,
    });
    awaiting.add(id);
    try {
      onStatus(await window.tingxie.models.download(id));
    } catch (err) {
      // Refused before it started (already installed, no space…): main says why.
      const error = messageOf(err);
      onStatus({
        modelId: id,
        state: 'failed',
        bytesDone: 0,
        bytesTotal: 0,
        bytesPerSecond: 0,
        error,
      });
    } finally {
      awaiting.delete(id);
    }
  }

  async function cancel(id: string): Promise<void> {
    try {
      await window.tingxie.models.cancel(id);
    } catch (err) {
      problems.value.set(id, messageOf(err));
    }
  }

  /** Runs an action on one model; its failure is shown beside that model. */
  async function act(id: string, busy: Set<string>, work: () => Promise<unknown>): Promise<void> {
    problems.value.delete(id);
    busy.add(id);
    try {
      await work();
    } catch (err) {
      problems.value.set(id, messageOf(err));
    } finally {
      busy.delete(id);
      await refresh();
    }
  }

  const remove = (id: string) =>
    act(id, removing.value, async () => {
      failures.value.delete(id);
      await window.tingxie.models.remove(id);
      // A deleted model cannot stay the chosen one.
      if (choice.value === id) await saveLocalModels({ model: '' });
    });

  const importFile = (id: string) =>
    act(id, importing.value, async () => {
      failures.value.delete(id);
      await window.tingxie.models.import(id);
    });

  /** Saves only `settings.localModels` (the rest of the form's draft stays as it is); resolves
   * to main's validation issue (an i18n key), or undefined once saved. */
  function saveLocalModels(patch: Partial<LocalModelsSettings>): Promise<string | undefined> {
    const run = (async () => {
      settingsError.value = null;
      const saved = settings.saved;
      if (!saved) return 'validation.invalid';
      const next = JSON.parse(JSON.stringify(saved)) as Settings;
      next.localModels = { ...next.localModels, ...patch };
      try {
        const result = await window.tingxie.settings.save(next);
        if (!result.ok) return result.issues[0]?.message ?? 'validation.invalid';
        settings.saved = result.view.settings;
        if (settings.draft) settings.draft.localModels = { ...result.view.settings.localModels };
      } catch (err) {
        settingsError.value = messageOf(err);
        return 'validation.invalid';
      }
      await refresh(); // which model is active now
      return undefined;
    })();
    saving = run;
    return run;
  }

  async function choose(model: string): Promise<void> {
    await saveLocalModels({ model });
  }

  async function setLivePartials(on: boolean): Promise<void> {
    await saveLocalModels({ livePartials: on });
  }

  /** Checks the mirror with the settings' own rule, then saves it. */
  async function setMirror(text: string): Promise<void> {
    const url = text.trim();
    if (url === mirrorAsked) return; // Enter, then the change event of the same text
    mirrorSaved.value = false;
    if (!settings.saved || url === mirror.value) {
      mirrorIssue.value = undefined;
      return;
    }
    const checked = validateSettings({
      ...settings.saved,
      localModels: { ...settings.saved.localModels, mirror: url },
    });
    mirrorIssue.value = checked.ok
      ? undefined
      : checked.issues.find((i) => i.path === 'localModels.mirror')?.message;
    if (mirrorIssue.value) return;
    mirrorAsked = url;
    mirrorIssue.value = await saveLocalModels({ mirror: url });
    mirrorAsked = undefined;
    mirrorSaved.value = mirrorIssue.value === undefined;
  }

  /** Follows main's download reports; returns the unsubscribe function. */
  function listen(): () => void {
    return window.tingxie.on('modelDownload', onStatus);
  }

  return {
    view,
    loadError,
    downloads,
    failures,
    problems,
    importing,
    removing,
    mirrorIssue,
    mirrorSaved,
    settingsError,
    models,
    recognizers,
    helpers,
    installedRecognizers,
    activeModelId,
    choice,
    mirror,
    diskBytes,
    stateOf,
    suggestion,
    refresh,
    download,
    cancel,
    remove,
    importFile,
    choose,
    livePartials,
    setLivePartials,
    setMirror,
    listen,
  };
});
