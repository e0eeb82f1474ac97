// The transcript history: store, audio retention, retry, export.
export type {
  HistoryEntry,
  HistoryFilter,
  HistoryPage,
  HistoryPatch,
  HistoryStatus,
  NewHistoryEntry,
  TurnAudio,
} from './entry.ts';
export {
  HistoryStore,
  HistoryWriteError,
  type HistoryChange,
  type HistoryStoreOptions,
  type RetentionLimits,
  type RetentionResult,
} from './store.ts';
export type { HistoryQuery } from './query-sql.ts';
export { DEFAULT_AUDIO_RETENTION, type AudioRetention } from './audio-files.ts';
export {
  retryEntry,
  RetryError,
  type FinalText,
  type RetryResult,
  type Transcriber,
} from './retry.ts';
export { sessionTranscriber, type SessionTranscriberOptions } from './session-transcriber.ts';
export { defaultDataDir, DATABASE_FILE, AUDIO_FOLDER } from './paths.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { DateInputError, localDisplayTime, localIsoTime, parseDateBound } from './dates.ts';
export {
  EXPORT_FILE_TYPES,
  EXPORT_FORMATS,
  exportEntries,
  type ExportFormat,
  type ExportOptions,
} from './export/index.ts';
