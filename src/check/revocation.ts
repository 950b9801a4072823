/**
 * Whether a check looked the code up in its issuer's status list. A desk that trusts a keys file (no status
 * lists) still shows a revoked code as VALID, so its screens, record and PDF must say revocation was not checked.
 */
import { stageOf } from '../verify/stages.js';
import type { Verdict } from '../verify/verdict.js';

/** `checked`: the list was consulted (and did not revoke it, or the verdict says so); `not-checked`: no list held. */
export type Revocation = 'checked' | 'not-checked';
export const REVOCATIONS: readonly Revocation[] = ['checked', 'not-checked'];

/**
 * Null where there is nothing to say: the code names no status list (its issuer cannot revoke it by list), the
 * verifier stopped before the revocation step (a bad signature, an expired code), or the verdict itself says the
 * list could not be used (REVOCATION_DATA_STALE).
 */
export function revocationOf(verdict: Verdict, trustHasStatusLists: boolean): Revocation | null {
  if (verdict.verifiedBy === null || verdict.statusList === null) return null;
  const r = verdict.reason;
  const reached = r === null || r === 'REVOKED' || r === 'SUSPENDED' || stageOf(r) === 'policy';
  if (!reached) return null;
  return trustHasStatusLists ? 'checked' : 'not-checked';
}
