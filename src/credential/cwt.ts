/** The CWT claims map (RFC 8392) of a credential: registered claims, Claim 169, our status claim, status list. */
import { decodeCbor, type CborMap, type CborValue } from './cbor.js';
import { decodeIdentity, encodeIdentity } from './claim169.js';
import { CredentialError } from './errors.js';
import { decodeStatus, decodeStatusList, encodeStatus, encodeStatusList, STATUS_CLAIM_KEY, STATUS_LIST_CLAIM_KEY } from './status.js';
import type { CwtMeta, Identity, StatusClaim, StatusListRef } from './types.js';

const CLAIM_ISS = 1;
const CLAIM_SUB = 2;
const CLAIM_EXP = 4;
const CLAIM_NBF = 5;
const CLAIM_IAT = 6;
const CLAIM_169 = 169;

export interface CredentialClaims {
  cwt: CwtMeta;
  /** null when claim 169 is absent (the verifier reports CLAIM169_MISSING). */
  identity: Identity | null;
  status: StatusClaim | null;
  statusList: StatusListRef | null;
}

function bad(detail: string): never {
  throw new CredentialError('CLAIMS_INVALID', detail);
}

/** Decodes the CWT payload to its claims map (CBOR_INVALID / CLAIMS_INVALID when it is not one). */
export function decodePayload(payload: Uint8Array): CborMap {
  const map = decodeCbor(payload);
  if (!(map instanceof Map)) bad('the CWT payload is not a map');
  return map;
}

/** The registered claims iss, sub, exp, nbf, iat (type-checked). */
export function readCwtMeta(map: CborMap): CwtMeta {
  const cwt: CwtMeta = {};
  const iss = map.get(CLAIM_ISS);
  const sub = map.get(CLAIM_SUB);
  if (iss !== undefined) cwt.iss = typeof iss === 'string' ? iss : bad('iss is not text');
  if (sub !== undefined) cwt.sub = typeof sub === 'string' ? sub : bad('sub is not text');
  for (const [key, name] of [
    [CLAIM_EXP, 'exp'],
    [CLAIM_NBF, 'nbf'],
    [CLAIM_IAT, 'iat'],
  ] as const) {
    const v = map.get(key);
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${name} is not a NumericDate`);
    cwt[name] = v;
  }
  return cwt;
}

/** Claim 169, our status claim and the status-list reference. Unregistered claims we do not use are ignored. */
export function readClaims(map: CborMap): Omit<CredentialClaims, 'cwt'> {
  const identityValue = map.get(CLAIM_169);
  const statusValue = map.get(STATUS_CLAIM_KEY);
  const listValue = map.get(STATUS_LIST_CLAIM_KEY);
  return {
    identity: identityValue === undefined ? null : decodeIdentity(identityValue),
    status: statusValue === undefined ? null : decodeStatus(statusValue),
    statusList: listValue === undefined ? null : decodeStatusList(listValue),
  };
}

export interface ClaimsToEncode {
  identity: Identity;
  status?: StatusClaim;
  statusList?: StatusListRef;
  cwt: CwtMeta;
}

export function encodeClaimsMap(claims: ClaimsToEncode): CborMap {
  const map: CborMap = new Map();
  const { iss, sub, exp, nbf, iat } = claims.cwt;
  if (iss !== undefined) map.set(CLAIM_ISS, iss);
  if (sub !== undefined) map.set(CLAIM_SUB, sub);
  if (exp !== undefined) map.set(CLAIM_EXP, exp);
  if (nbf !== undefined) map.set(CLAIM_NBF, nbf);
  if (iat !== undefined) map.set(CLAIM_IAT, iat);
  map.set(CLAIM_169, encodeIdentity(claims.identity));
  if (claims.status !== undefined) map.set(STATUS_CLAIM_KEY, encodeStatus(claims.status));
  if (claims.statusList !== undefined) map.set(STATUS_LIST_CLAIM_KEY, encodeStatusList(claims.statusList) as CborValue);
  return map;
}
