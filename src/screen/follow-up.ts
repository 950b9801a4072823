/**
 * When must the desk check this person again? Rules from GOV.UK's "Employer's guide to right to work checks" and
 * "Landlord's guide to right to rent checks" (2024):
 * - work: a follow-up check is due before time-limited permission ends → due by the permission's end date;
 * - rent: due before the LATER of the permission's end and 12 months after this check.
 * Other desks (housing eligibility, any) have no statutory follow-up. Indefinite permission (no end date) needs none.
 * Calendar dates are `YYYY-MM-DD`; the day of the check is the date at a UK desk (Europe/London), as the
 * permission's own dates are read (src/verify/policy.ts).
 */
import type { DeskPurpose } from '../credential/types.js';
import { deskDate } from '../verify/policy.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
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

/**
 * The date a re-check is due, or null when none is: desk purpose not work/rent, or no (valid) permission end date.
 * `checkedAt` is the time of this check.
 */
export function followUpDate(purpose: DeskPurpose, validUntil: string | undefined, checkedAt: Date): string | null {
  if (validUntil === undefined || !isCalendarDate(validUntil)) return null;
  if (purpose === 'work') return validUntil;
  if (purpose === 'rent') {
    const yearAfterCheck = addMonths(deskDate(checkedAt.getTime()), 12);
    return validUntil > yearAfterCheck ? validUntil : yearAfterCheck;
  }
  return null;
}
