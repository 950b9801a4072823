import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor, type CborMap, type CborValue } from '../../src/credential/cbor.js';
import { CredentialError } from '../../src/credential/errors.js';
import {
  daysToIso,
  decodeStatus,
  decodeStatusList,
  encodeStatus,
  encodeStatusList,
  isoToDays,
  STATUS_CLAIM_KEY,
} from '../../src/credential/status.js';
import type { StatusClaim } from '../../src/credential/types.js';
import { codeOf as codeOfError } from '../code-of.js';

const FULL: StatusClaim = {
  scheme: 'BNO',
  statusType: 'limited',
  validFrom: '2024-02-29',
  validUntil: '2029-02-28',
  work: { kind: 'restricted', condition: 'No work as a professional sportsperson' },
  rent: true,
  publicFunds: false,
  purpose: 'rent',
  holderRef: 'HO-7Q2-88A',
  document: { type: 'BRP', reference: 'ZU1234567' },
};

const map = (entries: Array<[CborValue, CborValue]>): CborMap => new Map(entries);

const codeOf = (fn: () => unknown) => codeOfError(fn, CredentialError);

describe('status claim', () => {
  it('uses a private-use CWT key below -65536', () => {
    expect(STATUS_CLAIM_KEY).toBe(-65537);
  });

  it('round-trips every field through CBOR', () => {
    expect(decodeStatus(decodeCbor(encodeCbor(encodeStatus(FULL))))).toEqual(FULL);
    const minimal: StatusClaim = {
      scheme: 'EUSS',
      statusType: 'indefinite',
      work: { kind: 'unrestricted' },
      rent: true,
      publicFunds: true,
      purpose: 'all',
    };
    expect(decodeStatus(decodeCbor(encodeCbor(encodeStatus(minimal))))).toEqual(minimal);
  });

  it('has the documented wire form (integer keys, day numbers)', () => {
    const wire = encodeStatus(FULL);
    expect([...wire.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(wire.get(1)).toBe(5); // BNO
    expect(wire.get(2)).toBe(2); // limited
    expect(wire.get(3)).toBe(19782); // 2024-02-29
    expect(wire.get(5)).toBe(2); // restricted
    expect(wire.get(9)).toBe(2); // rent
    expect(wire.get(11)).toEqual(
      map([
        [1, 'BRP'],
        [2, 'ZU1234567'],
      ]),
    );
  });

  it('day numbers are days since 1970-01-01 (RFC 8943)', () => {
    expect(isoToDays('1970-01-01')).toBe(0);
    expect(daysToIso(19782)).toBe('2024-02-29');
    expect(() => isoToDays('2023-02-29')).toThrow(RangeError);
    expect(() => isoToDays('29/02/2024')).toThrow(RangeError);
    expect(isoToDays('2024-02-29')).toBe(19782);
    // before the epoch, or a two-digit year Date.UTC would read as 19xx: refused
    for (const d of ['1969-12-31', '0080-01-01', '2024-13-01']) expect(() => isoToDays(d), d).toThrow(RangeError);
  });

  const base = () => encodeStatus(FULL);
  it.each([
    ['unknown key 12', (m: CborMap) => m.set(12, 1)],
    ['unknown key 0', (m: CborMap) => m.set(0, 1)],
    ['negative key', (m: CborMap) => m.set(-1, 1)],
    ['text key', (m: CborMap) => m.set('x', 1)],
    ['missing scheme', (m: CborMap) => m.delete(1)],
    ['missing purpose', (m: CborMap) => m.delete(9)],
    ['scheme 7', (m: CborMap) => m.set(1, 7)],
    ['status type 0', (m: CborMap) => m.set(2, 0)],
    ['purpose 5', (m: CborMap) => m.set(9, 5)],
    ['work 3', (m: CborMap) => m.set(5, 3)],
    ['restricted without a condition', (m: CborMap) => m.delete(6)],
    ['condition without restricted work', (m: CborMap) => m.set(5, 1)],
    ['rent as 1', (m: CborMap) => m.set(7, 1)],
    ['validUntil as text', (m: CborMap) => m.set(4, '2029-02-28')],
    ['validFrom negative', (m: CborMap) => m.set(3, -1)],
    ['validUntil past year 9999', (m: CborMap) => m.set(4, 3_000_000)],
    ['document missing its reference', (m: CborMap) => m.set(11, map([[1, 'BRP']]))],
  ])('%s is CLAIMS_INVALID', (_label, mutate) => {
    const m = base();
    mutate(m);
    expect(codeOf(() => decodeStatus(decodeCbor(encodeCbor(m))))).toBe('CLAIMS_INVALID');
  });

  it('ignores extension keys from 100 up', () => {
    const m = base();
    m.set(100, 'future');
    m.set(4711, map([[1, 2]]));
    expect(decodeStatus(decodeCbor(encodeCbor(m)))).toEqual(FULL);
  });
});

describe('status list reference (65535)', () => {
  it('round-trips {"status_list": {"idx", "uri"}}', () => {
    const ref = { idx: 1234, uri: 'https://status.example/1' };
    expect(decodeStatusList(decodeCbor(encodeCbor(encodeStatusList(ref))))).toEqual(ref);
  });

  it('is null when only another mechanism is named, CLAIMS_INVALID when malformed', () => {
    expect(decodeStatusList(map([['other_mechanism', 1]]))).toBeNull();
    expect(
      codeOf(() =>
        decodeStatusList(
          map([
            [
              'status_list',
              map([
                ['idx', -1],
                ['uri', 'x'],
              ]),
            ],
          ]),
        ),
      ),
    ).toBe('CLAIMS_INVALID');
    expect(codeOf(() => decodeStatusList(map([['status_list', map([['idx', 1]])]])))).toBe('CLAIMS_INVALID');
    expect(codeOf(() => decodeStatusList([1]))).toBe('CLAIMS_INVALID');
  });
});
