/** The issuer's CWT times: a code never outlives the permission it states (exp capped at validUntil's end). */
import { describe, expect, it } from 'vitest';
import type { StatusClaim } from '../../src/credential/types.js';
import { IssueError } from '../../src/issue/errors.js';
import type { Holder } from '../../src/issue/holder.js';
import {
  buildClaims,
  codeTimes,
  DEFAULT_CARD_VALID_DAYS,
  DEFAULT_VALID_DAYS,
  issueCredential,
  londonDate,
  permissionEndSeconds,
} from '../../src/issue/issue.js';
import { generateIssuerKey, signerFromJwk } from '../../src/issue/keys.js';
import { loadKeySet } from '../../src/trust/keyset.js';
import { verify } from '../../src/verify/verify.js';

const DAY = 86_400;
const STATUS: Omit<StatusClaim, 'purpose'> = {
  scheme: 'points-based',
  statusType: 'limited',
  validFrom: '2025-01-10',
  work: { kind: 'unrestricted' },
  rent: true,
  publicFunds: false,
};
const holder = (validUntil?: string): Holder => ({
  identity: { fullName: 'Test Person', dateOfBirth: '19900101' },
  status: validUntil === undefined ? { ...STATUS } : { ...STATUS, validUntil },
});

describe('permissionEndSeconds: London midnight after the last day', () => {
  it('in GMT (winter) it is 00:00 UTC of the next day; in BST (summer) 23:00 UTC of the last day', () => {
    expect(permissionEndSeconds('2026-01-15')).toBe(Date.UTC(2026, 0, 16) / 1000);
    expect(permissionEndSeconds('2026-07-15')).toBe(Date.UTC(2026, 6, 15, 23) / 1000);
  });

  it('around the clock changes (last Sundays of March and October 2026) and at a month / year end', () => {
    expect(permissionEndSeconds('2026-03-28')).toBe(Date.UTC(2026, 2, 29) / 1000); // Sat: next midnight still GMT
    expect(permissionEndSeconds('2026-03-29')).toBe(Date.UTC(2026, 2, 29, 23) / 1000); // Sun: next midnight in BST
    expect(permissionEndSeconds('2026-10-24')).toBe(Date.UTC(2026, 9, 24, 23) / 1000); // Sat: next midnight still BST
    expect(permissionEndSeconds('2026-10-25')).toBe(Date.UTC(2026, 9, 26) / 1000); // Sun: next midnight in GMT
    expect(permissionEndSeconds('2026-12-31')).toBe(Date.UTC(2027, 0, 1) / 1000);
    expect(permissionEndSeconds('2028-02-28')).toBe(Date.UTC(2028, 1, 29) / 1000); // leap year
  });
});

describe('codeTimes for a card (endOfDay): exp at the end of a London day, so "Code expires <day>" is exact', () => {
  it('ends at London midnight after the day valid-days later, in GMT and in BST, and is still capped by the permission', () => {
    expect(DEFAULT_CARD_VALID_DAYS).toBe(730);
    const winter = codeTimes(new Date('2026-12-01T10:00:00Z'), 730, undefined, { endOfDay: true });
    expect(new Date(winter.exp * 1000).toISOString()).toBe('2028-12-01T00:00:00.000Z'); // 2028-11-30 ends (GMT)
    expect(londonDate(winter.exp - 1)).toBe('2028-11-30');
    const summer = codeTimes(new Date('2026-06-01T10:00:00Z'), 365, undefined, { endOfDay: true });
    expect(new Date(summer.exp * 1000).toISOString()).toBe('2027-06-01T23:00:00.000Z'); // 2027-06-01 ends at 00:00 BST
    const late = codeTimes(new Date('2026-06-01T23:30:00Z'), 1, undefined, { endOfDay: true }); // 00:30 on 2 June in London
    expect(londonDate(late.exp - 1)).toBe('2026-06-03');
    const capped = codeTimes(new Date('2026-12-01T10:00:00Z'), 730, '2027-06-30', { endOfDay: true });
    expect(capped).toMatchObject({ exp: permissionEndSeconds('2027-06-30'), capped: true });
  });
});

