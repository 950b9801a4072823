import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { keySetFromJwks, KeySetError, loadKeySet, makeKeySet, trustedKeyFromJwk } from '../../src/trust/keyset.js';
import { codeOfAsync } from '../code-of.js';

const dir = mkdtempSync(join(tmpdir(), 'proofdesk-keyset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pair(kind: 'ed25519' | 'p256') {
  const { privateKey, publicKey } =
    kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    priv: privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
    pub: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
  };
}

const codeOf = (p: Promise<unknown>) => codeOfAsync(p, KeySetError);

describe('loadKeySet', () => {
  it('loads a JWKS of Ed25519 and P-256 keys with kids, algs and thumbprints', async () => {
    const a = pair('ed25519');
    const b = pair('p256');
    const set = await loadKeySet({
      keys: [
        { ...a.pub, kid: 'a' },
        { ...b.pub, kid: 'b', alg: 'ES256', use: 'sig' },
      ],
    });
    expect(set.keys.map((k) => [k.kid, k.alg, k.key.type])).toEqual([
      ['a', 'EdDSA', 'public'],
      ['b', 'ES256', 'public'],
    ]);
    expect(set.byKid.get('b')!.alg).toBe('ES256');
    expect(set.keys[0]!.thumbprint).toBe(await calculateJwkThumbprint(a.pub as never));
  });

  it('accepts a single public JWK', async () => {
    const a = pair('ed25519');
    const set = await loadKeySet({ ...a.pub, kid: 'signer' });
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]!.key.type).toBe('public');
    expect(set.keys[0]!.thumbprint).toBe(await calculateJwkThumbprint(a.pub as never));
  });

  it('refuses a private JWK, alone or in a set, naming the key (PRIVATE_KEY_AS_TRUST): a private key is never trust', async () => {
    const a = pair('ed25519');
    for (const input of [
      { ...a.priv, kid: 'signer' },
      {
        keys: [
          { ...pair('p256').pub, kid: 'fine' },
          { ...a.priv, kid: 'signer' },
        ],
      },
    ]) {
      const err = await loadKeySet(input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KeySetError);
      expect((err as KeySetError).code).toBe('PRIVATE_KEY_AS_TRUST');
      expect((err as KeySetError).message).toMatch(/key "signer" is a PRIVATE key .*"d".*\.public\.jwk or \*\.jwks/);
    }
    // trustedKeyFromJwk is the library's one-key door: the same refusal.
    const one = await trustedKeyFromJwk({ ...pair('p256').priv }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((one as KeySetError).code).toBe('PRIVATE_KEY_AS_TRUST');
  });

  it('reads a file path', async () => {
    const a = pair('p256');
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify({ keys: [{ ...a.pub, kid: 'file' }] }));
    expect((await loadKeySet(path)).byKid.has('file')).toBe(true);
  });

  it('reads the optional signing window and purposes', async () => {
    const a = pair('ed25519');
    const set = await keySetFromJwks({
      keys: [{ ...a.pub, kid: 'w', notBefore: 1700000000, notAfter: 1800000000, purposes: ['work', 'all'] }],
    });
    expect(set.keys[0]).toMatchObject({ notBefore: 1700000000, notAfter: 1800000000, purposes: ['work', 'all'] });
  });

  it.each([
    ['a missing file', () => loadKeySet(join(dir, 'nope.json')), 'KEYSET_UNREADABLE'],
    [
      'a file that is not JSON',
      () => (writeFileSync(join(dir, 'bad.json'), '{"keys": ['), loadKeySet(join(dir, 'bad.json'))),
      'KEYSET_MALFORMED',
    ],
    ['an array', () => loadKeySet([]), 'KEYSET_MALFORMED'],
    ['null', () => loadKeySet(null), 'KEYSET_MALFORMED'],
    ['keys not an array', () => loadKeySet({ keys: {} }), 'KEYSET_MALFORMED'],
    ['an object that is neither', () => loadKeySet({ foo: 1 }), 'KEYSET_MALFORMED'],
    ['an empty JWKS', () => loadKeySet({ keys: [] }), 'KEYSET_EMPTY'],
    ['an RSA key', () => loadKeySet({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }), 'JWK_UNSUPPORTED'],
    ['an X25519 key', () => loadKeySet({ kty: 'OKP', crv: 'X25519', x: Buffer.alloc(32).toString('base64url') }), 'JWK_UNSUPPORTED'],
    ['a P-384 key', () => loadKeySet({ kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA' }), 'JWK_UNSUPPORTED'],
    ['an Ed25519 key with alg ES256', () => loadKeySet({ ...pair('ed25519').pub, alg: 'ES256' }), 'JWK_UNSUPPORTED'],
    ['use enc', () => loadKeySet({ ...pair('ed25519').pub, use: 'enc' }), 'JWK_UNSUPPORTED'],
    [
      'a P-256 point not on the curve',
      () => loadKeySet({ ...pair('p256').pub, y: Buffer.alloc(32, 1).toString('base64url') }),
      'KEY_POINT_INVALID',
    ],
    ['an Ed25519 x of the wrong length', () => loadKeySet({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }), 'KEY_POINT_INVALID'],
    ['an empty kid', () => loadKeySet({ ...pair('ed25519').pub, kid: '' }), 'JWK_INVALID'],
    ['notBefore as text', () => loadKeySet({ ...pair('ed25519').pub, notBefore: '2025' }), 'JWK_INVALID'],
    ['notAfter before notBefore', () => loadKeySet({ ...pair('ed25519').pub, notBefore: 10, notAfter: 5 }), 'JWK_INVALID'],
    ['an unknown purpose', () => loadKeySet({ ...pair('ed25519').pub, purposes: ['housing'] }), 'JWK_INVALID'],
    [
      'two keys with one kid',
      () =>
        loadKeySet({
          keys: [
            { ...pair('ed25519').pub, kid: 'x' },
            { ...pair('p256').pub, kid: 'x' },
          ],
        }),
      'KID_DUPLICATE',
    ],
  ])('refuses %s with a coded one-line error', async (_label, load, code) => {
    expect(await codeOf(load())).toBe(code);
  });

  it('makeKeySet merges key sets and indexes kids', async () => {
    const one = await keySetFromJwks({ ...pair('ed25519').pub, kid: 'one' });
    const two = await keySetFromJwks({ ...pair('p256').pub });
    const merged = makeKeySet([...one.keys, ...two.keys]);
    expect(merged.keys).toHaveLength(2);
    expect([...merged.byKid.keys()]).toEqual(['one']);
  });
});
