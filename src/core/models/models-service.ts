// The app's model manager (Settings → Local models): the catalog with what is installed, one
// download per model at a time with its progress pushed to the window, cancel, removal and
// import. It also says which model the local server runs, and when that may have changed.
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';
import type { LocalModelItem, LocalModelsView, ModelDownloadStatus } from '../../shared/models.ts';
import type { CatalogModel } from './catalog-types.ts';
import { modelBytes } from './catalog-types.ts';
import { ModelDownloadCancelled, pullModel } from './download.ts';
import { importModel } from './import.ts';
import { installedModels } from './installed.ts';
import { neuralEngineSettings, type NeuralEngineSettings } from './local-engine.ts';
import { findModel, loadCatalog, modelSources } from './sources.ts';
import { modelDiskUsage, removeModel } from './storage.ts';

export interface ModelsServiceOptions {
  modelsDir: string;
  /** The settings in force: the chosen model ('' = the best installed), a mirror, the
   * language (a code or BCP 47 tag) that picks the best model, and whether a streaming model
   * gives live text while speaking (default true). */
  choice: () => { model: string; mirror: string; locale: string; livePartials?: boolean };
  /** Every progress step and the end of each download. */
  onDownload: (status: ModelDownloadStatus) => void;
  /** A model was installed or removed: what the local server runs may have changed. */
  onInstalledChange: () => void;
  log: Logger;
}

export interface ModelsService {
  view(): Promise<LocalModelsView>;
  /** Resolves to how the download ended; never rejects for a failed download (the status says
   * why), only for an id the catalog does not have. */
  download(id: string): Promise<ModelDownloadStatus>;
  cancel(id: string): void;
  remove(id: string): Promise<void>;
  /** Installs a folder or archive downloaded by hand as model `id`. */
  importFrom(id: string, path: string): Promise<LocalModelItem>;
  /** The local server's engine for the current choice; undefined when no model is installed. */
  engine(): NeuralEngineSettings | undefined;
  /** Cancels every download (on quit); what was downloaded is kept for the next run. */
  dispose(): void;
}

export function createModelsService(o: ModelsServiceOptions): ModelsService {
  const running = new Map<
    string,
    {
      controller: AbortController;
      status: ModelDownloadStatus;
      ended: Promise<ModelDownloadStatus>;
    }
  >();

  const item = async (model: CatalogModel, installed: Set<string>): Promise<LocalModelItem> => {
    const usage = await modelDiskUsage(o.modelsDir, model.id);
    return {
      id: model.id,
      kind: model.kind,
      title: model.title,
      languages: model.languages,
      license: model.license,
      homepage: model.homepage,
      bytes: modelBytes(model),
      recognizer: model.kind !== 'punctuation',
      installed: installed.has(model.id),
      diskBytes: usage.installedBytes + usage.partialBytes,
      partialBytes: usage.partialBytes,
    };
  };

  const engine = (): NeuralEngineSettings | undefined => {
    const { model, locale, livePartials } = o.choice();
    return neuralEngineSettings(o.modelsDir, { modelId: model || undefined, locale, livePartials });
  };

  return {
    async view() {
      const installed = new Set(installedModels(o.modelsDir).map((m) => m.id));
      const models = await Promise.all(loadCatalog().map((m) => item(m, installed)));
      let activeModelId: string | undefined;
      try {
        activeModelId = engine()?.engineOptions.model.id;
      } catch {
        activeModelId = undefined; // the chosen model is not installed (any more)
      }
      const freeBytes = await freeSpace(o.modelsDir);
      return {
        models,
        ...(activeModelId && { activeModelId }),
        downloads: [...running.values()].map((r) => r.status),
        folder: o.modelsDir,
        ...(freeBytes !== undefined && { freeBytes }),
      };
    },

    async download(id) {
      const model = findModel(loadCatalog(), id);
      // A second Download while one runs waits for the same end.
      const already = running.get(id);
      if (already) return already.ended;
      const controller = new AbortController();
      const status: ModelDownloadStatus = {
        modelId: id,
        state: 'downloading',
        bytesDone: 0,
        bytesTotal: modelBytes(model),
        bytesPerSecond: 0,
      };
      const push = (change: Partial<ModelDownloadStatus>) => {
        Object.assign(status, change);
        o.onDownload({ ...status });
      };
      const ended = (async () => {
        push({});
        try {
          await pullModel({
            modelsDir: o.modelsDir,
            model,
            sources: modelSources(model, o.choice().mirror || undefined),
            signal: controller.signal,
            onEvent: (e) => {
              if (e.type === 'start') push({ bytesDone: e.bytesResumed, bytesTotal: e.bytesTotal });
              else if (e.type === 'file') push({ source: e.source });
              else if (e.type === 'progress') {
                const { bytesDone, bytesTotal, bytesPerSecond, secondsLeft } = e;
                push({ bytesDone, bytesTotal, bytesPerSecond, secondsLeft });
              } else if (e.type === 'fallback') {
                o.log.warn(`Models: ${e.file} of ${id} not from ${e.source}: ${e.reason}`);
              }
            },
          });
          o.log.info(`Models: ${id} installed.`);
          push({ state: 'installed', bytesDone: status.bytesTotal, secondsLeft: 0 });
          o.onInstalledChange();
        } catch (err) {
          if (err instanceof ModelDownloadCancelled) {
            push({ state: 'cancelled', bytesPerSecond: 0, secondsLeft: undefined });
          } else {
            const error = (err as Error).message;
            o.log.warn(`Models: the download of ${id} failed: ${error}`);
            push({ state: 'failed', error, bytesPerSecond: 0, secondsLeft: undefined });
          }
        } finally {
          running.delete(id);
        }
        return { ...status };
      })();
      running.set(id, { controller, status, ended });
      return ended;
    },

    cancel(id) {
      running.get(id)?.controller.abort();
    },

    async remove(id) {
      if (running.has(id)) throw new Error(`${id} is being downloaded. Cancel the download first.`);
      await removeModel(o.modelsDir, id);
      o.log.info(`Models: ${id} removed.`);
      o.onInstalledChange();
    },

    async importFrom(id, path) {
      const model = findModel(loadCatalog(), id);
      if (running.has(id)) throw new Error(`${id} is being downloaded. Cancel the download first.`);
      await importModel({ modelsDir: o.modelsDir, model, from: path });
      o.log.info(`Models: ${id} imported from ${path}.`);
      o.onInstalledChange();
      const installed = new Set(installedModels(o.modelsDir).map((m) => m.id));
      return item(model, installed);
    },

    engine,

    dispose() {
      for (const { controller } of running.values()) controller.abort();
    },
  };
}

/** Free bytes on the disk `dir` is (or will be) on: a fresh install has no models folder yet. */
async function freeSpace(dir: string): Promise<number | undefined> {
  for (let at = dir; ; at = dirname(at)) {
    try {
      const fs = await statfs(at);
      return fs.bavail * fs.bsize;
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}
