// Settings as the renderer sees them: a draft the form edits, checked with the shared schema
// as the person types, saved through main (which validates again and stores). The API key
// only ever travels renderer → main; main answers with whether one is stored.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ApiKeyStatus, ConnectionTestResult } from '../../../shared/ipc.ts';
import { PROVIDERS, type ProviderId } from '../../../shared/providers.ts';
import { validateSettings, type FieldIssue, type Settings } from '../../../shared/settings.ts';

export const useSettingsStore = defineStore('settings', () => {
  const saved = ref<Settings | null>(null);
  const draft = ref<Settings | null>(null);
  const apiKey = ref<ApiKeyStatus>({ stored: false, persistent: true });
  /** A new key typed into the form, not yet saved. */
  const apiKeyDraft = ref('');
  const serverIssues = ref<FieldIssue[]>([]);
  const testResult = ref<ConnectionTestResult | null>(null);
  const testing = ref(false);
  const saving = ref(false);
  const justSaved = ref(false);

  const issues = computed<FieldIssue[]>(() => {
    if (!draft.value) return [];
    const local = validateSettings(draft.value);
    return local.ok ? serverIssues.value : local.issues;
  });
  const issueFor = (path: string): string | undefined =>
    issues.value.find((i) => i.path === path)?.message;
  // What main refused applies to the draft it saw: editing the draft clears it.
  watch(draft, () => (serverIssues.value = []), { deep: true });
  const dirty = computed(
    () => apiKeyDraft.value !== '' || JSON.stringify(draft.value) !== JSON.stringify(saved.value),
  );

  async function load(): Promise<void> {
    const view = await window.tingxie.settings.get();
    saved.value = view.settings;
    draft.value = structuredClone(view.settings);
    apiKey.value = view.apiKey;
  }

  /** Switches the draft to a provider preset: its URL, dialect, model and rate. */
  function choosePreset(provider: ProviderId): void {
    if (!draft.value) return;
    const preset = PROVIDERS[provider];
    Object.assign(draft.value.server, {
      provider,
      url: preset.url,
      dialect: preset.dialect,
      model: preset.model,
      sampleRate: preset.sampleRate,
    });
    testResult.value = null;
  }

  async function save(): Promise<boolean> {
    if (!draft.value || issues.value.length > 0) return false;
    saving.value = true;
    try {
      const result = await window.tingxie.settings.save(toPlain(draft.value));
      if (!result.ok) {
        serverIssues.value = result.issues;
        return false;
      }
      serverIssues.value = [];
      saved.value = result.view.settings;
      draft.value = structuredClone(result.view.settings);
      apiKey.value = result.view.apiKey;
      if (apiKeyDraft.value) {
        apiKey.value = (await window.tingxie.settings.saveApiKey(apiKeyDraft.value)).apiKey;
        apiKeyDraft.value = '';
      }
      justSaved.value = true;
      return true;
    } finally {
      saving.value = false;
    }
  }

  async function forgetApiKey(): Promise<void> {
    apiKey.value = (await window.tingxie.settings.saveApiKey('')).apiKey;
    apiKeyDraft.value = '';
  }

  function revert(): void {
    if (saved.value) draft.value = toPlain(saved.value);
    apiKeyDraft.value = '';
    serverIssues.value = [];
  }

  async function testConnection(): Promise<ConnectionTestResult> {
    if (!draft.value) throw new Error('Settings are not loaded yet.');
    testing.value = true;
    testResult.value = null;
    try {
      const result =
        issues.value.length > 0
          ? ({ ok: false, reason: 'invalid-settings', detail: '' } as const)
          : await window.tingxie.settings.testConnection(
              toPlain(draft.value),
              apiKeyDraft.value || undefined,
            );
      testResult.value = result;
      return result;
    } finally {
      testing.value = false;
    }
  }

  /** Saves only the UI language, right away (the switch in the header). */
  async function setLocale(locale: Settings['ui']['locale']): Promise<void> {
    await saveUi({ locale });
  }

  /** Saves UI state (the language, the first run done) right away, apart from the form's
   * draft, whose other edits stay unsaved. */
  async function saveUi(change: Partial<Settings['ui']>): Promise<boolean> {
    if (!saved.value) return false;
    const next = { ...toPlain(saved.value), ui: { ...saved.value.ui, ...change } };
    const result = await window.tingxie.settings.save(next);
    if (!result.ok) return false;
    saved.value = result.view.settings;
    if (draft.value) Object.assign(draft.value.ui, change);
    return true;
  }

  return {
    saved,
    draft,
    apiKey,
    apiKeyDraft,
    issues,
    dirty,
    testResult,
    testing,
    saving,
    justSaved,
    issueFor,
    load,
    choosePreset,
    save,
    forgetApiKey,
    revert,
    testConnection,
    setLocale,
    saveUi,
  };
});

/** Vue's reactive proxies cannot cross the bridge (structured clone): send plain data. */
function toPlain(settings: Settings): Settings {
  return JSON.parse(JSON.stringify(settings)) as Settings;
}
