/**
 * Desk policy on a verified status claim: purpose match, permission end date, the right the desk checks, and the
 * statuses a person must assess. Pure: returns the reason, or null when the desk may accept.
 */
import type { CodePurpose, DeskPurpose, StatusClaim } from '../credential/types.js';
import type { ReasonCode } from './verdict.js';

/** A code is accepted where its purpose is the desk's, where it is `all`, and an `other` code at a `housing` desk. */
export function purposeAccepted(code: CodePurpose, desk: DeskPurpose): boolean {
  return code === desk || code === 'all' || (code === 'other' && desk === 'housing');
}

/**
 * @param today ISO date (YYYY-MM-DD) at the desk; a permission is in force through its validUntil day.
 * Order: NOT VALID reasons first (missing claim, purpose, ended permission, right not granted), then the
 * CHECK MANUALLY ones (pending application, right-to-reside assessment).
 */
export function deskPolicy(status: StatusClaim | null, desk: DeskPurpose, today: string): ReasonCode | null {
  if (status === null) return 'STATUS_CLAIM_MISSING';
  if (!purposeAccepted(status.purpose, desk)) return 'PURPOSE_MISMATCH';
  if (status.validUntil !== undefined && status.validUntil < today) return 'PERMISSION_EXPIRED';
  if (desk === 'work' && status.work.kind === 'none') return 'RIGHT_NOT_GRANTED';
  if (desk === 'rent' && !status.rent) return 'RIGHT_NOT_GRANTED';
  if (desk === 'housing' && !status.publicFunds) return 'RIGHT_NOT_GRANTED';
  if ((desk === 'work' || desk === 'rent') && status.statusType === 'pending') return 'PENDING_APPLICATION';
  if (desk === 'housing' && (status.statusType === 'pending' || (status.scheme === 'EUSS' && status.statusType === 'limited'))) {
    return 'RIGHT_TO_RESIDE_ASSESSMENT';
  }
  return null;
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

let cachedMinute = NaN;
let cachedDate = '';

/** The calendar date at a UK desk (Europe/London), as YYYY-MM-DD. Cached per minute (Intl formatting costs ~1 µs). */
export function deskDate(nowMs: number): string {
  const minute = Math.floor(nowMs / 60_000);
  if (minute !== cachedMinute) {
    cachedDate = londonDate.format(nowMs);
    cachedMinute = minute;
  }
  return cachedDate;
}
