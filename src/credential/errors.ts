import type { ReasonCode } from './reasons.js';

/**
 * A credential could not be decoded. `code` is the stable reason code the verifier reports;
 * `message` is a short technical detail for support staff (never holder data).
 */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
  constructor(
    readonly code: ReasonCode,
    message: string,
  ) {
    super(message);
  }
}
