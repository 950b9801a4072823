#!/usr/bin/env node
/**
 * The `proofdesk` command. Each command group lives in its own file and exports `register(program)`;
 * this file only collects them. Usage errors exit 2 with one line on stderr, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { safeLines, safeText } from '../text/safe.js';
import { UsageError } from './usage-error.js';

const program = new Command('proofdesk')
  .description('Offline verification of signed immigration-status QR codes')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`${safeText(text.trimEnd().split('\n')[0] ?? '')}\n`) });

// Command groups, by the top-level command each registers (one line each; keep alphabetical).
const groups: Record<string, () => Promise<{ register(program: Command): void }>> = {
  bridge: () => import('./bridge.js'),
  central: () => import('./central.js'),
  inspect: () => import('./inspect.js'),
  issue: () => import('./issue.js'),
  keys: () => import('./keys.js'),
  records: () => import('./records.js'),
  run: () => import('./run.js'),
  scanners: () => import('./scanners.js'),
  'status-list': () => import('./status-list.js'),
  trust: () => import('./trust.js'),
  verify: () => import('./verify.js'),
};

// Load only the group that is asked for: the kiosk (`run`) then does not carry the issuer, records and
// bridge code in memory. Help, or an unknown command, loads them all so commander can list them.
const asked = process.argv[2];
const load = asked !== undefined && Object.hasOwn(groups, asked) ? [groups[asked]!] : Object.values(groups);
for (const group of load) (await group()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help / --version exit 0; everything else commander rejects is a usage error.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof UsageError) {
    // A config's field errors are one per line (the lines are ours; what they quote is made safe).
    process.stderr.write(`proofdesk: ${safeLines(err.message)}\n`);
    process.exit(2);
  }
  process.stderr.write(`proofdesk: unexpected error: ${safeText(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(2);
}
