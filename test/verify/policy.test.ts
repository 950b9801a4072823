/** Desk policy: every purpose / status / right combination the issue names, through verify() and deskPolicy(). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodePurpose, DeskPurpose, StatusClaim } from '../../src/credential/types.js';
import type { KeySet } from '../../src/trust/keyset.js';
import { deskDate, deskPolicy, permissionReason, purposeAccepted } from '../../src/verify/policy.js';
import { verify } from '../../src/verify/verify.js';
import { issue, keySetOf, makeKey, NOW, NOW_MS, type TestKey } from './helpers.js';

const DESKS: DeskPurpose[] = ['work', 'rent', 'housing', 'other'];
const CODES: CodePurpose[] = ['work', 'rent', 'other', 'all'];

/** A settled person with every right: only the field under test changes. */
const SETTLED: StatusClaim = {
  scheme: 'EUSS',
  statusType: 'indefinite',
  validFrom: '2020-05-01',
  work: { kind: 'unrestricted' },
  rent: true,
  publicFunds: true,
  purpose: 'all',
};
const s = (o: Partial<StatusClaim>): StatusClaim => ({ ...SETTLED, ...o });

describe('purpose match', () => {
  const accepted: Record<CodePurpose, DeskPurpose[]> = { work: ['work'], rent: ['rent'], other: ['other', 'housing'], all: DESKS };
  for (const code of CODES) {
    for (const desk of DESKS) {
      const ok = accepted[code].includes(desk);
      it(`a ${code} code at a ${desk} desk is ${ok ? 'accepted' : 'PURPOSE_MISMATCH'}`, () => {
        expect(purposeAccepted(code, desk)).toBe(ok);
        expect(deskPolicy(s({ purpose: code }), desk, NOW_MS)).toBe(ok ? null : 'PURPOSE_MISMATCH');
      });
    }
  }
});

