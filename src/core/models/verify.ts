// A file is accepted when its size and SHA-256 are the catalog's (or, for a file the catalog has
// no hash for, its size alone; its hash is then recorded at install).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CatalogFile } from './catalog-types.ts';

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Why `path` is not `file`, or `undefined` with its hash when it is. */
export async function checkFile(
  path: string,
  file: CatalogFile,
  signal?: AbortSignal,
): Promise<{ ok: true; sha256: string } | { ok: false; reason: string }> {
  const size = (await stat(path)).size;
  if (size !== file.bytes) {
    return { ok: false, reason: `${file.name} has ${size} bytes, expected ${file.bytes}` };
  }
  const sha256 = await sha256File(path, signal);
  if (file.sha256 && sha256 !== file.sha256) {
    return {
      ok: false,
      reason: `${file.name} is corrupt or not the expected file (SHA-256 ${sha256}, expected ${file.sha256})`,
    };
  }
  return { ok: true, sha256 };
}
