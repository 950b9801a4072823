/**
 * Our status claim (CWT key STATUS_CLAIM_KEY) and the Token Status List reference (CWT key 65535).
 * Wire format and CDDL: docs/credential-format.md. Unknown keys below 100 in our claim are CLAIMS_INVALID
 * (they would change the meaning); keys from 100 up are ignored (room for optional, non-critical extensions).
 */
import type { CborMap, CborValue } from './cbor.js';
import { isCalendarDate } from './dates.js';
import { CredentialError } from './errors.js';
import type { CodePurpose, Scheme, StatusClaim, StatusListRef, StatusType, WorkRight } from './types.js';

/** Private-use CWT claim key (< -65536, RFC 8392 §9.1) for the status claim. */
export const STATUS_CLAIM_KEY = -65537;
/** The Token Status List draft's CWT `status` claim. */
export const STATUS_LIST_CLAIM_KEY = 65535;
/** Keys from here up inside the status claim are optional extensions, ignored by this version. */
const FIRST_EXTENSION_KEY = 100;

const K = {
  scheme: 1,
  statusType: 2,
  validFrom: 3,
  validUntil: 4,
  work: 5,
  workCondition: 6,
  rent: 7,
  publicFunds: 8,
  purpose: 9,
  holderRef: 10,
  document: 11,
} as const;
const KNOWN_KEYS = new Set<CborValue>(Object.values(K));

const SCHEMES: readonly Scheme[] = ['EUSS', 'points-based', 'family', 'protection', 'BNO', 'other']; // codes 1..6
const STATUS_TYPES: readonly StatusType[] = ['indefinite', 'limited', 'pending', 'protection']; // 1..4
const PURPOSES: readonly CodePurpose[] = ['work', 'rent', 'other', 'all']; // 1..4
const WORK_KINDS = ['none', 'unrestricted', 'restricted'] as const; // 0..2
/** 9999-12-31 as days since 1970-01-01: later "dates" are nonsense. */
const MAX_DAY = 2932896;
const DAY_MS = 86_400_000;

function bad(detail: string): never {
  throw new CredentialError('CLAIMS_INVALID', `status claim: ${detail}`);
}

