/** The one description of a check: outcomes, rights shown only where established, follow-ups, per-desk words. */
import { describe, expect, it } from 'vitest';
import { describeCheck, followUpFor, addMonths, outcomeOf, OUTCOMES, type CheckFacts } from '../../src/check/index.js';
import type { DeskPurpose, StatusClaim } from '../../src/credential/types.js';
import { REASON_CODES } from '../../src/verify/verdict.js';
import { kindOf } from '../../src/verify/stages.js';

const at = new Date('2026-11-23T10:00:00Z');
const settled: StatusClaim = {
  scheme: 'EUSS',
  statusType: 'indefinite',
  work: { kind: 'unrestricted' },
  rent: true,
  publicFunds: true,
  purpose: 'all',
};
const student: StatusClaim = {
  scheme: 'points-based',
  statusType: 'limited',
  validUntil: '2027-06-30',
  work: { kind: 'restricted', condition: '20 hours a week in term time' },
  rent: true,
  publicFunds: false,
  purpose: 'all',
  document: { type: 'passport', reference: 'X1234567' },
};
const pending: StatusClaim = { ...settled, statusType: 'pending' };

function facts(over: Partial<CheckFacts> = {}): CheckFacts {
  return {
    verdict: 'VALID',
    reason: null,
    trusted: true,
    identity: { fullName: 'Ada Example', dateOfBirth: '19900102' },
    status: student,
    purpose: 'rent',
    checkedAt: at,
    likeness: 'ask',
    demo: false,
    ...over,
  };
}

const PURPOSES: DeskPurpose[] = ['work', 'rent', 'housing', 'other'];
const TICKED = new Set(['yes', 'restricted']);

describe('outcome', () => {
  it("is the verdict together with the clerk's answer", () => {
    expect(outcomeOf('VALID', 'ask')).toBe('PHOTO_PENDING');
    expect(outcomeOf('VALID', 'yes')).toBe('CONFIRMED');
    expect(outcomeOf('VALID', 'no')).toBe('PHOTO_MISMATCH');
    expect(outcomeOf('VALID', 'not-asked')).toBe('PHOTO_NOT_CHECKED');
    expect(outcomeOf('CHECK MANUALLY', 'no')).toBe('PHOTO_MISMATCH');
    expect(outcomeOf('CHECK MANUALLY', 'yes')).toBe('CHECK_MANUALLY');
    for (const l of ['ask', 'yes', 'no', 'not-asked'] as const) expect(outcomeOf('NOT VALID', l)).toBe('NOT_VALID');
    expect(OUTCOMES).toHaveLength(6);
  });
});

