/**
 * One credential, many texts: the envelope around what is signed (text line ends, zlib encoding, COSE tags, the
 * unprotected header, non-minimal outer CBOR lengths) and an ES256 signature's high-S twin all verify; credentialId
 * is the same for all of them, credentialSha256 is not, and a different credential gets a different id.
 */
import { createHash } from 'node:crypto';
import { deflateSync, constants as zlibConstants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base45Encode } from '../../src/credential/base45.js';
import { CborTag, encodeCbor, type CborValue } from '../../src/credential/cbor.js';
import { credentialId, lowS, parseSign1 } from '../../src/credential/cose.js';
import { zlibInflate } from '../../src/credential/compress.js';
import { base45Decode } from '../../src/credential/base45.js';
import { credentialSha256 } from '../../src/records/index.js';
import { inspect } from '../../src/verify/inspect.js';
import { toJson } from '../../src/verify/json.js';
import { verify } from '../../src/verify/verify.js';
import { claims, issue, keySetOf, makeKey, NOW_MS } from './helpers.js';

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The four parts of a credential's COSE_Sign1 as the issuer wrote it. */
function partsOf(text: string): { protectedBytes: Uint8Array; payload: Uint8Array; signature: Uint8Array } {
  const cose = parseSign1(zlibInflate(base45Decode(text)));
  return { protectedBytes: cose.protectedBytes, payload: cose.payload, signature: cose.signature };
}

const text = (
  cose: Uint8Array,
  level = 9,
  strategy = zlibConstants.Z_DEFAULT_STRATEGY,
  more: { windowBits?: number; memLevel?: number } = {},
): string => base45Encode(deflateSync(cose, { level, strategy, ...more }));

/** The COSE array with every head in its longest form (array, byte strings, map, tag): well-formed, not minimal. */
function nonMinimal(p: ReturnType<typeof partsOf>): Uint8Array {
  const bstr = (b: Uint8Array): number[] => [
    0x5a,
    (b.length >>> 24) & 0xff,
    (b.length >>> 16) & 0xff,
    (b.length >>> 8) & 0xff,
    b.length & 0xff,
    ...b,
  ];
  return Uint8Array.from([0xd8, 0x12, 0x98, 0x04, ...bstr(p.protectedBytes), 0xb8, 0x00, ...bstr(p.payload), ...bstr(p.signature)]);
}