describe('codeTimes', () => {
  const at = new Date('2026-03-01T10:00:00Z');
  const iat = at.getTime() / 1000;

  it('no validUntil (indefinite): exp = iat + valid days, nbf = iat', () => {
    expect(codeTimes(at, 90, undefined)).toEqual({ iat, nbf: iat, exp: iat + 90 * DAY, capped: false });
  });

  it('a permission ending after the code: not capped', () => {
    expect(codeTimes(at, 90, '2028-01-09')).toMatchObject({ exp: iat + 90 * DAY, capped: false });
  });

  it('a permission ending before the code would: exp is the permission end', () => {
    expect(codeTimes(at, 90, '2026-04-10')).toMatchObject({ iat, exp: Date.UTC(2026, 3, 10, 23) / 1000, capped: true });
    expect(codeTimes(at, 90, '2026-03-01')).toMatchObject({ exp: Date.UTC(2026, 2, 2) / 1000, capped: true }); // ends today
  });

  it('a permission already over is refused (PERMISSION_ENDED), naming the field, not the date', () => {
    let err: unknown;
    try {
      codeTimes(at, 90, '2026-02-28');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IssueError);
    expect((err as IssueError).code).toBe('PERMISSION_ENDED');
    expect((err as IssueError).message).toMatch(/status\.validUntil/);
    expect((err as IssueError).message).not.toMatch(/2026-02-28/);
  });

  it('valid days outside 1..3660 are a RangeError', () => {
    expect(() => codeTimes(at, 0, undefined)).toThrow(RangeError);
    expect(() => codeTimes(at, 1.5, undefined)).toThrow(RangeError);
  });
});

describe('issued codes at the desk around the permission end', () => {
  it('VALID to the last minute of the last day; then PERMISSION_EXPIRED (not "code expired": ask for a new code)', async () => {
    const pair = await generateIssuerKey('EdDSA', 'cap-test');
    const keys = await loadKeySet(pair.publicJwk);
    const input = {
      holder: holder('2026-04-10'),
      signer: signerFromJwk(pair.privateJwk),
      purpose: 'all' as const,
      issuedAt: new Date('2026-03-01T10:00:00Z'),
    };
    expect(buildClaims(input).cwt.exp).toBe(Date.UTC(2026, 3, 10, 23) / 1000);
    const code = issueCredential(input);
    const end = Date.UTC(2026, 3, 10, 23);
    expect(verify(code, { keys, now: end - 60_000, purpose: 'work' }).valid).toBe(true);
    expect(verify(code, { keys, now: end + 299_000, purpose: 'work' }).valid).toBe(true); // within the skew
    for (const purpose of ['work', undefined] as const) {
      const v = verify(code, { keys, now: end + 301_000, ...(purpose ? { purpose } : {}) });
      expect(v).toMatchObject({ verdict: 'NOT VALID', reason: 'PERMISSION_EXPIRED' });
      expect(v.status?.validUntil).toBe('2026-04-10');
    }
  });

  it('an indefinite permission keeps the default validity, and its expired code is EXPIRED', async () => {
    const pair = await generateIssuerKey('EdDSA', 'cap-test-2');
    const keys = await loadKeySet(pair.publicJwk);
    const input = {
      holder: holder(),
      signer: signerFromJwk(pair.privateJwk),
      purpose: 'all' as const,
      issuedAt: new Date('2026-03-01T10:00:00Z'),
    };
    const claims = buildClaims(input);
    expect(claims.cwt.exp! - claims.cwt.iat!).toBe(DEFAULT_VALID_DAYS * DAY);
    const v = verify(issueCredential(input), { keys, now: (claims.cwt.exp! + 301) * 1000 });
    expect(v.reason).toBe('EXPIRED');
  });
});
