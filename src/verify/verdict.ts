import type { CwtMeta, Identity, StatusClaim, StatusListRef } from '../credential/types.js';

export type VerdictKind = 'VALID' | 'NOT VALID' | 'CHECK MANUALLY';

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

/** The outcome of checking one scanned text. `verify` always returns one; it never throws. */
export interface Verdict {
  verdict: VerdictKind;
  /** true only when verdict is VALID. */
  valid: boolean;
  /** Stable code; null when VALID. */
  reason: ReasonCode | null;
  /** Plain English for the desk. */
  message: string;
  alg: string | null;
  /** The COSE kid as the JWK kid string, when the message carried one. */
  kid: string | null;
  /** Which pinned key verified the signature (its JWK kid, or RFC 7638 thumbprint when it has none). */
  verifiedBy: string | null;
  cwt: CwtMeta | null;
  identity: Identity | null;
  status: StatusClaim | null;
  statusList: StatusListRef | null;
  /**
   * Which credential this is, whatever text carried it: a hash of what is signed (src/credential/cose.ts
   * `credentialId`); null when the text did not decode to a COSE_Sign1. Not proof of anything by itself.
   */
  credentialId: string | null;
  /** Extra facts for some reasons (e.g. `{ ageDays }` for REVOCATION_DATA_STALE). */
  details?: Record<string, number | string>;
}
