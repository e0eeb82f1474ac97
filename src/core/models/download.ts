// Downloads a catalog model into `<modelsDir>/.<id>.partial/`, file by file, each from the first
// source that delivers it whole and verified; then installs the folder in one rename. What was
// downloaded before a cut or a cancel stays there, and the next pull resumes from it.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CatalogModel, ModelSource } from './catalog-types.ts';
import { modelBytes } from './catalog-types.ts';
import { fetchPart, SourceFailure } from './fetch-part.ts';
import { installFolder } from './install.ts';
import type { LocalModel } from './model-types.ts';
import { MANIFEST_FILE, modelDir, partialDir } from './paths.ts';
import { TransferMeter, type TransferReading } from './transfer-meter.ts';
import { checkFile } from './verify.ts';

export type PullEvent =
  | { type: 'start'; modelId: string; bytesTotal: number; bytesResumed: number }
  | { type: 'file'; file: string; source: string; url: string; offset: number }
  | ({ type: 'progress'; file: string } & TransferReading)
  | { type: 'retry'; file: string; source: string; reason: string; attempt: number }
  | { type: 'fallback'; file: string; source: string; reason: string }
  | { type: 'verified'; file: string; sha256: string; check: 'catalog' | 'recorded' }
  | { type: 'installed'; model: LocalModel; path: string };

export interface PullOptions {
  modelsDir: string;
  model: CatalogModel;
  /** Tried in order for each file (see modelSources). */
  sources: ModelSource[];
  signal?: AbortSignal;
  onEvent?: (event: PullEvent) => void;
  /** At most one progress event per this many milliseconds (and one as each file completes). */
  progressIntervalMs?: number;
  idleTimeoutMs?: number;
  /** Attempts per source after failures that brought no new bytes (a cut that did bring some is
   * resumed at once, up to 50 times). */
  attemptsPerSource?: number;
  retryDelayMs?: number;
}

/** Thrown when the caller's signal aborts a pull. The partial download is kept for resume. */
export class ModelDownloadCancelled extends Error {
  override name = 'ModelDownloadCancelled';
  constructor(id: string) {
    super(
      `The download of ${id} was cancelled. What was downloaded is kept: pull it again to resume.`,
    );
  }
}

const LOCK_FILE = '.lock';
/** Resumes of one file from one source, each after a cut that brought new bytes. */
const MAX_PROGRESSING_ATTEMPTS = 50;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process downloading model `id` now, if any. */
export async function downloadingProcess(
  modelsDir: string,
  id: string,
): Promise<number | undefined> {
  const pid = Number(
    await readFile(join(partialDir(modelsDir, id), LOCK_FILE), 'utf8').catch(() => ''),
  );
  return pid > 0 && processAlive(pid) ? pid : undefined;
}

/** One download per model at a time: two writers appending to one part would corrupt it. */
async function lockFolder(folder: string, id: string): Promise<() => Promise<void>> {
  const lock = join(folder, LOCK_FILE);
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
    if (pid > 0 && processAlive(pid)) {
      throw new Error(
        `${id} is already being downloaded (process ${pid}). Wait for it to finish.`,
        {
          cause: err,
        },
      );
    }
    await writeFile(lock, String(process.pid)); // left by a process that is gone
  }
  return () => rm(lock, { force: true });
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Bytes a partial download already holds (verified files and parts), for resume and listing. */
export async function partialBytes(modelsDir: string, id: string): Promise<number> {
  const folder = partialDir(modelsDir, id);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return 0;
  }
  const files = names.filter((n) => n !== LOCK_FILE);
  const sizes = await Promise.all(files.map((n) => sizeOf(join(folder, n))));
  return sizes.reduce((a, b) => a + b, 0);
}

async function checkFreeSpace(modelsDir: string, needed: number): Promise<void> {
  const fs = await statfs(modelsDir);
  const free = fs.bavail * fs.bsize;
  if (free < needed) {
    const mb = (n: number) => `${Math.ceil(n / 1e6)} MB`;
    throw new Error(
      `Not enough disk space in ${modelsDir}: ${mb(needed)} needed, ${mb(free)} free.`,
    );
  }
}

