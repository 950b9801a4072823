/** The point checks themselves (src/trust/points.ts): what they refuse, and that real keys pass. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalBase64url, ed25519KeyProblem, jwkPointProblem, p256KeyProblem } from '../../src/trust/points.js';

const le = (n: bigint): Buffer => {
  const b = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, n >>= 8n) b[i] = Number(n & 255n);
  return b;
};
const p = 2n ** 255n - 19n;

describe('Ed25519 point checks (RFC 8032 §5.1.3)', () => {
  it('passes 500 generated public keys', () => {
    for (let i = 0; i < 500; i++) {
      const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      expect(ed25519KeyProblem(Buffer.from(x, 'base64url'))).toBeNull();
    }
  });

  it('refuses y ≥ p for every such y, a y with no x on the curve, and the wrong length', () => {
    for (let y = p; y < 2n ** 255n; y++) expect(ed25519KeyProblem(le(y))).toMatch(/non-canonical/);
    expect(ed25519KeyProblem(le(2n))).toMatch(/not a point on the curve/);
    expect(ed25519KeyProblem(new Uint8Array(31))).toMatch(/31 bytes/);
  });

  it('finds the small-order points by computing [8]A, not from a table: every torsion point y of order 2 and 4 (y = −1, y = 0)', () => {
    expect(ed25519KeyProblem(le(p - 1n))).toMatch(/small-order/);
    expect(ed25519KeyProblem(le(0n))).toMatch(/small-order/);
    expect(ed25519KeyProblem(le(1n))).toMatch(/small-order/);
  });
});

describe('P-256 point checks (SEC 1 §3.2.2.1)', () => {
  it('passes 200 generated public keys and refuses a wrong length', () => {
    for (let i = 0; i < 200; i++) {
      const j = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
      expect(p256KeyProblem(Buffer.from(j.x!, 'base64url'), Buffer.from(j.y!, 'base64url'))).toBeNull();
      expect(jwkPointProblem(j)).toBeNull();
    }
    expect(p256KeyProblem(new Uint8Array(32), new Uint8Array(31))).toMatch(/31 bytes/);
  });
});

describe('canonical base64url', () => {
  it('accepts the one spelling of some bytes and refuses padding, other alphabets and stray low bits', () => {
    expect([...canonicalBase64url('AQID')!]).toEqual([1, 2, 3]);
    expect([...canonicalBase64url('AQI')!]).toEqual([1, 2]);
    expect(canonicalBase64url('AQJ')).toBeNull();
    expect(canonicalBase64url('AQI=')).toBeNull();
    expect(canonicalBase64url('AQ+/')).toBeNull();
  });
});
