/**
 * Why a trust file or the trust store was refused. `code` is stable (tests, scripts and logs key on it);
 * `message` is one plain-English line for the administrator, never holder data.
 */
import { ProofdeskError } from '../errors.js';
export type TrustErrorCode =
  | 'FILE_UNREADABLE'
  /** The store folder will not take a write (read-only, or another user's): the import lock cannot be made. */
  | 'FILE_UNWRITABLE'
  | 'FILE_TOO_LARGE'
  | 'WRONG_TYPE'
  | 'MALFORMED'
  /** JSON nested deeper than MAX_TRUST_JSON_DEPTH. */
  | 'NESTED_TOO_DEEP'
  | 'ALG_NOT_ALLOWED'
  | 'HEADER_NOT_ALLOWED'
  | 'WRONG_ROOT'
  | 'SIGNATURE_INVALID'
  | 'ROLLBACK'
  | 'ISSUED_IN_FUTURE'
  | 'EXPIRED'
  | 'KEY_INVALID'
  /** A private key given where keys are trusted (a root to pin, issuer keys to bundle): only public keys are trusted. */
  | 'PRIVATE_KEY_AS_TRUST'
  /** A key marked, or seen, as a root used where an issuer key belongs (bundled as an issuer, signing a status list). */
  | 'ROOT_KEY_AS_ISSUER'
  /** A key marked, or seen, as an issuer key used as the root (pinned by trust init, signing a bundle). */
  | 'ISSUER_KEY_AS_ROOT'
  /** A public key whose point is unsafe: small-order or non-canonical Ed25519, P-256 off the curve or at infinity. */
  | 'KEY_POINT_INVALID'
  | 'ISSUER_KEY_UNKNOWN'
  | 'ISSUER_KEY_NOT_IN_WINDOW'
  | 'NO_ROOT'
  | 'ROOT_EXISTS'
  | 'NO_ACTIVE_BUNDLE'
  | 'STORE_BUSY'
  | 'STORE_CORRUPT'
  /** A symbolic link inside the store (a planted link could redirect reads, writes and chmods). */
  | 'STORE_SYMLINK'
  | 'LIST_STATE_INVALID'
  | 'INDEX_OUT_OF_RANGE'
  | 'STATUS_CHANGE_NOT_ALLOWED'
  /** A status list signed by a key the bundle does not let sign that list URI. */
  | 'STATUS_LIST_NOT_ALLOWED';

export class TrustError extends ProofdeskError {
  constructor(
    override readonly code: TrustErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
