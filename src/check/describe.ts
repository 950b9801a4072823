/**
 * The one description of a check: from the code's verdict, the desk's purpose and the clerk's answer about the
 * photo. Screens (web, terminal, bridge TFT), `verify` output, the record, the CSV and the evidence PDF all read
 * this; none words a check on its own. Pure: no I/O, no clock (the time of check is an input).
 *
 * Evidence never asserts what the check did not establish:
 * - nothing from a code is shown as a person or a status unless its signature verified against a pinned key;
 * - rights are shown as the signed code states them only while the outcome can still be, or is, an acceptance
 *   (VALID, the photo not yet answered or confirmed); otherwise the right asked is shown as not established;
 * - a follow-up date only where the right was (or, for a pending application, will be) established.
 */
import type { DeskPurpose, Identity, StatusClaim } from '../credential/types.js';
import { REASON_TEXT, VALID_TEXT } from '../verify/messages.js';
import { stageOf } from '../verify/stages.js';
import type { ReasonCode, Verdict, VerdictKind } from '../verify/verdict.js';
import { followUpFor, type FollowUp } from './follow-up.js';
import { outcomeOf, type Likeness, type Outcome } from './outcome.js';
import type { Revocation } from './revocation.js';
import {
  CHECKING_SERVICE,
  CONFIRMED_NEXT_STEP,
  HEADLINE,
  LIKENESS_WORDS,
  PHOTO_MISMATCH_TEXT,
  PHOTO_NOT_CHECKED_TEXT,
  RIGHT_ASKED,
  REVOCATION_WORDS,
  RIGHT_LABEL,
  longDate as defaultLongDate,
  publicFundsWords,
  rentWords,
  statusLine,
  workWords,
  type RightName,
} from './words.js';

/** Icons and colours: every state has its own words and icon, so colour never carries it alone. */
export type CheckIcon = 'tick' | 'cross' | 'warning' | 'mismatch' | 'incomplete';
export type CheckColour = 'green' | 'red' | 'amber';

/**
 * `assess` = a person must decide (pending status, right-to-reside assessment, any other manual check);
 * `not-established` = the right asked was not established by this check. Neither is ever shown as a tick.
 */
export type RightAnswer = 'yes' | 'restricted' | 'no' | 'assess' | 'not-established';
export interface RightLine {
  right: RightName | 'status';
  answer: RightAnswer;
  text: string;
}

export interface StatusFacts {
  statusType: StatusClaim['statusType'];
  scheme: StatusClaim['scheme'];
  /** "Settled status (EU Settlement Scheme)". */
  label: string;
  permissionStarts: string | null;
  /** The permission's end (YYYY-MM-DD), or null when the code gives none. */
  permissionEnds: string | null;
  /** "30 June 2027", "No end date (indefinite)", or for a pending application that it is not fixed. */
  permissionEndsText: string;
  /** The identity document the status was checked against, as the code names it. */
  document: { type: string; reference: string } | null;
}

export interface CheckFacts {
  verdict: VerdictKind;
  reason: ReasonCode | null;
  /** The verdict's own message when it adds facts (a stale list's age); default: the reason's words. */
  message?: string;
  /** The signature verified against a pinned key. */
  trusted: boolean;
  identity: Identity | null;
  status: StatusClaim | null;
  purpose: DeskPurpose;
  checkedAt: Date;
  likeness: Likeness;
  demo: boolean;
  /** Whether the code was looked up in its issuer's status list (src/check/revocation.ts); absent = nothing to say. */
  revocation?: Revocation | null;
}

/**
 * The facts of a check from the verifier's verdict. What the code says is kept only when its signature verified
 * against a pinned key: nothing else may ever be shown as a person or a status.
 */
export function factsFromVerdict(
  v: Verdict,
  desk: Pick<CheckFacts, 'purpose' | 'checkedAt' | 'likeness' | 'demo' | 'revocation'>,
): CheckFacts {
  const trusted = v.verifiedBy !== null;
  return {
    verdict: v.verdict,
    reason: v.reason,
    message: v.message,
    trusted,
    identity: trusted ? v.identity : null,
    status: trusted ? v.status : null,
    ...desk,
  };
}

export interface CheckDescription {
  verdict: VerdictKind;
  reason: ReasonCode | null;
  outcome: Outcome;
  purpose: DeskPurpose;
  demo: boolean;
  headline: string;
  icon: CheckIcon;
  colour: CheckColour;
  message: string;
  nextStep: string;
  person: { name: string; dateOfBirth: string | null } | null;
  status: StatusFacts | null;
  /** What this desk asked ("Right to rent in England"). */
  rightAsked: string;
  rights: RightLine[];
  /** One sentence for the record and the PDF: the right asked, and whether this check established it. */
  rightChecked: string;
  followUp: FollowUp;
  likeness: Likeness;
  /** The likeness answer in words (null while not asked of a person). */
  likenessText: string | null;
  revocation: Revocation | null;
  /** The revocation fact in words (null when there is nothing to say). */
  revocationText: string | null;
}

