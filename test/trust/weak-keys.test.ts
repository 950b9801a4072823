/**
 * Unsafe public keys are refused wherever a key is loaded: a small-order Ed25519 key is a master forgery key (the
 * signature R = identity, S = 0 verifies for any content under the identity point), so it must never get into a
 * key set, a bundle or the pinned root. This file uses only the public entry points (no point-check internals).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CborTag, base45Encode, encodeCbor, encodeClaimsMap, zlibCompress, type CborValue } from '../../src/credential/index.js';
import { buildBundle } from '../../src/trust/bundle.js';
import { TrustError } from '../../src/trust/errors.js';
import { KeySetError, loadKeySet, type KeySet, type TrustedKey } from '../../src/trust/keyset.js';
import { thumbprintOf } from '../../src/trust/jwk.js';
import { importTrustBytes, initStore, readStore } from '../../src/trust/store.js';
import { verify } from '../../src/verify/verify.js';
import { createPublicKey } from 'node:crypto';
import { ensureBuilt, makeKeyPair, removeDir, ROOT, T0, tempDir, treeBytes } from './helpers.js';

/**
 * The 8 points of Ed25519 whose order divides the cofactor 8 (RFC 8032 §5.1: h = 8), canonically encoded
 * (RFC 8032 §5.1.2): the identity (order 1), (0, −1) (order 2), two of order 4 and four of order 8 — the list in
 * Chalkias, Garillot, Nikolaenko, "Taming the many EdDSAs" (2020), and libsodium's blocklist.
 */
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];
/** Non-canonical encodings (RFC 8032 §5.1.3 steps 1 and 4): y = p + 1 (≡ 1, the identity again), y = p, and the identity with the sign bit set. */
const NON_CANONICAL = [
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0100000000000000000000000000000000000000000000000000000000000080',
];
const IDENTITY = SMALL_ORDER[0]!;

