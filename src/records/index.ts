/** Check records: the append-only log, personal copies, retention, export and the evidence PDF. */
export type { CheckRecord, FoldedCheck, Likeness, LogEntry } from './entries.js';
export type { PersonalCopy } from './personal-copy.js';
export type { ReadProblem } from './log-file.js';
export { RecordError, type RecordErrorCode } from './errors.js';
export {
  RecordReader,
  RecordStore,
  credentialSha256,
  newCheckId,
  LOG_FILE,
  PERSONAL_DIR,
  SEQ_FILE,
  type AppendListener,
  type MaintenanceOutcome,
  type NewCheck,
  type RecordStoreOptions,
} from './store.js';
export { defaultKeyFile, defaultStoreDir, defaultDemoStoreDir } from './paths.js';
export { toCsv, toJson } from './export.js';
export { evidencePdf, type EvidencePdfOptions } from './evidence.js';
export { DEFAULT_WORTH_STATEMENT } from './worth.js';
export type { MaintenanceRequest, MaintenanceResult } from './requests.js';
