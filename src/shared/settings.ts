// The settings schema, shared by main (which stores and validates them) and the renderer
// (which shows a validation message beside each field). Messages are i18n keys
// (`validation.*`), so that each process renders them in the person's language.
// The API key is not part of the settings: main keeps it in the OS keychain (safeStorage).
import { z } from 'zod';
import { CLEANUP_PRESET_IDS, CLEANUP_SERVERS } from './llm-cleanup-presets.ts';
import { DIALECTS, PROVIDER_IDS, type Dialect, type ProviderId } from './providers.ts';
import {
  NOISE_REDUCTION,
  SEMANTIC_EAGERNESS,
  TRANSCRIPTION_DELAYS,
} from './transcription-models.ts';

export const SETTINGS_VERSION = 1;

export const UI_LOCALES = ['zh-CN', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Languages offered in the settings; any other BCP 47 primary tag is accepted too. */
export const LANGUAGES = ['auto', 'zh', 'en', 'ja', 'ko', 'yue', 'de', 'fr', 'es', 'ru'] as const;

const nonEmptyTuple = <T extends string>(values: readonly T[]) =>
  values as unknown as readonly [T, ...T[]];

const vadSchema = z.object({
  enabled: z.boolean(),
  /** server_vad: silence ends a turn; semantic_vad (OpenAI's gpt-4o models, whisper-1): a
   * model judges the speaker done, as eagerly as `eagerness` says. */
  type: z.enum(['server_vad', 'semantic_vad']),
  eagerness: z.enum(SEMANTIC_EAGERNESS),
  threshold: z.number().min(0, 'validation.threshold').max(1, 'validation.threshold'),
  prefixPaddingMs: z
    .int('validation.integer')
    .min(0, 'validation.padding')
    .max(5000, 'validation.padding'),
  silenceDurationMs: z
    .int('validation.integer')
    .min(100, 'validation.silence')
    .max(10_000, 'validation.silence'),
});

const serverSchema = z
  .object({
    provider: z.enum(nonEmptyTuple<ProviderId>(PROVIDER_IDS)),
    url: z.string().trim(),
    dialect: z.enum(nonEmptyTuple<Dialect>(DIALECTS)),
    model: z.string().trim().min(1, 'validation.modelRequired'),
    language: z
      .string()
      .trim()
      .regex(/^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})?)$/, 'validation.language'),
    prompt: z.string().max(2000, 'validation.promptTooLong'),
    sampleRate: z.union([z.literal(16000), z.literal(24000)], 'validation.sampleRate'),
    vad: vadSchema,
    /** OpenAI's noise reduction before voice detection and the model, for the models that
     * take it; `off` sends none. */
    noiseReduction: z.enum(['off', ...NOISE_REDUCTION]),
    /** How long gpt-live-transcribe and gpt-realtime-whisper wait before writing text (later
     * is more accurate); `default` sends none. */
    delay: z.enum(['default', ...TRANSCRIPTION_DELAYS]),
  })
  .superRefine((server, ctx) => {
    // The local server's address is only known once it listens; every other provider needs one.
    if (server.provider === 'local') return;
    if (!server.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'validation.urlRequired' });
    } else if (!isWebSocketUrl(server.url)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'validation.urlScheme' });
    }
  });

