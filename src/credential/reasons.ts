/**
 * The reason codes a check can end with. They live beside the codec (the bottom layer), which reports the decoding
 * ones; src/verify/verdict.ts re-exports them for everything above.
 */

/** Stable reason codes. Never rename one: records, logs and desk software key on them. */
export const REASON_CODES = [
  // decoding
  'NOT_A_CREDENTIAL',
  'INPUT_TOO_LONG',
  'BASE45_INVALID',
  'DECOMPRESS_FAILED',
  'PAYLOAD_TOO_LARGE',
  'CBOR_INVALID',
  'NOT_COSE_SIGN1',
  'ENCRYPTED_UNSUPPORTED',
  // signature and keys
  'ALG_UNSUPPORTED',
  'ALG_KEY_MISMATCH',
  'KEY_UNKNOWN',
  'KEY_NOT_VALID_AT_ISSUE',
  'KEY_PURPOSE_NOT_ALLOWED',
  'SIGNATURE_INVALID',
  'UNSIGNED',
  // time
  'EXPIRED',
  'NOT_YET_VALID',
  'PERMISSION_EXPIRED',
  'PERMISSION_NOT_STARTED',
  // claims and policy
  'CLAIM169_MISSING',
  'CLAIMS_INVALID',
  'STATUS_CLAIM_MISSING',
  'PURPOSE_MISMATCH',
  'RIGHT_NOT_GRANTED',
  // revocation and trust health
  'REVOKED',
  'SUSPENDED',
  'REVOCATION_DATA_STALE',
  'CLOCK_SUSPECT',
  // statuses a person must assess
  'PENDING_APPLICATION',
  'RIGHT_TO_RESIDE_ASSESSMENT',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];
