import type { DeskPurpose, StatusListRef } from '../credential/types.js';
import type { KeySet, TrustedKey } from '../trust/keyset.js';

/** What the trust layer (bundles, status lists) supplies; the verifier applies the policy. */
export interface TrustContext {
  /**
   * Revocation lookup for a code signed by `signer`; undefined = no status list this desk holds answers for that
   * code's list uri (none held, or the list is not the code's issuer's).
   */
  statusOf?(
    ref: StatusListRef,
    signer: TrustedKey,
  ): { status: 'VALID' | 'INVALID' | 'SUSPENDED'; listIssuedAt: number; listExpiresAt?: number } | undefined;
  /**
   * Max age (s) of status-list data before a would-be VALID becomes CHECK MANUALLY (REVOCATION_DATA_STALE). A list
   * past its own `exp` (`listExpiresAt`, NumericDate) is stale too, whatever its age.
   */
  maxStatusAgeSeconds?: number;
  /** NumericDate issued-at of the newest trusted bundle: now < this − skew means the desk clock is behind (CLOCK_SUSPECT). */
  clockFloor?: number;
}

export interface VerifyOptions {
  /** The pinned issuer keys. Keys are never taken from the message. */
  keys: KeySet;
  /** ms since the epoch; default Date.now(). */
  now?: number;
  /** The desk's purpose; without it, a signed, current Claim 169 credential is VALID as an identity credential. */
  purpose?: DeskPurpose;
  /** Clock-skew tolerance for exp / nbf / clockFloor, seconds (default 300). */
  skewSeconds?: number;
  trust?: TrustContext;
}