const edJwk = (hex: string, kid: string) => ({ kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url'), kid });

/** A credential "signed" with R = identity, S = 0: no private key involved. */
function forgedCode(kid: string): string {
  const protectedBytes = encodeCbor(
    new Map<CborValue, CborValue>([
      [1, -8],
      [4, new TextEncoder().encode(kid)],
    ]),
  );
  const payload = encodeCbor(
    encodeClaimsMap({
      identity: { fullName: 'Anyone At All', dateOfBirth: '19800101' },
      status: { scheme: 'EUSS', statusType: 'indefinite', work: { kind: 'unrestricted' }, rent: true, publicFunds: true, purpose: 'all' },
      cwt: { iss: 'forger', iat: T0, exp: T0 + 10 * 365 * 86400 },
    }),
  );
  const signature = Buffer.concat([Buffer.from(IDENTITY, 'hex'), Buffer.alloc(32)]);
  return base45Encode(zlibCompress(encodeCbor(new CborTag(18, [protectedBytes, new Map(), payload, signature]))));
}

/** P-256 coordinates (big-endian hex) of keys that are not public keys. */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
function modPow(b: bigint, e: bigint): bigint {
  let r = 1n;
  for (b %= P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}
/** (5, Y_AT_5) is on P-256 (p ≡ 3 mod 4, so the root is rhs^((p+1)/4)); x = 5 + p spells the same x non-canonically. */
const Y_AT_5 = modPow((125n - 15n + B) % P, (P + 1n) / 4n);
const be = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
function p256Bad(): Array<[string, { kty: string; crv: string; x: string; y: string }]> {
  const good = createPublicKey({
    key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
    format: 'jwk',
  }).export({ format: 'jwk' });
  const y = BigInt(`0x${Buffer.from(good.y!, 'base64url').toString('hex')}`);
  return [
    ['off the curve', { kty: 'EC', crv: 'P-256', x: good.x!, y: be((y + 1n) % P) }],
    ['at infinity (0, 0)', { kty: 'EC', crv: 'P-256', x: be(0n), y: be(0n) }],
    ['coordinate ≥ p', { kty: 'EC', crv: 'P-256', x: be(5n + P), y: be(Y_AT_5) }],
  ];
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KeySetError || err instanceof TrustError) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: 'accepted', message: '' };
}

let work = '';
beforeAll(() => {
  ensureBuilt();
  work = tempDir('proofdesk-weak-keys-');
}, 180_000);
afterAll(() => removeDir(work));

describe('small-order and non-canonical Ed25519 keys', () => {
  it('why they are refused: a forged code verifies under the identity key if it is ever trusted', () => {
    const k = createPublicKey({ key: edJwk(IDENTITY, 'evil'), format: 'jwk' });
    const trusted: TrustedKey = { kid: 'evil', thumbprint: 'x', alg: 'EdDSA', key: k };
    const keys: KeySet = { keys: [trusted], byKid: new Map([['evil', trusted]]) };
    expect(verify(forgedCode('evil'), { keys, now: T0 * 1000 }).verdict).toBe('VALID');
  });

  it('loadKeySet refuses each of the 8 small-order points and the non-canonical encodings, naming the key (KEY_POINT_INVALID)', async () => {
    for (const hex of [...SMALL_ORDER, ...NON_CANONICAL]) {
      const r = await refusal(loadKeySet({ keys: [edJwk(hex, `evil-${hex.slice(0, 4)}`)] }));
      expect(r.code, hex).toBe('KEY_POINT_INVALID');
      expect(r.message).toContain(`evil-${hex.slice(0, 4)}`);
      expect(r.message).toMatch(/small-order|non-canonical/);
    }
    // A real key spelled in non-canonical base64url (the same bytes, a second thumbprint) is refused too.
    const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = x.slice(0, -1) + alphabet[alphabet.indexOf(x.at(-1)!) ^ 1];
    expect((await refusal(loadKeySet({ kty: 'OKP', crv: 'Ed25519', x: respelled }))).code).toBe('KEY_POINT_INVALID');
  });

  it('verify --keys with a key file holding the identity point refuses (exit 2, names the file), never VALID', () => {
    const keys = join(work, 'evil.jwks');
    writeFileSync(keys, JSON.stringify({ keys: [edJwk(IDENTITY, 'evil')] }));
    const code = join(work, 'forged.txt');
    writeFileSync(code, forgedCode('evil'));
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli/main.js'), 'verify', '--keys', keys, '--at', new Date(T0 * 1000).toISOString(), code],
      { encoding: 'utf8' },
    );
    expect(r.stdout).not.toContain('VALID:');
    expect(r.status, r.stdout).toBe(2);
    expect(r.stderr).toContain('evil.jwks');
    expect(r.stderr).toContain('small-order');
  });

  it('trust build refuses to sign one into a bundle; trust import refuses a root-signed bundle holding one; trust init refuses one as the root', async () => {
    const root = makeKeyPair('root');
    const evil = edJwk(IDENTITY, 'evil');
    expect((await refusal(buildBundle({ rootPrivateJwk: root.privateJwk, issuers: { keys: [evil] }, seq: 1, iat: T0 }))).code).toBe(
      'KEY_POINT_INVALID',
    );

    const dir = tempDir();
    try {
      await initStore(dir, root.publicJwk);
      const payload = JSON.stringify({ seq: 1, iat: T0, keys: [evil] });
      const text = await new CompactSign(new TextEncoder().encode(payload))
        .setProtectedHeader({ alg: 'EdDSA', typ: 'proofdesk-trust-bundle+jws', kid: await thumbprintOf(root.publicJwk as never) })
        .sign(root.privateKey);
      const before = treeBytes(dir);
      const r = await refusal(importTrustBytes(dir, new TextEncoder().encode(text), { now: T0 }));
      expect(r.code).toBe('KEY_POINT_INVALID');
      expect(r.message).toContain('evil');
      expect(treeBytes(dir)).toEqual(before);
      expect((await readStore(dir, { now: T0 })).bundle).toBeNull();
    } finally {
      removeDir(dir);
    }

    const fresh = tempDir();
    try {
      for (const hex of SMALL_ORDER) expect((await refusal(initStore(fresh, edJwk(hex, 'root')))).code).toBe('KEY_POINT_INVALID');
    } finally {
      removeDir(fresh);
    }
  });
});

describe('P-256 points that are not public keys', () => {
  it('are refused with KEY_POINT_INVALID by loadKeySet and by the bundle checks', async () => {
    const root = makeKeyPair('root');
    for (const [what, jwk] of p256Bad()) {
      expect((await refusal(loadKeySet({ ...jwk, kid: 'bad' }))).code, what).toBe('KEY_POINT_INVALID');
      expect(
        (await refusal(buildBundle({ rootPrivateJwk: root.privateJwk, issuers: { keys: [{ ...jwk, kid: 'bad' }] }, seq: 1, iat: T0 })))
          .code,
        what,
      ).toBe('KEY_POINT_INVALID');
    }
  });

  it('real keys of both kinds still load', async () => {
    for (let i = 0; i < 50; i++) {
      const set = await loadKeySet({ keys: [makeKeyPair(`e${i}`).publicJwk, makeKeyPair(`p${i}`, 'ES256').publicJwk] });
      expect(set.keys).toHaveLength(2);
    }
  });
});
