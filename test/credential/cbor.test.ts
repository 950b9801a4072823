import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborTag, decodeCbor, encodeCbor, type CborValue } from '../../src/credential/cbor.js';
import { CredentialError } from '../../src/credential/errors.js';
import { MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MAX_CBOR_STRING_BYTES } from '../../src/credential/limits.js';
import { codeOf as codeOfError } from '../code-of.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));

const codeOf = (bytes: Uint8Array) => codeOfError(() => decodeCbor(bytes), CredentialError);

describe('strict CBOR decoding', () => {
  it('decodes RFC 8949 Appendix A examples', () => {
    expect(decodeCbor(hex('00'))).toBe(0);
    expect(decodeCbor(hex('1903e8'))).toBe(1000);
    expect(decodeCbor(hex('1bffffffffffffffff'))).toBe(18446744073709551615n);
    expect(decodeCbor(hex('1b001fffffffffffff'))).toBe(2 ** 53 - 1);
    expect(decodeCbor(hex('3903e7'))).toBe(-1000);
    expect(decodeCbor(hex('3bffffffffffffffff'))).toBe(-18446744073709551616n);
    expect(decodeCbor(hex('f93c00'))).toBe(1);
    expect(decodeCbor(hex('f97bff'))).toBe(65504);
    expect(decodeCbor(hex('fa47c35000'))).toBe(100000);
    expect(decodeCbor(hex('fb3ff199999999999a'))).toBe(1.1);
    expect(decodeCbor(hex('f4'))).toBe(false);
    expect(decodeCbor(hex('f6'))).toBe(null);
    expect(decodeCbor(hex('6449455446'))).toBe('IETF');
    expect(decodeCbor(hex('62c3bc'))).toBe('ü');
    expect(decodeCbor(hex('4401020304'))).toEqual(hex('01020304'));
    expect(decodeCbor(hex('83010203'))).toEqual([1, 2, 3]);
    expect(decodeCbor(hex('a201020304'))).toEqual(
      new Map([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(decodeCbor(hex('c11a514b67b0'))).toEqual(new CborTag(1, 1363896240));
  });

  it.each([
    ['duplicate integer key', 'a2 01 02 01 03', 'CBOR_INVALID'],
    ['duplicate key, second one non-minimal', 'a2 01 02 18 01 03', 'CBOR_INVALID'],
    ['duplicate text key', 'a2 6161 01 6161 02', 'CBOR_INVALID'],
    ['duplicate byte-string key', 'a2 4101 01 4101 02', 'CBOR_INVALID'],
    ['duplicate array key', 'a2 8101 01 8101 02', 'CBOR_INVALID'],
    ['indefinite-length array', '9f 01 ff', 'CBOR_INVALID'],
    ['indefinite-length text', '7f 6161 ff', 'CBOR_INVALID'],
    ['stray break', 'ff', 'CBOR_INVALID'],
    ['reserved additional info 28', '1c', 'CBOR_INVALID'],
    ['unassigned simple value', 'f0', 'CBOR_INVALID'],
    ['two-byte simple value', 'f8 20', 'CBOR_INVALID'],
    ['trailing byte', '01 00', 'CBOR_INVALID'],
    ['truncated integer', '19 01', 'CBOR_INVALID'],
    ['truncated string', '45 0102', 'CBOR_INVALID'],
    ['array claiming 2^32 items', '9b 00 00 00 01 00 00 00 00', 'CBOR_INVALID'],
    ['map claiming 1e9 pairs in 6 bytes', 'ba 3b 9a ca 00 01', 'CBOR_INVALID'],
    ['invalid UTF-8', '62 c3 28', 'CBOR_INVALID'],
    ['empty input', '', 'CBOR_INVALID'],
  ])('%s → %s', (_label, bytes, code) => {
    expect(codeOf(hex(bytes))).toBe(code);
  });

  it('limits depth without recursion trouble', () => {
    const ok = new Uint8Array(MAX_CBOR_DEPTH + 1).fill(0x81);
    ok[MAX_CBOR_DEPTH] = 0x00; // MAX_CBOR_DEPTH arrays around a 0
    expect(codeOf(ok)).toBe('ok');
    const deep = new Uint8Array(MAX_CBOR_DEPTH + 2).fill(0x81);
    deep[MAX_CBOR_DEPTH + 1] = 0x00;
    expect(codeOf(deep)).toBe('CBOR_INVALID');
    expect(codeOf(new Uint8Array(1_000_000).fill(0xc6))).toBe('CBOR_INVALID'); // a million nested tags
  });

  it('limits item count and string size', () => {
    const many = encodeCbor(new Array(MAX_CBOR_ITEMS).fill(0));
    expect(codeOf(many)).toBe('PAYLOAD_TOO_LARGE');
    expect(codeOf(encodeCbor(new Array(MAX_CBOR_ITEMS - 1).fill(0)))).toBe('ok');
    expect(codeOf(encodeCbor(new Uint8Array(MAX_CBOR_STRING_BYTES)))).toBe('ok');
    expect(codeOf(encodeCbor(new Uint8Array(MAX_CBOR_STRING_BYTES + 1)))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('encodes shortest heads and definite lengths', () => {
    expect(
      Buffer.from(
        encodeCbor(
          new Map<CborValue, CborValue>([
            [1, -8],
            [4, hex('6b31')],
          ]),
        ),
      ).toString('hex'),
    ).toBe('a2012704426b31');
    expect(Buffer.from(encodeCbor(23)).toString('hex')).toBe('17');
    expect(Buffer.from(encodeCbor(24)).toString('hex')).toBe('1818');
    expect(Buffer.from(encodeCbor(-65537)).toString('hex')).toBe('3a00010000');
    expect(Buffer.from(encodeCbor(2 ** 32)).toString('hex')).toBe('1b0000000100000000');
    expect(Buffer.from(encodeCbor(new CborTag(18, []))).toString('hex')).toBe('d280');
  });

  const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.integer(),
      fc
        .bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n })
        .filter((b) => b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)),
      fc.string(),
      fc.uint8Array({ maxLength: 40 }),
      fc.boolean(),
      fc.constant(null),
      fc.double({ noNaN: true }).filter((d) => !Number.isSafeInteger(d)),
      fc.array(tie('v'), { maxLength: 4 }),
      fc
        .uniqueArray(fc.tuple(fc.oneof(fc.integer(), fc.string()), tie('v')), { maxLength: 4, selector: ([k]) => k })
        .map((e) => new Map<CborValue, CborValue>(e)),
    ),
  })).v;

  it('decode(encode(x)) = x for generated values (property)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeCbor(encodeCbor(v))).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but CredentialError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeCbor(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(CredentialError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
