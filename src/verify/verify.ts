/**
 * text + pinned keys + policy → Verdict. Stages in order: text → Base45 → inflate → COSE → unsigned? → alg →
 * key selection → signature → clock sanity → key window → exp/nbf → claims → key purposes → revocation →
 * desk policy (permission dates apply with or without a desk purpose) → revocation-data age. Synchronous, and never throws: any failure becomes a Verdict with a reason.
 * Decoded claims are returned only once the signature has verified against a pinned key.
 */
import { base45Decode, isBase45Alphabet } from '../credential/base45.js';
import { zlibInflate } from '../credential/compress.js';
import { credentialId, parseSign1, sigStructure, verifySignature, type CoseSign1 } from '../credential/cose.js';
import { decodePayload, readClaims, readCwtMeta } from '../credential/cwt.js';
import { CredentialError } from '../credential/errors.js';
import { normaliseCodeText } from '../credential/text.js';
import { DEFAULT_SKEW_SECONDS, MAX_KEYS_TRIED_WITHOUT_KID, MAX_TEXT_CHARS } from '../credential/limits.js';
import type { CwtMeta, DeskPurpose, Identity, StatusClaim, StatusListRef } from '../credential/types.js';
import type { KeySet, TrustedKey } from '../trust/keyset.js';
import { statusListStaleness } from '../trust/limits.js';
import { REASON_TEXT, VALID_TEXT } from './messages.js';
import type { VerifyOptions } from './options.js';
import { deskPolicy, permissionReason } from './policy.js';
import { kindOf } from './stages.js';
import type { ReasonCode, Verdict } from './verdict.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Scratch for bytes that live only during one synchronous verify: the compressed bytes (inflate copies what it
 * keeps) and the Sig_structure (verified at once). Saves ~2 KB of garbage per scan.
 */
const BASE45_SCRATCH = new Uint8Array(Math.ceil((MAX_TEXT_CHARS * 2) / 3));
let sigScratch = new Uint8Array(4096);
const DESK_PURPOSES: readonly DeskPurpose[] = ['work', 'rent', 'housing', 'other'];

/** What is known so far; copied into the Verdict whatever the outcome. */
interface Progress {
  alg: string | null;
  kid: string | null;
  verifiedBy: string | null;
  cwt: CwtMeta | null;
  identity: Identity | null;
  status: StatusClaim | null;
  statusList: StatusListRef | null;
  credentialId: string | null;
}

function outcome(p: Progress, reason: ReasonCode | null, details?: Record<string, number | string>): Verdict {
  const verdict: Verdict = {
    verdict: reason === null ? 'VALID' : kindOf(reason),
    valid: reason === null,
    reason,
    message: reason === null ? VALID_TEXT.message : REASON_TEXT[reason].message,
    alg: p.alg,
    kid: p.kid,
    verifiedBy: p.verifiedBy,
    cwt: p.cwt,
    identity: p.identity,
    status: p.status,
    statusList: p.statusList,
    credentialId: p.credentialId,
  };
  if (details !== undefined) verdict.details = details;
  return verdict;
}

/** REVOCATION_DATA_STALE says how old the desk's list is in the message too, not only in details.ageDays. */
function staleOutcome(p: Progress, details: Record<string, number | string>): Verdict {
  const v = outcome(p, 'REVOCATION_DATA_STALE', details);
  const days = details.ageDays;
  if (typeof days === 'number') {
    const age = `${days} day${days === 1 ? '' : 's'} old`;
    const expired =
      typeof details.listExpiredAt === 'number'
        ? ` and past its expiry (${new Date(details.listExpiredAt * 1000).toISOString().slice(0, 10)})`
        : '';
    v.message = `${v.message} The list is ${age}${expired}.`;
  }
  return v;
}

/** Lowercase letters, or anything outside the Base45 alphabet (a URL, a barcode number, …): not one of ours. */
function looksLikeCredential(text: string): boolean {
  return text.length > 0 && isBase45Alphabet(text);
}

/** The COSE kid as the JWK kid string (its UTF-8 bytes), or null when it is not UTF-8 (matches no JWK kid). */
export function kidToString(kid: Uint8Array): string | null {
  try {
    return utf8.decode(kid);
  } catch {
    return null;
  }
}

