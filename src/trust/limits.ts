/** Hard limits for trust files. Each bounds what a file from a USB stick can cost before anything is verified. */

/** Largest trust bundle file. A bundle of 1,000 issuer keys is ~200 KB. */
export const MAX_BUNDLE_FILE_BYTES = 1024 * 1024;
/** Most issuer keys in one bundle. */
export const MAX_BUNDLE_KEYS = 4096;
/** Largest status-list token file (JWS text or CWT bytes). */
export const MAX_STATUS_LIST_FILE_BYTES = 8 * 1024 * 1024;
/** Largest inflated status list: 4 MiB = 16,777,216 entries at 2 bits. zlib stops here (bomb-proof). */
export const MAX_STATUS_LIST_BYTES = 4 * 1024 * 1024;
/** Largest pinned root JWK file. */
export const MAX_ROOT_FILE_BYTES = 16 * 1024;
/** Largest issuer-side status-list state file. */
export const MAX_LIST_STATE_FILE_BYTES = 16 * 1024 * 1024;
/** Default clock-skew tolerance when judging "issued in the future" and the clock floor (matches the verifier). */
export const DEFAULT_TRUST_SKEW_SECONDS = 300;
/** Default maximum age of a status list before verdicts become CHECK MANUALLY (REVOCATION_DATA_STALE): 7 days. */
export const DEFAULT_MAX_STATUS_AGE_SECONDS = 7 * 24 * 3600;
/** Algorithms a bundle or status list may be signed with. Nothing else, never `none`. */
export const ALLOWED_ALGS = ['EdDSA', 'ES256'] as const;
export type TrustAlg = (typeof ALLOWED_ALGS)[number];
