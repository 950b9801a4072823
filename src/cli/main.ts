#!/usr/bin/env node
/**
 * The `proofdesk` command. Each command group lives in its own file and exports `register(program)`;
 * this file only collects them, and turns what a command throws into the exit code (src/cli/exit.ts): usage errors
 * exit 2 with one line on stderr, never a stack trace.
 */
import { Command } from 'commander';
import { safeText } from '../text/safe.js';
import { exitFor } from './exit.js';

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
  const { code, line } = exitFor(err);
  if (line !== null) process.stderr.write(`${line}\n`);
  process.exit(code);
}
