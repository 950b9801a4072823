/**
 * COSE_Sign1 (RFC 9052 §4.2) for credentials: parse, Sig_structure, sign, and raw signature checks.
 * The Sig_structure is built from the RECEIVED protected-header bytes, never a re-encoding. The algorithm is read
 * only from the protected header. A label in both header buckets is rejected. COSE_Encrypt0 is recognised only to
 * say it is not supported.
 */
import { createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { CborTag, decodeCbor, encodeCbor, type CborLimits, type CborMap, type CborValue } from './cbor.js';
import { CredentialError } from './errors.js';

export type CoseAlg = 'EdDSA' | 'ES256';

const TAG_CWT = 61;
const TAG_SIGN1 = 18;
const TAG_ENCRYPT0 = 16;
const HEADER_ALG = 1;
const HEADER_CRIT = 2;
const HEADER_KID = 4;
const HEADER_IV = 5;
const HEADER_PARTIAL_IV = 6;
const ALG_FROM_ID = new Map<CborValue, CoseAlg>([
  [-8, 'EdDSA'],
  [-7, 'ES256'],
]);
const ALG_ID: Record<CoseAlg, number> = { EdDSA: -8, ES256: -7 };

export interface CoseSign1 {
  /** The protected header exactly as received (the Sig_structure signs these bytes). */
  protectedBytes: Uint8Array;
  protectedHeader: CborMap;
  unprotectedHeader: CborMap;
  payload: Uint8Array;
  signature: Uint8Array;
  /** The numeric `alg` from the protected header (may be unsupported: see `alg`). */
  algId: CborValue;
  /** The supported algorithm, or null when the protected alg is missing or not EdDSA / ES256. */
  alg: CoseAlg | null;
  /** kid bytes from either bucket, or null. */
  kid: Uint8Array | null;
}

function notSign1(detail: string): never {
  throw new CredentialError('NOT_COSE_SIGN1', detail);
}

/** Parses COSE bytes: COSE_Sign1 tagged 18 or untagged, optionally inside CWT tag 61. `limits`: see decodeCbor. */
export function parseSign1(bytes: Uint8Array, limits?: CborLimits): CoseSign1 {
  let item = decodeCbor(bytes, limits);
  if (item instanceof CborTag && item.tag === TAG_CWT) item = item.value;
  if (item instanceof CborTag) {
    if (item.tag === TAG_ENCRYPT0) throw new CredentialError('ENCRYPTED_UNSUPPORTED', 'COSE_Encrypt0 (tag 16)');
    if (item.tag !== TAG_SIGN1) notSign1(`CBOR tag ${item.tag} is not COSE_Sign1`);
    item = item.value;
  }
  if (!Array.isArray(item)) notSign1('not a COSE array');
  if (item.length === 3 && item[0] instanceof Uint8Array && item[1] instanceof Map && (item[2] instanceof Uint8Array || item[2] === null)) {
    throw new CredentialError('ENCRYPTED_UNSUPPORTED', 'COSE_Encrypt0 (3-element array)');
  }
  if (item.length !== 4) notSign1(`array of ${item.length}, not 4`);
  const [protectedBytes, unprotectedHeader, payload, signature] = item;
  if (!(protectedBytes instanceof Uint8Array)) notSign1('protected header is not a byte string');
  if (!(unprotectedHeader instanceof Map)) notSign1('unprotected header is not a map');
  if (payload === null) notSign1('detached payload');
  if (!(payload instanceof Uint8Array)) notSign1('payload is not a byte string');
  if (!(signature instanceof Uint8Array)) notSign1('signature is not a byte string');

  let protectedHeader: CborMap;
  if (protectedBytes.length === 0) protectedHeader = new Map();
  else {
    const decoded = decodeCbor(protectedBytes);
    if (!(decoded instanceof Map)) notSign1('protected header is not a map');
    protectedHeader = decoded;
  }
  for (const label of unprotectedHeader.keys()) {
    if (protectedHeader.has(label)) notSign1(`header label ${String(label)} in both buckets`);
  }
  if (protectedHeader.has(HEADER_CRIT) || unprotectedHeader.has(HEADER_CRIT)) notSign1('critical header parameters are not supported');
  if (
    protectedHeader.has(HEADER_IV) ||
    unprotectedHeader.has(HEADER_IV) ||
    protectedHeader.has(HEADER_PARTIAL_IV) ||
    unprotectedHeader.has(HEADER_PARTIAL_IV)
  ) {
    // An IV belongs to encryption; a signed credential carrying one is malformed or mislabelled.
    notSign1('IV header in a signature structure');
  }
  const kid = protectedHeader.get(HEADER_KID) ?? unprotectedHeader.get(HEADER_KID) ?? null;
  if (kid !== null && !(kid instanceof Uint8Array)) notSign1('kid is not a byte string');
  const algId = protectedHeader.get(HEADER_ALG);
  return {
    protectedBytes,
    protectedHeader,
    unprotectedHeader,
    payload,
    signature,
    algId,
    alg: ALG_FROM_ID.get(algId) ?? null,
    kid,
  };
}

const SIG1_PREFIX = Uint8Array.of(0x84, 0x6a, ...new TextEncoder().encode('Signature1'));

/**
 * Sig_structure = ["Signature1", protected bytes, external_aad = h'', payload], built without a generic encoder.
 * With `scratch` (large enough) it is built there and a view returned: for synchronous, immediate use only.
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, scratch?: Uint8Array): Uint8Array {
  const size = SIG1_PREFIX.length + 9 + protectedBytes.length + 1 + 9 + payload.length;
  const out = scratch !== undefined && scratch.length >= size ? scratch : new Uint8Array(size);
  out.set(SIG1_PREFIX, 0);
  let o = SIG1_PREFIX.length;
  o = bstrHead(out, o, protectedBytes.length);
  out.set(protectedBytes, o);
  o += protectedBytes.length;
  out[o++] = 0x40;
  o = bstrHead(out, o, payload.length);
  out.set(payload, o);
  o += payload.length;
  return out.subarray(0, o);
}

function bstrHead(out: Uint8Array, o: number, n: number): number {
  if (n < 24) out[o++] = 0x40 | n;
  else if (n < 0x100) {
    out[o++] = 0x58;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = 0x59;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = 0x5a;
    out[o++] = n >>> 24;
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return o;
}

/** The order n of the P-256 group (SEC 2 v2 §2.4.2; FIPS 186-5 / SP 800-186 §3.2.1.3). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * An ES256 signature r‖s with s > n/2 replaced by r‖(n − s): both verify for the same message and key (ECDSA
 * signatures come in such pairs), so one of them names the signature. Anything else is returned as it is.
 */
export function lowS(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64) return signature;
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  if (s <= P256_N >> 1n || s >= P256_N) return signature;
  const out = new Uint8Array(64);
  out.set(signature.subarray(0, 32), 0);
  out.set(Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

/**
 * What identifies a credential whatever text carries it: SHA-256 (hex) of the canonical COSE_Sign1 of what is
 * signed — the protected header bytes and the payload exactly as received, the signature (ES256: low-S) — with an
 * empty unprotected header, untagged, in minimal CBOR. The unsigned envelope (text line ends, zlib encoding, tags,
 * unprotected header, non-minimal outer lengths) does not change it; docs/credential-format.md lists the variants.
 */
export function credentialId(cose: CoseSign1): string {
  const signature = cose.alg === 'ES256' ? lowS(cose.signature) : cose.signature;
  const canonical = encodeCbor([cose.protectedBytes, new Map(), cose.payload, signature]);
  return createHash('sha256').update(canonical).digest('hex');
}

const ES256_VERIFY = { dsaEncoding: 'ieee-p1363' } as const;

/** Raw signature check with node:crypto (synchronous). ES256 is raw r||s; high-S is accepted, as COSE allows. */
export function verifySignature(alg: CoseAlg, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    if (alg === 'EdDSA') return cryptoVerify(null, data, key, signature);
    return cryptoVerify('sha256', data, { key, ...ES256_VERIFY }, signature);
  } catch {
    return false;
  }
}

/** Signs a payload as a tagged COSE_Sign1 with {1: alg, 4: kid} in the protected header and an empty unprotected one. */
export function signSign1(payload: Uint8Array, signer: { key: KeyObject; alg: CoseAlg; kid?: string }): Uint8Array {
  const header: CborMap = new Map<CborValue, CborValue>([[HEADER_ALG, ALG_ID[signer.alg]]]);
  if (signer.kid !== undefined) header.set(HEADER_KID, new TextEncoder().encode(signer.kid));
  const protectedBytes = encodeCbor(header);
  const data = sigStructure(protectedBytes, payload);
  const signature =
    signer.alg === 'EdDSA'
      ? cryptoSign(null, data, signer.key)
      : cryptoSign('sha256', data, { key: signer.key, dsaEncoding: 'ieee-p1363' });
  return encodeCbor(new CborTag(TAG_SIGN1, [protectedBytes, new Map(), payload, signature]));
}
