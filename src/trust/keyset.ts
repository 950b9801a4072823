/**
 * Pinned issuer keys: a JWKS (or one JWK) → the public keys the verifier may trust. A private key is refused
 * (PRIVATE_KEY_AS_TRUST: a private key handed to a desk as trust has leaked from its issuer), and so is a key marked
 * as a root (ROOT_KEY_AS_ISSUER: a root signs bundles, never codes). OKP/Ed25519 (EdDSA) and EC/P-256 (ES256) only.
 * Optional JWK members (ours): `notBefore` / `notAfter` (NumericDate seconds: the key's signing window, checked
 * against a credential's `iat`) and `purposes` (the code purposes this key may issue).
 */
import { KeyObject, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import type { CodePurpose } from '../credential/types.js';
import { parseTrustJson } from './json.js';
import { privateKeyAsTrust, privateMembersOf, ROLE_MEMBER } from './jwk.js';
import { jwkPointProblem } from './points.js';
import { ProofdeskError } from '../errors.js';

export type KeyAlg = 'EdDSA' | 'ES256';

export interface TrustedKey {
  /** The JWK `kid`; a COSE kid matches it when its bytes are this string's UTF-8 bytes. */
  kid: string | null;
  /** RFC 7638 SHA-256 thumbprint (base64url) of the public key. */
  thumbprint: string;
  alg: KeyAlg;
  /** node:crypto public key. */
  key: KeyObject;
  /** Signing window, NumericDate seconds: a credential's iat must be in [notBefore, notAfter). */
  notBefore?: number;
  notAfter?: number;
  /** Code purposes this key may sign; absent = any. */
  purposes?: CodePurpose[];
  /** Status-list URIs the bundle gives this key's issuer (docs/trust.md, "Which key may sign which status list"). */
  statusLists?: string[];
}

export interface KeySet {
  readonly keys: readonly TrustedKey[];
  readonly byKid: ReadonlyMap<string, TrustedKey>;
}

export type KeySetErrorCode =
  | 'KEYSET_UNREADABLE'
  | 'KEYSET_MALFORMED'
  | 'KEYSET_EMPTY'
  | 'JWK_UNSUPPORTED'
  | 'JWK_INVALID'
  /** A public key whose point is unsafe to trust (small-order or non-canonical Ed25519; P-256 off the curve). */
  | 'KEY_POINT_INVALID'
  | 'KID_DUPLICATE'
  /** A private key where public keys are trusted; the message names the file and says to use the public one. */
  | 'PRIVATE_KEY_AS_TRUST'
  /** A key marked as a root ("proofdesk_role": "root"): roots sign trust bundles, not codes. */
  | 'ROOT_KEY_AS_ISSUER';

export class KeySetError extends ProofdeskError {
  constructor(
    override readonly code: KeySetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use', 'key_ops'] as const;
const PURPOSES: readonly CodePurpose[] = ['work', 'rent', 'other', 'all'];

/**
 * Builds a KeySet from trusted keys (e.g. merged from several bundles). Duplicate kids are refused: a kid must name
 * one key. Each key's point is checked here too, so a TrustedKey built by hand gets the same refusal as a JWK.
 */
export function makeKeySet(keys: readonly TrustedKey[]): KeySet {
  for (const k of keys) {
    const label = k.kid === null ? `key ${k.thumbprint}` : `key "${k.kid}"`;
    let jwk: JsonWebKey;
    try {
      if (!(k.key instanceof KeyObject) || k.key.type !== 'public') throw new Error('not public');
      jwk = k.key.export({ format: 'jwk' });
    } catch {
      throw new KeySetError('JWK_INVALID', `${label}: not a public key object`);
    }
    const point = jwkPointProblem(jwk);
    if (point !== null) throw new KeySetError('KEY_POINT_INVALID', `${label}: ${point}`);
  }
  return indexKeys(keys);
}

/** Keys already checked (trustedKeyFromJwk) → KeySet; refuses duplicate kids. */
function indexKeys(keys: readonly TrustedKey[]): KeySet {
  const byKid = new Map<string, TrustedKey>();
  for (const k of keys) {
    if (k.kid === null) continue;
    if (byKid.has(k.kid)) throw new KeySetError('KID_DUPLICATE', `two keys share the kid "${k.kid}"`);
    byKid.set(k.kid, k);
  }
  return { keys: [...keys], byKid };
}

/** A JWKS object (`{keys: [...]}`), a single JWK, or a path to a file holding either. */
export async function loadKeySet(jwksObjectOrPath: unknown): Promise<KeySet> {
  if (typeof jwksObjectOrPath !== 'string') return keySetFromJwks(jwksObjectOrPath);
  const path = jwksObjectOrPath;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new KeySetError('KEYSET_UNREADABLE', `cannot read key file ${path} (${code})`);
  }
  let parsed: unknown;
  try {
    parsed = parseTrustJson(text, `key file ${path}`);
  } catch (err) {
    const tooDeep = (err as { code?: string }).code === 'NESTED_TOO_DEEP';
    throw new KeySetError('KEYSET_MALFORMED', tooDeep ? (err as Error).message : `key file ${path} is not JSON`);
  }
  try {
    return await keysFrom(parsed, path);
  } catch (err) {
    if (err instanceof KeySetError) throw new KeySetError(err.code, `key file ${path}: ${err.message}`);
    throw err;
  }
}

/** A JWKS object or a single JWK → KeySet. */
export async function keySetFromJwks(jwks: unknown): Promise<KeySet> {
  return keysFrom(jwks);
}

/** `file`: where the keys came from, for the refusal of a private key (it names the public file to use instead). */
async function keysFrom(jwks: unknown, file?: string): Promise<KeySet> {
  if (typeof jwks !== 'object' || jwks === null || Array.isArray(jwks))
    throw new KeySetError('KEYSET_MALFORMED', 'not a JWKS or JWK object');
  const record = jwks as Record<string, unknown>;
  let list: unknown[];
  if ('keys' in record) {
    if (!Array.isArray(record.keys)) throw new KeySetError('KEYSET_MALFORMED', '"keys" is not an array');
    list = record.keys;
  } else if ('kty' in record) list = [record];
  else throw new KeySetError('KEYSET_MALFORMED', 'neither a JWKS ({"keys": [...]}) nor a JWK ("kty")');
  if (list.length === 0) throw new KeySetError('KEYSET_EMPTY', 'the key set has no keys');
  const keys: TrustedKey[] = [];
  for (let i = 0; i < list.length; i++) {
    const secret = privateMembersOf(list[i]);
    if (secret.length > 0) throw new KeySetError('PRIVATE_KEY_AS_TRUST', privateKeyAsTrust(labelOf(list[i], i), secret, file));
    keys.push(await trustedKeyFromJwk(list[i], i));
  }
  return indexKeys(keys);
}

function labelOf(jwk: unknown, index: number): string {
  const kid = (jwk as { kid?: unknown }).kid;
  return typeof kid === 'string' && kid.length > 0 ? `key "${kid}"` : `key ${index}`;
}

/** One JWK → TrustedKey (public part only). `index` only labels error messages. */
export async function trustedKeyFromJwk(input: unknown, index = 0): Promise<TrustedKey> {
  const where = `key ${index}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new KeySetError('KEYSET_MALFORMED', `${where} is not a JSON object`);
  const src = input as Record<string, unknown>;
  const secret = privateMembersOf(src);
  if (secret.length > 0) throw new KeySetError('PRIVATE_KEY_AS_TRUST', privateKeyAsTrust(labelOf(src, index), secret));
  if (src[ROLE_MEMBER] === 'root') {
    throw new KeySetError(
      'ROOT_KEY_AS_ISSUER',
      `${labelOf(src, index)} is marked as a ROOT key ("${ROLE_MEMBER}": "root"): a root signs trust bundles, never codes; pin it with \`proofdesk trust init --root\` and trust the issuer's public keys here`,
    );
  }
  const jwk: JWK = {};
  for (const name of PUBLIC_MEMBERS) if (src[name] !== undefined) (jwk as Record<string, unknown>)[name] = src[name];
  const label = typeof jwk.kid === 'string' ? `key "${jwk.kid}"` : where;
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || jwk.kid.length === 0))
    throw new KeySetError('JWK_INVALID', `${where}: kid is not a non-empty string`);
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw new KeySetError('JWK_UNSUPPORTED', `${label}: "use" is "${String(jwk.use)}", not "sig"`);

  let alg: KeyAlg;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') alg = 'EdDSA';
  else if (jwk.kty === 'EC' && jwk.crv === 'P-256') alg = 'ES256';
  else
    throw new KeySetError('JWK_UNSUPPORTED', `${label}: ${String(jwk.kty)}/${String(jwk.crv)} is not supported (OKP/Ed25519 or EC/P-256)`);
  if (typeof jwk.x !== 'string' || (alg === 'ES256' && typeof jwk.y !== 'string'))
    throw new KeySetError('JWK_INVALID', `${label}: missing "x"${alg === 'ES256' ? ' or "y"' : ''}`);
  const point = jwkPointProblem(jwk);
  if (point !== null) throw new KeySetError('KEY_POINT_INVALID', `${label}: ${point}`);
  if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'EdDSA' && jwk.alg === 'Ed25519')) {
    throw new KeySetError('JWK_UNSUPPORTED', `${label}: alg "${String(jwk.alg)}" does not fit a ${jwk.crv} key`);
  }

  let key: KeyObject;
  let thumbprint: string;
  try {
    const imported = await importJWK({ ...jwk, ext: true }, alg);
    key = imported instanceof Uint8Array ? invalidKey() : KeyObject.from(imported);
    thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
  } catch (err) {
    throw new KeySetError(
      'JWK_INVALID',
      `${label}: not a valid ${jwk.crv} public key (${err instanceof Error ? err.message.split('\n')[0] : 'error'})`,
    );
  }
  if (key.type !== 'public') throw new KeySetError('JWK_INVALID', `${label}: not a public key`);

  const entry: TrustedKey = { kid: typeof jwk.kid === 'string' ? jwk.kid : null, thumbprint, alg, key };
  for (const name of ['notBefore', 'notAfter'] as const) {
    const v = src[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new KeySetError('JWK_INVALID', `${label}: ${name} is not a NumericDate number`);
    entry[name] = v;
  }
  if (entry.notBefore !== undefined && entry.notAfter !== undefined && entry.notAfter <= entry.notBefore) {
    throw new KeySetError('JWK_INVALID', `${label}: notAfter is not after notBefore`);
  }
  if (src.purposes !== undefined) {
    const p = src.purposes;
    if (!Array.isArray(p) || p.length === 0 || !p.every((x): x is CodePurpose => PURPOSES.includes(x as CodePurpose))) {
      throw new KeySetError('JWK_INVALID', `${label}: purposes must be a non-empty list of ${PURPOSES.join(', ')}`);
    }
    entry.purposes = [...p];
  }
  if (src.statusLists !== undefined) {
    const l = src.statusLists;
    if (!Array.isArray(l) || l.length === 0 || !l.every((u): u is string => typeof u === 'string' && u.length > 0)) {
      throw new KeySetError('JWK_INVALID', `${label}: statusLists must be a non-empty list of status-list URIs`);
    }
    entry.statusLists = [...l];
  }
  return entry;
}

function invalidKey(): never {
  throw new Error('symmetric key');
}
