/**
 * One set of words for what a check found: statuses, schemes, rights, checking services, follow-ups, headlines.
 * Every display (web, terminal, bridge TFT), `verify` / `inspect`, the record, the CSV and the evidence PDF use
 * these; nothing else words a status or a right. The per-reason words (what happened, what to do) are
 * REASON_TEXT in src/verify/messages.ts; desk-specific next steps are here.
 */
import type { DeskPurpose, Scheme, StatusClaim, WorkRight } from '../credential/types.js';

const SCHEME_WORDS: Record<Scheme, string> = {
  EUSS: 'EU Settlement Scheme',
  'points-based': 'Points-based system',
  family: 'Family route',
  protection: 'Protection route',
  BNO: 'British National (Overseas) route',
  other: 'Other route',
};

/** The status in words, as GOV.UK names it for this scheme. */
function statusWords(s: Pick<StatusClaim, 'scheme' | 'statusType'>): string {
  switch (s.statusType) {
    case 'indefinite':
      return s.scheme === 'EUSS' ? 'Settled status' : 'Indefinite leave';
    case 'limited':
      return s.scheme === 'EUSS' ? 'Pre-settled status' : 'Limited leave';
    case 'pending':
      return 'Application pending';
    case 'protection':
      return 'Refugee status or humanitarian protection';
  }
}

/** "Settled status (EU Settlement Scheme)". */
export function statusLine(s: Pick<StatusClaim, 'scheme' | 'statusType'>): string {
  return `${statusWords(s)} (${SCHEME_WORDS[s.scheme]})`;
}

/** What a desk of each purpose asks the code about. */
export const RIGHT_ASKED: Record<DeskPurpose, string> = {
  work: 'Right to work',
  rent: 'Right to rent in England',
  housing: 'Eligibility for housing help (recourse to public funds)',
  other: 'Immigration status',
};

/** Who confirms a pending application's rights, per desk. */
export const CHECKING_SERVICE: Record<DeskPurpose, string> = {
  work: 'the Home Office Employer Checking Service',
  rent: 'the Home Office Landlord Checking Service',
  housing: "the council's own eligibility (right-to-reside) assessment",
  other: 'the Home Office checking service for the purpose (Employer Checking Service for work, Landlord Checking Service for rent)',
};

export type RightName = 'work' | 'rent' | 'public-funds';

export function workWords(w: WorkRight): string {
  switch (w.kind) {
    case 'unrestricted':
      return 'may work, no restriction';
    case 'restricted':
      return `may work, restricted — ${w.condition}`;
    case 'none':
      return 'may not work';
  }
}

export function rentWords(rent: boolean): string {
  return rent ? 'may rent in England' : 'no right to rent';
}

export function publicFundsWords(publicFunds: boolean): string {
  return publicFunds ? 'recourse to public funds' : 'no recourse to public funds (NRPF)';
}

export const RIGHT_LABEL: Record<RightName, string> = { work: 'Work', rent: 'Rent', 'public-funds': 'Public funds' };

/** The big words on a screen, per what the desk shows. */
export const HEADLINE = {
  VALID: 'VALID',
  NOT_VALID: 'NOT VALID',
  CHECK_MANUALLY: 'CHECK MANUALLY',
  PHOTO_MISMATCH: 'PHOTO DOES NOT MATCH',
  PHOTO_NOT_CHECKED: 'PHOTO NOT CHECKED',
  SCAN_AGAIN: 'SCAN AGAIN',
  NOT_A_STATUS_CODE: 'NOT A STATUS CODE',
  IDLE: 'Ready to scan',
  NO_SCANNER: 'Scanner not connected',
} as const;

export const PHOTO_MISMATCH_TEXT = {
  message: 'Do not accept this code for this person: the checker said the photo is not of the person in front of them.',
  nextStep: 'Ask the person for their own code or identity document, or check with the Home Office online service (share code).',
};

export const PHOTO_NOT_CHECKED_TEXT = {
  message: 'The code is valid, but the photo was not compared with the person: this check is incomplete, not an acceptance.',
  nextStep: 'Compare the photo with the person and scan the code again, or check with the Home Office online service.',
};

export const CONFIRMED_NEXT_STEP = 'Keep this record as supporting evidence.';

export const NOT_A_STATUS_CODE_TEXT = {
  message: 'This is not an immigration-status QR code (it may be a web link, a product barcode or another kind of code).',
  nextStep: 'Ask the person for their immigration-status QR code.',
};

export const DAMAGED_SCAN_TEXT = {
  message: 'The code was only partly read, or is damaged.',
  nextStep: 'Scan the code again, holding it steady and flat; if it keeps failing, use the Home Office online service.',
};

/** Whether the code was looked up in its issuer's status list, for screens, the record and the PDF. */
export const REVOCATION_WORDS = {
  checked: "Checked: the issuer's status list held by this desk was consulted.",
  'not-checked':
    "NOT CHECKED: this desk holds the issuer's keys but no status lists, so a code the issuer has revoked would still show VALID here.",
} as const;

/** The likeness answer in words, for screens, the record and the PDF. */
export const LIKENESS_WORDS = {
  ask: 'Waiting for the checker: is the photo of the person in front of you?',
  yes: 'Yes — the checker confirmed the photo is of the person present.',
  no: 'NO — the checker said the photo is NOT of the person present.',
  'not-asked': 'Not checked — the photo was not compared with the person, so the check is incomplete.',
} as const;

export const LIKENESS_QUESTION = 'Is the photo of the person in front of you?';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2027-06-30 → "30 June 2027": no day/month order to misread. Anything else is returned as it is. */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? Number(m[2]) : 0;
  return m && month >= 1 && month <= 12 ? `${Number(m[3])} ${MONTHS[month - 1]} ${m[1]}` : iso;
}
