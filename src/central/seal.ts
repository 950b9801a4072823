/**
 * The organisation's records key, and personal copies sealed to it. A desk holds only the PUBLIC key
 * (`records.central.recordsKey`) and seals each copy it ships as a compact JWE (RFC 7516) with ECDH-ES key
 * agreement (RFC 7518 §4.6; X25519 per RFC 8037, or P-256) and A256GCM: the database, its backups and the network
 * carry ciphertext only, and only the holder of the private key (`central pdf --org-key`) can open a copy.
 *
 * The protected header (authenticated, readable) carries the check id and desk id, so a copy moved to another check
 * is refused, and the key id (RFC 7638 thumbprint), so a copy sealed to another key is told apart from a damaged one.
 * The plaintext is the same JSON the desk's own sealed copy holds (src/records/personal-copy.ts).
 */
import * as fs from 'node:fs';
import {
  CompactEncrypt,
  calculateJwkThumbprint,
  compactDecrypt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { credentialSha256 } from '../records/store.js';
import { personalCopyFromJson, personalCopyJson, type PersonalCopy } from '../records/personal-copy.js';
import { CentralError } from './errors.js';
import { readBoundedSync } from '../storage/bounded-read.js';

export const ORG_KEY_CURVES = ['X25519', 'P-256'] as const;
export type OrgKeyCurve = (typeof ORG_KEY_CURVES)[number];

const ALG = 'ECDH-ES';
const ENC = 'A256GCM';
/** The JWE content type of a sealed personal copy. */
export const COPY_CTY = 'proofdesk-personal-copy+json';
const MAX_KEY_FILE_BYTES = 16 * 1024;

export interface OrgPublicKey {
  readonly key: CryptoKey | Uint8Array;
  /** RFC 7638 thumbprint of the public key (base64url SHA-256). */
  readonly kid: string;
  readonly file: string;
}

export type OrgPrivateKey = OrgPublicKey;

export interface OrgKeyPair {
  kid: string;
  curve: OrgKeyCurve;
  publicJwk: JWK;
  privateJwk: JWK;
}

function publicPart(jwk: JWK): JWK {
  return jwk.kty === 'OKP' ? { kty: 'OKP', crv: jwk.crv!, x: jwk.x! } : { kty: 'EC', crv: jwk.crv!, x: jwk.x!, y: jwk.y! };
}

export async function generateOrgKey(curve: OrgKeyCurve = 'X25519'): Promise<OrgKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: curve, extractable: true });
  const pub = publicPart(await exportJWK(publicKey));
  const kid = await calculateJwkThumbprint(pub, 'sha256');
  const meta = { kid, use: 'enc', alg: ALG };
  return { kid, curve, publicJwk: { ...pub, ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta } };
}

/** PREFIX.public.jwk (for the desks) and PREFIX.private.jwk (mode 0600, never overwritten unless `force`). */
export function writeOrgKeyPair(prefix: string, pair: OrgKeyPair, force = false): { publicPath: string; privatePath: string } {
  const publicPath = `${prefix}.public.jwk`;
  const privatePath = `${prefix}.private.jwk`;
  const flag = force ? 'w' : 'wx';
  for (const p of [privatePath, publicPath]) {
    if (!force && fs.existsSync(p))
      throw new CentralError(
        'KEY_INVALID',
        `${p} already exists: choose another --out, or --force to replace it (copies sealed to the old key then need the old private key)`,
      );
  }
  fs.writeFileSync(privatePath, `${JSON.stringify(pair.privateJwk, null, 2)}\n`, { mode: 0o600, flag });
  fs.chmodSync(privatePath, 0o600);
  fs.writeFileSync(publicPath, `${JSON.stringify(pair.publicJwk, null, 2)}\n`, { mode: 0o644, flag });
  return { publicPath, privatePath };
}

