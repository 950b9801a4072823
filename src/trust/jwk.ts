/**
 * JWK checks shared by the root key, bundle keys and status-list signing keys: only OKP/Ed25519 (EdDSA) and
 * EC/P-256 (ES256); public keys must carry no private member; windows and purposes are well-formed.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { CodePurpose } from '../credential/types.js';
import { TrustError } from './errors.js';
import { shown } from './json.js';
import { jwkPointProblem } from './points.js';
import { isNumericDate, MAX_KEY_STATUS_LISTS, type TrustAlg } from './limits.js';

/** A public issuer JWK as carried in a bundle: the JWK members plus our signing window and allowed purposes. */
export interface IssuerJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  kid?: string;
  alg?: TrustAlg;
  use?: 'sig';
  /** Signing window start (NumericDate, inclusive). Absent = unbounded. */
  notBefore?: number;
  /** Signing window end (NumericDate, exclusive). Absent = unbounded. */
  notAfter?: number;
  /** Code purposes this key may sign. Absent = any. */
  purposes?: CodePurpose[];
  /**
   * The status-list URIs of this key's issuer: the lists it may sign, and the lists whose answers count for the codes
   * it signs. Absent: its lists answer only for codes it signed itself, and it may not sign a URI another key names.
   */
  statusLists?: string[];
}

const CODE_PURPOSES: readonly CodePurpose[] = ['work', 'rent', 'other', 'all'];
/** JWK members that hold secret key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1): a key holding any is private. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The private members a JWK holds (none for a public key). */
export function privateMembersOf(jwk: unknown): string[] {
  return isObject(jwk) ? PRIVATE_MEMBERS.filter((m) => m in jwk) : [];
}

/**
 * What a key is for, as `proofdesk keys generate` marks it in both JWK files (our own member, which other JWK
 * readers ignore, RFC 7517 §4): a root signs trust bundles only, an issuer key signs codes and status lists only.
 * Keys made before the marking, or by other tools, carry none; then only what the store can see tells (docs/trust.md).
 */
export type KeyRole = 'root' | 'issuer';
export const ROLE_MEMBER = 'proofdesk_role';
const ROLES: readonly KeyRole[] = ['root', 'issuer'];

/** The role a JWK is marked with, or null when it carries none. An unknown marking is refused (KEY_INVALID). */
export function markedRole(jwk: unknown, where: string): KeyRole | null {
  if (!isObject(jwk) || jwk[ROLE_MEMBER] === undefined) return null;
  const role = jwk[ROLE_MEMBER];
  if (!ROLES.includes(role as KeyRole))
    throw new TrustError('KEY_INVALID', `${where}: "${ROLE_MEMBER}" is ${shown(role)}, not "root" or "issuer"`);
  return role as KeyRole;
}

/** Refuses a key marked root where an issuer key belongs, and a key marked issuer where the root belongs. */
export function refuseWrongRole(jwk: unknown, wanted: KeyRole, where: string): void {
  const role = markedRole(jwk, where);
  if (role === null || role === wanted) return;
  if (role === 'root') {
    throw new TrustError(
      'ROOT_KEY_AS_ISSUER',
      `${where} is marked as a ROOT key ("${ROLE_MEMBER}": "root"): a root only signs trust bundles; use an issuer key here (proofdesk keys generate without --root)`,
    );
  }
  throw new TrustError(
    'ISSUER_KEY_AS_ROOT',
    `${where} is marked as an ISSUER key ("${ROLE_MEMBER}": "issuer"): the root must be a key of its own (proofdesk keys generate --root), never an issuer's`,
  );
}