describe('policy table', () => {
  const cases: Array<[string, StatusClaim | null, DeskPurpose, string | null]> = [
    ['no status claim at any desk', null, 'work', 'STATUS_CLAIM_MISSING'],
    ['no status claim at the other desk', null, 'other', 'STATUS_CLAIM_MISSING'],
    ['settled, all rights, work desk', SETTLED, 'work', null],
    ['settled, all rights, rent desk', SETTLED, 'rent', null],
    ['settled, all rights, housing desk', SETTLED, 'housing', null],
    ['settled, all rights, other desk', SETTLED, 'other', null],
    ['permission ended yesterday', s({ statusType: 'limited', validUntil: '2026-02-28' }), 'rent', 'PERMISSION_EXPIRED'],
    [
      'permission ends today (still in force)',
      s({ statusType: 'limited', scheme: 'points-based', validUntil: '2026-03-01' }),
      'rent',
      null,
    ],
    ['permission ended, checked at the other desk', s({ validUntil: '2020-01-01' }), 'other', 'PERMISSION_EXPIRED'],
    [
      'permission starts tomorrow',
      s({ statusType: 'limited', scheme: 'points-based', validFrom: '2026-03-02' }),
      'work',
      'PERMISSION_NOT_STARTED',
    ],
    ['permission starts today (in force)', s({ statusType: 'limited', scheme: 'points-based', validFrom: '2026-03-01' }), 'work', null],
    ['permission not started, checked at a housing desk', s({ validFrom: '2027-01-01' }), 'housing', 'PERMISSION_NOT_STARTED'],
    [
      'permission not started and no right to work: the dates decide first',
      s({ validFrom: '2027-01-01', work: { kind: 'none' } }),
      'work',
      'PERMISSION_NOT_STARTED',
    ],
    ['no right to work at a work desk', s({ work: { kind: 'none' } }), 'work', 'RIGHT_NOT_GRANTED'],
    ['restricted work at a work desk', s({ work: { kind: 'restricted', condition: 'Student: 20 h/week in term' } }), 'work', null],
    ['no right to work at a rent desk', s({ work: { kind: 'none' } }), 'rent', null],
    ['no right to rent at a rent desk', s({ rent: false }), 'rent', 'RIGHT_NOT_GRANTED'],
    ['no right to rent at a work desk', s({ rent: false }), 'work', null],
    ['no recourse to public funds at a housing desk', s({ publicFunds: false }), 'housing', 'RIGHT_NOT_GRANTED'],
    ['no recourse to public funds at a work desk', s({ publicFunds: false }), 'work', null],
    ['pending application at a work desk', s({ statusType: 'pending' }), 'work', 'PENDING_APPLICATION'],
    ['pending application at a rent desk', s({ statusType: 'pending' }), 'rent', 'PENDING_APPLICATION'],
    ['pending application at a housing desk', s({ statusType: 'pending' }), 'housing', 'RIGHT_TO_RESIDE_ASSESSMENT'],
    ['pending application at the other desk: never VALID', s({ statusType: 'pending' }), 'other', 'PENDING_APPLICATION'],
    ['EUSS pre-settled at a housing desk', s({ statusType: 'limited' }), 'housing', 'RIGHT_TO_RESIDE_ASSESSMENT'],
    ['EUSS pre-settled at a work desk', s({ statusType: 'limited' }), 'work', null],
    ['points-based limited leave at a housing desk', s({ scheme: 'points-based', statusType: 'limited' }), 'housing', null],
    ['refugee status at a housing desk', s({ scheme: 'protection', statusType: 'protection' }), 'housing', null],
    // A certificate of application: the checking service decides the rights, whatever the code says of them.
    [
      'pending without right to rent: the Landlord Checking Service decides',
      s({ statusType: 'pending', rent: false }),
      'rent',
      'PENDING_APPLICATION',
    ],
    [
      'pending without right to work: the Employer Checking Service decides',
      s({ statusType: 'pending', work: { kind: 'none' } }),
      'work',
      'PENDING_APPLICATION',
    ],
    [
      'pending with no recourse to public funds at a housing desk: the council assesses',
      s({ statusType: 'pending', publicFunds: false }),
      'housing',
      'RIGHT_TO_RESIDE_ASSESSMENT',
    ],
    ['pre-settled without public funds at housing', s({ statusType: 'limited', publicFunds: false }), 'housing', 'RIGHT_NOT_GRANTED'],
    ['a work code at a rent desk, even with every right', s({ purpose: 'work' }), 'rent', 'PURPOSE_MISMATCH'],
    ['an other code at a housing desk', s({ purpose: 'other' }), 'housing', null],
  ];

  let key: TestKey;
  let keys: KeySet;
  beforeAll(async () => {
    key = makeKey('EdDSA', 'desk-policy');
    keys = await keySetOf(key);
  });

  it.each(cases)('%s', (_label, status, desk, reason) => {
    expect(deskPolicy(status, desk, NOW_MS)).toBe(reason);
    const v = verify(issue(key, { status: status ?? undefined }), { keys, now: NOW_MS, purpose: desk });
    expect(v.reason).toBe(reason);
    const kind =
      reason === null ? 'VALID' : ['PENDING_APPLICATION', 'RIGHT_TO_RESIDE_ASSESSMENT'].includes(reason) ? 'CHECK MANUALLY' : 'NOT VALID';
    expect(v.verdict).toBe(kind);
    expect(v.valid).toBe(kind === 'VALID');
    expect(v.identity).not.toBeNull(); // signed: whose code it is can be shown
  });

  it('without a purpose, a signed current credential is VALID whatever its rights (identity credential), but a pending application is not', () => {
    for (const status of [null, s({ work: { kind: 'none' }, rent: false, publicFunds: false })]) {
      expect(verify(issue(key, { status: status ?? undefined }), { keys, now: NOW_MS }).verdict).toBe('VALID');
    }
    expect(verify(issue(key, { status: s({ statusType: 'pending' }) }), { keys, now: NOW_MS })).toMatchObject({
      verdict: 'CHECK MANUALLY',
      reason: 'PENDING_APPLICATION',
    });
  });

  it('without a purpose, a permission not yet started or already ended is still NOT VALID', () => {
    const notStarted = verify(issue(key, { status: s({ validFrom: '2026-04-01' }) }), { keys, now: NOW_MS });
    expect(notStarted).toMatchObject({ verdict: 'NOT VALID', valid: false, reason: 'PERMISSION_NOT_STARTED' });
    expect(notStarted.message).toMatch(/not started/);
    expect(notStarted.status?.validFrom).toBe('2026-04-01'); // signed: the date can be shown
    const ended = verify(issue(key, { status: s({ validUntil: '2026-02-27' }) }), { keys, now: NOW_MS });
    expect(ended).toMatchObject({ verdict: 'NOT VALID', valid: false, reason: 'PERMISSION_EXPIRED' });
  });

  it('an unknown desk purpose (from untyped callers) is PURPOSE_MISMATCH, even for an `all` code', () => {
    expect(verify(issue(key), { keys, now: NOW_MS, purpose: 'bank' as DeskPurpose }).reason).toBe('PURPOSE_MISMATCH');
  });

  it('permission dates are London civil days, with the clock-skew tolerance at both ends', () => {
    const skew = 300;
    const starts = s({ validFrom: '2026-07-02' }); // London midnight starting 2 July (BST) = 2026-07-01T23:00Z
    const start = Date.UTC(2026, 6, 1, 23, 0);
    expect(permissionReason(starts, start - skew * 1000, skew)).toBeNull(); // exactly skew early: accepted
    expect(permissionReason(starts, start - skew * 1000 - 60_000, skew)).toBe('PERMISSION_NOT_STARTED'); // a minute more
    expect(permissionReason(starts, start - 1000, 0)).toBe('PERMISSION_NOT_STARTED'); // no tolerance: a second early
    expect(permissionReason(starts, start, 0)).toBeNull();
    expect(permissionReason(starts, Date.UTC(2026, 6, 1, 23, 30), skew)).toBeNull(); // 00:30 in London, 23:30 UTC

    const ends = s({ validUntil: '2026-01-15' }); // in force through 15 January (GMT): ends 2026-01-16T00:00Z
    const end = Date.UTC(2026, 0, 16);
    expect(permissionReason(ends, end - 1000, 0)).toBeNull(); // last second of the last day
    expect(permissionReason(ends, end, 0)).toBe('PERMISSION_EXPIRED');
    expect(permissionReason(ends, end + skew * 1000 - 1000, skew)).toBeNull(); // within the tolerance
    expect(permissionReason(ends, end + skew * 1000 + 60_000, skew)).toBe('PERMISSION_EXPIRED');

    // through verify(): the same boundary, with the default skew and with skewSeconds
    const code = issue(key, { status: starts, cwt: { iat: NOW - 86400, nbf: NOW - 86400, exp: Date.UTC(2026, 9, 1) / 1000 } });
    expect(verify(code, { keys, now: start - 301_000 - 60_000, purpose: 'rent' }).reason).toBe('PERMISSION_NOT_STARTED');
    expect(verify(code, { keys, now: start - 299_000, purpose: 'rent' }).valid).toBe(true);
    expect(verify(code, { keys, now: start - 10_000, skewSeconds: 0 }).reason).toBe('PERMISSION_NOT_STARTED');
    expect(verify(code, { keys, now: start, skewSeconds: 0 }).valid).toBe(true);
  });

  it('absurd times and tolerances give a verdict on the dates, never an internal error', () => {
    const code = issue(key, { status: s({ validFrom: '2026-04-01' }), cwt: {} });
    expect(verify(code, { keys, now: 8.64e15 + 1 }).reason).toBeNull();
    expect(verify(code, { keys, now: -1e20 }).reason).toBe('PERMISSION_NOT_STARTED');
    expect(verify(code, { keys, now: NOW_MS, skewSeconds: Number.POSITIVE_INFINITY }).reason).toBeNull();
    expect(verify(code, { keys, now: NOW_MS, purpose: 'rent' }).reason).toBe('PERMISSION_NOT_STARTED');
  });

  it('the desk date is the date in London', () => {
    expect(deskDate(Date.UTC(2026, 6, 1, 23, 30))).toBe('2026-07-02'); // BST: 00:30 next day
    expect(deskDate(Date.UTC(2026, 0, 1, 23, 30))).toBe('2026-01-01'); // GMT
  });
});
