/**
 * A status list speaks only for the issuer whose codes point at it. The attack: an ES256 key restricted to "rent"
 * signs an all-valid list for the EdDSA issuer's URI; it imported, and that issuer's revoked codes became VALID.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { TrustError } from '../../src/trust/errors.js';
import { loadTrustState } from '../../src/trust/state.js';
import { importTrustBytes, initStore } from '../../src/trust/store.js';
import { verify } from '../../src/verify/verify.js';
import { bundleOf, credential, makeKeyPair, ms, removeDir, statusListOf, T0, tempDir, treeBytes } from './helpers.js';

const root = makeKeyPair('root');
const ed = makeKeyPair('ed-issuer');
const ed2 = makeKeyPair('ed-issuer-2027');
const rent = makeKeyPair('rent-issuer', 'ES256');
const URI = 'https://ed.example/status/1';
const RENT_URI = 'https://rent.example/status/1';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

async function storeWith(keys: Array<Record<string, unknown>>): Promise<string> {
  const dir = join(tempDir(), 'store');
  dirs.push(join(dir, '..'));
  await initStore(dir, root.publicJwk);
  await importTrustBytes(dir, enc(await bundleOf(root, keys, 1)), { now: T0 });
  return dir;
}

async function importCode(dir: string, bytes: Uint8Array): Promise<string> {
  return importTrustBytes(dir, bytes, { now: T0 }).then(
    () => 'imported',
    (e: TrustError) => e.code,
  );
}

async function verdictOf(dir: string, code: string): Promise<string> {
  const s = await loadTrustState({ storeDir: dir, now: ms(T0) });
  const v = verify(code, { keys: s.keys, trust: s.context, now: ms(T0) });
  return v.reason ?? v.verdict;
}

const revokedEdCode = () => credential(ed, { statusList: { uri: URI, idx: 5 } });

describe("a bundle that names each issuer's lists (statusLists)", () => {
  const keys = () => [
    { ...ed.publicJwk, statusLists: [URI] },
    { ...rent.publicJwk, purposes: ['rent'], statusLists: [RENT_URI] },
  ];

  it("refuses another issuer's key signing the list, at import, and the revoked code stays REVOKED", async () => {
    const dir = await storeWith(keys());
    expect(await importCode(dir, await statusListOf(ed, URI, 16, { 5: 1 }, T0 - 100))).toBe('imported');
    const before = treeBytes(dir);
    const forged = await statusListOf(rent, URI, 16, {}, T0 - 10);
    const err = await importTrustBytes(dir, forged, { now: T0 }).catch((e: TrustError) => e);
    expect((err as TrustError).code).toBe('STATUS_LIST_NOT_ALLOWED');
    expect((err as TrustError).message).toContain('rent-issuer');
    expect(treeBytes(dir)).toEqual(before);
    expect(await verdictOf(dir, revokedEdCode())).toBe('REVOKED');
  });

  it('a key that names no lists may not sign one the bundle gives to another key', async () => {
    const dir = await storeWith([{ ...ed.publicJwk, statusLists: [URI] }, rent.publicJwk]);
    expect(await importCode(dir, await statusListOf(rent, URI, 16, {}, T0 - 10))).toBe('STATUS_LIST_NOT_ALLOWED');
  });

  it('key rotation: a list signed by the new key answers for codes of the old one when both name it', async () => {
    const dir = await storeWith([
      { ...ed.publicJwk, statusLists: [URI] },
      { ...ed2.publicJwk, statusLists: [URI] },
    ]);
    expect(await importCode(dir, await statusListOf(ed, URI, 16, {}, T0 - 100))).toBe('imported');
    expect(await importCode(dir, await statusListOf(ed2, URI, 16, { 5: 1 }, T0 - 50))).toBe('imported');
    expect(await verdictOf(dir, revokedEdCode())).toBe('REVOKED');
  });

  it('a code whose key does not name the list it points at gets no answer from it: CHECK MANUALLY, never VALID', async () => {
    const dir = await storeWith(keys());
    expect(await importCode(dir, await statusListOf(rent, RENT_URI, 16, {}, T0 - 10))).toBe('imported');
    const code = credential(ed, { statusList: { uri: RENT_URI, idx: 5 } });
    expect(await verdictOf(dir, code)).toBe('REVOCATION_DATA_STALE');
  });
});

describe('a bundle that names no lists (older bundles, the DEMO bundle)', () => {
  it('refuses a list signed by another key replacing the one in force', async () => {
    const dir = await storeWith([ed.publicJwk, { ...rent.publicJwk, purposes: ['rent'] }]);
    expect(await importCode(dir, await statusListOf(ed, URI, 16, { 5: 1 }, T0 - 100))).toBe('imported');
    expect(await importCode(dir, await statusListOf(rent, URI, 16, {}, T0 - 10))).toBe('STATUS_LIST_NOT_ALLOWED');
    expect(await verdictOf(dir, revokedEdCode())).toBe('REVOKED');
  });

  it("a list another issuer's key signed first never answers for this issuer's codes: CHECK MANUALLY, not VALID", async () => {
    const dir = await storeWith([ed.publicJwk, { ...rent.publicJwk, purposes: ['rent'] }]);
    expect(await importCode(dir, await statusListOf(rent, URI, 16, {}, T0 - 10))).toBe('imported');
    expect(await verdictOf(dir, revokedEdCode())).toBe('REVOCATION_DATA_STALE');
  });

  it("the issuer's own list still answers for its own codes", async () => {
    const dir = await storeWith([ed.publicJwk, rent.publicJwk]);
    expect(await importCode(dir, await statusListOf(ed, URI, 16, { 5: 1 }, T0 - 10))).toBe('imported');
    expect(await verdictOf(dir, revokedEdCode())).toBe('REVOKED');
    expect(await verdictOf(dir, credential(ed, { statusList: { uri: URI, idx: 6 } }))).toBe('VALID');
  });
});
