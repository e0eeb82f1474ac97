// The model manager: catalog, downloads, imports and installed models (Electron-free).
export type { LocalModel, ModelKind, ModelRole } from './model-types.ts';
export { MODEL_KINDS } from './model-types.ts';
export type { CatalogFile, CatalogModel, ModelSource } from './catalog-types.ts';
export { modelBytes } from './catalog-types.ts';
export { CATALOG } from './catalog.ts';
export { CATALOG_ENV, findModel, loadCatalog, modelSources, parseMirror } from './sources.ts';
export { modelsDir } from './paths.ts';
export { bestInstalledModel, installedModel, installedModels } from './installed.ts';
export { ModelDownloadCancelled, partialBytes, pullModel } from './download.ts';
export type { PullEvent, PullOptions } from './download.ts';
export { IMPORT_FORMATS, importModel } from './import.ts';
export { modelDiskUsage, removeModel } from './storage.ts';
export type { TransferReading } from './transfer-meter.ts';
