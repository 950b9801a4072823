/**
 * Every third-party Claim 169 vector in test/vectors/claim169 (MIT; its SOURCE.md says where from, errata applied),
 * with `now` pinned inside their validity windows.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keySetFromJwks, type KeySet } from '../../src/trust/keyset.js';
import { inspect } from '../../src/verify/inspect.js';
import { identityToJson } from '../../src/verify/json.js';
import { stageOf } from '../../src/verify/stages.js';
import { timeReason, verify } from '../../src/verify/verify.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const VECTORS = resolve(REPO_ROOT, 'test/vectors/claim169');

interface Vector {
  file: string;
  name: string;
  category: 'valid' | 'invalid' | 'edge';
  qr_data: string;
  expected_error?: string;
  expected_claim169?: Record<string, unknown>;
  expected_cwt_meta?: Record<string, number | string>;
  signing_key?: { algorithm: 'EdDSA' | 'ES256'; public_key_hex: string };
  encryption_key?: unknown;
}

const vectors: Vector[] = ['valid', 'invalid', 'edge'].flatMap((category) =>
  readdirSync(join(VECTORS, category))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: `${category}/${f}`, ...(JSON.parse(readFileSync(join(VECTORS, category, f), 'utf8')) as Omit<Vector, 'file'>) })),
);

/** Inside every window: claim169-example's [2025-08-28, 2026-08-28) and the signed ones' [2023-11-14, 2027-01-15). */
const PINNED_NOW_MS = 1_760_000_000_000;

/** Errata (SOURCE.md): with-face's expected face data was hand-typed wrong upstream; the QR holds a JPEG start. */
const ERRATA: Record<string, (expected: Record<string, unknown>) => void> = {
  'valid/with-face.json': (e) => {
    (e.face as Array<{ data: string }>)[0]!.data = '/9j/4AAQ';
  },
};

/** The upstream error names → our pipeline stage. */
const STAGE_OF_ERROR: Record<string, string> = {
  Base45Decode: 'base45',
  Decompress: 'inflate',
  CoseParse: 'cose',
  Claim169NotFound: 'claims',
};

function jwkFor(key: NonNullable<Vector['signing_key']>): Record<string, string> {
  const raw = Buffer.from(key.public_key_hex, 'hex');
  if (key.algorithm === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') };
  return { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') };
}

const CWT_NAMES: Record<string, string> = { issuer: 'iss', subject: 'sub', expiresAt: 'exp', notBefore: 'nbf', issuedAt: 'iat' };

/** A key set that does not hold any vector's key (for unsigned vectors: nothing may verify). A real key: a made-up x is not on the curve, and is refused. */
const otherKeys = keySetFromJwks({ keys: [generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })] });

describe('Claim 169 conformance vectors', () => {
  it('finds all 18 vectors', () => {
    expect(vectors.length).toBe(18);
  });

  it.each(vectors.map((v) => [v.file, v] as const))('%s', async (_file, v) => {
    const decoded = inspect(v.qr_data);
    const isEncrypted = v.encryption_key !== undefined;
    let keys: KeySet = await otherKeys;
    if (v.signing_key && !isEncrypted) keys = await keySetFromJwks({ keys: [jwkFor(v.signing_key)] });
    const verdict = verify(v.qr_data, { keys, now: PINNED_NOW_MS });

    if (v.category === 'invalid') {
      expect(decoded.decoded).toBe(false);
      expect(decoded.stage).toBe(STAGE_OF_ERROR[v.expected_error!]);
      expect(verdict.valid).toBe(false);
      // A stage before the signature gives verify the same reason; missing-169 is unsigned, so verify stops at UNSIGNED.
      if (decoded.stage !== 'claims') expect(verdict.reason).toBe(decoded.reason);
      else expect(verdict.reason).toBe('UNSIGNED');
      return;
    }
    if (isEncrypted) {
      expect(decoded.reason).toBe('ENCRYPTED_UNSUPPORTED');
      expect(verdict).toMatchObject({ valid: false, verdict: 'NOT VALID', reason: 'ENCRYPTED_UNSUPPORTED', identity: null });
      return;
    }

    expect(decoded.decoded).toBe(true);
    const expected = structuredClone(v.expected_claim169!);
    ERRATA[v.file]?.(expected);
    expect(identityToJson(decoded.identity!)).toMatchObject(expected);
    const meta = Object.fromEntries(Object.entries(v.expected_cwt_meta!).map(([k, value]) => [CWT_NAMES[k]!, value]));
    expect(decoded.cwt).toEqual(meta);

    if (v.signing_key) {
      expect(decoded.signed).toBe(true);
      expect(verdict).toMatchObject({ valid: true, verdict: 'VALID', reason: null, alg: v.signing_key.algorithm });
      expect(identityToJson(verdict.identity!)).toMatchObject(expected);
    } else {
      expect(decoded.signed).toBe(false);
      expect(verdict).toMatchObject({ valid: false, reason: 'UNSIGNED', identity: null });
    }

    // The edge vectors are unsigned, so their time windows are checked on the decoded claims.
    const timing = timeReason(decoded.cwt!, PINNED_NOW_MS / 1000, 300);
    expect(timing).toBe(v.name === 'expired' ? 'EXPIRED' : v.name === 'not-yet-valid' ? 'NOT_YET_VALID' : null);
  });

  it('keeps unknown Claim 169 keys (unknown-fields.json)', () => {
    const v = vectors.find((x) => x.name === 'unknown-fields')!;
    const json = identityToJson(inspect(v.qr_data).identity!);
    expect(json.unknown).toEqual({ '30': 'reserved field 30', '45': 12345, '70': 'AQID', '99': true });
  });

  it('maps every invalid vector to a stage that exists', () => {
    for (const v of vectors.filter((x) => x.category === 'invalid'))
      expect(stageOf(inspect(v.qr_data).reason!)).toBe(STAGE_OF_ERROR[v.expected_error!]);
  });

  it('reports the bad-base45 vector as not a credential (outside the alphabet) at the base45 stage', () => {
    const v = vectors.find((x) => x.name === 'bad-base45')!;
    expect(inspect(v.qr_data)).toMatchObject({ reason: 'NOT_A_CREDENTIAL', stage: 'base45' });
  });

  it('does not verify a signed vector with another key', async () => {
    const v = vectors.find((x) => x.name === 'ed25519-signed')!;
    expect(verify(v.qr_data, { keys: await otherKeys, now: PINNED_NOW_MS })).toMatchObject({
      valid: false,
      reason: 'SIGNATURE_INVALID',
      identity: null,
    });
  });
});