/** The one-line refusal of a private key given where public keys are trusted; `file` is named when known. */
export function privateKeyAsTrust(where: string, members: readonly string[], file?: string): string {
  const instead = file !== undefined && /\.private\.jwk$/i.test(file) ? ` (e.g. ${file.replace(/\.private\.jwk$/i, '.public.jwk')})` : '';
  return `${where} is a PRIVATE key (it holds "${members.join('", "')}"): only public keys may be trusted. Use the public key file, *.public.jwk or *.jwks${instead}, and keep the private key with the issuer`;
}
const B64URL = /^[A-Za-z0-9_-]+$/;

export function algOfJwk(jwk: { kty?: unknown; crv?: unknown }): TrustAlg | null {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates one public issuer key (`where` names it in the message). Returns a clean copy. */
export function checkIssuerJwk(value: unknown, where: string): IssuerJwk {
  const bad = (why: string): never => {
    throw new TrustError('KEY_INVALID', `${where}: ${why}`);
  };
  if (!isObject(value)) bad('not a JWK object');
  const jwk = value as Record<string, unknown>;
  const secret = privateMembersOf(jwk);
  if (secret.length > 0) throw new TrustError('PRIVATE_KEY_AS_TRUST', privateKeyAsTrust(where, secret));
  const alg = algOfJwk(jwk);
  if (!alg) bad(`unsupported key type ${String(jwk.kty)}/${String(jwk.crv)} (need OKP/Ed25519 or EC/P-256)`);
  if (typeof jwk.x !== 'string' || !B64URL.test(jwk.x)) bad('missing or malformed "x"');
  if (jwk.kty === 'EC' && (typeof jwk.y !== 'string' || !B64URL.test(jwk.y))) bad('missing or malformed "y"');
  const point = jwkPointProblem(jwk);
  if (point !== null) throw new TrustError('KEY_POINT_INVALID', `${where}: ${point}`);
  if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'EdDSA' && jwk.alg === 'Ed25519'))
    bad(`"alg" ${String(jwk.alg)} does not match the key type (${alg})`);
  if (jwk.use !== undefined && jwk.use !== 'sig') bad(`"use" is ${shown(jwk.use)}, not "sig"`);
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || jwk.kid.length === 0 || jwk.kid.length > 256))
    bad('"kid" must be a non-empty string');
  if (jwk.notBefore !== undefined && !isNumericDate(jwk.notBefore)) bad('"notBefore" must be a NumericDate (whole seconds)');
  if (jwk.notAfter !== undefined && !isNumericDate(jwk.notAfter)) bad('"notAfter" must be a NumericDate (whole seconds)');
  if (isNumericDate(jwk.notBefore) && isNumericDate(jwk.notAfter) && jwk.notAfter <= jwk.notBefore)
    bad('"notAfter" must be later than "notBefore"');
  if (jwk.purposes !== undefined) {
    if (!Array.isArray(jwk.purposes) || jwk.purposes.length === 0 || !jwk.purposes.every((p) => CODE_PURPOSES.includes(p as CodePurpose))) {
      bad(`"purposes" must be a non-empty list of ${CODE_PURPOSES.join(', ')}`);
    }
  }
  if (jwk.statusLists !== undefined) {
    const l = jwk.statusLists;
    if (
      !Array.isArray(l) ||
      l.length === 0 ||
      l.length > MAX_KEY_STATUS_LISTS ||
      !l.every((u) => typeof u === 'string' && u.length > 0 && u.length <= 2048)
    ) {
      bad(`"statusLists" must be a non-empty list (at most ${MAX_KEY_STATUS_LISTS}) of status-list URIs`);
    }
    if (new Set(l as string[]).size !== (l as string[]).length) bad('"statusLists" names a URI twice');
  }
  const out: IssuerJwk = { kty: jwk.kty as IssuerJwk['kty'], crv: jwk.crv as IssuerJwk['crv'], x: jwk.x as string };
  if (jwk.kty === 'EC') out.y = jwk.y as string;
  if (jwk.kid !== undefined) out.kid = jwk.kid as string;
  out.alg = alg!;
  if (jwk.use !== undefined) out.use = 'sig';
  if (jwk.notBefore !== undefined) out.notBefore = jwk.notBefore as number;
  if (jwk.notAfter !== undefined) out.notAfter = jwk.notAfter as number;
  if (jwk.purposes !== undefined) out.purposes = [...(jwk.purposes as CodePurpose[])];
  if (jwk.statusLists !== undefined) out.statusLists = [...(jwk.statusLists as string[])];
  try {
    publicKeyOf(out);
  } catch {
    bad('is not a valid point on its curve');
  }
  return out;
}

