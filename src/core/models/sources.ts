// Which catalog is in force, and where each model's files are fetched from, in order.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATALOG } from './catalog.ts';
import type { CatalogModel, ModelSource, RepoRef } from './catalog-types.ts';
import { MODEL_KINDS } from './model-types.ts';

/**
 * A JSON file that replaces the built-in catalog (same shape as `CatalogModel[]`): for a team that
 * hosts its own models, and for tests that serve real files from a local server.
 */
export const CATALOG_ENV = 'TINGXIE_MODELS_CATALOG';

/** A model id is also a folder name: no separators, no dot-files. */
export const MODEL_ID = /^[a-z0-9][a-z0-9._-]*$/;

const repoRef = z.object({ repo: z.string().min(1), revision: z.string().min(1) });
const catalogSchema = z.array(
  z.object({
    id: z.string().regex(MODEL_ID),
    kind: z.enum(MODEL_KINDS),
    title: z.object({ en: z.string(), 'zh-CN': z.string() }),
    languages: z.array(z.string()),
    license: z.string(),
    homepage: z.string(),
    huggingFace: repoRef,
    modelScope: repoRef.optional(),
    archive: z.string().optional(),
    files: z
      .array(
        z.object({
          role: z.enum(['model', 'encoder', 'decoder', 'joiner', 'tokens']),
          // A plain file name: it is joined to folders and URLs.
          name: z.string().regex(/^[^/\\]+$/),
          bytes: z.number().int().nonnegative(),
          sha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .optional(),
        }),
      )
      .min(1),
  }),
);

/** The built-in catalog, or the one `$TINGXIE_MODELS_CATALOG` names. */
export function loadCatalog(env: NodeJS.ProcessEnv = process.env): readonly CatalogModel[] {
  const file = env[CATALOG_ENV];
  if (!file) return CATALOG;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `Cannot read the model catalog ${file} (${CATALOG_ENV}): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `The model catalog ${file} (${CATALOG_ENV}) is not valid: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** The catalog entry for `id`; an unknown id names the known ones. */
export function findModel(catalog: readonly CatalogModel[], id: string): CatalogModel {
  const model = catalog.find((m) => m.id === id);
  if (!model) {
    throw new Error(`Unknown model "${id}". Known models: ${catalog.map((m) => m.id).join(', ')}.`);
  }
  return model;
}

const HUGGING_FACE = 'https://huggingface.co';
const HF_MIRROR = 'https://hf-mirror.com';
const MODELSCOPE = 'https://modelscope.cn/models';

function resolveUrl(root: string, ref: RepoRef): string {
  return `${root.replace(/\/+$/, '')}/${ref.repo}/resolve/${ref.revision}`;
}

/** Checks a `--mirror` URL: an http(s) root that mirrors Hugging Face's paths (like hf-mirror.com). */
export function parseMirror(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL. Give a mirror's address, like https://hf-mirror.com.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`The mirror ${url} must be an http:// or https:// address.`);
  }
  return url;
}

/**
 * The sources to try, in order: a custom mirror first (a Hugging Face–style mirror root, serving
 * `<root>/<repo>/resolve/<revision>/<file>`), then Hugging Face, hf-mirror.com and ModelScope.
 * Hugging Face comes before its mirror because the mirror copies from it on demand; where
 * Hugging Face is unreachable, the mirror is the next thing tried.
 */
export function modelSources(model: CatalogModel, customMirror?: string): ModelSource[] {
  const sources: ModelSource[] = [];
  if (customMirror) {
    sources.push({
      name: 'custom',
      baseUrl: resolveUrl(parseMirror(customMirror), model.huggingFace),
    });
  }
  sources.push({ name: 'huggingface', baseUrl: resolveUrl(HUGGING_FACE, model.huggingFace) });
  sources.push({ name: 'hf-mirror', baseUrl: resolveUrl(HF_MIRROR, model.huggingFace) });
  if (model.modelScope) {
    sources.push({ name: 'modelscope', baseUrl: resolveUrl(MODELSCOPE, model.modelScope) });
  }
  return sources;
}
