/**
 * MOSIP Claim 169 v1.2.0 identity: integer key <-> field name, decoding with type checks, encoding.
 * Unknown keys are kept under `unknown` (forward compatibility), never an error. A known key with the wrong
 * CBOR type is CLAIMS_INVALID. Strings pass through exactly as issued (dates are not reformatted).
 */
import type { CborMap, CborValue } from './cbor.js';
import { CredentialError } from './errors.js';
import { MAX_BIOMETRIC_ENTRIES } from './limits.js';
import type { Biometric, Identity } from './types.js';

type Kind = 'text' | 'uint' | 'bytes' | 'any';
type ScalarField = Exclude<keyof Identity, 'unknown' | BiometricField>;
export type BiometricField =
  | 'rightThumb'
  | 'rightPointerFinger'
  | 'rightMiddleFinger'
  | 'rightRingFinger'
  | 'rightLittleFinger'
  | 'leftThumb'
  | 'leftPointerFinger'
  | 'leftMiddleFinger'
  | 'leftRingFinger'
  | 'leftLittleFinger'
  | 'rightIris'
  | 'leftIris'
  | 'face'
  | 'rightPalm'
  | 'leftPalm'
  | 'voice';

/** Claim 169 keys 1–23: name and CBOR type. */
export const IDENTITY_FIELDS: ReadonlyArray<readonly [number, ScalarField, Kind]> = [
  [1, 'id', 'text'],
  [2, 'version', 'text'],
  [3, 'language', 'text'],
  [4, 'fullName', 'text'],
  [5, 'firstName', 'text'],
  [6, 'middleName', 'text'],
  [7, 'lastName', 'text'],
  [8, 'dateOfBirth', 'text'],
  [9, 'gender', 'uint'],
  [10, 'address', 'text'],
  [11, 'email', 'text'],
  [12, 'phone', 'text'],
  [13, 'nationality', 'text'],
  [14, 'maritalStatus', 'uint'],
  [15, 'guardian', 'text'],
  [16, 'photo', 'bytes'],
  [17, 'photoFormat', 'uint'],
  [18, 'bestQualityFingers', 'any'],
  [19, 'secondaryFullName', 'text'],
  [20, 'secondaryLanguage', 'text'],
  [21, 'locationCode', 'text'],
  [22, 'legalStatus', 'text'],
  [23, 'countryOfIssuance', 'text'],
];

/** Claim 169 keys 50–65: biometric arrays of `{0: data, 1: format, 2: subFormat, 3: issuer}`. */
export const BIOMETRIC_FIELDS: ReadonlyArray<readonly [number, BiometricField]> = [
  [50, 'rightThumb'],
  [51, 'rightPointerFinger'],
  [52, 'rightMiddleFinger'],
  [53, 'rightRingFinger'],
  [54, 'rightLittleFinger'],
  [55, 'leftThumb'],
  [56, 'leftPointerFinger'],
  [57, 'leftMiddleFinger'],
  [58, 'leftRingFinger'],
  [59, 'leftLittleFinger'],
  [60, 'rightIris'],
  [61, 'leftIris'],
  [62, 'face'],
  [63, 'rightPalm'],
  [64, 'leftPalm'],
  [65, 'voice'],
];

const SCALAR_BY_KEY = new Map(IDENTITY_FIELDS.map(([key, name, kind]) => [key, { name, kind }] as const));
const BIOMETRIC_BY_KEY = new Map(BIOMETRIC_FIELDS.map(([key, name]) => [key, name] as const));

function bad(detail: string): never {
  throw new CredentialError('CLAIMS_INVALID', `claim 169: ${detail}`);
}

function isUint(v: CborValue): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function decodeIdentity(value: CborValue): Identity {
  if (!(value instanceof Map)) bad('not a map');
  const identity: Identity = {};
  const out = identity as Record<string, unknown>;
  for (const [key, v] of value) {
    const scalar = typeof key === 'number' ? SCALAR_BY_KEY.get(key) : undefined;
    if (scalar) {
      if (scalar.kind === 'text' && typeof v !== 'string') bad(`${scalar.name} is not text`);
      if (scalar.kind === 'uint' && !isUint(v)) bad(`${scalar.name} is not an unsigned integer`);
      if (scalar.kind === 'bytes' && !(v instanceof Uint8Array)) bad(`${scalar.name} is not a byte string`);
      out[scalar.name] = v;
      continue;
    }
    const biometric = typeof key === 'number' ? BIOMETRIC_BY_KEY.get(key) : undefined;
    if (biometric) {
      out[biometric] = decodeBiometrics(biometric, v);
      continue;
    }
    identity.unknown ??= {};
    identity.unknown[String(key)] = v;
  }
  return identity;
}

function decodeBiometrics(name: string, v: CborValue): Biometric[] {
  if (!Array.isArray(v)) bad(`${name} is not an array`);
  if (v.length > MAX_BIOMETRIC_ENTRIES) bad(`${name} has more than ${MAX_BIOMETRIC_ENTRIES} entries`);
  return v.map((entry) => {
    if (!(entry instanceof Map)) bad(`${name} entry is not a map`);
    const data = entry.get(0);
    if (!(data instanceof Uint8Array)) bad(`${name} data is not a byte string`);
    const biometric: Biometric = { data };
    const format = entry.get(1);
    const subFormat = entry.get(2);
    const issuer = entry.get(3);
    if (format !== undefined) {
      if (!isUint(format)) bad(`${name} format is not an unsigned integer`);
      biometric.format = format;
    }
    if (subFormat !== undefined) {
      if (!isUint(subFormat)) bad(`${name} subFormat is not an unsigned integer`);
      biometric.subFormat = subFormat;
    }
    if (issuer !== undefined) {
      if (typeof issuer !== 'string') bad(`${name} issuer is not text`);
      biometric.issuer = issuer;
    }
    return biometric;
  });
}

export function encodeIdentity(identity: Identity): CborMap {
  const map: CborMap = new Map();
  const fields = identity as Record<string, unknown>;
  for (const [key, name] of IDENTITY_FIELDS) {
    const v = fields[name];
    if (v !== undefined) map.set(key, v as CborValue);
  }
  for (const [key, name] of BIOMETRIC_FIELDS) {
    const list = identity[name];
    if (list === undefined) continue;
    map.set(
      key,
      list.map((b) => {
        const entry: CborMap = new Map<CborValue, CborValue>([[0, b.data]]);
        if (b.format !== undefined) entry.set(1, b.format);
        if (b.subFormat !== undefined) entry.set(2, b.subFormat);
        if (b.issuer !== undefined) entry.set(3, b.issuer);
        return entry;
      }),
    );
  }
  for (const [key, v] of Object.entries(identity.unknown ?? {})) {
    const numeric = Number(key);
    map.set(Number.isSafeInteger(numeric) && String(numeric) === key ? numeric : key, v as CborValue);
  }
  return map;
}
