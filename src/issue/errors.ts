/**
 * Why the issuer refused to make a credential or a key. `code` is stable; `message` is one line for the operator
 * (it names files and fields, never holder data such as names or dates of birth).
 */
import { ProofdeskError } from '../errors.js';
export type IssueErrorCode =
  | 'FILE_UNREADABLE'
  | 'HOLDER_INVALID'
  | 'PERMISSION_ENDED'
  | 'PHOTO_UNSUPPORTED'
  | 'PHOTO_TOO_LARGE'
  | 'KEY_INVALID'
  /** `issue` given a root key (marked root, or the root pinned in a trust store it can see): roots sign bundles only. */
  | 'ROOT_KEY_AS_ISSUER'
  | 'OUTPUT_UNSUPPORTED'
  | 'OUTPUT_EXISTS'
  | 'OUTPUT_FAILED'
  | 'CODE_TOO_LONG'
  | 'CARD_UNPRINTABLE'
  | 'CODE_TOO_LONG_FOR_CARD';

export class IssueError extends ProofdeskError {
  constructor(
    override readonly code: IssueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
