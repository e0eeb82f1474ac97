// The settings a fresh install starts with: the local server, which needs no account.
import { CLEANUP_SERVERS } from '../../shared/llm-cleanup-presets.ts';
import { DEFAULT_VAD, PROVIDERS } from '../../shared/providers.ts';
import { SETTINGS_VERSION, type Settings } from '../../shared/settings.ts';
import { DEFAULT_CLEANUP_BUDGET_MS } from '../text/llm-cleanup.ts';

export function defaultSettings(): Settings {
  const local = PROVIDERS.local;
  const ollama = CLEANUP_SERVERS.find((s) => s.id === 'ollama')!;
  return {
    version: SETTINGS_VERSION,
    server: {
      provider: 'local',
      url: local.url,
      dialect: local.dialect,
      model: local.model,
      language: 'auto',
      prompt: '',
      sampleRate: local.sampleRate,
      vad: {
        enabled: true,
        type: 'server_vad',
        eagerness: 'auto',
        threshold: DEFAULT_VAD.threshold,
        prefixPaddingMs: DEFAULT_VAD.prefixPaddingMs,
        silenceDurationMs: DEFAULT_VAD.silenceDurationMs,
      },
      noiseReduction: 'off',
      delay: 'default',
    },
    audio: {
      deviceId: '',
      deviceLabel: '',
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    },
    // A first run shows the guided setup (a settings file from before it existed means an
    // earlier run: migrate.ts marks it done).
    ui: { locale: 'system', onboardingDone: false },
    shortcut: 'CommandOrControl+Shift+Space',
    handsFree: {
      mode: 'hold',
      // Not Ctrl+Shift+V: terminals paste with it.
      pasteLastShortcut: 'CommandOrControl+Alt+V',
      output: 'paste',
      trailingSpace: false,
      leaveOnClipboard: false,
      sounds: false,
      keepMicrophoneWarm: false,
      overlay: true,
    },
    // Failed turns' audio is kept for a retry; transcripts are kept until deleted.
    history: { keepAudio: 'failed', keepDays: 0, maxCount: 0 },
    localModels: { model: '', mirror: '', livePartials: true },
    // As the text pipeline's own defaults (core/text/pipeline.ts says why each is on or off).
    text: {
      script: 'as-is',
      spacing: true,
      punctuationWidth: true,
      removeFillers: false,
      removeTrailingPeriod: false,
      vocabulary: '',
      rules: '',
      // Off: it sends what was said to a server the person chooses, and takes time.
      cleanUp: {
        enabled: false,
        server: 'ollama',
        baseUrl: ollama.baseUrl,
        model: ollama.model,
        promptPreset: 'punctuation',
        prompt: '',
        budgetMs: DEFAULT_CLEANUP_BUDGET_MS,
      },
    },
  };
}
