import type { ReasonCode } from '../credential/reasons.js';
import type { CwtMeta, Identity, StatusClaim, StatusListRef } from '../credential/types.js';

export type VerdictKind = 'VALID' | 'NOT VALID' | 'CHECK MANUALLY';

/** Defined beside the codec, which reports the decoding ones; re-exported here for everything above it. */
export { REASON_CODES, type ReasonCode } from '../credential/reasons.js';

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