describe('describeCheck', () => {
  it('VALID while asking: the rights as the code states them, and the follow-up the check will set', () => {
    const d = describeCheck(facts());
    expect(d).toMatchObject({ headline: 'VALID', icon: 'tick', colour: 'green', outcome: 'PHOTO_PENDING', likeness: 'ask' });
    expect(d.rights).toEqual([{ right: 'rent', answer: 'yes', text: 'Rent: may rent in England' }]);
    expect(d.nextStep).toMatch(/photo/);
    expect(d.followUp.date).toBe('2027-11-23');
    expect(d.followUp.text).toMatch(/^Once the photo is confirmed/);
    expect(d.status).toMatchObject({
      label: 'Limited leave (Points-based system)',
      permissionEnds: '2027-06-30',
      permissionEndsText: '30 June 2027',
      document: { type: 'passport', reference: 'X1234567' },
    });
    expect(d.person).toEqual({ name: 'Ada Example', dateOfBirth: '1990-01-02' });
  });

  it('"No, not them" replaces VALID with PHOTO DOES NOT MATCH: red, its own icon and next step, no right, no follow-up', () => {
    const d = describeCheck(facts({ likeness: 'no' }));
    expect(d).toMatchObject({
      headline: 'PHOTO DOES NOT MATCH',
      icon: 'mismatch',
      colour: 'red',
      outcome: 'PHOTO_MISMATCH',
      verdict: 'VALID',
      likeness: 'no',
    });
    expect(d.message).toMatch(/Do not accept this code for this person/);
    expect(d.nextStep).not.toMatch(/Check the photo/);
    expect(d.rights.every((r) => !TICKED.has(r.answer))).toBe(true);
    expect(d.followUp.date).toBeNull();
    expect(d.rightChecked).toMatch(/NOT established/);
  });

  it('"Not checked" is incomplete, never accepted', () => {
    const d = describeCheck(facts({ likeness: 'not-asked' }));
    expect(d).toMatchObject({ headline: 'PHOTO NOT CHECKED', colour: 'amber', icon: 'incomplete', outcome: 'PHOTO_NOT_CHECKED' });
    expect(d.rights.every((r) => !TICKED.has(r.answer))).toBe(true);
    expect(d.followUp.date).toBeNull();
  });

  it('confirmed: the right is established (as supporting evidence) and the follow-up date stands', () => {
    const d = describeCheck(facts({ likeness: 'yes' }));
    expect(d).toMatchObject({ headline: 'VALID', outcome: 'CONFIRMED' });
    expect(d.rightChecked).toMatch(/^Right to rent in England: shown by the signed code .*confirmed the photo/);
    expect(d.followUp).toMatchObject({ date: '2027-11-23', rule: 'rent-later-of-end-or-12-months' });
    expect(d.followUp.text).toMatch(/^By 23 November 2027/);
  });

  it('NOT VALID never shows a right as granted, nor a follow-up, for any reason and desk', () => {
    for (const reason of REASON_CODES.filter((r) => kindOf(r) === 'NOT VALID')) {
      for (const purpose of PURPOSES) {
        for (const likeness of ['ask', 'yes', 'no', 'not-asked'] as const) {
          const d = describeCheck(facts({ verdict: 'NOT VALID', reason, purpose, likeness, status: settled }));
          expect(
            d.rights.filter((r) => TICKED.has(r.answer)),
            `${reason} ${purpose}`,
          ).toEqual([]);
          expect(d.followUp.date, `${reason} ${purpose}`).toBeNull();
          expect(d.rightChecked, `${reason} ${purpose}`).toMatch(/NOT established/);
          expect(d.likeness).toBe('not-asked');
          expect(d.colour).toBe('red');
        }
      }
    }
  });

  it('a revoked code shows no status, no right and no follow-up', () => {
    const d = describeCheck(facts({ verdict: 'NOT VALID', reason: 'REVOKED', status: settled }));
    expect(d.status).toBeNull();
    expect(d.rights).toEqual([
      { right: 'rent', answer: 'not-established', text: 'Right to rent in England: not established by this check' },
    ]);
    expect(d.rightChecked).toBe('Right to rent in England: asked, NOT established. The issuer has revoked this code.');
    expect(JSON.stringify(d)).not.toMatch(/may rent/);
  });

  it('a right not granted shows the status and what the code says, never a tick', () => {
    const d = describeCheck(
      facts({ verdict: 'NOT VALID', reason: 'RIGHT_NOT_GRANTED', purpose: 'work', status: { ...student, work: { kind: 'none' } } }),
    );
    expect(d.status?.label).toMatch(/Limited leave/);
    expect(d.rights).toEqual([{ right: 'work', answer: 'no', text: 'Work: may not work' }]);
  });

  it('an unverified code shows no person and no status', () => {
    const d = describeCheck(facts({ verdict: 'NOT VALID', reason: 'SIGNATURE_INVALID', trusted: false }));
    expect(d.person).toBeNull();
    expect(d.status).toBeNull();
  });

  it('a pending application at each desk names that desk\'s checking service, never "no time limit"', () => {
    const services: Record<DeskPurpose, RegExp> = {
      work: /Employer Checking Service/,
      rent: /Landlord Checking Service/,
      housing: /council's own eligibility/,
      other: /Employer Checking Service.*Landlord Checking Service/,
    };
    for (const purpose of PURPOSES) {
      const reason = purpose === 'housing' ? 'RIGHT_TO_RESIDE_ASSESSMENT' : 'PENDING_APPLICATION';
      const d = describeCheck(facts({ verdict: 'CHECK MANUALLY', reason, purpose, status: pending }));
      expect(d.headline).toBe('CHECK MANUALLY');
      expect(
        d.rights.every((r) => r.answer === 'assess'),
        purpose,
      ).toBe(true);
      expect(JSON.stringify(d)).not.toMatch(/no time limit/i);
      expect(d.status?.permissionEndsText).toMatch(/pending/);
      if (purpose !== 'housing') expect(`${d.nextStep} ${d.rights.map((r) => r.text).join(' ')}`).toMatch(services[purpose]);
      if (purpose === 'rent') expect(JSON.stringify(d)).not.toMatch(/Employer Checking Service/);
      if (purpose === 'work') expect(JSON.stringify(d)).not.toMatch(/Landlord Checking Service/);
      if (purpose === 'housing') expect(d.rights[0]?.text).toMatch(/right-to-reside assessment/);
    }
  });

  it('pending application follow-up: 6 months (work) / 12 months (rent) after the checking service answers', () => {
    const work = describeCheck(facts({ verdict: 'CHECK MANUALLY', reason: 'PENDING_APPLICATION', purpose: 'work', status: pending }));
    expect(work.followUp).toMatchObject({ date: '2027-05-23', rule: 'after-checking-service-answer' });
    expect(work.followUp.text).toMatch(/6 months after the Employer Checking Service's positive answer/);
    const rent = describeCheck(facts({ verdict: 'CHECK MANUALLY', reason: 'PENDING_APPLICATION', purpose: 'rent', status: pending }));
    expect(rent.followUp).toMatchObject({ date: '2027-11-23' });
    expect(rent.followUp.text).toMatch(/12 months after the Landlord Checking Service's positive answer/);
    const housing = describeCheck(
      facts({ verdict: 'CHECK MANUALLY', reason: 'RIGHT_TO_RESIDE_ASSESSMENT', purpose: 'housing', status: pending }),
    );
    expect(housing.followUp.date).toBeNull();
  });

  it('a stale revocation list keeps its own message, and no right is shown as granted', () => {
    const d = describeCheck(
      facts({ verdict: 'CHECK MANUALLY', reason: 'REVOCATION_DATA_STALE', message: 'The code verified, but … The list is 9 days old.' }),
    );
    expect(d.message).toMatch(/9 days old/);
    expect(d.rights).toEqual([expect.objectContaining({ answer: 'assess' })]);
    expect(d.followUp.date).toBeNull();
  });

  it('revocation not checked (a desk with keys only) is said in the message and the right checked, only where the code is VALID', () => {
    const unchecked = describeCheck(facts({ revocation: 'not-checked', likeness: 'yes' }));
    expect(unchecked).toMatchObject({ outcome: 'CONFIRMED', revocation: 'not-checked' });
    expect(unchecked.message).toContain('Revocation was NOT checked');
    expect(unchecked.rightChecked).toContain('Revocation was not checked.');
    expect(unchecked.revocationText).toMatch(/^NOT CHECKED: .*would still show VALID/);
    const checked = describeCheck(facts({ revocation: 'checked' }));
    expect(checked.message).not.toMatch(/revocation/i);
    expect(checked.revocationText).toMatch(/^Checked/);
    const manual = describeCheck(
      facts({ verdict: 'CHECK MANUALLY', reason: 'PENDING_APPLICATION', status: pending, revocation: 'not-checked' }),
    );
    expect(manual.message).not.toMatch(/revocation/i);
    expect(describeCheck(facts()).revocationText).toBeNull();
  });

  it('one wording for a status everywhere', () => {
    const d = describeCheck(facts({ status: settled, likeness: 'yes' }));
    expect(d.status?.label).toBe('Settled status (EU Settlement Scheme)');
    expect(d.status?.permissionEndsText).toBe('No end date (indefinite)');
    expect(d.followUp.text).toBe('None needed: the permission has no end date.');
  });
});

describe('follow-up rules', () => {
  const valid = (purpose: DeskPurpose, validUntil: string | undefined, checkedAt = at) =>
    followUpFor({
      purpose,
      status: { ...settled, ...(validUntil !== undefined ? { validUntil } : {}) },
      outcome: 'CONFIRMED',
      reason: null,
      checkedAt,
    }).date;
  it('work: due by the end of permission', () => {
    expect(valid('work', '2027-06-30')).toBe('2027-06-30');
  });
  it('rent: later of permission end and 12 months after the check (London day)', () => {
    expect(valid('rent', '2027-06-30')).toBe('2027-11-23');
    expect(valid('rent', '2028-03-01')).toBe('2028-03-01');
    // 00:30 in London on 1 July is still 30 June in UTC: the check's day is the desk's (London) day.
    expect(valid('rent', '2027-01-01', new Date('2026-06-30T23:30:00Z'))).toBe('2027-07-01');
  });
  it('none for indefinite permission, housing and other desks, or a malformed date', () => {
    expect(valid('work', undefined)).toBeNull();
    expect(valid('housing', '2027-06-30')).toBeNull();
    expect(valid('other', '2027-06-30')).toBeNull();
    expect(valid('work', '2027-02-30')).toBeNull();
  });
  it('12 months after 29 February is 28 February', () => {
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-11-23', 14)).toBe('2028-01-23');
  });
});
