// The local models as the window shows them (Settings → Local models): the catalog, what is
// installed or partly downloaded, and the downloads under way. Main owns the files; the
// window only asks.

/** A model of the catalog, with where it stands on this computer. */
export interface LocalModelItem {
  id: string;
  /** sense-voice, paraformer, whisper, nemo-transducer, streaming-zipformer, punctuation… */
  kind: string;
  title: { en: string; 'zh-CN': string };
  /** ISO 639-1 codes, plus 'yue' (Cantonese). */
  languages: string[];
  license: string;
  homepage: string;
  /** Download size in bytes. */
  bytes: number;
  /** false for a punctuation model, which only adds punctuation to a recognizer's text. */
  recognizer: boolean;
  installed: boolean;
  /** Bytes on disk: installed files, or what a cut or cancelled download left to resume from. */
  diskBytes: number;
  /** Downloaded so far by a download that did not finish: the next one resumes from there. */
  partialBytes: number;
}

export type ModelDownloadState = 'downloading' | 'installed' | 'failed' | 'cancelled';

/** A download's progress, pushed as it goes (`modelDownload` events) and returned when it ends. */
export interface ModelDownloadStatus {
  modelId: string;
  state: ModelDownloadState;
  bytesDone: number;
  bytesTotal: number;
  /** Over the last few seconds; 0 while unknown. */
  bytesPerSecond: number;
  /** At that speed; undefined while unknown. */
  secondsLeft?: number;
  /** Where the current file comes from: huggingface, hf-mirror, modelscope or custom. */
  source?: string;
  /** `failed`: what happened and what to do (English, from main). */
  error?: string;
}

export interface LocalModelsView {
  models: LocalModelItem[];
  /** The model the local server runs with the current settings (the chosen one, or the best
   * installed for the language); undefined when none is installed. */
  activeModelId?: string;
  /** Downloads under way. */
  downloads: ModelDownloadStatus[];
  /** The folder models live in. */
  folder: string;
  /** Free space where they live, when known. */
  freeBytes?: number;
}

export type ModelImportResult = { ok: true; model: LocalModelItem } | { ok: false; canceled: true };
