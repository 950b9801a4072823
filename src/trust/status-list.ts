/**
 * Revocation: the IETF Token Status List (draft-ietf-oauth-status-list). A list is a byte array holding `bits`
 * bits per credential (we write 2, so VALID 0x00, INVALID 0x01 and SUSPENDED 0x02 all fit), entry `idx` in byte
 * `idx * bits / 8` starting at the least significant bit, zlib-compressed (RFC 1950) as `lst`.
 *
 * Two signed forms are accepted and built (docs/trust.md):
 *  - JWS `statuslist+jwt`: { sub: <list uri>, iat, exp?, ttl?, status_list: { bits, lst: base64url } } (jose);
 *  - CWT: COSE_Sign1, protected { 1: alg, 4: kid, 16: "application/statuslist+cwt" }, claims
 *    { 2: uri, 6: iat, 4?: exp, 65534?: ttl, 65533: { "bits", "lst": bstr } } (the credential codec's strict CBOR,
 *    with its string limit raised to MAX_STATUS_LIST_CBOR_STRING_BYTES: both forms take lists up to
 *    MAX_STATUS_LIST_BYTES).
 * The signing key must be an issuer key of the active trust bundle, in its signing window at the list's `iat`.
 */
import { sign as cryptoSign } from 'node:crypto';
import { inflateSync, deflateSync } from 'node:zlib';
import { CompactSign, compactVerify } from 'jose';
import {
  CborTag,
  encodeCbor,
  parseSign1,
  sigStructure,
  verifySignature,
  decodeCbor,
  CredentialError,
  type CborMap,
  type CborValue,
} from '../credential/index.js';
import { TrustError } from './errors.js';
import { shown } from './json.js';
import { publicKeyOf, thumbprintOf, type IssuerJwk, type SigningKey } from './jwk.js';
import { checkedJwsHeader, jwsText, looksLikeCompactJws, parseJsonPayload } from './jws.js';
import { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';
import {
  isNumericDate,
  MAX_STATUS_LIST_BYTES,
  MAX_STATUS_LIST_CBOR_STRING_BYTES,
  MAX_STATUS_LIST_FILE_BYTES,
  type TrustAlg,
} from './limits.js';
import { isoOf, STATUS_LIST_JWT_TYP, BUNDLE_TYP } from './bundle.js';

export const STATUS_LIST_CWT_TYP = 'application/statuslist+cwt';
export const STATUS_VALID = 0x00;
export const STATUS_INVALID = 0x01;
export const STATUS_SUSPENDED = 0x02;
export type StatusBitsPerEntry = 1 | 2;
export type StatusName = 'VALID' | 'INVALID' | 'SUSPENDED';

/**
 * A status list in memory: `size` entries of `bits` bits. Lookups are O(1): one byte read, a shift and a mask.
 * A signed list's size is its whole byte array (bytes × 8 / bits), as the draft defines; the issuer's state file may
 * declare fewer (the padding bits of the last byte are not entries).
 */
export class StatusList {
  readonly size: number;
  constructor(
    readonly bits: StatusBitsPerEntry,
    readonly bytes: Uint8Array,
    size?: number,
  ) {
    const capacity = (bytes.length * 8) / bits;
    if (size !== undefined && (!Number.isSafeInteger(size) || size < 1 || size > capacity))
      throw new TrustError('LIST_STATE_INVALID', `list size ${size} does not fit ${bytes.length} bytes`);
    this.size = size ?? capacity;
  }

  static empty(bits: StatusBitsPerEntry, size: number): StatusList {
    if (!Number.isSafeInteger(size) || size < 1) throw new TrustError('LIST_STATE_INVALID', 'list size must be a positive whole number');
    if (Math.ceil((size * bits) / 8) > MAX_STATUS_LIST_BYTES)
      throw new TrustError('FILE_TOO_LARGE', `a list of ${size} entries exceeds the limit of ${(MAX_STATUS_LIST_BYTES * 8) / bits}`);
    return new StatusList(bits, new Uint8Array(Math.ceil((size * bits) / 8)), size);
  }

  get(idx: number): number {
    const bitPos = idx * this.bits;
    return (this.bytes[bitPos >>> 3]! >> (bitPos & 7)) & ((1 << this.bits) - 1);
  }

  set(idx: number, value: number): void {
    if (!Number.isSafeInteger(idx) || idx < 0 || idx >= this.size)
      throw new TrustError('INDEX_OUT_OF_RANGE', `index ${idx} is outside the list (0–${this.size - 1})`);
    if (value < 0 || value >= 1 << this.bits)
      throw new TrustError('STATUS_CHANGE_NOT_ALLOWED', `status ${value} does not fit in ${this.bits} bit(s)`);
    const bitPos = idx * this.bits;
    const mask = ((1 << this.bits) - 1) << (bitPos & 7);
    const i = bitPos >>> 3;
    this.bytes[i] = (this.bytes[i]! & ~mask) | (value << (bitPos & 7));
  }

  compress(): Uint8Array {
    return deflateSync(this.bytes, { level: 9 });
  }

  static decompress(bits: number, lst: Uint8Array): StatusList {
    if (bits !== 1 && bits !== 2) throw new TrustError('MALFORMED', `status list uses ${bits} bits per entry; this verifier reads 1 or 2`);
    let bytes: Buffer;
    try {
      // maxOutputLength: a zlib bomb stops at the limit, nothing past it is allocated.
      bytes = inflateSync(lst, { maxOutputLength: MAX_STATUS_LIST_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new TrustError('FILE_TOO_LARGE', `status list inflates past ${MAX_STATUS_LIST_BYTES} bytes`);
      throw new TrustError('MALFORMED', 'status list "lst" is not a zlib stream');
    }
    if (bytes.length === 0) throw new TrustError('MALFORMED', 'status list is empty');
    return new StatusList(bits, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
}

export function statusName(value: number): StatusName {
  if (value === STATUS_VALID) return 'VALID';
  if (value === STATUS_SUSPENDED) return 'SUSPENDED';
  // 0x01 and anything unassigned (0x03 is "application specific" in the draft; we never write it): not valid.
  return 'INVALID';
}

/** A status-list token whose signature, signer and times have been checked. */
export interface StatusListToken {
  format: 'jwt' | 'cwt';
  uri: string;
  iat: number;
  exp?: number;
  ttl?: number;
  list: StatusList;
  /** kid (or thumbprint) of the issuer key that signed it. */
  signer: string;
  /** RFC 7638 thumbprint of that key: a list answers for the codes this key signed. */
  signerThumbprint: string;
  /** The signer's `statusLists` in the bundle, if it names any: then the list also answers for codes of keys naming its URI. */
  signerStatusLists?: string[];
  /** The exact file bytes (what the store keeps). */
  raw: Uint8Array;
}

export interface StatusListCheckOptions {
  now: number;
  skewSeconds?: number;
  /** false: skip issued-in-the-future and expiry (re-loading a list accepted earlier); the signing window still applies. */
  timeChecks?: boolean;
}

/** Tells a JWS status list, a CWT status list and anything else apart, from the first bytes. */
export function statusListFormatOf(bytes: Uint8Array): 'jwt' | 'cwt' | null {
  const text = jwsText(bytes.subarray(0, Math.min(bytes.length, 4096)));
  if (text.startsWith('eyJ')) return 'jwt';
  const first = bytes[0];
  // CBOR: tag 61 (0xd8 0x3d), tag 18 (0xd2) or a 4-element array (0x84).
  if (first === 0xd8 || first === 0xd2 || first === 0x84) return 'cwt';
  return null;
}

function findIssuerKey(keys: readonly IssuerKeyRef[], kid: string | undefined): IssuerKeyRef {
  if (kid === undefined) throw new TrustError('ISSUER_KEY_UNKNOWN', 'status list names no signing key (kid); it cannot be checked');
  const key = keys.find((k) => k.jwk.kid === kid || k.thumbprint === kid);
  if (!key)
    throw new TrustError('ISSUER_KEY_UNKNOWN', `status list is signed by key ${shown(kid)}, which is not in the active trust bundle`);
  return key;
}

/** An issuer key of the active bundle, with its thumbprint (so a list may name a kid-less key by thumbprint). */
export interface IssuerKeyRef {
  jwk: IssuerJwk;
  thumbprint: string;
}

export async function issuerKeyRefs(keys: readonly IssuerJwk[]): Promise<IssuerKeyRef[]> {
  return Promise.all(keys.map(async (jwk) => ({ jwk, thumbprint: await thumbprintOf(jwk) })));
}

function checkTimes(t: { iat: number; exp?: number }, signer: IssuerKeyRef, opts: StatusListCheckOptions): void {
  const skew = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (opts.timeChecks !== false && t.iat > opts.now + skew)
    throw new TrustError(
      'ISSUED_IN_FUTURE',
      `status list was issued at ${isoOf(t.iat)}, after this kiosk's clock (${isoOf(opts.now)}): check the clock`,
    );
  if (opts.timeChecks !== false && t.exp !== undefined && t.exp <= opts.now - skew)
    throw new TrustError('EXPIRED', `status list expired at ${isoOf(t.exp)}`);
  const { notBefore, notAfter } = signer.jwk;
  if ((notBefore !== undefined && t.iat < notBefore) || (notAfter !== undefined && t.iat >= notAfter)) {
    throw new TrustError(
      'ISSUER_KEY_NOT_IN_WINDOW',
      `status list was signed at ${isoOf(t.iat)}, outside the signing window of key "${signer.jwk.kid ?? signer.thumbprint}"`,
    );
  }
}

/**
 * The bundle binds lists to issuers: a key naming `statusLists` signs only those URIs; a key naming none may not
 * sign a URI that some key of the bundle names (it belongs to that key's issuer).
 */
function checkBinding(uri: string, signer: IssuerKeyRef, keys: readonly IssuerKeyRef[]): void {
  const name = signer.jwk.kid ?? signer.thumbprint;
  const named = signer.jwk.statusLists;
  if (named !== undefined && !named.includes(uri)) {
    throw new TrustError(
      'STATUS_LIST_NOT_ALLOWED',
      `status list for ${uri} is signed by key "${name}", which the trust bundle allows to sign only ${named.length === 1 ? named[0] : `${named.length} other lists`}`,
    );
  }
  if (named === undefined) {
    const owner = keys.find((k) => k.jwk.statusLists?.includes(uri));
    if (owner)
      throw new TrustError(
        'STATUS_LIST_NOT_ALLOWED',
        `status list for ${uri} is signed by key "${name}", but the trust bundle gives that list to key "${owner.jwk.kid ?? owner.thumbprint}"`,
      );
  }
}

function withSigner(
  token: Omit<StatusListToken, 'signerThumbprint'>,
  signer: IssuerKeyRef,
  keys: readonly IssuerKeyRef[],
): StatusListToken {
  checkBinding(token.uri, signer, keys);
  const out: StatusListToken = { ...token, signerThumbprint: signer.thumbprint };
  if (signer.jwk.statusLists !== undefined) out.signerStatusLists = [...signer.jwk.statusLists];
  return out;
}

function checkUri(uri: unknown): string {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 2048)
    throw new TrustError('MALFORMED', 'status list has no "sub" (the list URI)');
  return uri;
}

/** Verifies a status-list token (either form) against the issuer keys of the active bundle. */
export async function verifyStatusListToken(
  bytes: Uint8Array,
  keys: readonly IssuerKeyRef[],
  opts: StatusListCheckOptions,
): Promise<StatusListToken> {
  if (bytes.length > MAX_STATUS_LIST_FILE_BYTES)
    throw new TrustError('FILE_TOO_LARGE', `status list is ${bytes.length} bytes; the limit is ${MAX_STATUS_LIST_FILE_BYTES}`);
  const format = statusListFormatOf(bytes);
  if (format === 'jwt') return verifyJwt(bytes, keys, opts);
  if (format === 'cwt') return verifyCwt(bytes, keys, opts);
  throw new TrustError('WRONG_TYPE', 'not a status list (neither a statuslist+jwt JWS nor a status-list CWT)');
}

async function verifyJwt(bytes: Uint8Array, keys: readonly IssuerKeyRef[], opts: StatusListCheckOptions): Promise<StatusListToken> {
  const text = jwsText(bytes);
  if (!looksLikeCompactJws(text)) throw new TrustError('MALFORMED', 'status list is not a complete compact JWS (truncated or damaged)');
  const header = checkedJwsHeader(text, 'status list');
  if (header.typ === BUNDLE_TYP) throw new TrustError('WRONG_TYPE', 'this file is a trust bundle, not a status list');
  if (header.typ !== STATUS_LIST_JWT_TYP)
    throw new TrustError('WRONG_TYPE', `not a status list (typ ${shown(header.typ)}, expected "${STATUS_LIST_JWT_TYP}")`);
  const signer = findIssuerKey(keys, header.kid);
  if (signer.jwk.alg !== header.alg)
    throw new TrustError('SIGNATURE_INVALID', `status list claims ${header.alg} but key "${header.kid}" is an ${signer.jwk.alg} key`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(text, publicKeyOf(signer.jwk), { algorithms: [header.alg] }));
  } catch {
    throw new TrustError('SIGNATURE_INVALID', `status list signature does not verify with key "${header.kid}": the file was altered`);
  }
  const p = parseJsonPayload(payload, 'status list');
  const uri = checkUri(p.sub);
  if (!isNumericDate(p.iat)) throw new TrustError('MALFORMED', 'status list "iat" must be a NumericDate');
  if (p.exp !== undefined && !isNumericDate(p.exp)) throw new TrustError('MALFORMED', 'status list "exp" must be a NumericDate');
  if (p.ttl !== undefined && !isNumericDate(p.ttl)) throw new TrustError('MALFORMED', 'status list "ttl" must be whole seconds');
  const sl = p.status_list as { bits?: unknown; lst?: unknown } | undefined;
  if (
    typeof sl !== 'object' ||
    sl === null ||
    typeof sl.lst !== 'string' ||
    !/^[A-Za-z0-9_-]+$/.test(sl.lst) ||
    typeof sl.bits !== 'number'
  ) {
    throw new TrustError('MALFORMED', 'status list has no valid "status_list" {bits, lst}');
  }
  const list = StatusList.decompress(sl.bits, Buffer.from(sl.lst, 'base64url'));
  const token: Omit<StatusListToken, 'signerThumbprint'> = { format: 'jwt', uri, iat: p.iat, list, signer: header.kid!, raw: bytes };
  if (p.exp !== undefined) token.exp = p.exp as number;
  if (p.ttl !== undefined) token.ttl = p.ttl as number;
  checkTimes(token, signer, opts);
  return withSigner(token, signer, keys);
}

const COSE_ALG: Record<TrustAlg, number> = { EdDSA: -8, ES256: -7 };
const CWT_LIMITS = { maxStringBytes: MAX_STATUS_LIST_CBOR_STRING_BYTES };
const HEADER_TYP = 16;

async function verifyCwt(bytes: Uint8Array, keys: readonly IssuerKeyRef[], opts: StatusListCheckOptions): Promise<StatusListToken> {
  let cose;
  try {
    cose = parseSign1(bytes, CWT_LIMITS);
  } catch (err) {
    const detail = err instanceof CredentialError ? err.message : 'unreadable';
    if (err instanceof CredentialError && err.code === 'PAYLOAD_TOO_LARGE')
      throw new TrustError('FILE_TOO_LARGE', `status-list CWT exceeds the CBOR limits (${detail})`);
    throw new TrustError('MALFORMED', `status-list CWT is damaged or not COSE_Sign1 (${detail})`);
  }
  if (cose.alg === null)
    throw new TrustError('ALG_NOT_ALLOWED', 'status-list CWT is not signed with EdDSA or ES256 in its protected header');
  const typ = cose.protectedHeader.get(HEADER_TYP);
  if (typ !== STATUS_LIST_CWT_TYP)
    throw new TrustError('WRONG_TYPE', `not a status list (COSE typ ${shown(typ)}, expected "${STATUS_LIST_CWT_TYP}")`);
  const kid = cose.kid === null ? undefined : Buffer.from(cose.kid).toString('utf8');
  const signer = findIssuerKey(keys, kid);
  if (signer.jwk.alg !== cose.alg)
    throw new TrustError('SIGNATURE_INVALID', `status list claims ${cose.alg} but key "${kid}" is an ${signer.jwk.alg} key`);
  if (!verifySignature(cose.alg, publicKeyOf(signer.jwk), sigStructure(cose.protectedBytes, cose.payload), cose.signature)) {
    throw new TrustError('SIGNATURE_INVALID', `status list signature does not verify with key "${kid}": the file was altered`);
  }
  let claims: CborValue;
  try {
    claims = decodeCbor(cose.payload, CWT_LIMITS);
  } catch {
    throw new TrustError('MALFORMED', 'status-list CWT claims are not valid CBOR');
  }
  if (!(claims instanceof Map)) throw new TrustError('MALFORMED', 'status-list CWT claims are not a map');
  const uri = checkUri(claims.get(2));
  const iat = claims.get(6);
  const exp = claims.get(4);
  const ttl = claims.get(65534);
  if (!isNumericDate(iat)) throw new TrustError('MALFORMED', 'status list "iat" (6) must be a NumericDate');
  if (exp !== undefined && !isNumericDate(exp)) throw new TrustError('MALFORMED', 'status list "exp" (4) must be a NumericDate');
  if (ttl !== undefined && !isNumericDate(ttl)) throw new TrustError('MALFORMED', 'status list "ttl" (65534) must be whole seconds');
  const sl = claims.get(65533);
  if (!(sl instanceof Map) || typeof sl.get('bits') !== 'number' || !(sl.get('lst') instanceof Uint8Array)) {
    throw new TrustError('MALFORMED', 'status list has no valid status_list (65533) {bits, lst}');
  }
  const list = StatusList.decompress(sl.get('bits') as number, sl.get('lst') as Uint8Array);
  const token: Omit<StatusListToken, 'signerThumbprint'> = { format: 'cwt', uri, iat, list, signer: kid!, raw: bytes };
  if (exp !== undefined) token.exp = exp;
  if (ttl !== undefined) token.ttl = ttl;
  checkTimes(token, signer, opts);
  return withSigner(token, signer, keys);
}

export interface BuildStatusListOptions {
  uri: string;
  list: StatusList;
  signer: SigningKey;
  iat: number;
  exp?: number;
  ttl?: number;
  format: 'jwt' | 'cwt';
}

/** Issuer side: signs the current list. JWS text (one line) for `jwt`, binary COSE for `cwt`. */
export async function buildStatusListToken(o: BuildStatusListOptions): Promise<Uint8Array> {
  const kid = o.signer.kid ?? o.signer.thumbprint;
  const lst = o.list.compress();
  if (o.format === 'jwt') {
    const payload: Record<string, unknown> = { sub: o.uri, iat: o.iat };
    if (o.exp !== undefined) payload.exp = o.exp;
    if (o.ttl !== undefined) payload.ttl = o.ttl;
    payload.status_list = { bits: o.list.bits, lst: Buffer.from(lst).toString('base64url') };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: o.signer.alg, typ: STATUS_LIST_JWT_TYP, kid })
      .sign(o.signer.key);
    return new TextEncoder().encode(`${jws}\n`);
  }
  const claims: CborMap = new Map<CborValue, CborValue>([
    [2, o.uri],
    [6, o.iat],
  ]);
  if (o.exp !== undefined) claims.set(4, o.exp);
  if (o.ttl !== undefined) claims.set(65534, o.ttl);
  claims.set(
    65533,
    new Map<CborValue, CborValue>([
      ['bits', o.list.bits],
      ['lst', lst],
    ]),
  );
  const payload = encodeCbor(claims);
  const protectedBytes = encodeCbor(
    new Map<CborValue, CborValue>([
      [1, COSE_ALG[o.signer.alg]],
      [4, new TextEncoder().encode(kid)],
      [HEADER_TYP, STATUS_LIST_CWT_TYP],
    ]),
  );
  const data = sigStructure(protectedBytes, payload);
  const signature =
    o.signer.alg === 'EdDSA'
      ? cryptoSign(null, data, o.signer.key)
      : cryptoSign('sha256', data, { key: o.signer.key, dsaEncoding: 'ieee-p1363' });
  return encodeCbor(new CborTag(18, [protectedBytes, new Map(), payload, signature]));
}
