import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IssueError } from '../../src/issue/errors.js';
import { parseHolder } from '../../src/issue/holder.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const example = () => JSON.parse(readFileSync(join(EXAMPLES, 'holder.json'), 'utf8')) as Record<string, unknown>;

function holderError(value: unknown): IssueError {
  try {
    parseHolder(value);
  } catch (err) {
    if (err instanceof IssueError) return err;
    throw err;
  }
  throw new Error('parseHolder accepted the value');
}

describe('holder file → Identity + StatusClaim', () => {
  it('maps examples/holder.json: identity at top level, status without purpose, $comment dropped', () => {
    const h = parseHolder(example());
    expect(h.identity).toEqual({
      id: 'DEMO-0001',
      fullName: 'Jordan Specimen',
      firstName: 'Jordan',
      lastName: 'Specimen',
      dateOfBirth: '19900131',
      gender: 3,
      nationality: 'FRA',
    });
    expect(h.status).toEqual({
      scheme: 'EUSS',
      statusType: 'indefinite',
      validFrom: '2021-03-01',
      work: { kind: 'unrestricted' },
      rent: true,
      publicFunds: true,
      holderRef: 'DEMO-UKVI-0001',
      document: { type: 'passport', reference: '*4821' },
    });
  });

  it('every example holder parses', () => {
    for (const name of ['pending', 'pre-settled', 'student']) {
      expect(() => parseHolder(JSON.parse(readFileSync(join(EXAMPLES, 'holders', `${name}.json`), 'utf8')))).not.toThrow();
    }
  });

  it('restricted work carries its condition; no status = identity-only', () => {
    const h = parseHolder({ ...example(), status: { ...(example().status as object), work: { restricted: 'Max 20 h/week' } } });
    expect(h.status?.work).toEqual({ kind: 'restricted', condition: 'Max 20 h/week' });
    const { status: _status, ...identityOnly } = example();
    expect(parseHolder(identityOnly).status).toBeNull();
  });

  it('dateOfBirth: YYYY-MM-DD or YYYYMMDD, written as Claim 169 YYYYMMDD; impossible dates refused without echoing them', () => {
    expect(parseHolder({ fullName: 'A', dateOfBirth: '20000229' }).identity.dateOfBirth).toBe('20000229');
    const err = holderError({ fullName: 'A', dateOfBirth: '2001-02-29' });
    expect(err.code).toBe('HOLDER_INVALID');
    expect(err.message).toMatch(/dateOfBirth: not a real calendar date/);
    expect(err.message).not.toContain('2001');
  });

  it('refuses unknown keys, wrong types and missing required fields, naming the field only', () => {
    expect(holderError({ ...example(), surname: 'X' }).message).toMatch(/surname/);
    expect(holderError({ ...example(), fullName: 42 }).message).toMatch(/fullName/);
    const noName = example();
    delete noName.fullName;
    expect(holderError(noName).message).toMatch(/fullName/);
    const badScheme = holderError({ ...example(), status: { ...(example().status as object), scheme: 'Tier 2' } });
    expect(badScheme.message).toMatch(/status\.scheme/);
    expect(badScheme.message).not.toContain('Jordan');
    expect(holderError({ ...example(), status: { ...(example().status as object), validUntil: '2030-13-01' } }).message).toMatch(
      /status\.validUntil/,
    );
    expect(holderError({ ...example(), status: { ...(example().status as object), validFrom: '1969-12-31' } }).message).toMatch(
      /status\.validFrom: must be on or after 1970/,
    );
    const reversed = holderError({
      ...example(),
      status: { ...(example().status as object), validFrom: '2026-05-02', validUntil: '2026-05-01' },
    });
    expect(reversed.message).toMatch(/status\.validUntil: ends before validFrom/);
    expect(reversed.message).not.toMatch(/2026-05/);
    expect(
      parseHolder({ ...example(), status: { ...(example().status as object), validFrom: '2026-05-01', validUntil: '2026-05-01' } }).status
        ?.validUntil,
    ).toBe('2026-05-01');
    expect(holderError([1, 2]).code).toBe('HOLDER_INVALID');
    expect(holderError(null).code).toBe('HOLDER_INVALID');
  });
});