function readJwk(file: string, what: string): JWK {
  const bytes = readBoundedSync(file, MAX_KEY_FILE_BYTES, what, (r) =>
    r.why === 'too-large'
      ? new CentralError('KEY_INVALID', `the ${what} ${file} is larger than a key file can be`)
      : new CentralError('KEY_INVALID', `cannot read the ${what} ${file}: ${r.errno ?? 'not a regular file'}`, { cause: r.cause }),
  );
  let jwk: unknown;
  try {
    jwk = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CentralError('KEY_INVALID', `the ${what} ${file} is not JSON (expected a JWK from \`proofdesk central keys generate\`)`);
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw new CentralError('KEY_INVALID', `the ${what} ${file} is not a JWK`);
  const k = jwk as JWK;
  const okp = k.kty === 'OKP' && k.crv === 'X25519' && typeof k.x === 'string';
  const ec = k.kty === 'EC' && k.crv === 'P-256' && typeof k.x === 'string' && typeof k.y === 'string';
  if (!okp && !ec) throw new CentralError('KEY_INVALID', `the ${what} ${file} must be an X25519 (OKP) or P-256 (EC) key for ECDH-ES`);
  return k;
}

/** The records PUBLIC key a desk seals to. A private key here is refused: a desk must never hold it. */
export async function loadOrgPublicKey(file: string): Promise<OrgPublicKey> {
  const jwk = readJwk(file, 'records public key');
  if (jwk.d !== undefined) {
    throw new CentralError(
      'KEY_INVALID',
      `${file} is the organisation's PRIVATE records key: a desk needs only the public one (ORG.public.jwk); keep the private key off the desks`,
    );
  }
  const pub = publicPart(jwk);
  try {
    return { key: await importJWK(pub, ALG), kid: await calculateJwkThumbprint(pub, 'sha256'), file };
  } catch (err) {
    throw new CentralError('KEY_INVALID', `the records public key ${file} is not a valid key: ${(err as Error).message}`);
  }
}

/** The organisation's PRIVATE records key (central pdf). Refused when other users can read the file. */
export async function loadOrgPrivateKey(file: string): Promise<OrgPrivateKey> {
  const jwk = readJwk(file, 'records private key');
  if (typeof jwk.d !== 'string')
    throw new CentralError('KEY_INVALID', `${file} holds no private key (it is the public one): give ORG.private.jwk`);
  const mode = fs.statSync(file).mode;
  if ((mode & 0o077) !== 0) {
    throw new CentralError(
      'INSECURE_PERMISSIONS',
      `the records private key ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 ${file}`,
    );
  }
  try {
    return {
      key: await importJWK({ ...publicPart(jwk), d: jwk.d }, ALG),
      kid: await calculateJwkThumbprint(publicPart(jwk), 'sha256'),
      file,
    };
  } catch (err) {
    throw new CentralError('KEY_INVALID', `the records private key ${file} is not a valid key: ${(err as Error).message}`);
  }
}

export interface CopyContext {
  checkId: string;
  deskId: string;
}

/** Seal a personal copy to the organisation's public key: a compact JWE string. */
export async function sealCopy(copy: PersonalCopy, ctx: CopyContext, key: OrgPublicKey): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(personalCopyJson(copy)))
    .setProtectedHeader({ alg: ALG, enc: ENC, kid: key.kid, cty: COPY_CTY, checkId: ctx.checkId, deskId: ctx.deskId })
    .encrypt(key.key);
}

/** The key id a sealed copy names (null when it is not a JWE). */
export function sealedKid(jwe: string): string | null {
  try {
    const kid = decodeProtectedHeader(jwe).kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

/**
 * Open a sealed copy with the private key and check it belongs to this check: the header's check and desk ids,
 * and the credential hashing to the check's `credential_sha256`.
 */
export async function openCopy(jwe: string, key: OrgPrivateKey, expect: CopyContext & { credentialSha256: string }): Promise<PersonalCopy> {
  const kid = sealedKid(jwe);
  if (kid === null)
    throw new CentralError('COPY_TAMPERED', `the personal copy of check ${expect.checkId} is not a sealed copy (not a JWE)`);
  if (kid !== key.kid)
    throw new CentralError(
      'WRONG_KEY',
      `the personal copy of check ${expect.checkId} was sealed to another key (kid ${kid}), not ${key.file} (kid ${key.kid})`,
    );
  let plain: Uint8Array;
  let header: Record<string, unknown>;
  try {
    const out = await compactDecrypt(jwe, key.key, { keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: [ENC] });
    plain = out.plaintext;
    header = out.protectedHeader as Record<string, unknown>;
  } catch {
    throw new CentralError(
      'COPY_TAMPERED',
      `the personal copy of check ${expect.checkId} failed its integrity check: it was altered or damaged`,
    );
  }
  if (header.checkId !== expect.checkId || header.deskId !== expect.deskId || header.cty !== COPY_CTY) {
    throw new CentralError(
      'COPY_TAMPERED',
      `the personal copy stored for check ${expect.checkId} was sealed for another check (${String(header.deskId)} / ${String(header.checkId)})`,
    );
  }
  const copy = personalCopyFromJson(new TextDecoder().decode(plain));
  if (copy === null)
    throw new CentralError('COPY_TAMPERED', `the personal copy of check ${expect.checkId} opened but is not in the expected form`);
  if (credentialSha256(copy.credentialText) !== expect.credentialSha256) {
    throw new CentralError('COPY_TAMPERED', `the personal copy of check ${expect.checkId} does not match the check's credential hash`);
  }
  return copy;
}
