/** verify(): round trip, tampering, keys, algorithms, time, limits and strictness — each through the real pipeline. */
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from '../../src/credential/base45.js';
import { CborTag, decodeCbor, encodeCbor, type CborValue } from '../../src/credential/cbor.js';
import { zlibInflate } from '../../src/credential/compress.js';
import { MAX_CBOR_DEPTH, MAX_INFLATED_BYTES, MAX_TEXT_CHARS } from '../../src/credential/limits.js';
import type { KeySet } from '../../src/trust/keyset.js';
import { REASON_TEXT, VALID_TEXT } from '../../src/verify/messages.js';
import { verify } from '../../src/verify/verify.js';
import {
  ALG_EDDSA,
  ALG_ES256,
  claims,
  header,
  issue,
  kidBytes,
  keySetOf,
  makeKey,
  NOW,
  NOW_MS,
  rawSign1,
  wrap,
  type TestKey,
} from './helpers.js';

let ed: TestKey;
let es: TestKey;
let keys: KeySet;
beforeAll(async () => {
  ed = makeKey('EdDSA', 'issuer-ed-1');
  es = makeKey('ES256', 'issuer-es-1');
  keys = await keySetOf(ed, es);
});

const at = (now = NOW_MS) => ({ keys, now });

describe('round trip', () => {
  it.each(['EdDSA', 'ES256'] as const)('an issued %s credential verifies with every field back', (alg) => {
    const key = alg === 'EdDSA' ? ed : es;
    const photo = new Uint8Array(600).map((_, i) => (i * 31) & 0xff);
    const text = issue(key, {
      identity: {
        id: 'ID-9',
        fullName: 'Aïsha Ñandú',
        dateOfBirth: '19800229',
        photo,
        photoFormat: 4,
        face: [{ data: photo, format: 0, subFormat: 4 }],
      },
      statusList: { idx: 42, uri: 'https://status.example/list/1' },
    });
    const v = verify(text, at());
    expect(v).toMatchObject({
      valid: true,
      verdict: 'VALID',
      reason: null,
      message: VALID_TEXT.message,
      alg,
      kid: key.kid,
      verifiedBy: key.kid,
    });
    expect(v.identity).toMatchObject({ id: 'ID-9', fullName: 'Aïsha Ñandú', dateOfBirth: '19800229', photoFormat: 4 });
    expect(Buffer.from(v.identity!.photo!)).toEqual(Buffer.from(photo));
    expect(Buffer.from(v.identity!.face![0]!.data)).toEqual(Buffer.from(photo));
    expect(v.status).toEqual(claims().status);
    expect(v.statusList).toEqual({ idx: 42, uri: 'https://status.example/list/1' });
    expect(v.cwt).toEqual(claims().cwt);
  });

  it('accepts the text with a trailing CR/LF from a scanner', () => {
    expect(verify(`${issue(ed)}\r\n`, at()).valid).toBe(true);
  });

  it('accepts untagged COSE_Sign1 and COSE_Sign1 inside CWT tag 61', () => {
    const protectedHeader = header([
      [1, ALG_EDDSA],
      [4, kidBytes(ed.kid)],
    ]);
    expect(verify(wrap(rawSign1({ protectedHeader, signWith: ed, tag: null })), at()).valid).toBe(true);
    const tagged = rawSign1({ protectedHeader, signWith: ed });
    expect(verify(wrap(encodeCbor(new CborTag(61, new CborTag(18, untag(tagged))))), at()).valid).toBe(true);
  });

  it('without a kid, finds the pinned key of the message algorithm', () => {
    const text = issue(es, {}, false);
    expect(verify(text, at())).toMatchObject({ valid: true, kid: null, verifiedBy: es.kid });
  });

  it('names a kid-less pinned key by its RFC 7638 thumbprint', async () => {
    const anon = makeKey('EdDSA', 'x');
    delete anon.publicJwk.kid;
    const set = await keySetOf(anon);
    const v = verify(issue(anon, {}, false), { keys: set, now: NOW_MS });
    expect(v.valid).toBe(true);
    expect(v.verifiedBy).toBe(set.keys[0]!.thumbprint);
    expect(v.verifiedBy).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

/** The content of a tagged CBOR item. */
function untag(bytes: Uint8Array): CborValue {
  const v = decodeCbor(bytes);
  if (!(v instanceof CborTag)) throw new Error('expected a tag');
  return v.value;
}

describe('tampering and keys', () => {
  it('rejects every single-byte change of the compressed COSE', () => {
    const compressed = base45Decode(issue(ed));
    const reasons = new Set<string>();
    for (let i = 0; i < compressed.length; i++) {
      for (const flip of [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff]) {
        const changed = Uint8Array.from(compressed);
        changed[i]! ^= flip;
        const v = verify(base45Encode(changed), at());
        expect(v.valid, `byte ${i} ^ ${flip}`).toBe(false);
        expect(v.identity).toBeNull();
        reasons.add(v.reason!);
      }
    }
    // The zlib layer catches these (Adler-32, Huffman data, zero padding bits before the checksum).
    expect([...reasons]).toEqual(['DECOMPRESS_FAILED']);
  });

  it('rejects every single-byte change of the COSE itself (re-compressed, so zlib cannot catch it)', () => {
    for (const key of [ed, es]) {
      const cose = zlibInflate(base45Decode(issue(key)));
      const reasons = new Set<string>();
      for (let i = 0; i < cose.length; i++) {
        for (const flip of [0x01, 0x80, 0xff]) {
          const changed = Uint8Array.from(cose);
          changed[i]! ^= flip;
          const v = verify(wrap(changed), at());
          expect(v.valid, `${key.alg} byte ${i} ^ ${flip}`).toBe(false);
          reasons.add(v.reason!);
        }
      }
      expect(reasons).toContain('SIGNATURE_INVALID');
      expect(reasons).toContain('CBOR_INVALID');
    }
  });

  it('a key set that lacks the signer: KEY_UNKNOWN by kid, SIGNATURE_INVALID without kid', async () => {
    const other = await keySetOf(makeKey('EdDSA', 'someone-else'));
    expect(verify(issue(ed), { keys: other, now: NOW_MS })).toMatchObject({
      valid: false,
      reason: 'KEY_UNKNOWN',
      kid: ed.kid,
      identity: null,
    });
    expect(verify(issue(ed, {}, false), { keys: other, now: NOW_MS }).reason).toBe('SIGNATURE_INVALID');
  });

  it('wrong key under the right kid: SIGNATURE_INVALID', async () => {
    const impostor = makeKey('EdDSA', ed.kid);
    expect(verify(issue(impostor), at())).toMatchObject({ valid: false, reason: 'SIGNATURE_INVALID', verifiedBy: null });
  });

  it('no pinned key of the message algorithm and no kid: KEY_UNKNOWN', async () => {
    const edOnly = await keySetOf(ed);
    expect(verify(issue(es, {}, false), { keys: edOnly, now: NOW_MS }).reason).toBe('KEY_UNKNOWN');
  });

  it('kid of one key with the algorithm of another: ALG_KEY_MISMATCH', () => {
    // ES256 signature by the ES key, but the kid names the Ed25519 key.
    const cose = rawSign1({
      protectedHeader: header([
        [1, ALG_ES256],
        [4, kidBytes(ed.kid)],
      ]),
      signWith: es,
    });
    expect(verify(wrap(cose), at())).toMatchObject({ valid: false, reason: 'ALG_KEY_MISMATCH', alg: 'ES256', kid: ed.kid });
  });

  it('a kid in the unprotected header selects the key too', () => {
    const cose = rawSign1({ protectedHeader: header([[1, ALG_EDDSA]]), unprotectedHeader: header([[4, kidBytes(ed.kid)]]), signWith: ed });
    expect(verify(wrap(cose), at())).toMatchObject({ valid: true, kid: ed.kid });
  });

  it('an empty signature is UNSIGNED, even with an unknown kid or no alg', () => {
    expect(
      verify(
        wrap(
          rawSign1({
            protectedHeader: header([
              [1, ALG_EDDSA],
              [4, kidBytes('nobody')],
            ]),
          }),
        ),
        at(),
      ).reason,
    ).toBe('UNSIGNED');
    expect(verify(wrap(rawSign1({ protectedHeader: new Map() })), at()).reason).toBe('UNSIGNED');
  });

  it('a missing, unprotected-only or unsupported alg is ALG_UNSUPPORTED', () => {
    expect(verify(wrap(rawSign1({ protectedHeader: header([[4, kidBytes(ed.kid)]]), signWith: ed })), at()).reason).toBe('ALG_UNSUPPORTED');
    const unprotectedAlg = rawSign1({
      protectedHeader: header([[4, kidBytes(ed.kid)]]),
      unprotectedHeader: header([[1, ALG_EDDSA]]),
      signWith: ed,
    });
    expect(verify(wrap(unprotectedAlg), at()).reason).toBe('ALG_UNSUPPORTED');
    for (const alg of [0, -35, -257, 'EdDSA']) {
      expect(
        verify(
          wrap(
            rawSign1({
              protectedHeader: header([
                [1, alg],
                [4, kidBytes(ed.kid)],
              ]),
              signWith: ed,
            }),
          ),
          at(),
        ).reason,
      ).toBe('ALG_UNSUPPORTED');
    }
  });

  it('a header label in both buckets is rejected', () => {
    const cose = rawSign1({
      protectedHeader: header([
        [1, ALG_EDDSA],
        [4, kidBytes(ed.kid)],
      ]),
      unprotectedHeader: header([[4, kidBytes(es.kid)]]),
      signWith: ed,
    });
    expect(verify(wrap(cose), at()).reason).toBe('NOT_COSE_SIGN1');
  });

  it('signs the RECEIVED protected bytes: a re-encoded (non-minimal) header does not verify', () => {
    const minimal = encodeCbor(
      header([
        [1, ALG_EDDSA],
        [4, kidBytes(ed.kid)],
      ]),
    );
    const signed = rawSign1({ protectedHeader: minimal, signWith: ed });
    // Same header, alg written as a 1-byte-argument negative int (0x38 0x07) instead of 0x27.
    const nonMinimal = Uint8Array.from([...minimal].flatMap((b, i) => (i === 2 && b === 0x27 ? [0x38, 0x07] : [b])));
    expect(nonMinimal.length).toBe(minimal.length + 1);
    const decodedSigned = untag(signed) as unknown[];
    const swapped = encodeCbor(new CborTag(18, [nonMinimal, decodedSigned[1], decodedSigned[2], decodedSigned[3]] as never));
    expect(verify(wrap(signed), at()).valid).toBe(true);
    expect(verify(wrap(swapped), at()).reason).toBe('SIGNATURE_INVALID');
  });

  it('accepts a high-S ES256 signature (COSE does not require low-S)', () => {
    const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const text = issue(es);
    const signed = untag(zlibInflate(base45Decode(text))) as Uint8Array[];
    const sig = signed[3]!;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
    const flipped = Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex');
    const other = encodeCbor(
      new CborTag(18, [signed[0]!, signed[1]!, signed[2]!, Uint8Array.from([...sig.subarray(0, 32), ...flipped])] as never),
    );
    expect(verify(text, at()).valid).toBe(true);
    expect(verify(wrap(other), at()).valid).toBe(true);
  });

  it('COSE_Encrypt0 (tag 16, or an untagged 3-element array) is ENCRYPTED_UNSUPPORTED', () => {
    const encrypt0 = [encodeCbor(header([[1, 3]])), header([[5, new Uint8Array(12)]]), new Uint8Array(40)];
    expect(verify(wrap(encodeCbor(new CborTag(16, encrypt0))), at()).reason).toBe('ENCRYPTED_UNSUPPORTED');
    expect(verify(wrap(encodeCbor(encrypt0)), at()).reason).toBe('ENCRYPTED_UNSUPPORTED');
    expect(REASON_TEXT.ENCRYPTED_UNSUPPORTED.message).toMatch(/encrypted/);
  });

  it('other structures are NOT_COSE_SIGN1', () => {
    for (const v of [new CborTag(17, []), [1, 2, 3, 4], 'text', new Map(), [new Uint8Array(0), new Map(), null, new Uint8Array(64)]]) {
      expect(verify(wrap(encodeCbor(v as never)), at()).reason).toBe('NOT_COSE_SIGN1');
    }
  });

  it('with no keys at all nothing is valid', async () => {
    expect(verify(issue(ed), { keys: { keys: [], byKid: new Map() }, now: NOW_MS }).reason).toBe('KEY_UNKNOWN');
    expect(verify(issue(ed), undefined as never).reason).toBe('KEY_UNKNOWN');
  });
});

describe('time', () => {
  const exp = NOW + 1000;
  const nbf = NOW - 1000;
  const text = () => issue(ed, { cwt: { iat: nbf, nbf, exp } });
  it.each([
    ['just inside exp + skew', (exp + 299) * 1000, null],
    ['exactly exp + skew', (exp + 300) * 1000, 'EXPIRED'],
    ['well after exp', (exp + 86400) * 1000, 'EXPIRED'],
    ['exactly nbf − skew', (nbf - 300) * 1000, null],
    ['just before nbf − skew', (nbf - 301) * 1000, 'NOT_YET_VALID'],
  ])('%s', (_label, now, reason) => {
    const v = verify(text(), { keys, now });
    expect(v.reason).toBe(reason);
    expect(v.valid).toBe(reason === null);
    if (reason !== null) expect(v.identity).not.toBeNull(); // signed: the desk may see whose code it is
  });

  it('skewSeconds is a setting', () => {
    expect(verify(text(), { keys, now: (exp + 10) * 1000, skewSeconds: 0 }).reason).toBe('EXPIRED');
    expect(verify(text(), { keys, now: (exp + 10) * 1000, skewSeconds: 60 }).reason).toBeNull();
  });

  it('defaults now to the current time', () => {
    const current = Date.now() / 1000;
    expect(verify(issue(ed, { cwt: { iat: current - 10, exp: current + 3600 } }), { keys }).valid).toBe(true);
    expect(verify(issue(ed, { cwt: { iat: current - 7200, exp: current - 3600 } }), { keys }).reason).toBe('EXPIRED');
  });
});

describe('claims', () => {
  it('a signed CWT without claim 169 is CLAIM169_MISSING', () => {
    const payload = encodeCbor(
      header([
        [1, 'iss'],
        [4, NOW + 100],
      ]),
    );
    expect(
      verify(
        wrap(
          rawSign1({
            protectedHeader: header([
              [1, ALG_EDDSA],
              [4, kidBytes(ed.kid)],
            ]),
            payload,
            signWith: ed,
          }),
        ),
        at(),
      ).reason,
    ).toBe('CLAIM169_MISSING');
  });

  it('a signed payload that is not a map, or has a wrongly typed claim, is CLAIMS_INVALID', () => {
    const h = header([
      [1, ALG_EDDSA],
      [4, kidBytes(ed.kid)],
    ]);
    for (const payload of [
      encodeCbor([1, 2]),
      encodeCbor(
        header([
          [4, 'tomorrow'],
          [169, header([[1, 'x']])],
        ]),
      ),
      encodeCbor(header([[169, header([[4, 42]])]])),
      encodeCbor(header([[169, header([[62, [header([[0, 'not bytes']])]]])]])),
      encodeCbor(
        header([
          [169, header([[4, 'A']])],
          [-65537, header([[1, 99]])],
        ]),
      ),
    ]) {
      expect(verify(wrap(rawSign1({ protectedHeader: h, payload, signWith: ed })), at()).reason).toBe('CLAIMS_INVALID');
    }
  });

  it('a signed payload that is not CBOR is CBOR_INVALID', () => {
    const h = header([
      [1, ALG_EDDSA],
      [4, kidBytes(ed.kid)],
    ]);
    expect(verify(wrap(rawSign1({ protectedHeader: h, payload: Uint8Array.of(0xa1, 0x01), signWith: ed })), at()).reason).toBe(
      'CBOR_INVALID',
    );
  });

  it('an identity-only credential (no status claim) is VALID without a purpose', () => {
    expect(verify(issue(ed, { status: undefined }), at())).toMatchObject({ valid: true, status: null });
  });
});

describe('limits and strict decoding', () => {
  it('text longer than MAX_TEXT_CHARS is INPUT_TOO_LONG, without decoding', () => {
    expect(verify('0'.repeat(MAX_TEXT_CHARS + 1), at()).reason).toBe('INPUT_TOO_LONG');
    expect(verify('A'.repeat(MAX_TEXT_CHARS * 50), at()).reason).toBe('INPUT_TOO_LONG');
  });

  it('a URL, lowercase text or an empty scan is NOT_A_CREDENTIAL', () => {
    for (const text of ['https://example.org/x', 'hello', '', '5012345678900', 'HC1:NCFOXN%TS3DH', 'ÄÖÜ']) {
      const v = verify(text, at());
      if (text === '5012345678900' || text === 'HC1:NCFOXN%TS3DH') expect(v.reason).not.toBe('NOT_A_CREDENTIAL');
      else expect(v.reason).toBe('NOT_A_CREDENTIAL');
      expect(v.valid).toBe(false);
    }
    expect(REASON_TEXT.NOT_A_CREDENTIAL.message).toBe('This is not a status QR code.');
  });

  it('Base45-alphabet text that is malformed is BASE45_INVALID', () => {
    expect(verify('AAAA', at()).reason).toBe('BASE45_INVALID'); // length mod 3 = 1
    expect(verify(':::', at()).reason).toBe('BASE45_INVALID'); // triple > 65535
    expect(verify('::', at()).reason).toBe('BASE45_INVALID'); // pair > 255
  });

  it('bytes after the zlib stream are DECOMPRESS_FAILED', () => {
    const compressed = base45Decode(issue(ed));
    expect(verify(base45Encode(Uint8Array.from([...compressed, 0])), at()).reason).toBe('DECOMPRESS_FAILED');
    expect(verify(base45Encode(compressed.subarray(0, compressed.length - 4)), at()).reason).toBe('DECOMPRESS_FAILED');
  });

  it('a zlib bomb is PAYLOAD_TOO_LARGE', () => {
    const bomb = base45Encode(deflateSync(Buffer.alloc(4 * 1024 * 1024), { level: 9 }));
    expect(bomb.length).toBeLessThan(MAX_TEXT_CHARS);
    expect(verify(bomb, at()).reason).toBe('PAYLOAD_TOO_LARGE');
  });

  it('bytes after the COSE structure are CBOR_INVALID', () => {
    const cose = zlibInflate(base45Decode(issue(ed)));
    expect(verify(wrap(Uint8Array.from([...cose, 0x00])), at()).reason).toBe('CBOR_INVALID');
  });

  it('deeply nested CBOR is CBOR_INVALID (no stack overflow)', () => {
    const deep = new Uint8Array(5000).fill(0x81); // [[[[...
    expect(verify(wrap(Uint8Array.from([...deep, 0x00])), at()).reason).toBe('CBOR_INVALID');
    const payload = encodeCbor(
      header([
        [169, header([[1, 'x']])],
        [99, nest(MAX_CBOR_DEPTH)],
      ]),
    );
    expect(
      verify(
        wrap(
          rawSign1({
            protectedHeader: header([
              [1, ALG_EDDSA],
              [4, kidBytes(ed.kid)],
            ]),
            payload,
            signWith: ed,
          }),
        ),
        at(),
      ).reason,
    ).toBe('CBOR_INVALID');
  });

  it('duplicate map keys are CBOR_INVALID, in the payload and in headers', () => {
    const h = header([
      [1, ALG_EDDSA],
      [4, kidBytes(ed.kid)],
    ]);
    // {169: {1: "A"}, 169: {1: "B"}} — a lenient decoder would keep the last.
    const dupPayload = Uint8Array.from([0xa2, 0x18, 0xa9, 0xa1, 0x01, 0x61, 0x41, 0x18, 0xa9, 0xa1, 0x01, 0x61, 0x42]);
    expect(verify(wrap(rawSign1({ protectedHeader: h, payload: dupPayload, signWith: ed })), at()).reason).toBe('CBOR_INVALID');
    // Protected header {1: -8, 1: -7} (same key written twice).
    const dupHeader = Uint8Array.from([0xa2, 0x01, 0x27, 0x01, 0x26]);
    expect(verify(wrap(rawSign1({ protectedHeader: dupHeader, signWith: ed })), at()).reason).toBe('CBOR_INVALID');
  });

  it('a huge photo inside the inflated limit is accepted; past the string limit it is PAYLOAD_TOO_LARGE', () => {
    const photo = new Uint8Array(8 * 1024).map((_, i) => (i * 7919) & 0xff);
    expect(verify(issue(ed, { identity: { fullName: 'P', photo } }), at()).valid).toBe(true);
    const tooBig = new Uint8Array(MAX_INFLATED_BYTES).fill(1);
    expect(verify(issue(ed, { identity: { fullName: 'P', photo: tooBig } }), at()).reason).toBe('PAYLOAD_TOO_LARGE');
  });

  it('never returns decoded claims unless the signature verified', () => {
    const text = wrap(
      rawSign1({
        protectedHeader: header([
          [1, ALG_EDDSA],
          [4, kidBytes(ed.kid)],
        ]),
        signature: new Uint8Array(64),
      }),
    );
    expect(verify(text, at())).toMatchObject({ reason: 'SIGNATURE_INVALID', identity: null, status: null, cwt: null });
  });
});

function nest(depth: number): CborValue[] {
  let v: CborValue[] = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