function highS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  const out = Uint8Array.from(signature);
  out.set(Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

/** Every envelope the verifier accepts around the same signed parts. */
function variants(original: string, alg: 'EdDSA' | 'ES256'): Record<string, string> {
  const p = partsOf(original);
  const sign1 = (o: {
    tag?: number | null;
    cwt?: boolean;
    unprotected?: Map<CborValue, CborValue>;
    signature?: Uint8Array;
  }): Uint8Array => {
    const array: CborValue = [p.protectedBytes, o.unprotected ?? new Map(), p.payload, o.signature ?? p.signature];
    const inner = o.tag === null ? array : new CborTag(18, array);
    return encodeCbor(o.cwt ? new CborTag(61, inner) : inner);
  };
  const out: Record<string, string> = {
    original,
    'CR LF after': `${original}\r\n`,
    'LF before': `\n${original}`,
    untagged: text(sign1({ tag: null })),
    'CWT tag 61 around tag 18': text(sign1({ cwt: true })),
    'CWT tag 61, untagged inside': text(sign1({ cwt: true, tag: null })),
    'junk in the unprotected header': text(
      sign1({
        unprotected: new Map<CborValue, CborValue>([
          [99, 'junk'],
          [-70000, new Uint8Array(40)],
        ]),
      }),
    ),
    'non-minimal CBOR heads': text(nonMinimal(p)),
    'zlib level 0 (stored)': text(sign1({}), 0),
    'zlib level 1': text(sign1({}), 1),
    'zlib level 6': text(sign1({}), 6),
    'zlib Huffman only': text(sign1({}), 9, zlibConstants.Z_HUFFMAN_ONLY),
    'zlib fixed codes': text(sign1({}), 9, zlibConstants.Z_FIXED),
    'zlib RLE': text(sign1({}), 9, zlibConstants.Z_RLE),
    'zlib window 2^10': text(sign1({}), 9, zlibConstants.Z_DEFAULT_STRATEGY, { windowBits: 10 }),
    'zlib window 2^12': text(sign1({}), 9, zlibConstants.Z_DEFAULT_STRATEGY, { windowBits: 12 }),
    'zlib memLevel 1': text(sign1({}), 9, zlibConstants.Z_DEFAULT_STRATEGY, { memLevel: 1 }),
  };
  for (const bits of [9, 11, 13, 14])
    out[`zlib window 2^${bits}`] = text(sign1({}), 9, zlibConstants.Z_DEFAULT_STRATEGY, { windowBits: bits });
  for (const level of [2, 3, 4, 5]) out[`zlib level ${level}`] = text(sign1({}), level);
  if (alg === 'ES256') {
    const flipped = highS(p.signature);
    out['ES256 high-S (tagged)'] = text(sign1({ signature: flipped }));
    out['ES256 high-S, untagged, junk header'] = text(
      sign1({ signature: flipped, tag: null, unprotected: new Map<CborValue, CborValue>([[7, 1]]) }),
    );
    out['ES256 high-S, non-minimal heads'] = text(nonMinimal({ ...p, signature: flipped }));
  }
  return out;
}

describe('credentialId', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: every accepted text of one credential verifies with one credentialId and its own credentialSha256`, async () => {
      const key = makeKey(alg, `k-${alg}`);
      const keys = await keySetOf(key);
      const original = issue(key);
      const all = variants(original, alg);
      const ids = new Set<string>();
      const shas = new Set<string>();
      for (const [name, t] of Object.entries(all)) {
        const v = verify(t, { keys, now: NOW_MS });
        expect(v.verdict, name).toBe('VALID');
        expect(v.credentialId, name).toMatch(/^[0-9a-f]{64}$/);
        ids.add(v.credentialId!);
        shas.add(credentialSha256(t));
        expect(inspect(t).credentialId, name).toBe(v.credentialId);
        expect(toJson(v).credentialId, name).toBe(v.credentialId);
      }
      expect(ids.size).toBe(1);
      expect(shas.size).toBe(new Set(Object.values(all)).size);
      // Some encoder settings give the same bytes for so short an input; those are one text.
      expect(shas.size).toBeGreaterThanOrEqual(alg === 'ES256' ? 17 : 14);

      // Another credential (other claims), and the same claims signed again by ES256 (a new random signature),
      // are other credentials.
      const other = verify(issue(key, { identity: { ...claims().identity, fullName: 'Someone Else' } }), { keys, now: NOW_MS });
      expect(other.credentialId).not.toBe([...ids][0]);
      if (alg === 'ES256') expect(verify(issue(key), { keys, now: NOW_MS }).credentialId).not.toBe([...ids][0]);
      else expect(verify(issue(key), { keys, now: NOW_MS }).credentialId).toBe([...ids][0]); // Ed25519 is deterministic
    });
  }

  it('is null for a text that is not a COSE_Sign1; set (but proves nothing) for a forged signature', async () => {
    const key = makeKey('EdDSA', 'k');
    const keys = await keySetOf(key);
    expect(verify('NOT A CODE', { keys }).credentialId).toBeNull();
    expect(verify('HELLO', { keys }).credentialId).toBeNull();
    const forged = issue(makeKey('EdDSA', 'k'));
    const v = verify(forged, { keys, now: NOW_MS });
    expect(v.verdict).toBe('NOT VALID');
    expect(v.credentialId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('low-S: s above n/2 becomes n − s; anything else is kept', () => {
    const sig = new Uint8Array(64).fill(0xff, 32); // s = 2^256 − 1 ≥ n: not a signature, kept
    expect(lowS(sig)).toBe(sig);
    const high = new Uint8Array(64);
    high.set(Buffer.from((P256_N - 5n).toString(16).padStart(64, '0'), 'hex'), 32);
    expect(Buffer.from(lowS(high).subarray(32)).toString('hex')).toBe('5'.padStart(64, '0'));
    const low = new Uint8Array(64);
    low[63] = 5;
    expect(lowS(low)).toBe(low);
    expect(lowS(new Uint8Array(10)).length).toBe(10);
  });

  it('credentialId of a parsed COSE is the hash of the canonical signed parts (unprotected header empty, untagged)', () => {
    const key = makeKey('EdDSA', 'k');
    const p = partsOf(issue(key));
    const canonical = encodeCbor([p.protectedBytes, new Map(), p.payload, p.signature]);
    expect(credentialId(parseSign1(canonical))).toBe(createHash('sha256').update(canonical).digest('hex'));
  });
});

describe('credentialId in the check record', () => {
  it('is optional for readers (older lines have none), must be SHA-256 hex when present, and is kept when given', async () => {
    const { parseEntry } = await import('../../src/records/entries.js');
    const { RecordStore } = await import('../../src/records/index.js');
    const { newCheck, tempDir } = await import('../records/helpers.js');
    const check = { ...newCheck('c', '2026-03-01T10:00:00Z'), type: 'check', deskId: 'd', keepUntil: '2026-04-01' };
    expect(parseEntry(JSON.stringify(check))).toHaveProperty('entry');
    expect(parseEntry(JSON.stringify({ ...check, credentialId: 'a'.repeat(64) }))).toHaveProperty('entry');
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), 42, null]) {
      expect(parseEntry(JSON.stringify({ ...check, credentialId: bad }))).toEqual({
        problem: 'not a record entry (credentialId: missing or not valid)',
      });
    }
    const tmp = tempDir();
    try {
      const store = await RecordStore.open({ dir: tmp.dir, deskId: 'desk', retentionDays: 30 });
      const rec = store.appendCheck({ ...newCheck('s', '2026-03-01T10:00:00Z'), credentialId: 'b'.repeat(64) });
      expect(rec.credentialId).toBe('b'.repeat(64));
      store.appendCheck(newCheck('t', '2026-03-01T10:00:01Z'));
      expect(store.get('s')?.credentialId).toBe('b'.repeat(64));
      expect(store.get('t')).not.toHaveProperty('credentialId');
      store.close();
    } finally {
      tmp.cleanup();
    }
  });
});
