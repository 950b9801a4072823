/**
 * Why the central database refused or could not be reached. `code` is stable (logs, /health and scripts key on
 * it); `message` is one plain line for the IT person or records officer. Never a password, never holder data.
 */
import { ProofdeskError } from '../errors.js';
export type CentralErrorCode =
  | 'CONFIG_INVALID' // a connection setting that cannot work (unreadable password file, bad URL, TLS files)
  | 'INSECURE_PERMISSIONS' // a password or private key file other users can read
  | 'UNREACHABLE' // no connection: refused, timed out, name not found, dropped
  | 'TLS_FAILED' // the server's certificate did not verify, or TLS was refused
  | 'AUTH_FAILED' // wrong role or password, or pg_hba.conf refuses this client
  | 'NO_DATABASE' // the database named does not exist
  | 'NOT_INITIALISED' // the database has no proofdesk schema yet: run `proofdesk central init`
  | 'SCHEMA_TOO_NEW' // the database was migrated by a newer proofdesk than this one
  | 'MIGRATION_CHANGED' // an applied migration's file differs from the one this version ships
  | 'NOT_ALLOWED' // the role lacks a privilege (a desk role reading records, a desk id not given to it)
  | 'TIMEOUT' // the server took too long to answer
  | 'SERVER_ERROR' // anything else the server said
  | 'UNKNOWN_CHECK' // no such check centrally
  | 'AMBIGUOUS_CHECK' // the check id is recorded by more than one desk: name the desk
  | 'NO_PERSONAL_COPY' // the check has no sealed personal copy centrally
  | 'KEY_INVALID' // an organisation key file that is not what it must be
  | 'WRONG_KEY' // a sealed copy that this private key cannot open
  | 'COPY_TAMPERED' // a sealed copy that opened but does not belong to its check
  | 'TRUST_REFUSED' // a file `central publish` would not carry (fails the checks of trust import)
  | 'NO_TRUST_ROOT'; // publish / recheck with no root given or remembered

export class CentralError extends ProofdeskError {
  constructor(
    override readonly code: CentralErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
