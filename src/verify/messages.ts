import type { ReasonCode } from './verdict.js';

/** The words a clerk reads, per reason: what happened, and what to do next. One table for every display. */
export interface ReasonText {
  message: string;
  nextStep: string;
}

const SCAN_AGAIN = 'Ask the person to show the code again, or use the Home Office online service.';
const ONLINE = 'Do not rely on this code. Check with the Home Office online service (share code) instead.';

export const REASON_TEXT: Record<ReasonCode, ReasonText> = {
  NOT_A_CREDENTIAL: { message: 'This is not a status QR code.', nextStep: 'Ask the person for their immigration-status QR code.' },
  INPUT_TOO_LONG: { message: 'The scanned code is far too long to be a status code.', nextStep: SCAN_AGAIN },
  BASE45_INVALID: {
    message: 'This is not a status QR code (the text is not in the expected form).',
    nextStep: 'Ask the person for their immigration-status QR code.',
  },
  DECOMPRESS_FAILED: { message: 'The code is damaged or incomplete and cannot be read.', nextStep: SCAN_AGAIN },
  PAYLOAD_TOO_LARGE: { message: 'The code holds more data than a status code may, so it was not opened.', nextStep: ONLINE },
  CBOR_INVALID: { message: 'The code is damaged or malformed and cannot be read.', nextStep: SCAN_AGAIN },
  NOT_COSE_SIGN1: { message: 'The code is not a signed credential.', nextStep: ONLINE },
  ENCRYPTED_UNSUPPORTED: { message: 'The code is encrypted; this desk cannot open encrypted codes.', nextStep: ONLINE },
  ALG_UNSUPPORTED: { message: 'The code is signed with a method this desk does not accept.', nextStep: ONLINE },
  ALG_KEY_MISMATCH: { message: 'The code claims a signing method that does not match the issuer key it names.', nextStep: ONLINE },
  KEY_UNKNOWN: { message: 'The code was not signed by an issuer this desk trusts.', nextStep: ONLINE },
  KEY_NOT_VALID_AT_ISSUE: { message: 'The code was signed at a time its issuer key was not in service.', nextStep: ONLINE },
  KEY_PURPOSE_NOT_ALLOWED: { message: 'The issuer key that signed this code may not issue codes for this purpose.', nextStep: ONLINE },
  SIGNATURE_INVALID: { message: 'The signature does not match: the code has been altered or is forged.', nextStep: ONLINE },
  UNSIGNED: { message: 'The code carries no signature, so it proves nothing.', nextStep: ONLINE },
  EXPIRED: {
    message: 'This code has expired (codes are re-issued every few months).',
    nextStep: 'Ask the person for their current code, or use the Home Office online service.',
  },
  NOT_YET_VALID: { message: 'This code is not valid yet. Check the desk clock if this seems wrong.', nextStep: ONLINE },
  PERMISSION_EXPIRED: { message: 'The permission shown in this code has ended.', nextStep: ONLINE },
  PERMISSION_NOT_STARTED: {
    message: 'The permission shown in this code has not started yet: it does not give any rights today.',
    nextStep: 'Check the start date with the person, or use the Home Office online service.',
  },
  CLAIM169_MISSING: { message: 'The code is signed but holds no identity details.', nextStep: ONLINE },
  CLAIMS_INVALID: { message: 'The code is signed but its contents are malformed.', nextStep: ONLINE },
  STATUS_CLAIM_MISSING: { message: 'The code proves identity only; it holds no immigration status.', nextStep: ONLINE },
  PURPOSE_MISMATCH: {
    message: 'This code was issued for a different kind of check.',
    nextStep: 'Ask the person for a code made for this check (work, rent or other), or use the online service.',
  },
  RIGHT_NOT_GRANTED: {
    message: 'The status shown does not give the right this desk checks.',
    nextStep: 'Do not proceed on this basis. The person may ask the Home Office to confirm their rights.',
  },
  REVOKED: { message: 'The issuer has revoked this code.', nextStep: ONLINE },
  SUSPENDED: { message: 'The issuer has suspended this code.', nextStep: ONLINE },
  REVOCATION_DATA_STALE: {
    message: "The code verified, but this desk's revocation list is out of date.",
    nextStep: "Update the desk's status list, or confirm with the Home Office online service.",
  },
  CLOCK_SUSPECT: {
    message: 'The desk clock appears to be wrong, so dates cannot be trusted.',
    nextStep: 'Fix the desk clock; meanwhile confirm with the Home Office online service.',
  },
  PENDING_APPLICATION: {
    message:
      'The person has an application pending (certificate of application): their rights are protected while it is decided, but this code cannot confirm them.',
    nextStep:
      'Confirm the right with the Home Office checking service for this check (Employer Checking Service for work, Landlord Checking Service for rent).',
  },
  RIGHT_TO_RESIDE_ASSESSMENT: {
    message: 'Right-to-reside assessment needed (pre-settled or pending status): this does not mean ineligible.',
    nextStep: 'Carry out a right-to-reside assessment before deciding eligibility.',
  },
};

export const VALID_TEXT: ReasonText = {
  message: 'Signed by a trusted issuer and current.',
  nextStep: 'Check the photo is of the person in front of you.',
};

/** Words for a scan the scanner layer dropped before any check (a garbled, cut-off or over-long read). */
export const DROPPED_SCAN_TEXT: Record<'SCAN_TOO_LONG' | 'SCAN_INCOMPLETE' | 'SCAN_NOISE', ReasonText> = {
  SCAN_TOO_LONG: { message: 'The scanner read more than a QR code can hold.', nextStep: 'Scan the code again, holding it steady.' },
  SCAN_INCOMPLETE: { message: 'The scan was cut off before the end.', nextStep: 'Scan the code again, holding it steady.' },
  SCAN_NOISE: { message: 'The scanner sent unreadable data.', nextStep: 'Scan the code again, holding it steady.' },
};