/** Downloads, verifies and installs `model`; resolves to the installed model. */
export async function pullModel(o: PullOptions): Promise<LocalModel> {
  const { model, modelsDir } = o;
  const signal = o.signal ?? new AbortController().signal;
  const emit = o.onEvent ?? (() => {});
  const interval = o.progressIntervalMs ?? 200;
  const attempts = o.attemptsPerSource ?? 3;
  if (o.sources.length === 0) throw new Error(`No source to download ${model.id} from.`);
  if (existsSync(join(modelDir(modelsDir, model.id), MANIFEST_FILE))) {
    throw new Error(
      `${model.id} is already installed. Remove it first: tingxie models rm ${model.id}`,
    );
  }

  const folder = partialDir(modelsDir, model.id);
  await mkdir(folder, { recursive: true });
  const unlock = await lockFolder(folder, model.id);
  try {
    const total = modelBytes(model);
    const resumed = await partialBytes(modelsDir, model.id);
    await checkFreeSpace(modelsDir, Math.max(0, total - resumed));
    emit({ type: 'start', modelId: model.id, bytesTotal: total, bytesResumed: resumed });

    const meter = new TransferMeter(total);
    meter.rebase(resumed, performance.now());
    let doneBefore = 0; // bytes of the files already verified
    let lastEmit = -Infinity;
    const hashes = new Map<string, string>();
    const origins = new Set<string>();

    for (const file of model.files) {
      const target = join(folder, file.name);
      const part = `${target}.part`;
      const report = (partBytes: number, force: boolean) => {
        const now = performance.now();
        if (!force && now - lastEmit < interval) return;
        lastEmit = now;
        emit({ type: 'progress', file: file.name, ...meter.reading(doneBefore + partBytes, now) });
      };

      if (existsSync(target)) {
        // Verified by an earlier run; checked again, since it has been on disk meanwhile.
        const check = await checkFile(target, file, signal);
        if (check.ok) {
          hashes.set(file.name, check.sha256);
          doneBefore += file.bytes;
          report(0, true);
          continue;
        }
        await rm(target, { force: true });
      }

      const failures: string[] = [];
      let sha256: string | undefined;
      for (const source of o.sources) {
        const url = `${source.baseUrl}/${file.name}`;
        let failedAttempts = 0;
        let progressedAttempts = 0;
        let wholeAgain = false;
        while (sha256 === undefined) {
          const before = await sizeOf(part);
          let startedAt = before;
          try {
            await fetchPart({
              url,
              partPath: part,
              bytes: file.bytes,
              signal,
              idleTimeoutMs: o.idleTimeoutMs ?? 30_000,
              onStart: (offset) => {
                startedAt = offset;
                emit({ type: 'file', file: file.name, source: source.name, url, offset });
                meter.rebase(doneBefore + offset, performance.now());
              },
              onData: (bytes) => report(bytes, bytes === file.bytes),
            });
            const check = await checkFile(part, file, signal);
            if (!check.ok && startedAt > 0 && !wholeAgain) {
              // The bytes before the resume point may be what is wrong (another source's, or
              // an earlier run's): this source gets one try at the whole file before it is blamed.
              wholeAgain = true;
              await rm(part, { force: true });
              const reason = `${check.reason}; downloading it whole`;
              emit({ type: 'retry', file: file.name, source: source.name, reason, attempt: 1 });
              continue;
            }
            if (!check.ok) throw new SourceFailure(check.reason, false, true);
            await rename(part, target);
            sha256 = check.sha256;
            origins.add(source.name);
          } catch (err) {
            if (signal.aborted) throw new ModelDownloadCancelled(model.id);
            if (!(err instanceof SourceFailure)) throw err;
            if (err.discardPart) await rm(part, { force: true });
            // A cut after some progress is worth resuming many times (a long download on a poor
            // line); one that brought nothing, only a few.
            const progressed = (await sizeOf(part)) > before;
            const again = progressed
              ? ++progressedAttempts < MAX_PROGRESSING_ATTEMPTS
              : ++failedAttempts < attempts;
            if (err.retryable && again) {
              const attempt = failedAttempts + progressedAttempts;
              emit({
                type: 'retry',
                file: file.name,
                source: source.name,
                reason: err.message,
                attempt,
              });
              const delay = progressed ? 0 : (o.retryDelayMs ?? 1_000) * failedAttempts;
              await sleep(delay, undefined, { signal }).catch(() => {
                throw new ModelDownloadCancelled(model.id);
              });
              continue;
            }
            failures.push(`${source.name}: ${err.message}`);
            emit({ type: 'fallback', file: file.name, source: source.name, reason: err.message });
            break;
          }
        }
        if (sha256 !== undefined) break;
      }
      if (sha256 === undefined) {
        throw new Error(
          `Could not download ${file.name} of ${model.id} (${failures.join('; ')}). ` +
            'Check the network connection, or set a mirror (Settings → Local models; on the ' +
            'command line, --mirror URL)' +
            (model.archive
              ? `, or download ${model.archive} from sherpa-onnx's GitHub releases by hand and ` +
                `import it (Settings → Local models, or \`tingxie models import ${model.id} FILE\`).`
              : '.'),
        );
      }
      hashes.set(file.name, sha256);
      emit({
        type: 'verified',
        file: file.name,
        sha256,
        check: file.sha256 ? 'catalog' : 'recorded',
      });
      doneBefore += file.bytes;
    }

    await unlock();
    const origin = `download from ${[...origins].join(', ') || 'an earlier run'}`;
    const path = await installFolder(modelsDir, model, folder, hashes, origin);
    const installed: LocalModel = {
      id: model.id,
      kind: model.kind,
      languages: model.languages,
      files: Object.fromEntries(model.files.map((f) => [f.role, join(path, f.name)])),
    };
    emit({ type: 'installed', model: installed, path });
    return installed;
  } finally {
    await unlock();
  }
}
