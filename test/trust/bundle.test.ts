import { describe, expect, it } from 'vitest';
import { CompactSign } from 'jose';
import { buildBundle, verifyBundle, BUNDLE_TYP } from '../../src/trust/bundle.js';
import { rootFromJwk, signingKeyFromJwk } from '../../src/trust/jwk.js';
import { TrustError } from '../../src/trust/errors.js';
import { MAX_BUNDLE_FILE_BYTES } from '../../src/trust/limits.js';
import { bundleOf, makeKeyPair, statusListOf, T0 } from './helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const root = makeKeyPair('root-1');
const otherRoot = makeKeyPair('root-2');
const esRoot = makeKeyPair('root-es', 'ES256');
const issuer = makeKeyPair('issuer-a');

async function refusal(p: Promise<unknown>): Promise<TrustError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrustError);
  expect((err as TrustError).message).not.toContain('\n');
  return err as TrustError;
}

/** Signs an arbitrary header + payload with a key (to forge bundles the builder would never make). */
async function forge(header: Record<string, unknown>, payload: unknown, key = root): Promise<string> {
  const signer = await signingKeyFromJwk(key.privateJwk);
  return new CompactSign(enc(JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(signer.key);
}

describe('trust bundle', () => {
  it('round-trips: build with the root private key, verify with the pinned root public key', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const text = await bundleOf(
      root,
      [{ ...issuer.publicJwk, notBefore: T0 - 100, notAfter: T0 + 100, purposes: ['work'] }],
      3,
      T0,
      T0 + 86400,
    );
    expect(text).not.toContain('\n');
    const b = await verifyBundle(enc(text), pinned, { now: T0, highestSeq: 2 });
    expect(b.seq).toBe(3);
    expect(b.iat).toBe(T0);
    expect(b.exp).toBe(T0 + 86400);
    expect(b.keys).toHaveLength(1);
    expect(b.keys[0]).toMatchObject({ kid: 'issuer-a', notBefore: T0 - 100, notAfter: T0 + 100, purposes: ['work'] });
  });

  it('works with an ES256 root too', async () => {
    const pinned = await rootFromJwk(esRoot.publicJwk);
    const b = await verifyBundle(enc(await bundleOf(esRoot, [issuer.publicJwk], 1)), pinned, { now: T0 });
    expect(b.alg).toBe('ES256');
  });

  it('refuses a bundle signed by another root (WRONG_ROOT), and one whose kid lies (SIGNATURE_INVALID)', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    expect((await refusal(verifyBundle(enc(await bundleOf(otherRoot, [issuer.publicJwk], 1)), pinned, { now: T0 }))).code).toBe(
      'WRONG_ROOT',
    );
    expect((await refusal(verifyBundle(enc(await bundleOf(esRoot, [issuer.publicJwk], 1)), pinned, { now: T0 }))).code).toBe('WRONG_ROOT');
    const lying = await forge(
      { alg: 'EdDSA', typ: BUNDLE_TYP, kid: pinned.thumbprint },
      { seq: 1, iat: T0, keys: [issuer.publicJwk] },
      otherRoot,
    );
    expect((await refusal(verifyBundle(enc(lying), pinned, { now: T0 }))).code).toBe('SIGNATURE_INVALID');
  });

  it('refuses every single-character tampering of the payload and signature', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const text = await bundleOf(root, [issuer.publicJwk], 1);
    const firstDot = text.indexOf('.');
    let checked = 0;
    for (let i = firstDot + 1; i < text.length; i += 7) {
      if (text[i] === '.') continue;
      const flipped = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
      const err = await refusal(verifyBundle(enc(flipped), pinned, { now: T0 }));
      expect(['SIGNATURE_INVALID', 'MALFORMED']).toContain(err.code);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('refuses truncated files', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const text = await bundleOf(root, [issuer.publicJwk], 1);
    for (const cut of [0, 10, text.indexOf('.') + 1, text.lastIndexOf('.'), text.length - 1]) {
      const err = await refusal(verifyBundle(enc(text.slice(0, cut)), pinned, { now: T0 }));
      expect(['MALFORMED', 'SIGNATURE_INVALID']).toContain(err.code);
    }
  });

  it('never takes a key from the header: jwk, x5c, jku, x5u are refused before any signature work', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const payload = { seq: 1, iat: T0, keys: [issuer.publicJwk] };
    for (const extra of [
      { jwk: otherRoot.publicJwk },
      { x5c: ['MIIB'] },
      { jku: 'https://evil.example/jwks' },
      { x5u: 'https://evil.example/cert' },
      { crit: ['b64'], b64: true },
    ]) {
      const text = await forge({ alg: 'EdDSA', typ: BUNDLE_TYP, ...extra }, payload, otherRoot);
      const err = await refusal(verifyBundle(enc(text), pinned, { now: T0 }));
      expect(err.code).toBe('HEADER_NOT_ALLOWED');
      expect(err.message).toContain(Object.keys(extra)[0]!);
    }
  });

  it('refuses alg none and algorithms outside EdDSA/ES256', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: BUNDLE_TYP })}.${b64({ seq: 1, iat: T0, keys: [issuer.publicJwk] })}.`;
    expect((await refusal(verifyBundle(enc(none), pinned, { now: T0 }))).code).toBe('MALFORMED'); // empty signature part
    const noneSig = `${b64({ alg: 'none', typ: BUNDLE_TYP })}.${b64({ seq: 1, iat: T0, keys: [issuer.publicJwk] })}.AAAA`;
    expect((await refusal(verifyBundle(enc(noneSig), pinned, { now: T0 }))).code).toBe('ALG_NOT_ALLOWED');
    const hs = `${b64({ alg: 'HS256', typ: BUNDLE_TYP })}.${b64({ seq: 1 })}.AAAA`;
    expect((await refusal(verifyBundle(enc(hs), pinned, { now: T0 }))).code).toBe('ALG_NOT_ALLOWED');
  });

  it('refuses replayed, older and equal sequence numbers (anti-rollback)', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const five = enc(await bundleOf(root, [issuer.publicJwk], 5));
    const equal = await refusal(verifyBundle(five, pinned, { now: T0, highestSeq: 5 }));
    expect(equal.code).toBe('ROLLBACK');
    expect(equal.message).toContain('already installed');
    const older = await refusal(verifyBundle(five, pinned, { now: T0, highestSeq: 9 }));
    expect(older.code).toBe('ROLLBACK');
    expect(older.message).toContain('older');
    await expect(verifyBundle(five, pinned, { now: T0, highestSeq: 4 })).resolves.toMatchObject({ seq: 5 });
  });

  it('refuses a bundle issued in the kiosk future beyond the skew, accepts one within it', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const b = enc(await bundleOf(root, [issuer.publicJwk], 1, T0 + 301));
    expect((await refusal(verifyBundle(b, pinned, { now: T0, skewSeconds: 300 }))).code).toBe('ISSUED_IN_FUTURE');
    const edge = enc(await bundleOf(root, [issuer.publicJwk], 1, T0 + 300));
    await expect(verifyBundle(edge, pinned, { now: T0, skewSeconds: 300 })).resolves.toMatchObject({ seq: 1 });
  });

  it('refuses an expired bundle on import', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const b = enc(await bundleOf(root, [issuer.publicJwk], 1, T0 - 1000, T0 - 500));
    expect((await refusal(verifyBundle(b, pinned, { now: T0, refuseExpired: true }))).code).toBe('EXPIRED');
  });

  it('refuses oversize files before parsing', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const big = new Uint8Array(MAX_BUNDLE_FILE_BYTES + 1).fill(0x41);
    expect((await refusal(verifyBundle(big, pinned, { now: T0 }))).code).toBe('FILE_TOO_LARGE');
  });

  it('refuses the wrong type: a status list or another JWS given as a bundle', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const list = await statusListOf(issuer, 'https://status.example/1', 16, {});
    const err = await refusal(verifyBundle(list, pinned, { now: T0 }));
    expect(err.code).toBe('WRONG_TYPE');
    expect(err.message).toContain('status list');
    const jwt = await forge({ alg: 'EdDSA', typ: 'JWT' }, { sub: 'x' });
    expect((await refusal(verifyBundle(enc(jwt), pinned, { now: T0 }))).code).toBe('WRONG_TYPE');
  });

  it('refuses malformed payloads and keys even when properly signed', async () => {
    const pinned = await rootFromJwk(root.publicJwk);
    const cases: Array<[unknown, string]> = [
      [{ seq: 0, iat: T0, keys: [issuer.publicJwk] }, 'MALFORMED'],
      [{ seq: 1, iat: 'now', keys: [issuer.publicJwk] }, 'MALFORMED'],
      [{ seq: 1, iat: T0, keys: [] }, 'MALFORMED'],
      [{ seq: 1, iat: T0, keys: [issuer.privateJwk] }, 'PRIVATE_KEY_AS_TRUST'],
      [{ seq: 1, iat: T0, keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] }, 'KEY_INVALID'],
      [{ seq: 1, iat: T0, keys: [{ ...issuer.publicJwk, notBefore: 10, notAfter: 5 }] }, 'KEY_INVALID'],
      [{ seq: 1, iat: T0, keys: [{ ...issuer.publicJwk, purposes: ['everything'] }] }, 'KEY_INVALID'],
      [{ seq: 1, iat: T0, keys: [issuer.publicJwk, issuer.publicJwk] }, 'KEY_INVALID'],
    ];
    for (const [payload, code] of cases) {
      const text = await forge({ alg: 'EdDSA', typ: BUNDLE_TYP }, payload);
      expect((await refusal(verifyBundle(enc(text), pinned, { now: T0 }))).code).toBe(code);
    }
  });

  it('the builder refuses a private issuer key (it would leak on the USB stick) and a public root key', async () => {
    expect(
      (await refusal(buildBundle({ rootPrivateJwk: root.privateJwk, issuers: { keys: [issuer.privateJwk] }, seq: 1, iat: T0 }))).code,
    ).toBe('PRIVATE_KEY_AS_TRUST');
    expect((await refusal(buildBundle({ rootPrivateJwk: root.publicJwk, issuers: issuer.publicJwk, seq: 1, iat: T0 }))).code).toBe(
      'KEY_INVALID',
    );
  });

  it('pinning refuses a private root key', async () => {
    expect((await refusal(rootFromJwk(root.privateJwk))).message).toContain('PRIVATE');
  });
});
