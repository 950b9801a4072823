import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { CompactSign } from 'jose';
import {
  StatusList,
  verifyStatusListToken,
  issuerKeyRefs,
  buildStatusListToken,
  STATUS_LIST_CWT_TYP,
} from '../../src/trust/status-list.js';
import { checkIssuerJwk, signingKeyFromJwk } from '../../src/trust/jwk.js';
import { TrustError } from '../../src/trust/errors.js';
import { MAX_NUMERIC_DATE, MAX_STATUS_LIST_BYTES } from '../../src/trust/limits.js';
import { makeKeyPair, statusListOf, T0 } from './helpers.js';

const issuer = makeKeyPair('issuer-a');
const esIssuer = makeKeyPair('issuer-es', 'ES256');
const stranger = makeKeyPair('stranger');
const refs = () => issuerKeyRefs([checkIssuerJwk(issuer.publicJwk, 'a'), checkIssuerJwk(esIssuer.publicJwk, 'b')]);

async function refused(p: Promise<unknown>): Promise<TrustError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrustError);
  return err as TrustError;
}

describe('status list bits', () => {
  it('matches the draft example (1 bit: lst eNrbuRgAAhcBXQ = b9 a3)', () => {
    const list = StatusList.decompress(1, Buffer.from('eNrbuRgAAhcBXQ', 'base64url'));
    expect([...list.bytes]).toEqual([0xb9, 0xa3]);
    const revoked = [0, 3, 4, 5, 7, 8, 9, 13, 15];
    for (let i = 0; i < 16; i++) expect(list.get(i)).toBe(revoked.includes(i) ? 1 : 0);
  });

  it('packs 2-bit entries from the least significant bits up', () => {
    const list = StatusList.empty(2, 12);
    list.set(0, 1);
    list.set(1, 2);
    list.set(3, 1);
    list.set(4, 2);
    expect([...list.bytes]).toEqual([0b01_00_10_01, 0b00_00_00_10, 0]);
    expect(StatusList.decompress(2, list.compress()).bytes).toEqual(list.bytes);
    list.set(1, 0);
    expect(list.get(1)).toBe(0);
    expect(list.get(0)).toBe(1);
  });

  it('refuses indexes outside the list and a zlib bomb without inflating past the limit', () => {
    const list = StatusList.empty(2, 8);
    expect(() => list.set(8, 1)).toThrow(TrustError);
    expect(() => list.set(-1, 1)).toThrow(TrustError);
    const bomb = deflateSync(Buffer.alloc(MAX_STATUS_LIST_BYTES + 1));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => StatusList.decompress(2, bomb)).toThrow(/inflates past/);
    expect(() => StatusList.decompress(4, deflateSync(Buffer.alloc(4)))).toThrow(/1 or 2/);
  });
});

