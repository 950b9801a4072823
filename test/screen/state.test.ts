/** ScreenState: the check's description laid out for a screen, plus the desk's own state. */
import { describe, expect, it } from 'vitest';
import type { CheckFacts } from '../../src/check/index.js';
import type { StatusClaim } from '../../src/credential/types.js';
import { DEFAULT_WORTH, idleScreen, nonAnswerScreen, resultScreen, scanAgainScreen, type DeskView } from '../../src/screen/state.js';

const at = new Date('2026-11-23T10:00:00Z');
const desk = (purpose: DeskView['purpose'], demo = false): DeskView => ({ purpose, demo, worth: DEFAULT_WORTH, id: 'desk-7' });
const student: StatusClaim = {
  scheme: 'points-based',
  statusType: 'limited',
  validUntil: '2027-06-30',
  work: { kind: 'restricted', condition: '20 hours a week in term time' },
  rent: true,
  publicFunds: false,
  purpose: 'all',
};

function facts(over: Partial<CheckFacts> = {}): CheckFacts {
  return {
    verdict: 'VALID',
    reason: null,
    trusted: true,
    identity: { fullName: 'Ada Example', dateOfBirth: '1990-01-02' },
    status: student,
    purpose: 'work',
    checkedAt: at,
    likeness: 'ask',
    demo: false,
    ...over,
  };
}

describe('ScreenState', () => {
  it("a result is the check's description with the photo, the desk and when it clears", () => {
    const clearsAt = new Date(at.getTime() + 30_000);
    const s = resultScreen({ facts: facts(), desk: desk('work'), checkId: 'c1', photo: null }, { clearsAt });
    expect(s).toMatchObject({
      kind: 'result',
      verdict: 'VALID',
      outcome: 'PHOTO_PENDING',
      headline: 'VALID',
      icon: 'tick',
      colour: 'green',
      likeness: 'ask',
      checkId: 'c1',
      checkedAt: '2026-11-23T10:00:00.000Z',
      deskId: 'desk-7',
      purposeLabel: 'Right to work',
      clearsAt: clearsAt.toISOString(),
    });
    expect(s.person).toEqual({ name: 'Ada Example', dateOfBirth: '1990-01-02', photo: null });
    expect(s.rights).toEqual([{ right: 'work', answer: 'restricted', text: 'Work: may work, restricted — 20 hours a week in term time' }]);
    expect(s.status).toEqual({
      label: 'Limited leave (Points-based system)',
      permissionEnds: '2027-06-30',
      permissionEndsText: '30 June 2027',
      document: null,
    });
    expect(s.followUp?.date).toBe('2027-06-30');
    expect(s.worth).toBe(DEFAULT_WORTH);
  });

  it('the clerk\'s "no" turns the screen into PHOTO DOES NOT MATCH', () => {
    const s = resultScreen({ facts: facts({ likeness: 'no' }), desk: desk('work'), checkId: 'c1' });
    expect(s).toMatchObject({
      headline: 'PHOTO DOES NOT MATCH',
      colour: 'red',
      icon: 'mismatch',
      outcome: 'PHOTO_MISMATCH',
      verdict: 'VALID',
      likeness: 'no',
    });
    expect(s.rights.map((r) => r.answer)).toEqual(['not-established']);
  });

  it('an unverified code never shows a person', () => {
    const s = resultScreen({
      facts: facts({ verdict: 'NOT VALID', reason: 'SIGNATURE_INVALID', trusted: false }),
      desk: desk('rent'),
      checkId: 'c2',
      photo: { unsupported: 'x' },
    });
    expect(s).toMatchObject({ headline: 'NOT VALID', icon: 'cross', colour: 'red', person: null, status: null, likeness: 'not-asked' });
  });

  it("idle says ready, or that no scanner can be read; every screen carries the desk's alerts", () => {
    const idle = idleScreen(desk('work', true));
    expect(idle).toMatchObject({
      kind: 'idle',
      demo: true,
      headline: 'Ready to scan',
      verdict: null,
      checkId: null,
      person: null,
      alerts: [],
      clearsAt: null,
    });
    const alerts = [{ code: 'NO_SCANNER' as const, text: 'No scanner is connected: no code can be scanned.' }];
    expect(idleScreen(desk('work'), { alerts })).toMatchObject({ headline: 'Scanner not connected', alerts });
    expect(resultScreen({ facts: facts(), desk: desk('work'), checkId: 'c3' }, { alerts }).alerts).toEqual(alerts);
  });

  it('SCAN AGAIN and NOT A STATUS CODE have their own colour and icon, unlike CHECK MANUALLY', () => {
    const dropped = scanAgainScreen(desk('work'), 'SCAN_INCOMPLETE', at);
    expect(dropped).toMatchObject({
      kind: 'scan-again',
      headline: 'SCAN AGAIN',
      icon: 'rescan',
      colour: 'blue',
      verdict: null,
      outcome: null,
    });
    expect(dropped.message).toMatch(/cut off/);
    const damaged = nonAnswerScreen(desk('work'), 'SCAN_AGAIN', at);
    expect(damaged).toMatchObject({ kind: 'scan-again', headline: 'SCAN AGAIN', icon: 'rescan', colour: 'blue' });
    const other = nonAnswerScreen(desk('work'), 'NOT_A_STATUS_CODE', at);
    expect(other).toMatchObject({
      kind: 'not-a-code',
      headline: 'NOT A STATUS CODE',
      icon: 'not-a-code',
      colour: 'neutral',
      checkId: null,
    });
    const manual = resultScreen({
      facts: facts({ verdict: 'CHECK MANUALLY', reason: 'CLOCK_SUSPECT' }),
      desk: desk('work'),
      checkId: 'c4',
    });
    expect(new Set([manual.icon, dropped.icon, other.icon]).size).toBe(3);
    expect(new Set([manual.colour, dropped.colour, other.colour]).size).toBe(3);
  });
});
