// Installed models, as the engine loads them: a model folder with its manifest (written last at
// install) and every file present at its verified size. Partial downloads are never listed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PREFERENCE, PREFERENCE } from './catalog.ts';
import type { Manifest } from './install.ts';
import type { LocalModel } from './model-types.ts';
import { MANIFEST_FILE, modelDir } from './paths.ts';
import { loadCatalog, MODEL_ID } from './sources.ts';

export { modelsDir } from './paths.ts';

function readManifest(folder: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The model in `folder`, or why it cannot be loaded. */
function loadFolder(folder: string, id: string): LocalModel | { problem: string } {
  const manifest = readManifest(folder);
  if (!manifest || manifest.id !== id || !Array.isArray(manifest.files)) {
    return { problem: `${folder} has no valid ${MANIFEST_FILE}` };
  }
  const files: LocalModel['files'] = {};
  for (const f of manifest.files) {
    const path = join(folder, f.name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return { problem: `${path} is missing` };
    }
    if (size !== f.bytes) return { problem: `${path} has ${size} bytes, expected ${f.bytes}` };
    files[f.role] = path;
  }
  return { id, kind: manifest.kind, files, languages: manifest.languages };
}

/**
 * The installed model `id`, ready to load. Throws an Error that says what to do: for an unknown
 * id, which ids are known; for a model not installed (or damaged), the command that installs it.
 */
export function installedModel(modelsDir: string, id: string): LocalModel {
  const catalog = loadCatalog();
  const known = catalog.some((m) => m.id === id);
  if (!MODEL_ID.test(id) || !known) {
    // A model installed from another catalog is still loadable by its id.
    const installed = MODEL_ID.test(id) ? loadFolder(modelDir(modelsDir, id), id) : undefined;
    if (installed && !('problem' in installed)) return installed;
    throw new Error(
      `Unknown model "${id}". Known models: ${catalog.map((m) => m.id).join(', ')}. ` +
        'Run `tingxie models list` to see them.',
    );
  }
  const folder = modelDir(modelsDir, id);
  const model = loadFolder(folder, id);
  if (!('problem' in model)) return model;
  if (readManifest(folder) === undefined) {
    throw new Error(`The model ${id} is not installed. Run \`tingxie models pull ${id}\`.`);
  }
  throw new Error(
    `The model ${id} is damaged (${model.problem}). Run \`tingxie models rm ${id}\`, then ` +
      `\`tingxie models pull ${id}\`.`,
  );
}

/** Every installed model, in folder-name order. Damaged and partial ones are left out. */
export function installedModels(modelsDir: string): LocalModel[] {
  let names: string[];
  try {
    names = readdirSync(modelsDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => MODEL_ID.test(name))
    .sort()
    .map((name) => loadFolder(join(modelsDir, name), name))
    .filter((m): m is LocalModel => !('problem' in m));
}

/** 'zh-CN' → 'zh', 'yue-HK' → 'yue', 'en' → 'en'. */
export function localeLanguage(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? '';
}

/**
 * The recognizer to use for `locale` (a BCP 47 tag such as 'zh-CN'): among installed models that
 * recognize speech (not punctuation) and speak its language, the catalog's preference for that
 * language (SenseVoice first for Chinese, Parakeet for English…); where none speaks it, or with no
 * locale, the general preference. `undefined` when no recognizer is installed.
 */
export function bestInstalledModel(modelsDir: string, locale?: string): LocalModel | undefined {
  const recognizers = installedModels(modelsDir).filter((m) => m.kind !== 'punctuation');
  const language = locale ? localeLanguage(locale) : undefined;
  const speaking = language ? recognizers.filter((m) => m.languages.includes(language)) : [];
  const candidates = speaking.length > 0 ? speaking : recognizers;
  const order = (language && speaking.length > 0 && PREFERENCE[language]) || DEFAULT_PREFERENCE;
  const rank = (m: LocalModel) => {
    const i = order.indexOf(m.id);
    return i === -1 ? order.length : i;
  };
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}
