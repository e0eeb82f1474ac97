// Where models live: `<dataDir>/models/<id>/` once installed. Work in progress sits in hidden
// folders beside it (same file system, so that installing is one rename) and is never loaded.
import { join } from 'node:path';
import { MODEL_ID } from './sources.ts';

/** The folder of installed models, inside the app's data folder (as for the history). */
export function modelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

function checkedId(id: string): string {
  if (!MODEL_ID.test(id)) {
    throw new Error(`"${id}" is not a model id (lower-case letters, digits, '.', '_' and '-').`);
  }
  return id;
}

/** An installed model's folder. */
export function modelDir(modelsDir: string, id: string): string {
  return join(modelsDir, checkedId(id));
}

/** A download in progress (or interrupted, kept for resume). */
export function partialDir(modelsDir: string, id: string): string {
  return join(modelsDir, `.${checkedId(id)}.partial`);
}

/** The prefix of an import's (or a removal's) temporary folder. */
export function scratchPrefix(modelsDir: string, id: string, what: 'import' | 'removing'): string {
  return join(modelsDir, `.${checkedId(id)}.${what}-`);
}

/** Written last into a model's folder: what was installed, and each file's verified hash. */
export const MANIFEST_FILE = 'tingxie-model.json';
