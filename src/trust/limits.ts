/** Hard limits for trust files. Each bounds what a file from a USB stick can cost before anything is verified. */

/** Largest trust bundle file. A bundle of 1,000 issuer keys is ~200 KB. */
export const MAX_BUNDLE_FILE_BYTES = 1024 * 1024;
/** Most issuer keys in one bundle. */
export const MAX_BUNDLE_KEYS = 4096;
/** Most status-list URIs one bundle key may name (`statusLists`). */
export const MAX_KEY_STATUS_LISTS = 256;
/**
 * Largest inflated status list: 4 MiB = 16,777,216 entries at 2 bits (16 × the 1,000,000 a national list needs).
 * Inflating stops here, so a zlib bomb — even one signed by a trusted issuer key, since lists are inflated only after
 * their signature verifies — costs at most 4 MiB and a few milliseconds (BENCHMARKS.md, "Trust").
 */
export const MAX_STATUS_LIST_BYTES = 4 * 1024 * 1024;
/**
 * Largest status-list token file (JWS text or CWT bytes): 8 MiB, so that even a list at MAX_STATUS_LIST_BYTES that
 * does not compress at all fits in either form (JWS: base64url twice, ~7.5 MiB; CWT: ~4 MiB). A worst-case
 * 1,000,000-entry list (every entry random) is ~250 KB as CWT and ~445 KB as JWS.
 */
export const MAX_STATUS_LIST_FILE_BYTES = 8 * 1024 * 1024;
/**
 * Largest CBOR byte/text string in a status-list CWT (the COSE payload, and `lst` inside it). The credential codec's
 * own limit (32 KB, sized for a photo) would cap a 1,000,000-entry list at ~30,000 entries set; a list may be as
 * large as its file.
 */
export const MAX_STATUS_LIST_CBOR_STRING_BYTES = MAX_STATUS_LIST_FILE_BYTES;
/** Deepest nesting of arrays/objects accepted in any trust JSON (JWS headers and payloads, JWKs, state files); ours nest 4 deep. */
export const MAX_TRUST_JSON_DEPTH = 16;
/** Largest store state file (state.json): the counters plus one high-water mark per status-list URI. */
export const MAX_STATE_FILE_BYTES = 1024 * 1024;
/** Largest pinned root JWK file. */
export const MAX_ROOT_FILE_BYTES = 16 * 1024;
/** Largest issuer-side status-list state file. */
export const MAX_LIST_STATE_FILE_BYTES = 16 * 1024 * 1024;
/** Default maximum age of a status list before verdicts become CHECK MANUALLY (REVOCATION_DATA_STALE): 7 days. */
export const DEFAULT_MAX_STATUS_AGE_SECONDS = 7 * 24 * 3600;

/**
 * Whether status-list data is stale at `now` (NumericDate seconds), and why: 'expired' at or after the list's own
 * `exp`, whatever its age; 'too-old' when older than `maxAgeSeconds` (undefined: no age limit); null when fresh. The
 * one rule: the verifier's REVOCATION_DATA_STALE (src/verify/verify.ts) and the trust summary's `stale` use it.
 */
export function statusListStaleness(
  list: { issuedAt: number; expiresAt?: number | undefined },
  now: number,
  maxAgeSeconds?: number,
): 'expired' | 'too-old' | null {
  if (list.expiresAt !== undefined && now >= list.expiresAt) return 'expired';
  if (maxAgeSeconds !== undefined && now - list.issuedAt > maxAgeSeconds) return 'too-old';
  return null;
}
/** Algorithms a bundle or status list may be signed with. Nothing else, never `none`. */
export const ALLOWED_ALGS = ['EdDSA', 'ES256'] as const;
export type TrustAlg = (typeof ALLOWED_ALGS)[number];
/**
 * Latest NumericDate (seconds) a trust file may carry: 8.64e12 s, the end of the range a JavaScript Date can hold
 * (ECMA-262 §21.4.1.1, ±8.64e15 ms: the year 275760). Anything later could not even be printed.
 */
export const MAX_NUMERIC_DATE = 8_640_000_000_000;

/** A NumericDate (RFC 7519 §2) as trust files use it: whole seconds, not negative, within MAX_NUMERIC_DATE. */
export function isNumericDate(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_NUMERIC_DATE;
}