const LOOK: Record<Outcome, { headline: string; icon: CheckIcon; colour: CheckColour }> = {
  PHOTO_PENDING: { headline: HEADLINE.VALID, icon: 'tick', colour: 'green' },
  CONFIRMED: { headline: HEADLINE.VALID, icon: 'tick', colour: 'green' },
  PHOTO_MISMATCH: { headline: HEADLINE.PHOTO_MISMATCH, icon: 'mismatch', colour: 'red' },
  PHOTO_NOT_CHECKED: { headline: HEADLINE.PHOTO_NOT_CHECKED, icon: 'incomplete', colour: 'amber' },
  CHECK_MANUALLY: { headline: HEADLINE.CHECK_MANUALLY, icon: 'warning', colour: 'amber' },
  NOT_VALID: { headline: HEADLINE.NOT_VALID, icon: 'cross', colour: 'red' },
};

export function personName(identity: Identity): string {
  if (identity.fullName) return identity.fullName;
  const parts = [identity.firstName, identity.middleName, identity.lastName].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' ') : '(no name in the code)';
}

/** Claim 169 dates come as issued ("19900131" or "1990-01-31"); both become ISO `YYYY-MM-DD`, anything else stays as issued. */
export function isoDateOrAsIssued(s: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : s;
}

function statusFacts(s: StatusClaim, longDate: (iso: string) => string): StatusFacts {
  return {
    statusType: s.statusType,
    scheme: s.scheme,
    label: statusLine(s),
    permissionStarts: s.validFrom ?? null,
    permissionEnds: s.validUntil ?? null,
    permissionEndsText:
      s.validUntil !== undefined
        ? longDate(s.validUntil)
        : s.statusType === 'pending'
          ? 'Not fixed: rights continue while the application is pending'
          : 'No end date (indefinite)',
    document: s.document ?? null,
  };
}

/** Pre-settled and pending statuses need a right-to-reside assessment at a housing desk (Housing Act 1996 Part 7). */
function needsRightToReside(s: StatusClaim): boolean {
  return s.statusType === 'pending' || (s.scheme === 'EUSS' && s.statusType === 'limited');
}

function line(right: RightName, answer: RightAnswer, words: string): RightLine {
  return { right, answer, text: `${RIGHT_LABEL[right]}: ${words}` };
}

/** The rights the desk's purpose asks about, as the signed code states them. */
function statedRights(s: StatusClaim, purpose: DeskPurpose): RightLine[] {
  const work = line('work', s.work.kind === 'unrestricted' ? 'yes' : s.work.kind === 'restricted' ? 'restricted' : 'no', workWords(s.work));
  const rent = line('rent', s.rent ? 'yes' : 'no', rentWords(s.rent));
  const funds = line('public-funds', s.publicFunds ? 'yes' : 'no', publicFundsWords(s.publicFunds));
  switch (purpose) {
    case 'work':
      return [work];
    case 'rent':
      return [rent];
    case 'housing':
      return [funds];
    case 'other':
      return [work, rent, funds];
  }
}

/** Under CHECK MANUALLY: what a person must now do, right by right. */
function manualRights(s: StatusClaim | null, purpose: DeskPurpose, reason: ReasonCode | null): RightLine[] {
  if (s !== null && reason === 'PENDING_APPLICATION') {
    const pending = (right: RightName, desk: DeskPurpose) =>
      line(right, 'assess', `temporary right while the application is pending — confirm with ${CHECKING_SERVICE[desk]}`);
    if (purpose === 'work') return [pending('work', 'work')];
    if (purpose === 'rent') return [pending('rent', 'rent')];
    return [pending('work', 'work'), pending('rent', 'rent')];
  }
  if (s !== null && reason === 'RIGHT_TO_RESIDE_ASSESSMENT' && needsRightToReside(s)) {
    return [line('public-funds', 'assess', 'right-to-reside assessment needed before eligibility is decided')];
  }
  return [askedLine(purpose, 'assess', 'not confirmed by this check — check it manually')];
}

function askedLine(purpose: DeskPurpose, answer: RightAnswer, words: string): RightLine {
  const right: RightLine['right'] =
    purpose === 'work' ? 'work' : purpose === 'rent' ? 'rent' : purpose === 'housing' ? 'public-funds' : 'status';
  return { right, answer, text: `${RIGHT_ASKED[purpose]}: ${words}` };
}

function nextStepFor(outcome: Outcome, reason: ReasonCode | null, purpose: DeskPurpose): string {
  switch (outcome) {
    case 'PHOTO_PENDING':
      return VALID_TEXT.nextStep;
    case 'CONFIRMED':
      return CONFIRMED_NEXT_STEP;
    case 'PHOTO_MISMATCH':
      return PHOTO_MISMATCH_TEXT.nextStep;
    case 'PHOTO_NOT_CHECKED':
      return PHOTO_NOT_CHECKED_TEXT.nextStep;
    default:
      break;
  }
  if (reason === null) return VALID_TEXT.nextStep;
  if (reason === 'PENDING_APPLICATION') {
    return `Confirm the right with ${CHECKING_SERVICE[purpose]}; do not rely on this code alone.`;
  }
  return REASON_TEXT[reason].nextStep;
}

