/**
 * proofdesk library API: verify signed immigration-status QR codes offline, against pinned issuer keys.
 * `import { loadKeySet, verify } from 'proofdesk'`.
 */
export { ProofdeskError } from './errors.js';
export { encodeCredential, type CredentialSigner, type ClaimsToEncode, CredentialError } from './credential/index.js';
export type * from './credential/types.js';
export {
  loadKeySet,
  keySetFromJwks,
  makeKeySet,
  trustedKeyFromJwk,
  KeySetError,
  type KeySet,
  type TrustedKey,
  type KeyAlg,
  type KeySetErrorCode,
} from './trust/keyset.js';
export {
  verify,
  inspect,
  toJson,
  decodedToJson,
  stageOf,
  kindOf,
  purposeAccepted,
  REASON_CODES,
  REASON_TEXT,
  VALID_TEXT,
  type Decoded,
  type Json,
  type Stage,
  type VerifyOptions,
  type TrustContext,
  type ReasonCode,
  type Verdict,
  type VerdictKind,
  type ReasonText,
} from './verify/index.js';
export {
  loadTrustState,
  watchTrustStore,
  defaultStoreDir,
  SYSTEM_STORE_DIR,
  TrustError,
  type TrustState,
  type TrustSummary,
  type TrustWatcher,
  type LoadTrustOptions,
  type WatchOptions,
  type TrustErrorCode,
} from './trust/index.js';
export {
  RecordStore,
  RecordReader,
  RecordError,
  credentialSha256,
  newCheckId,
  evidencePdf,
  DEFAULT_WORTH_STATEMENT,
  defaultStoreDir as defaultRecordsDir,
  defaultKeyFile as defaultRecordsKeyFile,
  type CheckRecord,
  type FoldedCheck,
  type Likeness,
  type PersonalCopy,
  type ReadProblem,
  type RecordErrorCode,
  type RecordStoreOptions,
  type EvidencePdfOptions,
} from './records/index.js';
export {
  Bridge,
  BridgeError,
  detectBridge,
  PROTOCOL_VERSION as BRIDGE_PROTOCOL_VERSION,
  type BridgeOptions,
  type BridgeErrorCode,
  type FirmwareInfo,
} from './bridge/index.js';
