// The one step that makes a model installed: its verified files, with a manifest written last,
// are renamed from a temporary folder beside `<modelsDir>/<id>` into place. A rename within a
// folder is atomic, so a model folder either does not exist or holds every file, verified.
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogModel } from './catalog-types.ts';
import type { ModelKind, ModelRole } from './model-types.ts';
import { MANIFEST_FILE, modelDir } from './paths.ts';

export interface ManifestFile {
  role: ModelRole;
  name: string;
  bytes: number;
  sha256: string;
  /** 'catalog': matched the catalog's hash; 'recorded': the catalog had none, this was computed. */
  check: 'catalog' | 'recorded';
}

export interface Manifest {
  id: string;
  kind: ModelKind;
  languages: string[];
  license: string;
  files: ManifestFile[];
  installedAt: string;
  /** 'download from <source>' or 'import from <path>'. */
  origin: string;
}

/** `hashes`: each file's verified SHA-256, by name. */
export async function installFolder(
  modelsDir: string,
  model: CatalogModel,
  folder: string,
  hashes: ReadonlyMap<string, string>,
  origin: string,
): Promise<string> {
  const manifest: Manifest = {
    id: model.id,
    kind: model.kind,
    languages: model.languages,
    license: model.license,
    files: model.files.map((f) => ({
      role: f.role,
      name: f.name,
      bytes: f.bytes,
      sha256: hashes.get(f.name) ?? '',
      check: f.sha256 ? 'catalog' : 'recorded',
    })),
    installedAt: new Date().toISOString(),
    origin,
  };
  await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const target = modelDir(modelsDir, model.id);
  try {
    await rename(folder, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM') {
      const what = existsSync(join(target, MANIFEST_FILE))
        ? `${model.id} is already installed in ${target}`
        : `${target} is in the way (a folder that is not a complete model)`;
      throw new Error(`${what}. Remove it first: tingxie models rm ${model.id}`, { cause: err });
    }
    throw err;
  }
  return target;
}
