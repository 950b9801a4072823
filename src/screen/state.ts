/**
 * ScreenState: what a clerk must see, derived purely from a Verdict, the desk's settings and the time of check.
 * No I/O here: the photo arrives already prepared (see photo.ts). Every display — web, terminal, the bridge's TFT —
 * renders this one model and nothing else, so they cannot disagree. Words come from src/verify/messages.ts.
 *
 * Verdicts are never shown by colour alone: each state has words (headline), an icon and a colour.
 */
import type { DeskPurpose, Scheme, StatusClaim, StatusType } from '../credential/types.js';
import type { DropReason } from '../scan/types.js';
import { DROPPED_SCAN_TEXT, REASON_TEXT, VALID_TEXT } from '../verify/messages.js';
import type { ReasonCode, Verdict, VerdictKind } from '../verify/verdict.js';
import { followUpDate } from './follow-up.js';

export type ScreenKind = 'idle' | 'result' | 'scan-again';
export type ScreenIcon = 'tick' | 'cross' | 'warning' | 'none';
export type ScreenColour = 'green' | 'red' | 'amber' | 'neutral';
/** The checker's answer to "is the photo of the person in front of you?" ('ask' = still waiting for it). */
export type Likeness = 'ask' | 'yes' | 'no' | 'not-asked';
export type LikenessAnswer = 'yes' | 'no' | 'not-asked';

/** The image formats a photo is drawn from: those the desk's browser (Chromium) shows. */
export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/avif';
/** The holder's photo: the signed image bytes as they are (photo.ts), or a line saying why it cannot be shown. */
export type PhotoView =
  | { mime: PhotoMime; base64: string; width: number; height: number }
  | { unsupported: string };

export interface PersonView {
  name: string;
  /** ISO `YYYY-MM-DD` when the issued text is a date (Claim 169 uses YYYYMMDD), else exactly as issued. */
  dateOfBirth: string | null;
  photo: PhotoView | null;
}

export type RightName = 'work' | 'rent' | 'public-funds';
/** `assess` = a person must decide (pending status, right-to-reside assessment); never shown as "no". */
export type RightAnswer = 'yes' | 'restricted' | 'no' | 'assess';
export interface RightLine {
  right: RightName;
  answer: RightAnswer;
  text: string;
}

export interface StatusView {
  statusType: StatusType;
  statusLabel: string;
  scheme: Scheme;
  schemeLabel: string;
  /** The rights this desk's purpose asks about (all three at an `other` desk). */
  rights: RightLine[];
  /** Permission end date `YYYY-MM-DD`, or null = no time limit shown. */
  validUntil: string | null;
  /** When a re-check is due (work/rent desks, time-limited permission), else null. */
  followUpDate: string | null;
}

export interface ScreenState {
  kind: ScreenKind;
  /** true when the desk runs on the built-in DEMO keys: every display must say DEMO. */
  demo: boolean;
  purpose: DeskPurpose;
  verdict: VerdictKind | null;
  reason: ReasonCode | null;
  /** The big words: "VALID", "NOT VALID", "CHECK MANUALLY", "SCAN AGAIN", or the idle prompt. */
  headline: string;
  message: string;
  nextStep: string;
  icon: ScreenIcon;
  colour: ScreenColour;
  /** Only when the signature verified against a pinned key: unverified data is never shown as a person. */
  person: PersonView | null;
  status: StatusView | null;
  /** What an offline check is worth (configurable per deployment). Shown with every result. */
  worth: string;
  /** ISO instant of the check, or of the drop for scan-again; null when idle. */
  checkedAt: string | null;
  checkId: string | null;
  likeness: Likeness;
}

export interface DeskView {
  purpose: DeskPurpose;
  demo: boolean;
  worth: string;
}

export const DEFAULT_WORTH =
  'Supporting evidence only: an offline QR check is not a statutory excuse. ' +
  'For a right-to-work or right-to-rent statutory excuse, use the Home Office online service.';

export const IDLE_HEADLINE = 'Ready to scan';

const LOOK: Record<VerdictKind, { icon: ScreenIcon; colour: ScreenColour }> = {
  VALID: { icon: 'tick', colour: 'green' },
  'NOT VALID': { icon: 'cross', colour: 'red' },
  'CHECK MANUALLY': { icon: 'warning', colour: 'amber' },
};

const SCHEME_LABEL: Record<Scheme, string> = {
  EUSS: 'EU Settlement Scheme',
  'points-based': 'Points-based visa',
  family: 'Family',
  protection: 'Protection',
  BNO: 'British National (Overseas)',
  other: 'Other',
};

function statusLabel(s: StatusClaim): string {
  switch (s.statusType) {
    case 'indefinite': return s.scheme === 'EUSS' ? 'Settled status' : 'Indefinite leave';
    case 'limited': return s.scheme === 'EUSS' ? 'Pre-settled status' : 'Limited leave';
    case 'pending': return 'Application pending (certificate of application)';
    case 'protection': return 'Refugee status or humanitarian protection';
  }
}

/** Pre-settled and pending statuses need a right-to-reside assessment at a housing desk (Housing Act 1996 Part 7). */
function needsRightToReside(s: StatusClaim): boolean {
  return s.statusType === 'pending' || (s.scheme === 'EUSS' && s.statusType === 'limited');
}

