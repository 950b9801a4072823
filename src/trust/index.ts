/**
 * Which keys to believe. Pinned issuer keys (keyset), root-signed trust bundles with anti-rollback (bundle),
 * revocation by IETF Token Status List (status-list), the atomic on-disk store (store), clock sanity (clock), and
 * the live state a verifier holds (state). docs/trust.md describes formats, store layout and policies.
 */
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
} from './keyset.js';
export { TrustError, type TrustErrorCode } from './errors.js';
export * from './limits.js';
export { rootFromJwk, signingKeyFromJwk, checkIssuerJwk, thumbprintOf, type RootKey, type SigningKey, type IssuerJwk } from './jwk.js';
export {
  buildBundle,
  verifyBundle,
  BUNDLE_TYP,
  STATUS_LIST_JWT_TYP,
  type TrustBundle,
  type BuildBundleOptions,
  type BundleCheckOptions,
} from './bundle.js';
export {
  StatusList,
  buildStatusListToken,
  verifyStatusListToken,
  issuerKeyRefs,
  statusName,
  statusListFormatOf,
  STATUS_VALID,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_LIST_CWT_TYP,
  type StatusListToken,
  type StatusName,
  type StatusBitsPerEntry,
  type BuildStatusListOptions,
  type IssuerKeyRef,
} from './status-list.js';
export {
  defaultStoreDir,
  SYSTEM_STORE_DIR,
  initStore,
  importTrustFile,
  importTrustBytes,
  readStore,
  readRoot,
  detectKind,
  ROOT_FILE,
  BUNDLE_FILE,
  STATE_FILE,
  STATUS_DIR,
  type StoreSnapshot,
  type ImportKind,
  type ImportResult,
  type ImportOptions,
} from './store.js';
export { judgeClock, clockFloorOf, type ClockState } from './clock.js';
export {
  loadTrustState,
  watchTrustStore,
  summarize,
  type TrustState,
  type TrustSummary,
  type TrustKeySummary,
  type StatusListSummary,
  type LoadTrustOptions,
  type TrustWatcher,
  type WatchOptions,
} from './state.js';
export { readFileCapped } from './files.js';
export { writeFileAtomic } from '../storage/files.js';