/** Days since 1970-01-01 → YYYY-MM-DD (proleptic Gregorian; H. Hinnant's civil_from_days, no Date object). */
export function daysToIso(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** YYYY-MM-DD (a real day, on or after 1970-01-01) → days since 1970-01-01; anything else is a RangeError. */
export function isoToDays(iso: string): number {
  if (!isCalendarDate(iso) || iso < '1970-01-01') throw new RangeError(`not an ISO date on or after 1970-01-01: ${iso}`);
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

function code<T>(table: readonly T[], v: CborValue, name: string, offset = 1): T {
  const found = typeof v === 'number' && Number.isInteger(v) ? table[v - offset] : undefined;
  if (found === undefined) bad(`unknown ${name} ${String(v)}`);
  return found;
}

function day(v: CborValue, name: string): string {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_DAY) bad(`${name} is not a day number`);
  return daysToIso(v);
}

function text(v: CborValue, name: string): string {
  if (typeof v !== 'string') bad(`${name} is not text`);
  return v;
}

function bool(v: CborValue, name: string): boolean {
  if (typeof v !== 'boolean') bad(`${name} is not true/false`);
  return v;
}

export function decodeStatus(value: CborValue): StatusClaim {
  if (!(value instanceof Map)) bad('not a map');
  for (const key of value.keys()) {
    if (!KNOWN_KEYS.has(key) && !(typeof key === 'number' && key >= FIRST_EXTENSION_KEY)) bad(`unknown key ${String(key)}`);
  }
  const need = (key: number, name: string): CborValue => {
    if (!value.has(key)) bad(`${name} missing`);
    return value.get(key);
  };
  const workKind = code(WORK_KINDS, need(K.work, 'work'), 'work right', 0);
  const condition = value.get(K.workCondition);
  let work: WorkRight;
  if (workKind === 'restricted') {
    if (condition === undefined) bad('restricted work without a condition');
    work = { kind: 'restricted', condition: text(condition, 'work condition') };
  } else {
    if (condition !== undefined) bad('work condition without restricted work');
    work = { kind: workKind };
  }
  // Built in wire-key order so JSON output reads naturally.
  const status = {
    scheme: code(SCHEMES, need(K.scheme, 'scheme'), 'scheme'),
    statusType: code(STATUS_TYPES, need(K.statusType, 'statusType'), 'status type'),
  } as StatusClaim;
  if (value.has(K.validFrom)) status.validFrom = day(value.get(K.validFrom), 'validFrom');
  if (value.has(K.validUntil)) status.validUntil = day(value.get(K.validUntil), 'validUntil');
  status.work = work;
  status.rent = bool(need(K.rent, 'rent'), 'rent');
  status.publicFunds = bool(need(K.publicFunds, 'publicFunds'), 'publicFunds');
  status.purpose = code(PURPOSES, need(K.purpose, 'purpose'), 'purpose');
  if (value.has(K.holderRef)) status.holderRef = text(value.get(K.holderRef), 'holderRef');
  if (value.has(K.document)) {
    const doc = value.get(K.document);
    if (!(doc instanceof Map) || doc.size !== 2) bad('document is not {1: type, 2: reference}');
    status.document = { type: text(doc.get(1), 'document type'), reference: text(doc.get(2), 'document reference') };
  }
  return status;
}

export function encodeStatus(status: StatusClaim): CborMap {
  const map: CborMap = new Map();
  const index = <T>(table: readonly T[], v: T, name: string, offset = 1): number => {
    const i = table.indexOf(v);
    if (i < 0) throw new RangeError(`unknown ${name}: ${String(v)}`);
    return i + offset;
  };
  map.set(K.scheme, index(SCHEMES, status.scheme, 'scheme'));
  map.set(K.statusType, index(STATUS_TYPES, status.statusType, 'status type'));
  if (status.validFrom !== undefined) map.set(K.validFrom, isoToDays(status.validFrom));
  if (status.validUntil !== undefined) map.set(K.validUntil, isoToDays(status.validUntil));
  map.set(K.work, index(WORK_KINDS, status.work.kind, 'work right', 0));
  if (status.work.kind === 'restricted') map.set(K.workCondition, status.work.condition);
  map.set(K.rent, status.rent);
  map.set(K.publicFunds, status.publicFunds);
  map.set(K.purpose, index(PURPOSES, status.purpose, 'purpose'));
  if (status.holderRef !== undefined) map.set(K.holderRef, status.holderRef);
  if (status.document !== undefined)
    map.set(
      K.document,
      new Map<CborValue, CborValue>([
        [1, status.document.type],
        [2, status.document.reference],
      ]),
    );
  return map;
}

/** `{"status_list": {"idx": uint, "uri": tstr}}`; null when the claim names another mechanism only. */
export function decodeStatusList(value: CborValue): StatusListRef | null {
  if (!(value instanceof Map)) throw new CredentialError('CLAIMS_INVALID', 'status (65535) claim is not a map');
  const list = value.get('status_list');
  if (list === undefined) return null;
  if (!(list instanceof Map)) throw new CredentialError('CLAIMS_INVALID', 'status_list is not a map');
  const idx = list.get('idx');
  const uri = list.get('uri');
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0)
    throw new CredentialError('CLAIMS_INVALID', 'status_list idx is not an unsigned integer');
  if (typeof uri !== 'string' || uri.length === 0) throw new CredentialError('CLAIMS_INVALID', 'status_list uri is not text');
  return { idx, uri };
}

export function encodeStatusList(ref: StatusListRef): CborMap {
  return new Map<CborValue, CborValue>([
    [
      'status_list',
      new Map<CborValue, CborValue>([
        ['idx', ref.idx],
        ['uri', ref.uri],
      ]),
    ],
  ]);
}
