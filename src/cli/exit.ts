/**
 * The one place that turns what a command threw into the process's exit code and its stderr line. Commands throw
 * (UsageError, CommandFailed, or a library's ProofdeskError); src/cli/main.ts catches and exits with this. A verdict's
 * exit code (verify, inspect) is a result, not an error: those commands set it themselves.
 */
import { CommanderError } from 'commander';
import { ProofdeskError } from '../errors.js';
import { safeLines, safeText } from '../text/safe.js';
import { CommandFailed, UsageError } from './usage-error.js';

export interface Exit {
  code: number;
  /** What to write to stderr (no line end), or null when nothing is to be written (commander already wrote). */
  line: string | null;
}

export function exitFor(err: unknown): Exit {
  // --help / --version exit 0; everything else commander rejects is a usage error.
  if (err instanceof CommanderError) return { code: err.exitCode === 0 ? 0 : 2, line: null };
  // The command ran and could not do its job (no bridge answered): exit 1, one line.
  if (err instanceof CommandFailed) return { code: 1, line: `proofdesk: ${safeText(err.message)}` };
  // A config's field errors are one per line (the lines are ours; what they quote is made safe). A library's error
  // (a key file, a trust store, a records folder, the kiosk's parts) is a usage error too: a file or setting to fix.
  if (err instanceof UsageError || err instanceof ProofdeskError) return { code: 2, line: `proofdesk: ${safeLines(err.message)}` };
  return { code: 2, line: `proofdesk: unexpected error: ${safeText(err instanceof Error ? err.message : String(err))}` };
}
