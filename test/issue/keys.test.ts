import { createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IssueError } from '../../src/issue/errors.js';
import { generateIssuerKey, signerFromJwk } from '../../src/issue/keys.js';
import { loadKeySet } from '../../src/trust/keyset.js';

describe('issuer keys', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: the private JWK signs, the public JWK loads into a verifier key set and checks the signature`, async () => {
      const pair = await generateIssuerKey(alg);
      expect(pair.kid).toMatch(/^[A-Za-z0-9_-]{11}$/);
      expect(pair.publicJwk).not.toHaveProperty('d');
      const signer = signerFromJwk(pair.privateJwk);
      expect(signer).toMatchObject({ alg, kid: pair.kid });
      const set = await loadKeySet({ keys: [pair.publicJwk] });
      const trusted = set.byKid.get(pair.kid)!;
      expect(trusted.alg).toBe(alg);
      const message = Buffer.from('sig structure');
      const signature =
        alg === 'EdDSA' ? sign(null, message, signer.key) : sign('sha256', message, { key: signer.key, dsaEncoding: 'ieee-p1363' });
      const ok =
        alg === 'EdDSA'
          ? verify(null, message, trusted.key, signature)
          : verify('sha256', message, { key: trusted.key, dsaEncoding: 'ieee-p1363' }, signature);
      expect(ok).toBe(true);
    });
  }

  it('two generated keys differ, and a chosen kid is kept', async () => {
    const a = await generateIssuerKey('EdDSA', 'issuer-a');
    const b = await generateIssuerKey('EdDSA');
    expect(a.kid).toBe('issuer-a');
    expect(a.publicJwk.x).not.toBe(b.publicJwk.x);
  });

  it('refuses public keys, key sets, other key types, and a public part that does not match the private scalar', async () => {
    const pair = await generateIssuerKey('EdDSA');
    const other = await generateIssuerKey('EdDSA');
    const code = (v: unknown) => {
      try {
        signerFromJwk(v);
        return 'accepted';
      } catch (err) {
        return err instanceof IssueError ? err.code : 'other error';
      }
    };
    expect(code(pair.publicJwk)).toBe('KEY_INVALID');
    expect(code({ keys: [pair.privateJwk] })).toBe('KEY_INVALID');
    expect(code({ kty: 'RSA', d: 'AA' })).toBe('KEY_INVALID');
    expect(code({ ...pair.privateJwk, x: other.publicJwk.x })).toBe('KEY_INVALID');
    expect(code({ ...pair.privateJwk, alg: 'ES256' })).toBe('KEY_INVALID');
    expect(code({ ...pair.privateJwk, d: 'not-base64url!' })).toBe('KEY_INVALID');
    expect(code('text')).toBe('KEY_INVALID');
    expect(createPublicKey(signerFromJwk(pair.privateJwk).key).asymmetricKeyType).toBe('ed25519');
  });
});
