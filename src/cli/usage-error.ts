import { ProofdeskError } from '../errors.js';

/** A problem with the command line, a file it names, or the configuration: exit 2, one line, no stack trace. */
export class UsageError extends ProofdeskError {
  override readonly code = 'USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

