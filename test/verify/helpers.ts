/** Test fixtures: real keys (node:crypto), real credentials (the production encoder), hand-built malformed ones. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { base45Encode } from '../../src/credential/base45.js';
import { CborTag, encodeCbor, type CborMap, type CborValue } from '../../src/credential/cbor.js';
import { zlibCompress } from '../../src/credential/compress.js';
import { sigStructure } from '../../src/credential/cose.js';
import { encodeClaimsMap, type ClaimsToEncode } from '../../src/credential/cwt.js';
import { encodeCredential } from '../../src/credential/encode.js';
import type { StatusClaim } from '../../src/credential/types.js';
import { keySetFromJwks, type KeySet } from '../../src/trust/keyset.js';
import { sign as cryptoSign } from 'node:crypto';

export interface TestKey {
  alg: 'EdDSA' | 'ES256';
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function makeKey(alg: 'EdDSA' | 'ES256', kid: string, extra: Record<string, unknown> = {}): TestKey {
  const { privateKey, publicKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { alg, kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, ...extra } };
}

export function keySetOf(...keys: TestKey[]): Promise<KeySet> {
  return keySetFromJwks({ keys: keys.map((k) => k.publicJwk) });
}

/** 2026-03-01T12:00:00Z */
export const NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 0);
export const NOW = NOW_MS / 1000;

export const STATUS: StatusClaim = {
  scheme: 'points-based',
  statusType: 'limited',
  validFrom: '2025-01-10',
  validUntil: '2028-01-09',
  work: { kind: 'restricted', condition: 'Skilled Worker: sponsor only' },
  rent: true,
  publicFunds: false,
  purpose: 'all',
  holderRef: 'HR-0001',
  document: { type: 'passport', reference: '…4821' },
};

export function claims(overrides: Partial<ClaimsToEncode> = {}): ClaimsToEncode {
  return {
    identity: { id: 'ID-TEST-1', fullName: 'Test Person', dateOfBirth: '19900101' },
    status: STATUS,
    cwt: { iss: 'https://issuer.example', iat: NOW - 86400, nbf: NOW - 86400, exp: NOW + 90 * 86400 },
    ...overrides,
  };
}

export function issue(key: TestKey, overrides: Partial<ClaimsToEncode> = {}, withKid = true): string {
  return encodeCredential(claims(overrides), { key: key.privateKey, alg: key.alg, ...(withKid ? { kid: key.kid } : {}) });
}

/** Compress + Base45 arbitrary COSE bytes. */
export function wrap(coseBytes: Uint8Array): string {
  return base45Encode(zlibCompress(coseBytes));
}

export interface RawSign1 {
  protectedHeader?: CborMap | Uint8Array;
  unprotectedHeader?: CborMap;
  payload?: Uint8Array;
  /** Signs with this key when given; otherwise uses `signature`. */
  signWith?: TestKey;
  signature?: Uint8Array;
  tag?: number | null;
}

/** A hand-built COSE_Sign1, signed for real over the exact protected bytes used. */
export function rawSign1(o: RawSign1): Uint8Array {
  const protectedBytes = o.protectedHeader instanceof Uint8Array ? o.protectedHeader : encodeCbor(o.protectedHeader ?? new Map());
  const payload = o.payload ?? encodeCbor(encodeClaimsMap(claims()));
  let signature = o.signature ?? new Uint8Array(0);
  if (o.signWith) {
    const data = sigStructure(protectedBytes, payload);
    signature =
      o.signWith.alg === 'EdDSA'
        ? cryptoSign(null, data, o.signWith.privateKey)
        : cryptoSign('sha256', data, { key: o.signWith.privateKey, dsaEncoding: 'ieee-p1363' });
  }
  const array: CborValue = [protectedBytes, o.unprotectedHeader ?? new Map(), payload, signature];
  const tag = o.tag === undefined ? 18 : o.tag;
  return encodeCbor(tag === null ? array : new CborTag(tag, array));
}

export function header(entries: Array<[number, CborValue]>): CborMap {
  return new Map<CborValue, CborValue>(entries);
}

export const ALG_EDDSA = -8;
export const ALG_ES256 = -7;
export const kidBytes = (kid: string): Uint8Array => new TextEncoder().encode(kid);
