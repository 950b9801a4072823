/**
 * When must the desk check this person again? From GOV.UK's employer's and landlord's guides:
 * - work, time-limited permission: a follow-up check before the permission ends → due by its end date;
 * - rent, time-limited permission: before the LATER of the permission's end and 12 months after this check;
 * - a pending application (certificate of application) gives no date of its own: the checking service's positive
 *   answer does — an Employer Checking Service positive verification notice is an excuse for 6 months from its
 *   date, a Landlord Checking Service positive notice for 12 months. Until it answers, the earliest the re-check
 *   can fall due is 6 (work) or 12 (rent) months from today, and that is the date recorded;
 * - indefinite permission needs none; housing eligibility and other checks have no statutory follow-up;
 * - a check that did not establish the right (NOT VALID, photo not matching or not compared) sets none.
 * Calendar dates are `YYYY-MM-DD`; the day of the check is the date at a UK desk (Europe/London), as the
 * permission's own dates are read (src/verify/policy.ts). docs/records.md repeats these rules.
 */
import { isCalendarDate } from '../credential/dates.js';
import type { DeskPurpose, StatusClaim } from '../credential/types.js';
import { deskDate } from '../verify/policy.js';
import type { ReasonCode } from '../verify/verdict.js';
import type { Outcome } from './outcome.js';
import { longDate } from './words.js';

export type FollowUpRule =
  | 'before-permission-ends'
  | 'rent-later-of-end-or-12-months'
  | 'after-checking-service-answer'
  | 'none-indefinite'
  | 'none-for-this-check'
  | 'none-not-established';

export interface FollowUp {
  /** The date the re-check is due (YYYY-MM-DD), or null when there is none. */
  date: string | null;
  rule: FollowUpRule;
  /** One sentence for the clerk, the record and the PDF. */
  text: string;
}

/** Same day N months later; a day the target month lacks clamps to its last day (29 Feb + 12 months → 28 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

export interface FollowUpInput {
  purpose: DeskPurpose;
  status: StatusClaim | null;
  outcome: Outcome;
  reason: ReasonCode | null;
  checkedAt: Date;
}

const NOT_ESTABLISHED: FollowUp = { date: null, rule: 'none-not-established', text: 'None: this check did not establish a right.' };

export function followUpFor({ purpose, status, outcome, reason, checkedAt }: FollowUpInput): FollowUp {
  if (outcome === 'CHECK_MANUALLY') return manualFollowUp(purpose, reason, checkedAt);
  if (outcome !== 'CONFIRMED' && outcome !== 'PHOTO_PENDING') return NOT_ESTABLISHED;
  if (purpose !== 'work' && purpose !== 'rent') {
    return { date: null, rule: 'none-for-this-check', text: 'None: the law sets no follow-up check for this kind of check.' };
  }
  const end = status?.validUntil;
  if (end === undefined || !isCalendarDate(end)) {
    return { date: null, rule: 'none-indefinite', text: 'None needed: the permission has no end date.' };
  }
  // Until the clerk confirms the photo, the date is what the check will set, and says so.
  const pending = outcome === 'PHOTO_PENDING' ? 'Once the photo is confirmed: ' : '';
  if (purpose === 'work') {
    return {
      date: end,
      rule: 'before-permission-ends',
      text: `${pending}by ${longDate(end)}, before the permission ends.`.replace(/^by/, 'By'),
    };
  }
  const yearAfterCheck = addMonths(deskDate(checkedAt.getTime()), 12);
  // ISO calendar dates (YYYY-MM-DD) compare as text (not Math.max).
  // biome-ignore lint/complexity/useMathMinMax: strings, not numbers.
  const due = end > yearAfterCheck ? end : yearAfterCheck;
  return {
    date: due,
    rule: 'rent-later-of-end-or-12-months',
    text: `${pending}by ${longDate(due)}: the later of the permission's end (${longDate(end)}) and 12 months after this check.`.replace(
      /^by/,
      'By',
    ),
  };
}

function manualFollowUp(purpose: DeskPurpose, reason: ReasonCode | null, checkedAt: Date): FollowUp {
  if (reason === 'PENDING_APPLICATION' && (purpose === 'work' || purpose === 'rent')) {
    const months = purpose === 'work' ? 6 : 12;
    const service = purpose === 'work' ? 'Employer Checking Service' : 'Landlord Checking Service';
    const earliest = addMonths(deskDate(checkedAt.getTime()), months);
    return {
      date: earliest,
      rule: 'after-checking-service-answer',
      text: `${months} months after the ${service}'s positive answer (by ${longDate(earliest)} if it answers today); no right is established until it answers.`,
    };
  }
  if (reason === 'PENDING_APPLICATION') {
    return {
      date: null,
      rule: 'after-checking-service-answer',
      text: "Set by the checking service's positive answer (Employer Checking Service: 6 months; Landlord Checking Service: 12 months).",
    };
  }
  if (reason === 'RIGHT_TO_RESIDE_ASSESSMENT') {
    return { date: null, rule: 'none-for-this-check', text: "None from this check: the council's eligibility assessment decides." };
  }
  return { date: null, rule: 'none-not-established', text: 'None yet: a manual check must establish the right first.' };
}
