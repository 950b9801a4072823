/**
 * `proofdesk run`: the kiosk. Prints exactly one line on stdout when ready. On a terminal, the page's link:
 *   proofdesk ready: http://127.0.0.1:PORT/?token=TOKEN
 * Elsewhere (a service: a journal keeps stdout) the token lasts across restarts, so the line names the owner-only
 * file that holds the link instead (src/kiosk/page-link.ts):
 *   proofdesk ready: http://127.0.0.1:PORT/ — the page's link (with its token) is in FILE
 * Logs (pino JSON, no personal data) go to stderr, or to a file when stderr is the terminal the screen is drawn on
 * (src/kiosk/logs.ts). SIGINT/SIGTERM: shut down within ~2 s, exit 0. SIGHUP: reload trust.
 * A config that fails to load is exit 2 — never a fallback to the DEMO keys.
 * `--store DIR` is the trust store (as on `verify` and `trust`); the check-record folder is `--records DIR`.
 */
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import type { KioskConfig } from '../kiosk/config.js';
import { CONFIG_PURPOSES, type ConfigPurpose } from '../kiosk/defaults.js';
import { tuneHeapForADesk } from '../kiosk/heap.js';
import { startKiosk } from '../kiosk/kiosk.js';
import { kioskLogger } from '../kiosk/logs.js';
import { defaultStoreDir as defaultRecordsDir } from '../records/paths.js';
import { defaultStoreDir as defaultTrustStoreDir } from '../trust/store.js';
import { UsageError } from './usage-error.js';

interface RunOptions {
  config?: string;
  port?: number;
  keys?: string;
  purpose?: ConfigPurpose | 'other';
  stdin: boolean;
  store?: string;
  records?: string;
  newToken?: boolean;
}

/** Longest a shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 1800;

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535)
    throw new UsageError(`--port must be a port number 0-65535 (0 = any free port), got ${JSON.stringify(v)}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run the desk: scanners → verify → status screen (web on 127.0.0.1, terminal) + check records')
    .option('--config <file>', 'kiosk config, YAML or JSON (docs/kiosk-config.md); without it: DEMO keys only')
    .option('--port <n>', 'web screen port (default 7169; 0 = any free port)', parsePort)
    .option('--keys <file>', 'trusted issuer keys: a JWKS ({"keys": [...]}) or one public JWK; overrides the config\'s trust')
    .option(
      '--store <dir>',
      `trust store folder (proofdesk trust init / import); overrides the config's trust (default: ${defaultTrustStoreDir()} when it holds a bundle, else the config's keys, else — no config only — the DEMO keys)`,
    )
    .addOption(new Option('--purpose <purpose>', 'the check this desk makes').choices([...CONFIG_PURPOSES, 'other']))
    .option('--no-stdin', 'do not read scans from standard input')
    .option('--records <dir>', `check-record folder; overrides the config's records.dir (default ${defaultRecordsDir()})`)
    .option(
      '--new-token',
      "make a new status page token (the old link stops working); the token is kept in the record folder's status-page-link.html",
    )
    .action(async (opts: RunOptions) => {
      await run(opts);
    });
}

async function run(opts: RunOptions): Promise<void> {
  tuneHeapForADesk(); // months of scans: collect the old generation's garbage sooner (src/kiosk/heap.ts)
  let config: KioskConfig | null = null;
  if (opts.config !== undefined) {
    // The config parser (zod, yaml) is loaded only for a config file: the built-in DEMO desk does without it.
    const { ConfigError, loadConfig } = await import('../kiosk/config.js');
    try {
      config = loadConfig(opts.config);
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`config ${opts.config}:\n${err.message}`, { cause: err });
      throw err;
    }
  }
  // Logs: standard error, or a file when standard error is the terminal the screen is drawn on.
  const logs = kioskLogger(config?.displays.terminal ?? 'auto');
  const { log } = logs;
  if (logs.file !== null) process.stderr.write(`proofdesk: logs go to ${logs.file}\n`);
  if (logs.problem !== null) process.stderr.write(`proofdesk: logs stay on this terminal: ${logs.problem}\n`);
  // A KioskError or WebDisplayError (a part that would not start) goes to main: exit 2, one line (src/cli/exit.ts).
  const kiosk = await startKiosk({
    config,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.keys !== undefined ? { keysFile: opts.keys } : {}),
    ...(opts.purpose !== undefined ? { purpose: opts.purpose === 'other' ? 'any' : opts.purpose } : {}),
    ...(opts.store !== undefined ? { trustStore: path.resolve(opts.store) } : {}),
    // Where keys come from: src/trust/source.ts (the per-user store counts once a bundle is imported into it).
    perUserStore: defaultTrustStoreDir(),
    ...(opts.records !== undefined ? { records: path.resolve(opts.records) } : {}),
    stdin: opts.stdin,
    ...(opts.newToken === true ? { newToken: true } : {}),
    log,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'stopping', signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.warn({ event: 'stop-deadline' }, 'shutdown took too long; exiting');
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    kiosk.close().then(
      () => {
        clearTimeout(deadline);
        log.info({ event: 'stopped' }, 'stopped');
        process.exit(0);
      },
      (err: Error) => {
        log.error({ event: 'stop-failed', err: { message: err.message } }, 'shutdown failed');
        process.exit(0);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => void kiosk.reloadTrust());

  if (kiosk.builtInDemo) process.stderr.write('proofdesk: DEMO mode: trusting only the DEMO keys from examples/ (never for real checks)\n');
  else if (kiosk.trust.kind === 'store') process.stderr.write(`proofdesk: trusting the ${kiosk.trustDescription}\n`);
  if (kiosk.demo && !kiosk.builtInDemo)
    process.stderr.write(
      'proofdesk: warning: this desk trusts the DEMO keys (anyone can make codes they sign): its screens and the records of such codes say DEMO\n',
    );
  // The token lasts: it is printed only to a terminal, never into a journal (a service's stdout).
  if (!kiosk.web) process.stdout.write('proofdesk ready: (web screen disabled)\n');
  else if (process.stdout.isTTY) process.stdout.write(`proofdesk ready: ${kiosk.url}\n`);
  else process.stdout.write(`proofdesk ready: ${kiosk.address} — the page's link (with its token) is in ${kiosk.pageLink}\n`);
}
