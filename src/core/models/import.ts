// Installs a model from files the user downloaded by hand: a folder, or the archive sherpa-onnx
// publishes (.tar.bz2), or a .tar.gz / .tar. Only the catalog's files are extracted (an archive
// may also hold the float model, several times larger); each must match the catalog before the
// folder is installed, in one rename, as a download is.
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import bz2 from 'unbzip2-stream';
import type { CatalogModel } from './catalog-types.ts';
import { installFolder } from './install.ts';
import type { LocalModel } from './model-types.ts';
import { MANIFEST_FILE, modelDir, scratchPrefix } from './paths.ts';
import { TransferMeter, type TransferReading } from './transfer-meter.ts';
import { checkFile } from './verify.ts';

export const IMPORT_FORMATS =
  'a folder, a .tar.bz2 (as sherpa-onnx publishes), a .tar.gz or a .tar';

type ArchiveKind = 'tar.bz2' | 'tar.gz' | 'tar';

function archiveKind(path: string): ArchiveKind | undefined {
  const name = path.toLowerCase();
  if (/\.(tar\.bz2|tbz2?)$/.test(name)) return 'tar.bz2';
  if (/\.(tar\.gz|tgz)$/.test(name)) return 'tar.gz';
  if (name.endsWith('.tar')) return 'tar';
  return undefined;
}

/** Every file under `folder`, by base name (the first found wins). */
async function filesByName(folder: string, found = new Map<string, string>()) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await filesByName(path, found);
    else if (entry.isFile() && !found.has(entry.name)) found.set(entry.name, path);
  }
  return found;
}

async function extract(
  archive: string,
  kind: ArchiveKind,
  into: string,
  names: Set<string>,
  signal: AbortSignal | undefined,
  onProgress: ((reading: TransferReading) => void) | undefined,
) {
  const extractor = tar.x({ cwd: into, strict: true, filter: (path) => names.has(basename(path)) });
  // Unpacking a .tar.bz2 in JavaScript takes minutes for the larger models: progress is the
  // share of the archive read so far.
  const size = (await stat(archive)).size;
  const meter = new TransferMeter(size);
  let read = 0;
  let last = -Infinity;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      const now = performance.now();
      if (onProgress && (now - last >= 200 || read === size)) {
        last = now;
        onProgress(meter.reading(read, now));
      }
      done(null, chunk);
    },
  });
  const input = createReadStream(archive);
  if (kind === 'tar.bz2') await pipeline(input, counter, bz2(), extractor, { signal });
  else await pipeline(input, counter, extractor, { signal }); // tar detects gzip itself
}

export interface ImportOptions {
  modelsDir: string;
  model: CatalogModel;
  /** A folder or an archive. */
  from: string;
  signal?: AbortSignal;
  /** How much of an archive has been read (not called for a folder). */
  onProgress?: (reading: TransferReading) => void;
}

export async function importModel(o: ImportOptions): Promise<LocalModel> {
  const { model, modelsDir } = o;
  if (existsSync(join(modelDir(modelsDir, model.id), MANIFEST_FILE))) {
    throw new Error(
      `${model.id} is already installed. Remove it first: tingxie models rm ${model.id}`,
    );
  }
  let isFolder: boolean;
  try {
    isFolder = (await stat(o.from)).isDirectory();
  } catch {
    throw new Error(`Cannot import ${o.from}: no such file or folder.`);
  }
  const kind = isFolder ? undefined : archiveKind(o.from);
  if (!isFolder && !kind) {
    throw new Error(`Cannot import ${o.from}: expected ${IMPORT_FORMATS}.`);
  }

  await mkdir(modelsDir, { recursive: true });
  const scratch = await mkdtemp(scratchPrefix(modelsDir, model.id, 'import'));
  try {
    const staged = join(scratch, model.id);
    await mkdir(staged);
    let found: Map<string, string>;
    if (kind) {
      const unpacked = join(scratch, 'unpacked');
      await mkdir(unpacked);
      try {
        const names = new Set(model.files.map((f) => f.name));
        await extract(o.from, kind, unpacked, names, o.signal, o.onProgress);
      } catch (err) {
        if (o.signal?.aborted)
          throw new Error(`The import of ${model.id} was cancelled.`, { cause: err });
        throw new Error(`Cannot read ${o.from} as a ${kind} archive: ${(err as Error).message}`, {
          cause: err,
        });
      }
      found = await filesByName(unpacked);
    } else {
      found = await filesByName(o.from);
    }

    const missing = model.files.filter((f) => !found.has(f.name)).map((f) => f.name);
    if (missing.length > 0) {
      throw new Error(
        `${o.from} does not hold ${model.id}: ${missing.join(', ')} missing` +
          (model.archive ? ` (its archive is ${model.archive}).` : '.'),
      );
    }
    const hashes = new Map<string, string>();
    for (const file of model.files) {
      const source = found.get(file.name)!;
      const target = join(staged, file.name);
      // Extracted files are moved; a user's folder is copied, and left as it was. The copy is
      // what gets checked, since it is what gets installed.
      if (kind) await rename(source, target);
      else await copyFile(source, target);
      const check = await checkFile(target, file, o.signal);
      if (!check.ok) throw new Error(`Cannot import ${model.id}: ${check.reason}.`);
      hashes.set(file.name, check.sha256);
    }
    const path = await installFolder(modelsDir, model, staged, hashes, `import from ${o.from}`);
    return {
      id: model.id,
      kind: model.kind,
      languages: model.languages,
      files: Object.fromEntries(model.files.map((f) => [f.role, join(path, f.name)])),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
