#!/usr/bin/env node
/**
 * The `proofdesk` command. Each command group lives in its own file and exports `register(program)`;
 * this file only collects them. Usage errors exit 2 with one line on stderr, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from './usage-error.js';

const program = new Command('proofdesk')
  .description('Offline verification of signed immigration-status QR codes')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.trimEnd().split('\n')[0] + '\n') });

// Command groups (one line each; keep alphabetical).
const groups: Array<() => Promise<{ register(program: Command): void }>> = [
  () => import('./bridge.js'),
  () => import('./inspect.js'),
  () => import('./issue.js'),
  () => import('./keys.js'),
  () => import('./records.js'),
  () => import('./run.js'),
  () => import('./scanners.js'),
  () => import('./status-list.js'),
  () => import('./trust.js'),
  () => import('./verify.js'),
];

for (const load of groups) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help / --version exit 0; everything else commander rejects is a usage error.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`proofdesk: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`proofdesk: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