export function publicKeyOf(jwk: { kty: string; crv: string; x: string; y?: string }): KeyObject {
  const base: Record<string, string> = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  if (jwk.y !== undefined) base.y = jwk.y;
  return createPublicKey({ key: base, format: 'jwk' });
}

/** RFC 7638 thumbprint (SHA-256, base64url) of the public part. */
export async function thumbprintOf(jwk: { kty: string; crv: string; x: string; y?: string }): Promise<string> {
  const base: Record<string, string> = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  if (jwk.y !== undefined) base.y = jwk.y;
  return calculateJwkThumbprint(base as Parameters<typeof calculateJwkThumbprint>[0], 'sha256');
}

/** A pinned root key (public). */
export interface RootKey {
  jwk: { kty: 'OKP' | 'EC'; crv: 'Ed25519' | 'P-256'; x: string; y?: string; kid?: string; alg: TrustAlg };
  key: KeyObject;
  alg: TrustAlg;
  thumbprint: string;
}

/**
 * Parses a root PUBLIC JWK. Refuses a private one (only the public half is ever pinned: PRIVATE_KEY_AS_TRUST) and
 * one marked as an issuer key (ISSUER_KEY_AS_ROOT).
 */
export async function rootFromJwk(value: unknown, where = 'root key'): Promise<RootKey> {
  const secret = privateMembersOf(value);
  if (secret.length > 0)
    throw new TrustError('PRIVATE_KEY_AS_TRUST', `${privateKeyAsTrust(where, secret)} — pin the root's public key (ROOT.public.jwk)`);
  if (isObject(value) && Array.isArray(value.keys))
    throw new TrustError('KEY_INVALID', `${where} is a key set: give the single root public JWK`);
  refuseWrongRole(value, 'root', where);
  const jwk = checkIssuerJwk(value, where);
  const root: RootKey['jwk'] = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, alg: jwk.alg! };
  if (jwk.y !== undefined) root.y = jwk.y;
  if (jwk.kid !== undefined) root.kid = jwk.kid;
  return { jwk: root, key: publicKeyOf(jwk), alg: jwk.alg!, thumbprint: await thumbprintOf(jwk) };
}

/** A private signing key (root or issuer) from a private JWK. */
export interface SigningKey {
  key: KeyObject;
  alg: TrustAlg;
  kid?: string;
  thumbprint: string;
  publicJwk: IssuerJwk;
}

/** A private JWK → signer; with `role`, a key marked for the other role is refused (refuseWrongRole). */
export async function signingKeyFromJwk(value: unknown, where = 'private key', role?: KeyRole): Promise<SigningKey> {
  if (!isObject(value) || typeof value.d !== 'string')
    throw new TrustError('KEY_INVALID', `${where} is not a private JWK (no "d"): use the *.private.jwk file`);
  if (role !== undefined) refuseWrongRole(value, role, where);
  const { d, ...pub } = value;
  const publicJwk = checkIssuerJwk(pub, where);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: { ...(pub as Record<string, string>), d }, format: 'jwk' });
  } catch {
    throw new TrustError('KEY_INVALID', `${where}: the private key is malformed`);
  }
  const out: SigningKey = { key, alg: publicJwk.alg!, thumbprint: await thumbprintOf(publicJwk), publicJwk };
  if (publicJwk.kid !== undefined) out.kid = publicJwk.kid;
  return out;
}
