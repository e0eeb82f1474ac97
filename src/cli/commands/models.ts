// `tingxie models list | pull ID | rm ID | import ID FILE`: the neural models the local server
// can run, in `<data dir>/models/`. Data (the list, an installed model's path) goes to stdout;
// progress and diagnostics to stderr.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import {
  findModel,
  importModel,
  installedModels,
  loadCatalog,
  modelBytes,
  modelDiskUsage,
  ModelDownloadCancelled,
  modelSources,
  modelsDir,
  pullModel,
  removeModel,
  type CatalogModel,
  type ModelSource,
  type PullEvent,
} from '../../core/models/index.ts';
import type { CliContext } from '../context.ts';
import { CliError, processIo, type CliIo } from '../io.ts';

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Core errors already say what to do; the CLI only ends with them. */
function cliError(err: unknown): CliError {
  if (err instanceof ModelDownloadCancelled) return new CliError(err.message, 130);
  return new CliError(err instanceof Error ? err.message : String(err));
}

function catalogModel(id: string): CatalogModel {
  try {
    return findModel(loadCatalog(), id);
  } catch (err) {
    throw cliError(err);
  }
}

/**
 * Prints a pull's progress on stderr: one line rewritten in place on a terminal, otherwise a line
 * every 10 % (a log file gets no carriage returns).
 */
function progressPrinter(io: CliIo, tty: boolean) {
  let lineOpen = false;
  let lastStep = -1;
  const say = (text: string) => {
    io.stderr(`${lineOpen ? '\r\x1b[K' : ''}${text}\n`);
    lineOpen = false;
  };
  return {
    event(e: PullEvent): void {
      switch (e.type) {
        case 'start':
          say(
            e.bytesResumed > 0
              ? `Resuming ${e.modelId}: ${formatBytes(e.bytesResumed)} of ${formatBytes(e.bytesTotal)} already downloaded`
              : `Downloading ${e.modelId} (${formatBytes(e.bytesTotal)})`,
          );
          break;
        case 'file':
          if (!tty)
            say(
              `${e.file} from ${e.source}${e.offset > 0 ? `, resuming at ${formatBytes(e.offset)}` : ''}`,
            );
          break;
        case 'progress': {
          const percent = e.bytesTotal > 0 ? Math.floor((100 * e.bytesDone) / e.bytesTotal) : 100;
          const line =
            `${String(percent).padStart(3)}% ${formatBytes(e.bytesDone)} / ${formatBytes(e.bytesTotal)}` +
            (e.bytesPerSecond > 0 ? `  ${formatBytes(e.bytesPerSecond)}/s` : '') +
            (e.secondsLeft !== undefined ? `  ${formatDuration(e.secondsLeft)} left` : '') +
            `  ${e.file}`;
          if (tty) {
            io.stderr(`\r\x1b[K${line}`);
            lineOpen = true;
          } else if (Math.floor(percent / 10) > lastStep) {
            lastStep = Math.floor(percent / 10);
            say(line);
          }
          break;
        }
        case 'retry':
          say(`Connection to ${e.source} lost (${e.reason}); resuming ${e.file}…`);
          break;
        case 'fallback':
          say(`${e.source} could not deliver ${e.file} (${e.reason}); trying the next source`);
          break;
        case 'verified':
          say(
            e.check === 'catalog'
              ? `${e.file}: checksum verified`
              : `${e.file}: size verified; no published checksum, recorded SHA-256 ${e.sha256}`,
          );
          break;
        case 'installed':
          break;
      }
    },
    end(): void {
      if (lineOpen) io.stderr('\n');
      lineOpen = false;
    },
  };
}

/** One model in `models list --json`. */
interface ListRow {
  id: string;
  kind: string;
  title: { en: string; 'zh-CN': string };
  languages: string[];
  bytes: number;
  license: string | null;
  homepage: string | null;
  archive: string | null;
  /** Where `pull` fetches the files from, in order (without a --mirror). */
  sources: ModelSource[];
  installed: boolean;
  path: string | null;
  diskBytes: number;
  partialBytes: number;
}

