/** Real keys, real bundles, real status lists, real temp stores (cleaned up by the caller's afterEach). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCredential } from '../../src/credential/index.js';
import type { CodePurpose, StatusListRef } from '../../src/credential/types.js';
import { buildBundle } from '../../src/trust/bundle.js';
import { signingKeyFromJwk } from '../../src/trust/jwk.js';
import { StatusList, buildStatusListToken } from '../../src/trust/status-list.js';

export type Alg = 'EdDSA' | 'ES256';

export interface KeyPair {
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  privateKey: KeyObject;
  alg: Alg;
  kid: string;
}

export function makeKeyPair(kid: string, alg: Alg = 'EdDSA'): KeyPair {
  const { publicKey, privateKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg };
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg };
  return { publicJwk, privateJwk, privateKey, alg, kid };
}

export const T0 = 1_790_000_000; // 2026-09-21, a fixed NumericDate for the tests

export function bundleOf(root: KeyPair, issuers: Array<Record<string, unknown>>, seq: number, iat = T0, exp?: number): Promise<string> {
  return buildBundle({ rootPrivateJwk: root.privateJwk, issuers: { keys: issuers }, seq, iat, ...(exp !== undefined ? { exp } : {}) });
}

export async function statusListOf(
  issuer: KeyPair,
  uri: string,
  size: number,
  set: Record<number, number>,
  iat = T0,
  format: 'jwt' | 'cwt' = 'jwt',
  extra: { ttl?: number; exp?: number } = {},
): Promise<Uint8Array> {
  const list = StatusList.empty(2, size);
  for (const [idx, v] of Object.entries(set)) list.set(Number(idx), v);
  return buildStatusListToken({ uri, list, signer: await signingKeyFromJwk(issuer.privateJwk), iat, format, ...extra });
}

export function credential(
  issuer: KeyPair,
  o: { iat?: number; exp?: number; purpose?: CodePurpose; statusList?: StatusListRef } = {},
): string {
  const iat = o.iat ?? T0;
  return encodeCredential(
    {
      identity: { fullName: 'Test Person', dateOfBirth: '19800101' },
      status: {
        scheme: 'EUSS',
        statusType: 'indefinite',
        work: { kind: 'unrestricted' },
        rent: true,
        publicFunds: true,
        purpose: o.purpose ?? 'all',
      },
      ...(o.statusList ? { statusList: o.statusList } : {}),
      cwt: { iss: 'test', iat, exp: o.exp ?? iat + 10 * 365 * 86400 },
    },
    { key: issuer.privateKey, alg: issuer.alg, kid: issuer.kid },
  );
}

export function tempDir(prefix = 'proofdesk-trust-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file in a directory tree with its bytes (to prove a refusal changed nothing). */
export function treeBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

/** ms for verify({ now }) from a NumericDate. */
export const ms = (s: number): number => s * 1000;

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The CLI and crash-test children run the compiled code. Rebuild dist when it is missing or older than the
 * sources this area touches (tsc still emits when other areas have type errors).
 */
export function ensureBuilt(
  needed: string[] = ['dist/cli/main.js', 'dist/cli/trust.js', 'dist/cli/status-list.js', 'dist/trust/index.js'],
): void {
  const outputs = needed.map((p) => join(ROOT, p));
  const srcDirs = ['src/trust', 'src/cli', 'src/verify', 'src/credential'];
  const sources = srcDirs.flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(ROOT, d, f)),
  );
  const newest = Math.max(...sources.map((s) => statSync(s).mtimeMs));
  if (outputs.every((o) => existsSync(o) && statSync(o).mtimeMs >= newest)) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  for (const o of outputs) if (!existsSync(o)) throw new Error(`build did not produce ${o}; run npm run build and read its errors`);
}
