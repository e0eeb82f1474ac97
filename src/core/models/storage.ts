// Disk use of a model (installed folder and partial download) and its removal.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadingProcess, partialBytes } from './download.ts';
import { modelDir, partialDir, scratchPrefix } from './paths.ts';

async function folderBytes(folder: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  let sum = 0;
  for (const e of entries) {
    const path = join(folder, e.name);
    sum += e.isDirectory() ? await folderBytes(path) : (await stat(path)).size;
  }
  return sum;
}

export interface ModelDiskUsage {
  /** Bytes of the installed folder (0 when not installed). */
  installedBytes: number;
  /** Bytes of an interrupted download, kept for resume. */
  partialBytes: number;
}

export async function modelDiskUsage(modelsDir: string, id: string): Promise<ModelDiskUsage> {
  return {
    installedBytes: await folderBytes(modelDir(modelsDir, id)),
    partialBytes: await partialBytes(modelsDir, id),
  };
}

/**
 * Removes the installed model and any partial download of it; resolves to the bytes freed.
 * The model folder is first renamed aside, so that it is never seen half-deleted.
 */
export async function removeModel(modelsDir: string, id: string): Promise<number> {
  const pid = await downloadingProcess(modelsDir, id);
  if (pid !== undefined) {
    throw new Error(`${id} is being downloaded (process ${pid}). Cancel that download first.`);
  }
  const usage = await modelDiskUsage(modelsDir, id);
  const folder = modelDir(modelsDir, id);
  if (!existsSync(folder) && usage.partialBytes === 0 && !existsSync(partialDir(modelsDir, id))) {
    throw new Error(`The model ${id} is not installed, and no download of it is kept.`);
  }
  if (existsSync(folder)) {
    const aside = await mkdtemp(scratchPrefix(modelsDir, id, 'removing'));
    await rename(folder, join(aside, id));
    await rm(aside, { recursive: true, force: true });
  }
  await rm(partialDir(modelsDir, id), { recursive: true, force: true });
  return usage.installedBytes + usage.partialBytes;
}
