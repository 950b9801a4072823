/**
 * Issuer signing keys as JWK files: generate a pair (PREFIX.private.jwk, mode 0600, and PREFIX.public.jwk) and
 * read a private JWK back as a signer. Ed25519 (EdDSA) or P-256 (ES256) only, like the verifier.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { CredentialSigner } from '../credential/encode.js';
import { ROLE_MEMBER, type KeyRole } from '../trust/jwk.js';
import { IssueError } from './errors.js';
import { readJsonFile } from './files.js';

export type IssuerAlg = 'EdDSA' | 'ES256';
export const ISSUER_ALGS: readonly IssuerAlg[] = ['EdDSA', 'ES256'];

/**
 * Default kid length: the first 11 characters (66 bits) of the RFC 7638 thumbprint. The kid travels in every
 * code, and every QR character counts; 66 bits is ample to tell an issuer's keys apart.
 */
const DEFAULT_KID_CHARS = 11;
const MAX_KID_CHARS = 64;

export interface IssuerKeyPair {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
  alg: IssuerAlg;
}

function exportJwk(key: KeyObject): JWK {
  return key.export({ format: 'jwk' }) as JWK;
}

function publicMembers(jwk: JWK): JWK {
  const out: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  if (jwk.y !== undefined) out.y = jwk.y;
  return out;
}

function checkKid(kid: string): string {
  if (kid.length === 0 || kid.length > MAX_KID_CHARS || !/^[\x21-\x7e]+$/.test(kid)) {
    throw new IssueError('KEY_INVALID', `kid must be 1–${MAX_KID_CHARS} printable ASCII characters without spaces`);
  }
  return kid;
}

/**
 * A new key pair, marked with its role in both files (`"proofdesk_role": "issuer"` or `"root"`, docs/trust.md): the
 * trust commands and `issue` refuse a key marked for the other role.
 */
export async function generateIssuerKey(alg: IssuerAlg = 'EdDSA', kid?: string, role: KeyRole = 'issuer'): Promise<IssuerKeyPair> {
  const { privateKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const priv = exportJwk(privateKey);
  const pub = publicMembers(priv);
  const chosenKid = kid === undefined ? (await calculateJwkThumbprint(pub, 'sha256')).slice(0, DEFAULT_KID_CHARS) : checkKid(kid);
  const meta = { kid: chosenKid, alg, use: 'sig', [ROLE_MEMBER]: role };
  return { alg, kid: chosenKid, publicJwk: { ...pub, ...meta }, privateJwk: { ...pub, d: priv.d, ...meta } };
}

/** Writes `text` to a new file with `mode`; refuses to replace an existing file unless `overwrite`. */
export async function writeNewFile(path: string, text: string | Uint8Array, mode: number, overwrite: boolean): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  let handle;
  try {
    handle = await open(overwrite ? temp : path, 'wx', mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new IssueError('OUTPUT_EXISTS', `${path} already exists (use --force to replace it)`);
    throw new IssueError('OUTPUT_FAILED', `cannot create ${path} (${code ?? 'error'})`);
  }
  try {
    await handle.writeFile(text);
    await handle.chmod(mode); // open's mode is filtered by the umask; make it exact
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(overwrite ? temp : path).catch(() => undefined);
    throw new IssueError('OUTPUT_FAILED', `cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  await handle.close();
  if (overwrite) {
    await rename(temp, path);
    await chmod(path, mode);
  }
}

/** Writes PREFIX.private.jwk (0600) and PREFIX.public.jwk (0644); returns their paths. */
export async function writeKeyPair(
  prefix: string,
  pair: IssuerKeyPair,
  overwrite = false,
): Promise<{ privatePath: string; publicPath: string }> {
  const privatePath = `${prefix}.private.jwk`;
  const publicPath = `${prefix}.public.jwk`;
  await writeNewFile(privatePath, `${JSON.stringify(pair.privateJwk, null, 2)}\n`, 0o600, overwrite);
  await writeNewFile(publicPath, `${JSON.stringify(pair.publicJwk, null, 2)}\n`, 0o644, overwrite);
  return { privatePath, publicPath };
}

/** A private JWK (object) → the signer `encodeCredential` takes. */
export function signerFromJwk(value: unknown, where = 'private key'): CredentialSigner {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new IssueError('KEY_INVALID', `${where} is not a JWK object`);
  const jwk = value as Record<string, unknown>;
  if ('keys' in jwk) throw new IssueError('KEY_INVALID', `${where} is a key set; give one private JWK (PREFIX.private.jwk)`);
  if (typeof jwk.d !== 'string') throw new IssueError('KEY_INVALID', `${where} is not a private JWK (no "d"): use the *.private.jwk file`);
  if (jwk[ROLE_MEMBER] === 'root') {
    throw new IssueError(
      'ROOT_KEY_AS_ISSUER',
      `${where} is a ROOT key ("${ROLE_MEMBER}": "root"): the root only signs trust bundles; sign codes with an issuer key (proofdesk keys generate, without --root)`,
    );
  }
  let alg: IssuerAlg;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') alg = 'EdDSA';
  else if (jwk.kty === 'EC' && jwk.crv === 'P-256') alg = 'ES256';
  else throw new IssueError('KEY_INVALID', `${where}: ${String(jwk.kty)}/${String(jwk.crv)} is not supported (OKP/Ed25519 or EC/P-256)`);
  if (jwk.alg !== undefined && jwk.alg !== alg)
    throw new IssueError('KEY_INVALID', `${where}: alg "${String(jwk.alg)}" does not fit a ${String(jwk.crv)} key`);
  const kid = jwk.kid === undefined ? undefined : typeof jwk.kid === 'string' ? checkKid(jwk.kid) : undefined;
  if (jwk.kid !== undefined && kid === undefined) throw new IssueError('KEY_INVALID', `${where}: kid is not a string`);
  const material: Record<string, unknown> = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d };
  if (jwk.y !== undefined) material.y = jwk.y;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: material as JsonWebKeyInput, format: 'jwk' });
    // The public half must match the private scalar: a mismatched "x" would sign codes no one can verify.
    const derived = exportJwk(createPublicKey(key));
    if (derived.x !== jwk.x || derived.y !== jwk.y) throw new Error('mismatch');
  } catch {
    throw new IssueError('KEY_INVALID', `${where}: the key material is malformed or its public part does not match`);
  }
  return kid === undefined ? { key, alg } : { key, alg, kid };
}

type JsonWebKeyInput = import('node:crypto').JsonWebKey;

export async function readSigner(path: string): Promise<CredentialSigner> {
  return signerFromJwk(await readJsonFile(path, 'key file', 'KEY_INVALID'), `key file ${path}`);
}
