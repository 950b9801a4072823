import { describe, expect, it } from 'vitest';
import type { StatusClaim } from '../../src/credential/types.js';
import { addMonths, followUpDate } from '../../src/screen/follow-up.js';
import { DEFAULT_WORTH, isoDateOrAsIssued, idleScreen, resultScreen, scanAgainScreen, withLikeness, type DeskView } from '../../src/screen/state.js';
import { REASON_TEXT, VALID_TEXT } from '../../src/verify/messages.js';
import type { Verdict } from '../../src/verify/verdict.js';

const at = new Date('2026-11-23T10:00:00Z');
const desk = (purpose: DeskView['purpose']): DeskView => ({ purpose, demo: false, worth: DEFAULT_WORTH });

const settled: StatusClaim = { scheme: 'EUSS', statusType: 'indefinite', work: { kind: 'unrestricted' }, rent: true, publicFunds: true, purpose: 'all' };
const student: StatusClaim = { scheme: 'points-based', statusType: 'limited', validUntil: '2027-06-30', work: { kind: 'restricted', condition: '20 hours a week in term time' }, rent: true, publicFunds: false, purpose: 'all' };
const preSettled: StatusClaim = { scheme: 'EUSS', statusType: 'limited', work: { kind: 'unrestricted' }, rent: true, publicFunds: true, purpose: 'all' };

function verdict(over: Partial<Verdict>): Verdict {
  return {
    verdict: 'VALID', valid: true, reason: null, message: VALID_TEXT.message, alg: 'EdDSA', kid: 'k1', verifiedBy: 'k1',
    cwt: null, identity: { fullName: 'Ada Example', dateOfBirth: '1990-01-02' }, status: settled, statusList: null, credentialId: null, ...over,
  };
}

describe('follow-up date', () => {
  it('work: due by the end of permission', () => {
    expect(followUpDate('work', '2027-06-30', at)).toBe('2027-06-30');
  });
  it('rent: later of permission end and 12 months after the check', () => {
    expect(followUpDate('rent', '2027-06-30', at)).toBe('2027-11-23');
    expect(followUpDate('rent', '2028-03-01', at)).toBe('2028-03-01');
  });
  it('none for indefinite permission, housing and other desks, or a malformed date', () => {
    // 00:30 in London on 1 July is still 30 June in UTC: the check's day is the desk's (London) day.
    expect(followUpDate('rent', '2027-01-01', new Date('2026-06-30T23:30:00Z'))).toBe('2027-07-01');
    expect(followUpDate('rent', '2027-01-01', new Date('2026-12-31T23:30:00Z'))).toBe('2027-12-31');
    expect(followUpDate('work', undefined, at)).toBeNull();
    expect(followUpDate('housing', '2027-06-30', at)).toBeNull();
    expect(followUpDate('other', '2027-06-30', at)).toBeNull();
    expect(followUpDate('work', '2027-02-30', at)).toBeNull();
  });
  it('12 months after 29 February is 28 February', () => {
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-11-23', 14)).toBe('2028-01-23');
  });
});

