/**
 * Calendar dates as proofdesk writes them: ISO 8601 `YYYY-MM-DD` (proleptic Gregorian). The one check of "a real
 * day", at the lowest layer that needs it (the codec encodes status dates); the issuer's holder file, the follow-up
 * rule and the record store use it too.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real day (no 2026-02-30), by arithmetic: no Date object, as record readers check it on every line of years of records. */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}