/** Said wherever a VALID code could still be accepted: without its status list a revoked code looks the same. */
const REVOCATION_NOT_CHECKED = 'Revocation was NOT checked: this desk holds no status lists, so a revoked code would still show VALID.';

function messageFor(outcome: Outcome, facts: CheckFacts): string {
  if (outcome === 'PHOTO_MISMATCH') return PHOTO_MISMATCH_TEXT.message;
  if (outcome === 'PHOTO_NOT_CHECKED') return PHOTO_NOT_CHECKED_TEXT.message;
  const said = facts.message ?? (facts.reason === null ? VALID_TEXT.message : REASON_TEXT[facts.reason].message);
  return facts.verdict === 'VALID' && facts.revocation === 'not-checked' ? `${said} ${REVOCATION_NOT_CHECKED}` : said;
}

function rightCheckedSentence(
  outcome: Outcome,
  asked: string,
  rights: RightLine[],
  message: string,
  revocation?: Revocation | null,
): string {
  const stated = rights.map((r) => r.text).join('; ');
  const unrevoked = revocation === 'not-checked' ? ' Revocation was not checked.' : '';
  switch (outcome) {
    case 'CONFIRMED':
      return `${asked}: shown by the signed code (${stated}), and the checker confirmed the photo. Supporting evidence only.${unrevoked}`;
    case 'PHOTO_PENDING':
      return `${asked}: shown by the signed code (${stated}); the photo was not yet compared with the person.${unrevoked}`;
    case 'PHOTO_NOT_CHECKED':
      return `${asked}: NOT established — the photo was not compared with the person.`;
    case 'PHOTO_MISMATCH':
      return `${asked}: NOT established — the checker said the photo is not of the person.`;
    case 'CHECK_MANUALLY':
      return `${asked}: NOT established by this check — a manual check is needed.`;
    case 'NOT_VALID':
      return `${asked}: asked, NOT established. ${message}`;
  }
}

export interface DescribeOptions {
  /** How dates are written for people (default "30 June 2027"). */
  longDate?: (iso: string) => string;
}

export function describeCheck(facts: CheckFacts, opts: DescribeOptions = {}): CheckDescription {
  const longDate = opts.longDate ?? defaultLongDate;
  const outcome = outcomeOf(facts.verdict, facts.likeness);
  const look = LOOK[outcome];
  const message = messageFor(outcome, facts);
  const trusted = facts.trusted;
  const person =
    trusted && facts.identity
      ? { name: personName(facts.identity), dateOfBirth: facts.identity.dateOfBirth ? isoDateOrAsIssued(facts.identity.dateOfBirth) : null }
      : null;
  // A code that fails a check before its policy (revoked, expired, wrong key …) says nothing about a status.
  const statusShown =
    trusted && facts.status !== null && (facts.verdict !== 'NOT VALID' || (facts.reason !== null && stageOf(facts.reason) === 'policy'));
  const status = statusShown && facts.status ? statusFacts(facts.status, longDate) : null;
  let rights: RightLine[];
  if ((outcome === 'PHOTO_PENDING' || outcome === 'CONFIRMED') && facts.status) rights = statedRights(facts.status, facts.purpose);
  else if (outcome === 'CHECK_MANUALLY') rights = manualRights(status === null ? null : facts.status, facts.purpose, facts.reason);
  else if (outcome === 'NOT_VALID' && facts.reason === 'RIGHT_NOT_GRANTED' && facts.status)
    rights = statedRights(facts.status, facts.purpose).filter((r) => r.answer === 'no');
  else rights = [];
  // Under NOT VALID and an unconfirmed photo nothing is shown as granted: the right asked is "not established".
  if (rights.length === 0) rights = [askedLine(facts.purpose, 'not-established', 'not established by this check')];
  const rightAsked = RIGHT_ASKED[facts.purpose];
  const followUp = followUpFor({ purpose: facts.purpose, status: facts.status, outcome, reason: facts.reason, checkedAt: facts.checkedAt });
  const asked = person !== null && facts.verdict !== 'NOT VALID';
  return {
    verdict: facts.verdict,
    reason: facts.reason,
    outcome,
    purpose: facts.purpose,
    demo: facts.demo,
    headline: look.headline,
    icon: look.icon,
    colour: look.colour,
    message,
    nextStep: nextStepFor(outcome, facts.reason, facts.purpose),
    person,
    status,
    rightAsked,
    rights,
    rightChecked: rightCheckedSentence(outcome, rightAsked, rights, message, facts.revocation),
    followUp,
    likeness: asked ? facts.likeness : 'not-asked',
    likenessText: asked ? LIKENESS_WORDS[facts.likeness] : null,
    revocation: facts.revocation ?? null,
    revocationText: facts.revocation ? REVOCATION_WORDS[facts.revocation] : null,
  };
}