export const HOTKEY_MODES = ['hold', 'toggle'] as const;
export type HotkeyModeSetting = (typeof HOTKEY_MODES)[number];
export const OUTPUT_MODES = ['paste', 'type', 'copy'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Dictation from any app: how the shortcut behaves and where the text goes. */
const handsFreeSchema = z.object({
  /** hold: speak while the shortcut is held; toggle: press to start, press again to stop. */
  mode: z.enum(HOTKEY_MODES),
  /** Pastes the last transcript again; `''` turns it off. */
  pasteLastShortcut: z.string().trim(),
  output: z.enum(OUTPUT_MODES),
  trailingSpace: z.boolean(),
  /** Leave the transcript on the clipboard instead of restoring what was there. */
  leaveOnClipboard: z.boolean(),
  sounds: z.boolean(),
  /** Keep the microphone open between dictations, so the first word is never cut. */
  keepMicrophoneWarm: z.boolean(),
  /** Show the small listening overlay. */
  overlay: z.boolean(),
});

export const AUDIO_KEEP_MODES = ['off', 'failed', 'all'] as const;
export type AudioKeepMode = (typeof AUDIO_KEEP_MODES)[number];

/** What the transcript history keeps, and for how long. */
const historySchema = z.object({
  /** Whose turn audio is kept, so that it can be transcribed again: none, failed turns', all. */
  keepAudio: z.enum(AUDIO_KEEP_MODES),
  /** Transcripts older than this many days are deleted; 0 keeps them forever. */
  keepDays: z
    .int('validation.integer')
    .min(0, 'validation.historyDays')
    .max(36_500, 'validation.historyDays'),
  /** At most this many transcripts are kept, the newest; 0 means no limit. */
  maxCount: z
    .int('validation.integer')
    .min(0, 'validation.historyCount')
    .max(10_000_000, 'validation.historyCount'),
});

/** The local server's neural model, and where models are downloaded from. */
const localModelsSchema = z.object({
  /** The model the local server runs; '' picks the best installed one for the language. */
  model: z.string().regex(/^([a-z0-9][a-z0-9._-]*)?$/, 'validation.modelId'),
  /** A mirror of Hugging Face's paths (like https://hf-mirror.com) tried first; '' for none. */
  mirror: z
    .string()
    .trim()
    .regex(/^(https?:\/\/\S+)?$/, 'validation.mirrorUrl'),
  /** Live text while speaking: an installed streaming model that speaks the language follows
   * each turn beside an offline model (one more model in memory); the turn's text is still the
   * offline model's. */
  livePartials: z.boolean(),
});

export const OUTPUT_SCRIPTS = ['as-is', 'simplified', 'traditional', 'tw', 'hk'] as const;
/** The script of the text Tingxie writes: `as-is` leaves the recognizer's alone; `simplified`,
 * `traditional` (OpenCC's standard), `tw` and `hk` (Taiwan's and Hong Kong's forms). */
export type OutputScript = (typeof OUTPUT_SCRIPTS)[number];

/** The vocabulary and rules texts are files kept in the settings; larger is not a list a
 * person keeps by hand. */
export const TEXT_FILE_MAX_CHARS = 100_000;

/** The clean-up's latency budget per turn: past it, the rules text is inserted. Below 200 ms
 * no chat server answers; past 10 s the person has long given up waiting. */
export const CLEANUP_BUDGET_MS = { min: 200, max: 10_000 } as const;
export const CLEANUP_PROMPT_MAX_CHARS = 4000;
/** Where the clean-up's server comes from: a preset (llm-cleanup-presets.ts) or the person's. */
export const CLEANUP_SERVER_CHOICES = [...CLEANUP_SERVERS.map((s) => s.id), 'custom'] as const;
export const CLEANUP_PROMPT_CHOICES = [...CLEANUP_PRESET_IDS, 'custom'] as const;

/** The optional LLM clean-up after the rules (core/text/llm-cleanup.ts), off by default. Its
 * key is not here: main keeps it like the transcription key (encrypted, never in this file). */
const cleanUpSchema = z
  .object({
    enabled: z.boolean(),
    /** The preset that filled in `baseUrl` and `model`, or `custom`. */
    server: z.enum(nonEmptyTuple(CLEANUP_SERVER_CHOICES)),
    /** An OpenAI-compatible API's base URL, up to its version (`…/v1`). */
    baseUrl: z.string().trim(),
    model: z.string().trim(),
    /** A preset prompt (in the dictation's language), or `custom`: `prompt` as written. */
    promptPreset: z.enum(nonEmptyTuple(CLEANUP_PROMPT_CHOICES)),
    prompt: z.string().max(CLEANUP_PROMPT_MAX_CHARS, 'validation.cleanUpPromptTooLong'),
    budgetMs: z
      .int('validation.integer')
      .min(CLEANUP_BUDGET_MS.min, 'validation.cleanUpBudget')
      .max(CLEANUP_BUDGET_MS.max, 'validation.cleanUpBudget'),
  })
  .superRefine((cleanUp, ctx) => {
    // Switched off, a half-filled form is kept as it is, for later.
    if (!cleanUp.enabled) return;
    if (!cleanUp.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'validation.cleanUpUrlRequired' });
    } else if (!isHttpUrl(cleanUp.baseUrl)) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'validation.cleanUpUrlScheme' });
    }
    if (!cleanUp.model) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: 'validation.modelRequired' });
    }
    if (cleanUp.promptPreset === 'custom' && !cleanUp.prompt.trim()) {
      ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'validation.cleanUpPrompt' });
    }
  });

