// The shape of the model catalog: what a model is made of and where its files can be had.
import type { ModelKind, ModelRole } from './model-types.ts';

/** One file of a model, as its source repository names it (it keeps that name on disk). */
export interface CatalogFile {
  role: ModelRole;
  name: string;
  /** Exact size in bytes. */
  bytes: number;
  /**
   * SHA-256 of the file's bytes (hex). Where no published hash could be found, it is left out:
   * the file is then accepted on its exact size and the hash computed at install is recorded in
   * the model's manifest, so that later checks compare against what was installed.
   */
  sha256?: string;
}

/** A repository at a fixed revision, on one hosting service. */
export interface RepoRef {
  repo: string;
  revision: string;
}

export interface CatalogModel {
  id: string;
  kind: ModelKind;
  /** Shown in lists (English, Simplified Chinese). */
  title: { en: string; 'zh-CN': string };
  /** ISO 639-1 codes, plus 'yue' (Cantonese). */
  languages: string[];
  /** The licence of the weights, as the upstream model card gives it. */
  license: string;
  /** Where to read about the model and its licence. */
  homepage: string;
  /** The Hugging Face repository; hf-mirror.com and custom mirrors mirror its paths exactly. */
  huggingFace: RepoRef;
  /** A copy on ModelScope, reachable from mainland China; its bytes are checked like any other. */
  modelScope?: RepoRef;
  /** The archive sherpa-onnx publishes on its GitHub releases, for `tingxie models import`. */
  archive?: string;
  files: CatalogFile[];
}

/** Where a model's files are fetched from: `${baseUrl}/${file.name}`. */
export interface ModelSource {
  /** 'huggingface', 'hf-mirror', 'modelscope' or 'custom'. */
  name: string;
  baseUrl: string;
}

/** A model's total download size. */
export function modelBytes(model: CatalogModel): number {
  return model.files.reduce((sum, f) => sum + f.bytes, 0);
}