/** Base45 → zlib → COSE_Sign1 (throws CredentialError with the stage's reason). */
export function decodeText(input: string): CoseSign1 {
  const text = normaliseCodeText(input);
  if (text.length > MAX_TEXT_CHARS) throw new CredentialError('INPUT_TOO_LONG', `${text.length} characters`);
  let compressed: Uint8Array;
  try {
    compressed = base45Decode(text, BASE45_SCRATCH);
  } catch (err) {
    // Only on failure: tell "not one of ours at all" (a URL, lowercase, empty) from malformed Base45.
    if (!looksLikeCredential(text)) throw new CredentialError('NOT_A_CREDENTIAL', 'text outside the Base45 alphabet');
    throw err;
  }
  if (compressed.length === 0) throw new CredentialError('NOT_A_CREDENTIAL', 'empty text');
  return parseSign1(zlibInflate(compressed));
}

function selectAndVerify(cose: CoseSign1, keys: KeySet): TrustedKey | ReasonCode {
  const alg = cose.alg!;
  const needed = cose.protectedBytes.length + cose.payload.length + 32;
  if (sigScratch.length < needed) sigScratch = new Uint8Array(Math.max(needed, sigScratch.length * 2));
  const data = sigStructure(cose.protectedBytes, cose.payload, sigScratch);
  if (cose.kid !== null) {
    const kid = kidToString(cose.kid);
    const key = kid === null ? undefined : keys.byKid.get(kid);
    if (key === undefined) return 'KEY_UNKNOWN';
    if (key.alg !== alg) return 'ALG_KEY_MISMATCH';
    return verifySignature(alg, key.key, data, cose.signature) ? key : 'SIGNATURE_INVALID';
  }
  // No kid: try the pinned keys of this algorithm, at most MAX_KEYS_TRIED_WITHOUT_KID of them.
  let tried = 0;
  for (const key of keys.keys) {
    if (key.alg !== alg) continue;
    if (tried++ >= MAX_KEYS_TRIED_WITHOUT_KID) break;
    if (verifySignature(alg, key.key, data, cose.signature)) return key;
  }
  return tried === 0 ? 'KEY_UNKNOWN' : 'SIGNATURE_INVALID';
}

/** A code is current when nbf − skew ≤ now < exp + skew (now, skew in seconds); a missing exp / nbf sets no bound. */
export function timeReason(cwt: CwtMeta, now: number, skew: number): 'EXPIRED' | 'NOT_YET_VALID' | null {
  if (cwt.exp !== undefined && !(now < cwt.exp + skew)) return 'EXPIRED';
  if (cwt.nbf !== undefined && !(cwt.nbf - skew <= now)) return 'NOT_YET_VALID';
  return null;
}

export function verify(text: string, opts: VerifyOptions): Verdict {
  const p: Progress = {
    alg: null,
    kid: null,
    verifiedBy: null,
    cwt: null,
    identity: null,
    status: null,
    statusList: null,
    credentialId: null,
  };
  try {
    return run(text, opts, p);
  } catch (err) {
    if (err instanceof CredentialError) return outcome(p, err.code);
    // Not reachable by design; if it happens, fail closed with a decoding reason rather than throw at the desk.
    return outcome(p, 'CBOR_INVALID', { error: 'internal' });
  }
}