describe('status-list tokens', () => {
  for (const format of ['jwt', 'cwt'] as const) {
    it(`${format}: refuses a time no date can hold (past the year 275760) as MALFORMED, not with a crash`, async () => {
      // Found by `npm run fuzz` (a re-signed CWT whose exp was 2^52): printing it threw RangeError: Invalid time value.
      const huge = 2 ** 52;
      for (const extra of [{ exp: huge }, { exp: MAX_NUMERIC_DATE + 1 }]) {
        const bytes = await statusListOf(issuer, 'https://status.example/1', 8, {}, T0, format, extra);
        expect((await refused(verifyStatusListToken(bytes, await refs(), { now: T0 }))).code).toBe('MALFORMED');
      }
      const late = await statusListOf(issuer, 'https://status.example/1', 8, {}, huge, format);
      expect((await refused(verifyStatusListToken(late, await refs(), { now: T0 }))).code).toBe('MALFORMED');
      const last = await statusListOf(issuer, 'https://status.example/1', 8, {}, T0, format, { exp: MAX_NUMERIC_DATE });
      expect((await verifyStatusListToken(last, await refs(), { now: T0 })).exp).toBe(MAX_NUMERIC_DATE);
    });

    it(`${format}: verifies against the issuer key of the bundle and reads statuses`, async () => {
      const bytes = await statusListOf(issuer, 'https://status.example/1', 100, { 5: 1, 6: 2 }, T0, format, { ttl: 3600, exp: T0 + 86400 });
      const t = await verifyStatusListToken(bytes, await refs(), { now: T0 });
      expect(t).toMatchObject({ format, uri: 'https://status.example/1', iat: T0, ttl: 3600, exp: T0 + 86400, signer: 'issuer-a' });
      expect([t.list.get(4), t.list.get(5), t.list.get(6)]).toEqual([0, 1, 2]);
      expect(t.list.size).toBe(100);
    });

    it(`${format}: refuses a list signed by a key outside the bundle, tampered, future-issued or expired`, async () => {
      expect(
        (await refused(verifyStatusListToken(await statusListOf(stranger, 'u', 8, {}, T0, format), await refs(), { now: T0 }))).code,
      ).toBe('ISSUER_KEY_UNKNOWN');
      const good = await statusListOf(issuer, 'u', 8, {}, T0, format);
      const bad = Uint8Array.from(good);
      const at = bad.length - (format === 'jwt' ? 8 : 5);
      bad[at] = bad[at]! ^ 0x01;
      expect(['SIGNATURE_INVALID', 'MALFORMED']).toContain((await refused(verifyStatusListToken(bad, await refs(), { now: T0 }))).code);
      expect((await refused(verifyStatusListToken(good.subarray(0, good.length - 12), await refs(), { now: T0 }))).code).toMatch(
        /MALFORMED|SIGNATURE_INVALID/,
      );
      expect(
        (await refused(verifyStatusListToken(await statusListOf(issuer, 'u', 8, {}, T0 + 1000, format), await refs(), { now: T0 }))).code,
      ).toBe('ISSUED_IN_FUTURE');
      expect(
        (
          await refused(
            verifyStatusListToken(await statusListOf(issuer, 'u', 8, {}, T0 - 1000, format, { exp: T0 - 500 }), await refs(), { now: T0 }),
          )
        ).code,
      ).toBe('EXPIRED');
    });
  }

  it('ES256 issuers sign lists too', async () => {
    const t = await verifyStatusListToken(await statusListOf(esIssuer, 'u:es', 8, { 7: 1 }), await refs(), { now: T0 });
    expect(t.list.get(7)).toBe(1);
  });

  it('refuses a list signed outside its key window', async () => {
    const windowed = await issuerKeyRefs([checkIssuerJwk({ ...issuer.publicJwk, notBefore: T0 - 100, notAfter: T0 }, 'a')]);
    const err = await refused(verifyStatusListToken(await statusListOf(issuer, 'u', 8, {}, T0), windowed, { now: T0 }));
    expect(err.code).toBe('ISSUER_KEY_NOT_IN_WINDOW');
    await expect(verifyStatusListToken(await statusListOf(issuer, 'u', 8, {}, T0 - 100), windowed, { now: T0 })).resolves.toMatchObject({
      iat: T0 - 100,
    });
  });

  it('refuses header keys, a wrong typ, and a CWT without the statuslist typ', async () => {
    const signer = await signingKeyFromJwk(issuer.privateJwk);
    const payload = new TextEncoder().encode(JSON.stringify({ sub: 'u', iat: T0, status_list: { bits: 2, lst: 'eNo76fITAAPfAgc' } }));
    const withJwk = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: 'issuer-a', jwk: stranger.publicJwk } as never)
      .sign(signer.key);
    expect((await refused(verifyStatusListToken(new TextEncoder().encode(withJwk), await refs(), { now: T0 }))).code).toBe(
      'HEADER_NOT_ALLOWED',
    );
    const wrongTyp = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: 'issuer-a' }).sign(signer.key);
    expect((await refused(verifyStatusListToken(new TextEncoder().encode(wrongTyp), await refs(), { now: T0 }))).code).toBe('WRONG_TYPE');
    const ok = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: 'issuer-a' }).sign(signer.key);
    const t = await verifyStatusListToken(new TextEncoder().encode(ok), await refs(), { now: T0 });
    expect(t.list.bits).toBe(2); // the draft's 2-bit example list decodes
    expect(STATUS_LIST_CWT_TYP).toBe('application/statuslist+cwt');
  });

  for (const format of ['jwt', 'cwt'] as const) {
    it(`${format}: a zlib bomb signed by a trusted issuer key is refused at the inflate limit`, async () => {
      const signer = await signingKeyFromJwk(issuer.privateJwk);
      const bomb = await buildStatusListToken({
        uri: 'u:bomb',
        list: new StatusList(2, new Uint8Array(MAX_STATUS_LIST_BYTES + 1)),
        signer,
        iat: T0,
        format,
      });
      expect(bomb.length).toBeLessThan(20_000);
      const err = await refused(verifyStatusListToken(bomb, await refs(), { now: T0 }));
      expect(err.code).toBe('FILE_TOO_LARGE');
      expect(err.message).toMatch(/inflates past 4194304 bytes/);
      // Exactly at the limit is a list (16,777,216 entries).
      const full = await buildStatusListToken({
        uri: 'u:full',
        list: new StatusList(2, new Uint8Array(MAX_STATUS_LIST_BYTES)),
        signer,
        iat: T0,
        format,
      });
      expect((await verifyStatusListToken(full, await refs(), { now: T0 })).list.size).toBe(16_777_216);
    });
  }

  it('1,000,000 entries: size of the list and the signed token, both forms', async () => {
    const list = StatusList.empty(2, 1_000_000);
    // 1,000 revoked and 100 suspended at random places (indexes are allocated at random).
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) % 1_000_000;
    for (let i = 0; i < 1000; i++) list.set(rnd(), 1);
    for (let i = 0; i < 100; i++) list.set(rnd(), 2);
    expect(list.bytes.length).toBe(250_000);
    const signer = await signingKeyFromJwk(issuer.privateJwk);
    const jwt = await buildStatusListToken({ uri: 'u:big', list, signer, iat: T0, format: 'jwt' });
    const cwt = await buildStatusListToken({ uri: 'u:big', list, signer, iat: T0, format: 'cwt' });
    // Sizes are reported in BENCHMARKS.md by bench/trust-list.mjs; here: they are small and they round-trip.
    expect(jwt.length).toBeLessThan(20_000);
    expect(cwt.length).toBeLessThan(15_000);
    for (const bytes of [jwt, cwt]) {
      const t = await verifyStatusListToken(bytes, await refs(), { now: T0 });
      expect(t.list.size).toBe(1_000_000);
      expect(Buffer.compare(Buffer.from(t.list.bytes), Buffer.from(list.bytes))).toBe(0);
    }
  });
});
