/** The reference issuer: holder + optional photo + signing key → signed QR text. */
import { encodeCredential, type CredentialSigner } from '../credential/encode.js';
import type { ClaimsToEncode } from '../credential/cwt.js';
import type { CodePurpose, Identity, StatusClaim, StatusListRef } from '../credential/types.js';
import { IssueError } from './errors.js';
import type { Holder } from './holder.js';
import type { ShrunkPhoto } from './photo.js';

/** Codes are re-issued every few months; the permission's own end date lives in the status claim (and caps `exp`). */
export const DEFAULT_VALID_DAYS = 90;
/**
 * A paper card's code lives longer than a phone's: it is printed once and kept. Two years (docs/holder-file.md,
 * "Card validity"): short enough that the printed photo still looks like the holder and that a status change the
 * issuer cannot revoke is out of circulation within two years; long enough that a card is not a chore. Capped at
 * the permission's end like every code.
 */
export const DEFAULT_CARD_VALID_DAYS = 730;
export const MAX_VALID_DAYS = 3660;
const DAY_SECONDS = 86_400;

export interface IssueInput {
  holder: Holder;
  photo?: ShrunkPhoto;
  signer: CredentialSigner;
  purpose: CodePurpose;
  validDays?: number;
  /** Issue time (defaults to now); becomes iat and nbf. */
  issuedAt?: Date;
  statusList?: StatusListRef;
  iss?: string;
  /** exp at the end of a London day (cards). */
  endOfDay?: boolean;
}

const londonDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The London civil date (YYYY-MM-DD) of a NumericDate. */
export function londonDate(seconds: number): string {
  const part = Object.fromEntries(londonDay.formatToParts(new Date(seconds * 1000)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}`;
}

const londonHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });

/**
 * The end of a permission that is in force through `validUntil` (a civil date in Europe/London, as desks read it):
 * London midnight at the start of the next day, in NumericDate seconds. UK clocks change at 01:00 UTC, so the offset
 * at 00:00 UTC of the next day (0 in GMT, 1 h in BST) is the offset at London midnight.
 */
export function permissionEndSeconds(validUntil: string): number {
  const [y, m, d] = validUntil.split('-').map(Number) as [number, number, number];
  const nextDayUtc = Date.UTC(y, m - 1, d + 1);
  const offsetHours = Number(londonHour.format(nextDayUtc)); // 0 or 1
  return (nextDayUtc - offsetHours * 3_600_000) / 1000;
}

/** The code's CWT times: iat = nbf = issue time; exp = issue time + valid days, but never after the permission ends. */
export function codeTimes(
  issuedAt: Date,
  validDays: number,
  validUntil: string | undefined,
  opts: { endOfDay?: boolean } = {},
): { iat: number; nbf: number; exp: number; capped: boolean } {
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_VALID_DAYS)
    throw new RangeError(`valid days must be a whole number from 1 to ${MAX_VALID_DAYS}`);
  const iat = Math.floor(issuedAt.getTime() / 1000);
  // A card prints "Code expires <day>": its exp is the end of that London day, so the printed day is the last one.
  const exp = opts.endOfDay ? permissionEndSeconds(londonDate(iat + validDays * DAY_SECONDS)) : iat + validDays * DAY_SECONDS;
  if (validUntil === undefined) return { iat, nbf: iat, exp, capped: false };
  const end = permissionEndSeconds(validUntil);
  // A code must not outlive the permission it states; for a permission already over there is nothing to issue.
  if (end <= iat)
    throw new IssueError('PERMISSION_ENDED', `status.validUntil is before the issue time: the permission has ended, so no code is issued`);
  return end < exp ? { iat, nbf: iat, exp: end, capped: true } : { iat, nbf: iat, exp, capped: false };
}

export function buildClaims(input: IssueInput): ClaimsToEncode {
  const { iat, nbf, exp } = codeTimes(
    input.issuedAt ?? new Date(),
    input.validDays ?? DEFAULT_VALID_DAYS,
    input.holder.status?.validUntil,
    { endOfDay: input.endOfDay ?? false },
  );
  const identity: Identity = { ...input.holder.identity };
  if (input.photo) {
    identity.photo = input.photo.data;
    identity.photoFormat = input.photo.photoFormat;
  }
  const claims: ClaimsToEncode = { identity, cwt: { iat, nbf, exp } };
  if (input.iss !== undefined) claims.cwt.iss = input.iss;
  if (input.holder.status) claims.status = { ...input.holder.status, purpose: input.purpose } satisfies StatusClaim;
  if (input.statusList) claims.statusList = input.statusList;
  return claims;
}

export function issueCredential(input: IssueInput): string {
  return encodeCredential(buildClaims(input), input.signer);
}