function run(text: string, opts: VerifyOptions, p: Progress): Verdict {
  if (typeof text !== 'string') return outcome(p, 'NOT_A_CREDENTIAL');
  const cose = decodeText(text);
  p.credentialId = credentialId(cose);
  if (cose.kid !== null) p.kid = kidToString(cose.kid) ?? Buffer.from(cose.kid).toString('hex');
  if (cose.signature.length === 0) return outcome(p, 'UNSIGNED');
  if (cose.alg === null) return outcome(p, 'ALG_UNSUPPORTED');
  p.alg = cose.alg;

  const keys = opts?.keys;
  if (!keys || !Array.isArray(keys.keys) || !(keys.byKid instanceof Map)) return outcome(p, 'KEY_UNKNOWN');
  const selected = selectAndVerify(cose, keys);
  if (typeof selected === 'string') return outcome(p, selected);
  const key = selected;
  p.verifiedBy = key.kid ?? key.thumbprint;

  // From here the contents are the issuer's: decode them and apply time and policy.
  const claimsMap = decodePayload(cose.payload);
  const cwt = readCwtMeta(claimsMap);
  p.cwt = cwt;
  const nowMs = typeof opts.now === 'number' && Number.isFinite(opts.now) ? opts.now : Date.now();
  const now = nowMs / 1000;
  const skew = typeof opts.skewSeconds === 'number' && opts.skewSeconds >= 0 ? opts.skewSeconds : DEFAULT_SKEW_SECONDS;
  const trust = opts.trust;

  // Decode the claims now so a time failure can still show whose code it is; a claims error is reported after time.
  let claims: ReturnType<typeof readClaims> | undefined;
  let claimsError: unknown;
  try {
    claims = readClaims(claimsMap);
    p.identity = claims.identity;
    p.status = claims.status;
    p.statusList = claims.statusList;
  } catch (err) {
    claimsError = err;
  }

  if (trust?.clockFloor !== undefined && now < trust.clockFloor - skew) {
    return outcome(p, 'CLOCK_SUSPECT', { clockFloor: trust.clockFloor });
  }
  if (key.notBefore !== undefined || key.notAfter !== undefined) {
    const iat = cwt.iat;
    if (iat === undefined || (key.notBefore !== undefined && iat < key.notBefore) || (key.notAfter !== undefined && iat >= key.notAfter)) {
      return outcome(p, 'KEY_NOT_VALID_AT_ISSUE');
    }
  }
  const timing = timeReason(cwt, now, skew);
  if (timing !== null) {
    // The issuer caps exp at the permission's end: when both are over, "the permission has ended" is what the desk
    // needs to hear, not "ask for a current code".
    if (
      timing === 'EXPIRED' &&
      claims?.identity &&
      claims.status &&
      permissionReason(claims.status, nowMs, skew) === 'PERMISSION_EXPIRED'
    ) {
      return outcome(p, 'PERMISSION_EXPIRED');
    }
    return outcome(p, timing);
  }

  if (claims === undefined) throw claimsError;
  if (claims.identity === null) return outcome(p, 'CLAIM169_MISSING');
  if (key.purposes !== undefined && (claims.status === null || !key.purposes.includes(claims.status.purpose))) {
    return outcome(p, 'KEY_PURPOSE_NOT_ALLOWED');
  }

  // Revocation: the issuer's word that the code is withdrawn beats everything below.
  let staleDetails: Record<string, number | string> | undefined;
  if (claims.statusList !== null && trust?.statusOf !== undefined) {
    let entry: ReturnType<NonNullable<typeof trust.statusOf>>;
    try {
      entry = trust.statusOf(claims.statusList, key);
    } catch {
      // A broken lookup must not decide the verdict either way: a person checks.
      return outcome(p, 'REVOCATION_DATA_STALE', { error: 'status lookup failed' });
    }
    if (entry === undefined) staleDetails = { listUri: claims.statusList.uri };
    else if (entry.status === 'INVALID') return outcome(p, 'REVOKED');
    else if (entry.status === 'SUSPENDED') return outcome(p, 'SUSPENDED');
    else {
      const stale = statusListStaleness({ issuedAt: entry.listIssuedAt, expiresAt: entry.listExpiresAt }, now, trust.maxStatusAgeSeconds);
      const ageDays = Math.floor((now - entry.listIssuedAt) / 86400);
      // Past the list's own exp: stale whatever the desk's maximum age, and the details say when it expired.
      if (stale === 'expired') staleDetails = { ageDays, listExpiredAt: entry.listExpiresAt as number };
      else if (stale === 'too-old') staleDetails = { ageDays };
    }
  }

  if (opts.purpose !== undefined) {
    if (!DESK_PURPOSES.includes(opts.purpose)) return outcome(p, 'PURPOSE_MISMATCH', { error: 'unknown desk purpose' });
    const reason = deskPolicy(claims.status, opts.purpose, nowMs, skew);
    if (reason !== null) return outcome(p, reason);
  } else if (claims.status !== null) {
    // No desk purpose: an identity check. A status claim it carries must still be in force to show VALID, and a
    // pending application is never VALID anywhere.
    const reason = permissionReason(claims.status, nowMs, skew) ?? (claims.status.statusType === 'pending' ? 'PENDING_APPLICATION' : null);
    if (reason !== null) return outcome(p, reason);
  }
  if (staleDetails !== undefined) return staleOutcome(p, staleDetails);
  return outcome(p, null);
}