function workLine(s: StatusClaim): RightLine {
  if (s.statusType === 'pending') return { right: 'work', answer: 'assess', text: 'Work: temporary right while the application is pending — confirm with the Employer Checking Service' };
  switch (s.work.kind) {
    case 'unrestricted': return { right: 'work', answer: 'yes', text: 'Work: may work, no restriction' };
    case 'restricted': return { right: 'work', answer: 'restricted', text: `Work: may work, restricted — ${s.work.condition}` };
    case 'none': return { right: 'work', answer: 'no', text: 'Work: may not work' };
  }
}

function rentLine(s: StatusClaim): RightLine {
  if (s.statusType === 'pending') return { right: 'rent', answer: 'assess', text: 'Rent: temporary right while the application is pending — confirm with the Landlord Checking Service' };
  return s.rent
    ? { right: 'rent', answer: 'yes', text: 'Rent: may rent in England' }
    : { right: 'rent', answer: 'no', text: 'Rent: no right to rent' };
}

function publicFundsLine(s: StatusClaim, purpose: DeskPurpose): RightLine {
  if (purpose === 'housing' && needsRightToReside(s)) {
    return { right: 'public-funds', answer: 'assess', text: 'Public funds: right-to-reside assessment needed before eligibility is decided' };
  }
  return s.publicFunds
    ? { right: 'public-funds', answer: 'yes', text: 'Public funds: recourse to public funds' }
    : { right: 'public-funds', answer: 'no', text: 'Public funds: no recourse to public funds (NRPF)' };
}

function rightsAsked(s: StatusClaim, purpose: DeskPurpose): RightLine[] {
  switch (purpose) {
    case 'work': return [workLine(s)];
    case 'rent': return [rentLine(s)];
    case 'housing': return [publicFundsLine(s, purpose)];
    case 'other': return [workLine(s), rentLine(s), publicFundsLine(s, purpose)];
  }
}

export function statusView(s: StatusClaim, purpose: DeskPurpose, checkedAt: Date): StatusView {
  return {
    statusType: s.statusType,
    statusLabel: statusLabel(s),
    scheme: s.scheme,
    schemeLabel: SCHEME_LABEL[s.scheme],
    rights: rightsAsked(s, purpose),
    validUntil: s.validUntil ?? null,
    followUpDate: followUpDate(purpose, s.validUntil, checkedAt),
  };
}

export function personName(v: Verdict): string {
  const id = v.identity;
  if (!id) return '';
  if (id.fullName) return id.fullName;
  const parts = [id.firstName, id.middleName, id.lastName].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' ') : '(no name in the code)';
}

/** Claim 169 dates come as issued ("19900131" or "1990-01-31"); both become ISO `YYYY-MM-DD`, anything else stays as issued. */
export function isoDateOrAsIssued(s: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : s;
}

export function idleScreen(desk: DeskView): ScreenState {
  return {
    kind: 'idle', demo: desk.demo, purpose: desk.purpose, verdict: null, reason: null,
    headline: IDLE_HEADLINE, message: 'Scan the person\'s immigration-status QR code.', nextStep: '',
    icon: 'none', colour: 'neutral', person: null, status: null, worth: desk.worth,
    checkedAt: null, checkId: null, likeness: 'not-asked',
  };
}

export function scanAgainScreen(desk: DeskView, reason: DropReason, at: Date): ScreenState {
  const text = DROPPED_SCAN_TEXT[reason];
  return {
    kind: 'scan-again', demo: desk.demo, purpose: desk.purpose, verdict: null, reason: null,
    headline: 'SCAN AGAIN', message: text.message, nextStep: text.nextStep,
    icon: 'warning', colour: 'amber', person: null, status: null, worth: desk.worth,
    checkedAt: at.toISOString(), checkId: null, likeness: 'not-asked',
  };
}

export interface ResultInput {
  verdict: Verdict;
  desk: DeskView;
  checkedAt: Date;
  checkId: string;
  /** Prepared by photo.ts; null when the code has no photo. */
  photo?: PhotoView | null;
}

export function resultScreen({ verdict, desk, checkedAt, checkId, photo = null }: ResultInput): ScreenState {
  const text = verdict.reason === null ? VALID_TEXT : REASON_TEXT[verdict.reason];
  // Never show a person from a code whose signature did not verify against a pinned key.
  const trusted = verdict.verifiedBy !== null && verdict.identity !== null;
  const person: PersonView | null = trusted
    ? { name: personName(verdict), dateOfBirth: verdict.identity?.dateOfBirth ? isoDateOrAsIssued(verdict.identity.dateOfBirth) : null, photo }
    : null;
  const status = trusted && verdict.status ? statusView(verdict.status, desk.purpose, checkedAt) : null;
  return {
    kind: 'result', demo: desk.demo, purpose: desk.purpose,
    verdict: verdict.verdict, reason: verdict.reason,
    // A stale revocation list's verdict message also says how old the list is: show that one.
    headline: verdict.verdict, message: verdict.reason === 'REVOCATION_DATA_STALE' ? verdict.message : text.message, nextStep: text.nextStep,
    ...LOOK[verdict.verdict],
    person, status, worth: desk.worth,
    checkedAt: checkedAt.toISOString(), checkId,
    likeness: person !== null && verdict.verdict !== 'NOT VALID' ? 'ask' : 'not-asked',
  };
}

/** The state after the checker answers the likeness question; unchanged when the screen was not asking. */
export function withLikeness(state: ScreenState, answer: LikenessAnswer): ScreenState {
  return state.kind === 'result' && state.likeness === 'ask' ? { ...state, likeness: answer } : state;
}
