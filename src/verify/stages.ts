import type { ReasonCode, VerdictKind } from './verdict.js';

/**
 * The pipeline stage at which a reason arises: text → base45 → inflate → cose → signature → time → claims → policy,
 * plus trust (revocation data and clock health). "Obviously not a credential" (NOT_A_CREDENTIAL, e.g. a URL or
 * lowercase text) and INPUT_TOO_LONG are checks on the text before Base45 decoding, so they belong to `base45`.
 */
export type Stage = 'base45' | 'inflate' | 'cose' | 'signature' | 'time' | 'claims' | 'policy' | 'trust';

const STAGE: Record<ReasonCode, Stage> = {
  NOT_A_CREDENTIAL: 'base45',
  INPUT_TOO_LONG: 'base45',
  BASE45_INVALID: 'base45',
  DECOMPRESS_FAILED: 'inflate',
  PAYLOAD_TOO_LARGE: 'inflate',
  CBOR_INVALID: 'cose',
  NOT_COSE_SIGN1: 'cose',
  ENCRYPTED_UNSUPPORTED: 'cose',
  ALG_UNSUPPORTED: 'signature',
  ALG_KEY_MISMATCH: 'signature',
  KEY_UNKNOWN: 'signature',
  KEY_NOT_VALID_AT_ISSUE: 'signature',
  KEY_PURPOSE_NOT_ALLOWED: 'signature',
  SIGNATURE_INVALID: 'signature',
  UNSIGNED: 'signature',
  EXPIRED: 'time',
  NOT_YET_VALID: 'time',
  CLAIM169_MISSING: 'claims',
  CLAIMS_INVALID: 'claims',
  STATUS_CLAIM_MISSING: 'policy',
  PURPOSE_MISMATCH: 'policy',
  RIGHT_NOT_GRANTED: 'policy',
  PERMISSION_EXPIRED: 'policy',
  PERMISSION_NOT_STARTED: 'policy',
  PENDING_APPLICATION: 'policy',
  RIGHT_TO_RESIDE_ASSESSMENT: 'policy',
  REVOKED: 'trust',
  SUSPENDED: 'trust',
  REVOCATION_DATA_STALE: 'trust',
  CLOCK_SUSPECT: 'trust',
};

/** Note: PAYLOAD_TOO_LARGE can also come from CBOR item/string limits (stage `cose` or `claims`); this is its usual stage. */
export function stageOf(reason: ReasonCode): Stage {
  return STAGE[reason];
}

const MANUAL = new Set<ReasonCode>(['REVOCATION_DATA_STALE', 'CLOCK_SUSPECT', 'PENDING_APPLICATION', 'RIGHT_TO_RESIDE_ASSESSMENT']);

/** CHECK MANUALLY for reasons a person must resolve; NOT VALID for every other reason. */
export function kindOf(reason: ReasonCode): Exclude<VerdictKind, 'VALID'> {
  return MANUAL.has(reason) ? 'CHECK MANUALLY' : 'NOT VALID';
}
