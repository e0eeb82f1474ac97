// The optional LLM clean-up's presets, shared by core (which sends them) and Settings (which
// offers them, and the servers to send them to): prompts a person starts from and may edit, in
// the dictation's language; OpenAI-compatible chat servers with their base URLs.

export const CLEANUP_PRESET_IDS = ['punctuation', 'written', 'bullets'] as const;
export type CleanupPresetId = (typeof CLEANUP_PRESET_IDS)[number];

/** The language the instructions are written in: the dictation's own, which models follow
 * more faithfully than instructions in another language. */
export type PromptLanguage = 'zh' | 'en';

const PRESETS: Readonly<Record<CleanupPresetId, Record<PromptLanguage, string>>> = {
  punctuation: {
    en: 'Fix the punctuation, capitalization and obvious speech-recognition typos of the dictated text. Change no word otherwise; keep its order and meaning.',
    zh: '修正这段口述文字的标点符号和明显的语音识别错字。除此之外不改动任何词语，保持原有的语序和意思。',
  },
  written: {
    en: 'Turn the dictated text into clean written prose: remove hesitations, repetitions and false starts, fix punctuation and grammar. Keep every point the speaker made and their wording where it is already fine.',
    zh: '把这段口述文字整理成通顺的书面语：删去口头禅、重复和说了一半的话，修正标点和语法。保留说话人表达的每一个意思，已经通顺的措辞不要改动。',
  },
  bullets: {
    en: 'Turn the dictated text into a bullet list: one point per line, each line starting with "- ". Fix punctuation; keep every point and the speaker’s wording.',
    zh: '把这段口述文字整理成列表：每行一个要点，每行以"- "开头。修正标点；保留每一个要点和说话人的措辞。',
  },
};

/** A preset's prompt, in the dictation's language. */
export function cleanupPresetPrompt(preset: CleanupPresetId, language: PromptLanguage): string {
  return PRESETS[preset][language];
}

export interface CleanupServer {
  id: 'openai' | 'dashscope' | 'deepseek' | 'ollama' | 'llama-cpp';
  /** Up to and including the API version; `/chat/completions` is added to it. */
  baseUrl: string;
  /** A model to start from ('' where the person's own server decides). */
  model: string;
  needsApiKey: boolean;
}

/** Base URLs from each server's documentation (OpenAI's API reference; DashScope's
 * "OpenAI Chat接口兼容"; DeepSeek's "Your First API Call", where deepseek-chat gave way to
 * deepseek-v4-flash; Ollama's OpenAI compatibility; llama.cpp's llama-server default port). */
export const CLEANUP_SERVERS: readonly CleanupServer[] = [
  // A chat model that takes temperature 0 (OpenAI's reasoning models take only the default).
  { id: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', needsApiKey: true },
  {
    id: 'dashscope',
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    model: 'qwen-turbo',
    needsApiKey: true,
  },
  {
    id: 'deepseek',
    baseUrl: 'https://api.deepseek.com',
    model: 'deepseek-v4-flash',
    needsApiKey: true,
  },
  { id: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: '', needsApiKey: false },
  { id: 'llama-cpp', baseUrl: 'http://127.0.0.1:8080/v1', model: '', needsApiKey: false },
];
