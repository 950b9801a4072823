/**
 * Decode a credential WITHOUT trust, for support staff: every layer, no signature check, no policy.
 * Never throws. What it returns is UNVERIFIED: it must never be shown as a verdict.
 */
import { credentialId } from '../credential/cose.js';
import { decodePayload, readClaims, readCwtMeta } from '../credential/cwt.js';
import { CredentialError } from '../credential/errors.js';
import type { CwtMeta, Identity, StatusClaim, StatusListRef } from '../credential/types.js';
import { REASON_TEXT } from './messages.js';
import { stageOf, type Stage } from './stages.js';
import type { ReasonCode } from './verdict.js';
import { decodeText, kidToString } from './verify.js';

export interface Decoded {
  /** true when every layer decoded and claim 169 is present. */
  decoded: boolean;
  /** Why decoding stopped; null when it did not. */
  reason: ReasonCode | null;
  stage: Stage | null;
  message: string;
  /** The protected alg (EdDSA / ES256), or null when missing or unsupported. */
  alg: string | null;
  kid: string | null;
  /** The signature is non-empty (NOT that it verified). */
  signed: boolean;
  cwt: CwtMeta | null;
  identity: Identity | null;
  status: StatusClaim | null;
  statusList: StatusListRef | null;
  /** What identifies the credential whatever text carried it (see Verdict.credentialId); null until COSE decoded. */
  credentialId: string | null;
}

export function inspect(text: string): Decoded {
  const d: Decoded = {
    decoded: false,
    reason: null,
    stage: null,
    message: '',
    alg: null,
    kid: null,
    signed: false,
    cwt: null,
    identity: null,
    status: null,
    statusList: null,
    credentialId: null,
  };
  const fail = (reason: ReasonCode): Decoded => ({
    ...d,
    decoded: false,
    reason,
    stage: stageOf(reason),
    message: REASON_TEXT[reason].message,
  });
  try {
    if (typeof text !== 'string') return fail('NOT_A_CREDENTIAL');
    const cose = decodeText(text);
    d.credentialId = credentialId(cose);
    d.alg = cose.alg;
    d.kid = cose.kid === null ? null : (kidToString(cose.kid) ?? Buffer.from(cose.kid).toString('hex'));
    d.signed = cose.signature.length > 0;
    const map = decodePayload(cose.payload);
    d.cwt = readCwtMeta(map);
    const claims = readClaims(map);
    d.identity = claims.identity;
    d.status = claims.status;
    d.statusList = claims.statusList;
    if (claims.identity === null) return fail('CLAIM169_MISSING');
    return { ...d, decoded: true, message: 'Decoded without checking the signature (UNVERIFIED).' };
  } catch (err) {
    return fail(err instanceof CredentialError ? err.code : 'CBOR_INVALID');
  }
}
