/**
 * The `--json` shape of a Verdict or an inspected credential: one JSON-safe object. Byte strings become standard
 * padded base64, biometrics `{data, format, subFormat, issuer}` (present members only), unknown Claim 169 keys
 * stay under "unknown" with CBOR values made JSON-safe (maps → objects, bytes → base64, big integers → strings).
 */
import { CborTag } from '../credential/cbor.js';
import { BIOMETRIC_FIELDS, IDENTITY_FIELDS } from '../credential/claim169.js';
import type { Biometric, CwtMeta, Identity, StatusClaim, StatusListRef } from '../credential/types.js';
import type { Decoded } from './inspect.js';
import type { Verdict } from './verdict.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Any decoded CBOR value → JSON. */
function cborToJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return base64(v);
  if (Array.isArray(v)) return v.map(cborToJson);
  if (v instanceof Map) {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of v) out[typeof key === 'string' ? key : JSON.stringify(cborToJson(key))] = cborToJson(value);
    return out;
  }
  if (v instanceof CborTag) return { tag: v.tag, value: cborToJson(v.value) };
  if (typeof v === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(v)) if (value !== undefined) out[key] = cborToJson(value);
    return out;
  }
  return null;
}

function biometricJson(b: Biometric): Json {
  const out: { [key: string]: Json } = { data: base64(b.data) };
  if (b.format !== undefined) out.format = b.format;
  if (b.subFormat !== undefined) out.subFormat = b.subFormat;
  if (b.issuer !== undefined) out.issuer = b.issuer;
  return out;
}

/** Claim 169 fields in key order, by their camelCase names. */
export function identityToJson(identity: Identity): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  const fields = identity as Record<string, unknown>;
  for (const [, name] of IDENTITY_FIELDS) if (fields[name] !== undefined) out[name] = cborToJson(fields[name]);
  for (const [, name] of BIOMETRIC_FIELDS) {
    const list = identity[name];
    if (list !== undefined) out[name] = list.map(biometricJson);
  }
  if (identity.unknown !== undefined) out.unknown = cborToJson(identity.unknown);
  return out;
}

function cwtToJson(cwt: CwtMeta | null): Json {
  if (cwt === null) return null;
  const out: { [key: string]: Json } = {};
  for (const name of ['iss', 'sub', 'exp', 'nbf', 'iat'] as const) if (cwt[name] !== undefined) out[name] = cwt[name]!;
  return out;
}

function statusToJson(status: StatusClaim | null): Json {
  return status === null ? null : cborToJson(status);
}

function statusListToJson(ref: StatusListRef | null): Json {
  return ref === null ? null : { idx: ref.idx, uri: ref.uri };
}

/**
 * `proofdesk verify --json`: valid, verdict, reason, message, alg, kid, cwt, identity, status (in that order), then
 * verifiedBy, statusList, credentialId and, when present, details.
 */
export function toJson(v: Verdict): { [key: string]: Json } {
  const out: { [key: string]: Json } = {
    valid: v.valid,
    verdict: v.verdict,
    reason: v.reason,
    message: v.message,
    alg: v.alg,
    kid: v.kid,
    cwt: cwtToJson(v.cwt),
    identity: v.identity === null ? null : identityToJson(v.identity),
    status: statusToJson(v.status),
    verifiedBy: v.verifiedBy,
    statusList: statusListToJson(v.statusList),
    credentialId: v.credentialId,
  };
  if (v.details !== undefined) out.details = { ...v.details };
  return out;
}

/**
 * `proofdesk inspect --json`: the same object (every key of `toJson`, in its order) with "unverified": true first,
 * "valid": false, "verdict": null and "verifiedBy": null (nothing was verified), reason = why decoding stopped (null
 * when it did not), plus stage and signed.
 */
export function decodedToJson(d: Decoded): { [key: string]: Json } {
  return {
    unverified: true,
    valid: false,
    verdict: null,
    reason: d.reason,
    message: d.message,
    alg: d.alg,
    kid: d.kid,
    cwt: cwtToJson(d.cwt),
    identity: d.identity === null ? null : identityToJson(d.identity),
    status: statusToJson(d.status),
    verifiedBy: null,
    statusList: statusListToJson(d.statusList),
    credentialId: d.credentialId,
    stage: d.stage,
    signed: d.signed,
  };
}