describe('ScreenState', () => {
  it('VALID: words, tick, green, person, the right asked by a work desk, likeness asked', () => {
    const s = resultScreen({ verdict: verdict({ status: student }), desk: desk('work'), checkedAt: at, checkId: 'c1' });
    expect(s).toMatchObject({ kind: 'result', verdict: 'VALID', headline: 'VALID', icon: 'tick', colour: 'green', likeness: 'ask', checkId: 'c1', checkedAt: '2026-11-23T10:00:00.000Z' });
    expect(s.message).toBe(VALID_TEXT.message);
    expect(s.person).toEqual({ name: 'Ada Example', dateOfBirth: '1990-01-02', photo: null });
    expect(s.status?.rights).toEqual([{ right: 'work', answer: 'restricted', text: 'Work: may work, restricted — 20 hours a week in term time' }]);
    expect(s.status?.followUpDate).toBe('2027-06-30');
    expect(s.worth).toBe(DEFAULT_WORTH);
  });
  it('NOT VALID without a verified signature never shows a person', () => {
    const s = resultScreen({ verdict: verdict({ verdict: 'NOT VALID', valid: false, reason: 'SIGNATURE_INVALID', verifiedBy: null }), desk: desk('rent'), checkedAt: at, checkId: 'c2' });
    expect(s).toMatchObject({ headline: 'NOT VALID', icon: 'cross', colour: 'red', person: null, status: null, likeness: 'not-asked' });
    expect(s.message).toBe(REASON_TEXT.SIGNATURE_INVALID.message);
    expect(s.nextStep).toBe(REASON_TEXT.SIGNATURE_INVALID.nextStep);
  });
  it('housing desk: pre-settled is flagged for a right-to-reside assessment, never "no"', () => {
    const s = resultScreen({ verdict: verdict({ verdict: 'CHECK MANUALLY', valid: false, reason: 'RIGHT_TO_RESIDE_ASSESSMENT', status: preSettled }), desk: desk('housing'), checkedAt: at, checkId: 'c3' });
    expect(s).toMatchObject({ icon: 'warning', colour: 'amber', likeness: 'ask' });
    expect(s.status?.statusLabel).toBe('Pre-settled status');
    expect(s.status?.rights[0]?.answer).toBe('assess');
    expect(s.status?.rights[0]?.text).toMatch(/right-to-reside assessment needed/);
    expect(JSON.stringify(s.status)).not.toMatch(/ineligible/i);
    // A pending status at a housing desk is flagged the same way, never "no recourse".
    const pending = resultScreen({ verdict: verdict({ verdict: 'CHECK MANUALLY', valid: false, reason: 'RIGHT_TO_RESIDE_ASSESSMENT', status: { ...preSettled, statusType: 'pending', publicFunds: false } }), desk: desk('housing'), checkId: 'c4', checkedAt: at });
    expect(pending.status?.rights).toEqual([expect.objectContaining({ right: 'public-funds', answer: 'assess' })]);
  });
  it('pending status points to the checking service', () => {
    const pending: StatusClaim = { ...settled, statusType: 'pending' };
    const s = resultScreen({ verdict: verdict({ verdict: 'CHECK MANUALLY', valid: false, reason: 'PENDING_APPLICATION', status: pending }), desk: desk('rent'), checkedAt: at, checkId: 'c4' });
    expect(s.status?.rights[0]?.text).toMatch(/Landlord Checking Service/);
    expect(s.nextStep).toMatch(/Checking Service/);
  });
  it('other desk shows all three rights', () => {
    const s = resultScreen({ verdict: verdict({ status: student }), desk: desk('other'), checkedAt: at, checkId: 'c5' });
    expect(s.status?.rights.map((r) => `${r.right}:${r.answer}`)).toEqual(['work:restricted', 'rent:yes', 'public-funds:no']);
  });
  it('likeness answer only changes a screen that asks', () => {
    const s = resultScreen({ verdict: verdict({}), desk: desk('work'), checkedAt: at, checkId: 'c6' });
    expect(withLikeness(s, 'yes').likeness).toBe('yes');
    const idle = idleScreen({ ...desk('work'), demo: true });
    expect(withLikeness(idle, 'yes')).toBe(idle);
    expect(idle).toMatchObject({ kind: 'idle', demo: true, verdict: null, checkId: null, person: null });
  });
  it('dates of birth: Claim 169 YYYYMMDD becomes ISO; anything else is shown as issued', () => {
    expect(isoDateOrAsIssued('19900131')).toBe('1990-01-31');
    expect(isoDateOrAsIssued('1990-01-31')).toBe('1990-01-31');
    expect(isoDateOrAsIssued('31/01/1990')).toBe('31/01/1990');
    const s = resultScreen({ verdict: verdict({ identity: { firstName: 'Ada', lastName: 'Example', dateOfBirth: '19900102' } }), desk: desk('work'), checkedAt: at, checkId: 'c7' });
    expect(s.person).toMatchObject({ name: 'Ada Example', dateOfBirth: '1990-01-02' });
  });
  it('scan again is amber with a warning icon and words', () => {
    const s = scanAgainScreen(desk('work'), 'SCAN_INCOMPLETE', at);
    expect(s).toMatchObject({ kind: 'scan-again', headline: 'SCAN AGAIN', icon: 'warning', colour: 'amber', verdict: null });
    expect(s.message).toMatch(/cut off/);
  });
});
