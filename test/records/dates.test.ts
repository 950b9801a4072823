import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../../src/credential/dates.js';
import { addDays, isInstant, parseSince, utcDate } from '../../src/records/dates.js';

describe('record dates', () => {
  it('accepts real days only, leap years included', () => {
    for (const d of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31']) expect(isCalendarDate(d), d).toBe(true);
    for (const d of [
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '26-01-01',
      '2026-1-1',
      '2026-01-01T00:00:00Z',
    ]) {
      expect(isCalendarDate(d), d).toBe(false);
    }
  });

  it('accepts instants with a zone only', () => {
    expect(isInstant('2026-11-23T19:49:20.123Z')).toBe(true);
    expect(isInstant('2026-11-23T19:49:20+01:00')).toBe(true);
    expect(isInstant('2026-11-23T19:49:20')).toBe(false); // no zone: ambiguous at a desk that crosses BST
    expect(isInstant('2026-02-30T10:00:00Z')).toBe(false);
  });

  it('adds days across months and leap days; takes the UTC date; --since takes a date or an instant', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-11-23', 6 * 366)).toBe('2032-11-27'); // 6 years (2,192 days with two leap days) + 4
    expect(utcDate('2026-03-29T00:30:00+01:00')).toBe('2026-03-28');
    expect(parseSince('2026-11-01')).toBe(Date.UTC(2026, 10, 1));
    expect(parseSince('2026-11-01T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 1, 9));
    expect(() => parseSince('2026-11-31')).toThrow(/--since/);
  });
});