async function list(context: CliContext, json: boolean): Promise<void> {
  const dir = modelsDir(context.dataDir());
  const catalog = loadCatalog();
  const installed = new Map(installedModels(dir).map((m) => [m.id, m]));
  const rows: ListRow[] = [];
  for (const model of catalog) {
    const usage = await modelDiskUsage(dir, model.id);
    const local = installed.get(model.id);
    rows.push({
      id: model.id,
      kind: model.kind,
      title: model.title,
      languages: model.languages,
      bytes: modelBytes(model),
      license: model.license,
      homepage: model.homepage,
      archive: model.archive ?? null,
      sources: modelSources(model),
      installed: local !== undefined,
      path: local ? resolve(dir, model.id) : null,
      diskBytes: usage.installedBytes,
      partialBytes: usage.partialBytes,
    });
  }
  // Models installed from another catalog are still on disk, and still loadable.
  for (const local of installed.values()) {
    if (catalog.some((m) => m.id === local.id)) continue;
    const usage = await modelDiskUsage(dir, local.id);
    rows.push({
      id: local.id,
      kind: local.kind,
      title: { en: local.id, 'zh-CN': local.id },
      languages: local.languages,
      bytes: usage.installedBytes,
      license: null,
      homepage: null,
      archive: null,
      sources: [],
      installed: true,
      path: resolve(dir, local.id),
      diskBytes: usage.installedBytes,
      partialBytes: usage.partialBytes,
    });
  }
  if (json) {
    context.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const status = (r: ListRow) =>
    r.installed
      ? 'installed'
      : r.partialBytes > 0
        ? `partial ${Math.floor((100 * r.partialBytes) / r.bytes)}%`
        : '-';
  const table = rows.map((r) => [
    r.id,
    r.kind,
    formatBytes(r.bytes),
    status(r),
    r.languages.length > 8 ? `${r.languages.length} languages` : r.languages.join(','),
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) {
    context.io.stdout(
      `${row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ')}\n`,
    );
  }
  const used = rows.reduce((sum, r) => sum + r.diskBytes + r.partialBytes, 0);
  context.io.stderr(`${formatBytes(used)} used in ${dir}\n`);
}

export function registerModelsCommands(program: Command, context: CliContext): void {
  const models = program
    .command('models')
    .description('list, download, import and remove the neural models of the local server');

  models
    .command('list')
    .description('list the catalog: size, languages, and what is installed')
    .option('--json', 'one JSON array, with paths, licences and disk use')
    .action(async (options: { json?: boolean }) => {
      try {
        await list(context, options.json === true);
      } catch (err) {
        throw cliError(err);
      }
    });

  models
    .command('pull')
    .description('download a model (verified, resumable); progress on stderr, its folder on stdout')
    .argument('<id>', 'a model id from `tingxie models list`')
    .option('--mirror <url>', 'a Hugging Face mirror to try first, e.g. https://hf-mirror.com')
    .action(async (id: string, options: { mirror?: string }) => {
      const model = catalogModel(id);
      const dir = modelsDir(context.dataDir());
      const already = installedModels(dir).find((m) => m.id === id);
      if (already) {
        context.io.stderr(`${id} is already installed.\n`);
        context.io.stdout(`${resolve(dir, id)}\n`);
        return;
      }
      const controller = new AbortController();
      const cancel = () => controller.abort();
      process.once('SIGINT', cancel);
      // Only the real stderr can be a terminal; tests and pipes get plain lines.
      const progress = progressPrinter(
        context.io,
        context.io === processIo && process.stderr.isTTY,
      );
      try {
        await pullModel({
          modelsDir: dir,
          model,
          sources: modelSources(model, options.mirror),
          signal: controller.signal,
          onEvent: progress.event,
        });
      } catch (err) {
        throw cliError(err);
      } finally {
        progress.end();
        process.off('SIGINT', cancel);
      }
      context.io.stderr(`Installed ${id}. Licence: ${model.license} (${model.homepage}).\n`);
      context.io.stdout(`${resolve(dir, id)}\n`);
    });

  models
    .command('rm')
    .description('remove an installed model, and any interrupted download of it')
    .argument('<id>', 'a model id')
    .action(async (id: string) => {
      const dir = modelsDir(context.dataDir());
      try {
        const freed = await removeModel(dir, id);
        context.io.stderr(`Removed ${id} (${formatBytes(freed)} freed).\n`);
      } catch (err) {
        throw cliError(err);
      }
    });

  models
    .command('import')
    .description('install a model from files downloaded by hand (checked against the catalog)')
    .argument('<id>', 'a model id from `tingxie models list`')
    .argument(
      '<file>',
      'a folder, or an archive: .tar.bz2 (as sherpa-onnx publishes), .tar.gz, .tar',
    )
    .action(async (id: string, file: string) => {
      const model = catalogModel(id);
      const dir = modelsDir(context.dataDir());
      context.io.stderr(`Checking ${file}…\n`);
      const tty = context.io === processIo && process.stderr.isTTY;
      const controller = new AbortController();
      const cancel = () => controller.abort();
      process.once('SIGINT', cancel);
      let step = -1;
      try {
        await importModel({
          modelsDir: dir,
          model,
          from: resolve(file),
          signal: controller.signal,
          onProgress: (r) => {
            const percent = Math.floor((100 * r.bytesDone) / r.bytesTotal);
            const line =
              `${String(percent).padStart(3)}% of the archive read` +
              (r.secondsLeft !== undefined ? `, ${formatDuration(r.secondsLeft)} left` : '');
            if (tty) context.io.stderr(`\r\x1b[K${line}${percent === 100 ? '\n' : ''}`);
            else if (Math.floor(percent / 10) > step) {
              step = Math.floor(percent / 10);
              context.io.stderr(`${line}\n`);
            }
          },
        });
      } catch (err) {
        throw cliError(err);
      } finally {
        process.off('SIGINT', cancel);
      }
      context.io.stderr(`Installed ${id}. Licence: ${model.license} (${model.homepage}).\n`);
      context.io.stdout(`${resolve(dir, id)}\n`);
    });
}
