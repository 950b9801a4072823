/**
 * The base of every error proofdesk throws on purpose: a stable `code` (each subclass narrows its type), a short
 * message for support staff, and the underlying `cause` when there is one. `name` is the subclass's name. This file
 * imports nothing, so every layer down to the codec (src/credential) can extend it.
 */
export class ProofdeskError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
