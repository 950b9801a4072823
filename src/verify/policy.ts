/**
 * Desk policy on a verified status claim: purpose match, permission start and end dates, the right the desk checks, and the
 * statuses a person must assess. Pure: returns the reason, or null when the desk may accept.
 */
import type { CodePurpose, DeskPurpose, StatusClaim } from '../credential/types.js';
import { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';
import type { ReasonCode } from './verdict.js';

/** A code is accepted where its purpose is the desk's, where it is `all`, and an `other` code at a `housing` desk. */
export function purposeAccepted(code: CodePurpose, desk: DeskPurpose): boolean {
  return code === desk || code === 'all' || (code === 'other' && desk === 'housing');
}

/**
 * The permission's own dates, as civil dates in Europe/London: in force from the start of its `validFrom` day through
 * the end of its `validUntil` day. The clock-skew tolerance applies as for the code's nbf / exp: a permission that
 * starts tomorrow is accepted from `skewSeconds` before London midnight, and one that ended yesterday until
 * `skewSeconds` after it. Applies at every desk, and without a desk purpose (a code must not show VALID for a
 * permission that is not in force).
 */
export function permissionReason(
  status: StatusClaim,
  nowMs: number,
  skewSeconds: number,
): 'PERMISSION_NOT_STARTED' | 'PERMISSION_EXPIRED' | null {
  if (status.validFrom !== undefined && laterDate(nowMs + skewSeconds * 1000) < status.validFrom) return 'PERMISSION_NOT_STARTED';
  if (status.validUntil !== undefined && earlierDate(nowMs - skewSeconds * 1000) > status.validUntil) return 'PERMISSION_EXPIRED';
  return null;
}

/**
 * Order: NOT VALID reasons first (missing claim, purpose, permission not in force), then a pending application
 * (certificate of application), which is never VALID nor NOT VALID for its rights: the Home Office checking service for
 * the desk confirms them, and at a housing desk the council assesses (right to reside). Then the right not granted,
 * and pre-settled status at a housing desk (a right-to-reside assessment).
 * @param nowMs the desk time (ms); `skewSeconds` as in VerifyOptions (permission dates: see permissionReason).
 */
export function deskPolicy(
  status: StatusClaim | null,
  desk: DeskPurpose,
  nowMs: number,
  skewSeconds = DEFAULT_SKEW_SECONDS,
): ReasonCode | null {
  if (status === null) return 'STATUS_CLAIM_MISSING';
  if (!purposeAccepted(status.purpose, desk)) return 'PURPOSE_MISMATCH';
  const dates = permissionReason(status, nowMs, skewSeconds);
  if (dates !== null) return dates;
  // A pending application's rights are decided by the checking service (or the council), whatever the code says.
  if (status.statusType === 'pending') return desk === 'housing' ? 'RIGHT_TO_RESIDE_ASSESSMENT' : 'PENDING_APPLICATION';
  if (desk === 'work' && status.work.kind === 'none') return 'RIGHT_NOT_GRANTED';
  if (desk === 'rent' && !status.rent) return 'RIGHT_NOT_GRANTED';
  if (desk === 'housing' && !status.publicFunds) return 'RIGHT_NOT_GRANTED';
  if (desk === 'housing' && status.scheme === 'EUSS' && status.statusType === 'limited') return 'RIGHT_TO_RESIDE_ASSESSMENT';
  return null;
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Status-claim days run from 1970-01-01 to 9999-12-31; times outside are clamped so dates stay 4-digit-year ISO. */
const MIN_DATE_MS = Date.UTC(1969, 11, 31, 12);
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 12);

/** A London-date formatter with a one-minute cache (Intl formatting costs ~1 µs; a desk checks many codes a minute). */
function dateCache(): (nowMs: number) => string {
  let cachedMinute = NaN;
  let cachedDate = '';
  return (ms: number): string => {
    // Beyond Date's range (a huge `now` or skew, even Infinity) Intl would throw: clamp (NaN to the earliest).
    const nowMs = ms >= MIN_DATE_MS ? Math.min(ms, MAX_DATE_MS) : MIN_DATE_MS;
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== cachedMinute) {
      cachedDate = londonDate.format(nowMs);
      cachedMinute = minute;
    }
    return cachedDate;
  };
}

/** The calendar date at a UK desk (Europe/London), as YYYY-MM-DD. */
export const deskDate = dateCache();
// Separate caches for now + skew and now − skew, so alternating between them does not defeat caching.
const laterDate = dateCache();
const earlierDate = dateCache();
