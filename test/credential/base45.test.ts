import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode, isBase45Alphabet } from '../../src/credential/base45.js';
import { CredentialError } from '../../src/credential/errors.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('Base45 (RFC 9285)', () => {
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('RFC 9285 example %s ↔ %s', (plain, encoded) => {
    expect(base45Encode(text(plain))).toBe(encoded);
    expect(new TextDecoder().decode(base45Decode(encoded))).toBe(plain);
  });

  it.each([
    ['GGW', 'triple 65535+ (RFC 9285 §6)'],
    [':::', 'triple far above 65535'],
    ['::', 'final pair above 255'],
    ['A', 'length 1 mod 3'],
    ['ABCD', 'length 4'],
    ['AB!', 'character outside the alphabet'],
    ['ab8', 'lowercase'],
  ])('rejects %s (%s)', (bad) => {
    expect(() => base45Decode(bad)).toThrow(CredentialError);
    try {
      base45Decode(bad);
    } catch (err) {
      expect((err as CredentialError).code).toBe('BASE45_INVALID');
    }
  });

  it('the largest valid triple and pair decode', () => {
    expect([...base45Decode('FGW')]).toEqual([0xff, 0xff]);
    expect([...base45Decode('U5')]).toEqual([0xff]);
  });

  it('round-trips any bytes, and every decodable text re-encodes to itself (no aliasing)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base45Decode(base45Encode(bytes))).toEqual(bytes);
      }),
    );
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((a) => a.join('')),
        (s) => {
          let bytes: Uint8Array;
          try {
            bytes = base45Decode(s);
          } catch {
            return;
          }
          expect(base45Encode(bytes)).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('isBase45Alphabet', () => {
    expect(isBase45Alphabet('ABC $%*+-./:09')).toBe(true);
    expect(isBase45Alphabet('abc')).toBe(false);
    expect(isBase45Alphabet('https://x')).toBe(false);
    expect(isBase45Alphabet('É')).toBe(false);
  });
});
