import type { ReasonCode } from './reasons.js';
import { ProofdeskError } from '../errors.js';

/**
 * A credential could not be decoded. `code` is the stable reason code the verifier reports;
 * `message` is a short technical detail for support staff (never holder data).
 */
export class CredentialError extends ProofdeskError {
  constructor(
    override readonly code: ReasonCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
