// Catalog models installed for a test the way an install leaves them (files at their sizes, the
// manifest written last), with 3-byte stand-ins for their files, in a fresh models folder.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG } from '../../src/core/models/catalog.ts';
import { installFolder } from '../../src/core/models/install.ts';
import { modelsDir } from '../../src/core/models/installed.ts';
import { findModel } from '../../src/core/models/sources.ts';

/** What each stand-in file holds. */
export const STAND_IN_CONTENT = 'abc';
const HASH = createHash('sha256').update(STAND_IN_CONTENT).digest('hex');

/** A new, empty models folder (modelsDir of a temporary data folder named from `prefix`). */
export function tempModelsDir(prefix: string): string {
  return modelsDir(mkdtempSync(join(tmpdir(), prefix)));
}

/** Installs catalog model `id` into `dir` with 3-byte stand-ins for its files, as an install
 * would; returns its folder. */
export async function installStandIn(dir: string, id: string): Promise<string> {
  const real = findModel(CATALOG, id);
  const model = {
    ...real,
    files: real.files.map((f) => ({ ...f, bytes: STAND_IN_CONTENT.length })),
  };
  mkdirSync(dir, { recursive: true });
  const stage = await mkdtemp(join(dir, `.${id}.import-`));
  for (const f of model.files) writeFileSync(join(stage, f.name), STAND_IN_CONTENT);
  return installFolder(dir, model, stage, new Map(model.files.map((f) => [f.name, HASH])), 'test');
}
