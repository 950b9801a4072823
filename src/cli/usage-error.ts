import { ProofdeskError } from '../errors.js';

/** A problem with the command line, a file it names, or the configuration: exit 2, one line, no stack trace. */
export class UsageError extends ProofdeskError {
  override readonly code = 'USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

/** The command line was fine, but what it asked for could not be done (no bridge answered): exit 1, one line. */
export class CommandFailed extends ProofdeskError {
  override readonly code = 'FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super('FAILED', message, options);
  }
}
