/** Dates in records: calendar dates are `YYYY-MM-DD` (isCalendarDate) and are taken in UTC, so a record reads the same on every desk. */
import { isCalendarDate } from '../credential/dates.js';
import { RecordError } from './errors.js';

/** ISO 8601 instant with an explicit zone, as `Date.prototype.toISOString` writes it (offsets accepted too). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(s: string): boolean {
  return INSTANT.test(s) && !Number.isNaN(Date.parse(s)) && isCalendarDate(s.slice(0, 10));
}

export function requireCalendarDate(s: string, what: string): string {
  if (!isCalendarDate(s)) throw new RecordError('BAD_ARGUMENT', `${what} must be a date YYYY-MM-DD, got ${JSON.stringify(s)}`);
  return s;
}

export function requireInstant(s: string, what: string): string {
  if (!isInstant(s))
    throw new RecordError(
      'BAD_ARGUMENT',
      `${what} must be an ISO date-time with a zone (e.g. 2026-11-23T19:49:20Z), got ${JSON.stringify(s)}`,
    );
  return s;
}

/** The UTC calendar date of an instant. */
export function utcDate(instant: string | Date): string {
  return (typeof instant === 'string' ? new Date(instant) : instant).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `--since` accepts a date (midnight UTC) or an instant; returns epoch milliseconds. */
export function parseSince(s: string): number {
  if (isCalendarDate(s)) return Date.parse(`${s}T00:00:00Z`);
  if (isInstant(s)) return Date.parse(s);
  throw new RecordError(
    'BAD_ARGUMENT',
    `--since must be a date YYYY-MM-DD or an ISO date-time with a zone (e.g. 2026-11-23T09:00:00Z), got ${JSON.stringify(s)}`,
  );
}
