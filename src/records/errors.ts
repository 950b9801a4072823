/** Stable codes for everything the record store can refuse. Callers key on `code`, people read `message`. */
import { ProofdeskError } from '../errors.js';
export type RecordErrorCode =
  | 'BAD_ARGUMENT' // a check id, date or option the store cannot accept
  | 'UNKNOWN_CHECK' // no check with that id in this store
  | 'DUPLICATE_CHECK' // a check with that id is already recorded
  | 'KEEP_NOT_LATER' // keep may only extend keep-until
  | 'STORE_MISSING' // read-only open of a folder that holds no store
  | 'STORE_BUSY' // another live process has the store open for writing (and does not take requests)
  | 'WRONG_USER' // keep/purge run by a user who does not own the store (e.g. root beside the kiosk's service user)
  | 'WRITER_NO_ANSWER' // the process holding the store did not answer a keep/purge request in time
  | 'WRITER_FAILED' // the process holding the store failed to carry out a request
  | 'STORE_CLOSED' // used after close()
  | 'INSECURE_PERMISSIONS' // key, log or folder readable by others
  | 'KEY_MISSING' // the key file does not exist and may not be created here
  | 'KEY_INVALID' // the key file is not exactly 32 bytes
  | 'NO_PERSONAL_COPY' // the check was recorded without a personal copy
  | 'WRONG_KEY' // the personal copy was sealed with another key
  | 'PERSONAL_COPY_TAMPERED' // authentication failed: altered or damaged
  | 'SEQUENCE_DAMAGED'; // entry-seq.json unreadable: the store cannot tell which entry numbers it gave

export class RecordError extends ProofdeskError {
  constructor(
    override readonly code: RecordErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