export type CleanUpSettings = z.infer<typeof cleanUpSchema>;

/** The text pipeline between a completed transcript and the text inserted (src/core/text).
 * The vocabulary and rules are kept in their file formats; main checks them line by line on
 * save (a mistake is a `text.vocabulary` or `text.rules` issue with its line). */
const textSchema = z.object({
  script: z.enum(OUTPUT_SCRIPTS),
  /** A space between CJK and Latin text ("用 ChatGPT 写"). */
  spacing: z.boolean(),
  /** Full-width marks in Chinese, half-width ones in English. */
  punctuationWidth: z.boolean(),
  /** Removes 嗯, 呃, um, uh… */
  removeFillers: z.boolean(),
  /** Removes the 。 or . that ends a dictation of a single sentence. */
  removeTrailingPeriod: z.boolean(),
  /** One term a line, `term = heard as, heard as` (core/text/vocabulary.ts). */
  vocabulary: z.string().max(TEXT_FILE_MAX_CHARS, 'validation.textTooLong'),
  /** One rule a line, `pattern => replacement` or `/regex/flags => replacement` (rules.ts). */
  rules: z.string().max(TEXT_FILE_MAX_CHARS, 'validation.textTooLong'),
  cleanUp: cleanUpSchema,
});

export type TextSettings = z.infer<typeof textSchema>;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  server: serverSchema,
  audio: z.object({
    /** `''` means the system default input. */
    deviceId: z.string(),
    /** The device's name when it was chosen, to find it again after it is plugged back in. */
    deviceLabel: z.string(),
    echoCancellation: z.boolean(),
    noiseSuppression: z.boolean(),
    autoGainControl: z.boolean(),
  }),
  ui: z.object({
    locale: z.enum(['system', ...UI_LOCALES]),
    /** The first run's guided setup was finished or skipped: it is not shown again. */
    onboardingDone: z.boolean(),
  }),
  /** The global dictation shortcut, as an Electron accelerator. */
  shortcut: z.string().trim().min(1, 'validation.shortcutRequired'),
  handsFree: handsFreeSchema,
  history: historySchema,
  localModels: localModelsSchema,
  text: textSchema,
});

export type Settings = z.infer<typeof settingsSchema>;
export type ServerSettings = Settings['server'];

/** One validation problem: where (`server.url`) and what (an i18n key under `validation.`).
 * `params` fill the key's placeholders: a mistake in the vocabulary or rules says which line
 * (`line`) and what is wrong there (`detail`, in English, from the parser). */
export interface FieldIssue {
  path: string;
  message: string;
  params?: Record<string, string | number>;
}

export type SettingsValidation =
  { ok: true; settings: Settings } | { ok: false; issues: FieldIssue[] };

export function validateSettings(input: unknown): SettingsValidation {
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: i.path.join('.'),
      message: i.message.startsWith('validation.') ? i.message : 'validation.invalid',
    })),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isWebSocketUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
