/** Desk policy: every purpose / status / right combination the issue names, through verify() and deskPolicy(). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodePurpose, DeskPurpose, StatusClaim } from '../../src/credential/types.js';
import type { KeySet } from '../../src/trust/keyset.js';
import { deskDate, deskPolicy, purposeAccepted } from '../../src/verify/policy.js';
import { verify } from '../../src/verify/verify.js';
import { issue, keySetOf, makeKey, NOW_MS, type TestKey } from './helpers.js';

const DESKS: DeskPurpose[] = ['work', 'rent', 'housing', 'other'];
const CODES: CodePurpose[] = ['work', 'rent', 'other', 'all'];
const TODAY = deskDate(NOW_MS); // 2026-03-01

/** A settled person with every right: only the field under test changes. */
const SETTLED: StatusClaim = { scheme: 'EUSS', statusType: 'indefinite', validFrom: '2020-05-01', work: { kind: 'unrestricted' }, rent: true, publicFunds: true, purpose: 'all' };
const s = (o: Partial<StatusClaim>): StatusClaim => ({ ...SETTLED, ...o });

describe('purpose match', () => {
  const accepted: Record<CodePurpose, DeskPurpose[]> = { work: ['work'], rent: ['rent'], other: ['other', 'housing'], all: DESKS };
  for (const code of CODES) {
    for (const desk of DESKS) {
      const ok = accepted[code].includes(desk);
      it(`a ${code} code at a ${desk} desk is ${ok ? 'accepted' : 'PURPOSE_MISMATCH'}`, () => {
        expect(purposeAccepted(code, desk)).toBe(ok);
        expect(deskPolicy(s({ purpose: code }), desk, TODAY)).toBe(ok ? null : 'PURPOSE_MISMATCH');
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
    ['permission ends today (still in force)', s({ statusType: 'limited', scheme: 'points-based', validUntil: '2026-03-01' }), 'rent', null],
    ['permission ended, checked at the other desk', s({ validUntil: '2020-01-01' }), 'other', 'PERMISSION_EXPIRED'],
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
    ['pending application at the other desk', s({ statusType: 'pending' }), 'other', null],
    ['EUSS pre-settled at a housing desk', s({ statusType: 'limited' }), 'housing', 'RIGHT_TO_RESIDE_ASSESSMENT'],
    ['EUSS pre-settled at a work desk', s({ statusType: 'limited' }), 'work', null],
    ['points-based limited leave at a housing desk', s({ scheme: 'points-based', statusType: 'limited' }), 'housing', null],
    ['refugee status at a housing desk', s({ scheme: 'protection', statusType: 'protection' }), 'housing', null],
    ['pending without right to rent: NOT VALID beats CHECK MANUALLY', s({ statusType: 'pending', rent: false }), 'rent', 'RIGHT_NOT_GRANTED'],
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
    expect(deskPolicy(status, desk, TODAY)).toBe(reason);
    const v = verify(issue(key, { status: status ?? undefined }), { keys, now: NOW_MS, purpose: desk });
    expect(v.reason).toBe(reason);
    const kind = reason === null ? 'VALID' : ['PENDING_APPLICATION', 'RIGHT_TO_RESIDE_ASSESSMENT'].includes(reason) ? 'CHECK MANUALLY' : 'NOT VALID';
    expect(v.verdict).toBe(kind);
    expect(v.valid).toBe(kind === 'VALID');
    expect(v.identity).not.toBeNull(); // signed: whose code it is can be shown
  });

  it('without a purpose, a signed current credential is VALID whatever its status (identity credential)', () => {
    for (const status of [null, s({ work: { kind: 'none' }, rent: false, publicFunds: false }), s({ statusType: 'pending' })]) {
      expect(verify(issue(key, { status: status ?? undefined }), { keys, now: NOW_MS }).verdict).toBe('VALID');
    }
  });

  it('an unknown desk purpose (from untyped callers) is PURPOSE_MISMATCH, even for an `all` code', () => {
    expect(verify(issue(key), { keys, now: NOW_MS, purpose: 'bank' as DeskPurpose }).reason).toBe('PURPOSE_MISMATCH');
  });

  it('the desk date is the date in London', () => {
    expect(deskDate(Date.UTC(2026, 6, 1, 23, 30))).toBe('2026-07-02'); // BST: 00:30 next day
    expect(deskDate(Date.UTC(2026, 0, 1, 23, 30))).toBe('2026-01-01'); // GMT
  });
});
