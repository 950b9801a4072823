/** The reference issuer: holder + optional photo + signing key → signed QR text. */
import { encodeCredential, type CredentialSigner } from '../credential/encode.js';
import type { ClaimsToEncode } from '../credential/cwt.js';
import type { CodePurpose, Identity, StatusClaim, StatusListRef } from '../credential/types.js';
import type { Holder } from './holder.js';
import type { ShrunkPhoto } from './photo.js';

/** Codes are re-issued every few months; the permission's own end date lives in the status claim. */
export const DEFAULT_VALID_DAYS = 90;
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
}

export function buildClaims(input: IssueInput): ClaimsToEncode {
  const validDays = input.validDays ?? DEFAULT_VALID_DAYS;
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_VALID_DAYS) throw new RangeError(`valid days must be a whole number from 1 to ${MAX_VALID_DAYS}`);
  const iat = Math.floor((input.issuedAt ?? new Date()).getTime() / 1000);
  const identity: Identity = { ...input.holder.identity };
  if (input.photo) {
    identity.photo = input.photo.data;
    identity.photoFormat = input.photo.photoFormat;
  }
  const claims: ClaimsToEncode = { identity, cwt: { iat, nbf: iat, exp: iat + validDays * DAY_SECONDS } };
  if (input.iss !== undefined) claims.cwt.iss = input.iss;
  if (input.holder.status) claims.status = { ...input.holder.status, purpose: input.purpose } satisfies StatusClaim;
  if (input.statusList) claims.statusList = input.statusList;
  return claims;
}

export function issueCredential(input: IssueInput): string {
  return encodeCredential(buildClaims(input), input.signer);
}
