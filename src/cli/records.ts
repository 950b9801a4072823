/**
 * `proofdesk records …`: list, export, keep, purge and the evidence PDF. Each takes the kiosk's config
 * (--config: records.dir, records.personalCopy.keyFile, screen.worth) or the paths themselves (--store,
 * --key-file, --statement), which win over the config.
 */
import * as fs from 'node:fs';
import { type Command, Option } from 'commander';
import type { FoldedCheck } from '../records/entries.js';
import { parseSince } from '../records/dates.js';
import { RecordError } from '../records/errors.js';
import { toCsv, toJson } from '../records/export.js';
import type { ReadProblem } from '../records/log-file.js';
import { defaultDemoStoreDir, defaultKeyFile, defaultStoreDir } from '../records/paths.js';
import { RecordReader, RecordStore } from '../records/store.js';
import { loadConfig, type KioskConfig } from '../kiosk/config.js';
import { safeText } from '../text/safe.js';
import { UsageError } from './usage-error.js';

interface StoreOpt {
  store?: string;
  config?: string;
  demo?: boolean;
}

export function register(program: Command): void {
  const records = program
    .command('records')
    .description(`check records: list, export, keep, purge, evidence PDF (default store ${defaultStoreDir()})`);
  const storeOption = () => new Option('--store <path>', "record store folder (default: the config's records.dir, else the per-user one)");
  const configOption = () => new Option('--config <file>', 'the kiosk config (YAML or JSON) naming the store, key file and wording');
  const demoOption = () =>
    new Option('--demo', `the built-in DEMO desk's own records (${defaultDemoStoreDir()})`).conflicts(['store', 'config']);

  records
    .command('list')
    .description('list checks, oldest first')
    .option('--since <date>', 'only checks at or after this date (YYYY-MM-DD, UTC) or ISO date-time')
    .option('--json', 'print a JSON array')
    .addOption(storeOption())
    .addOption(configOption())
    .addOption(demoOption())
    .action(
      run((opts: StoreOpt & { since?: string; json?: boolean }) => {
        if (opts.since !== undefined) parseSince(opts.since); // a bad date is the error, before any store problem
        const reader = openReader(opts);
        const checks = reader.list(opts.since === undefined ? {} : { since: opts.since });
        warn(reader.readProblems());
        process.stdout.write(opts.json ? toJson(checks) : table(checks));
      }),
    );

  records
    .command('export')
    .description('export checks (record fields only, never personal copies) to stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).makeOptionMandatory())
    .option('--since <date>', 'only checks at or after this date (YYYY-MM-DD, UTC) or ISO date-time')
    .addOption(storeOption())
    .addOption(configOption())
    .addOption(demoOption())
    .action(
      run((opts: StoreOpt & { since?: string; format: 'csv' | 'json' }) => {
        if (opts.since !== undefined) parseSince(opts.since); // a bad date is the error, before any store problem
        const reader = openReader(opts);
        const checks = reader.list(opts.since === undefined ? {} : { since: opts.since });
        warn(reader.readProblems());
        process.stdout.write(opts.format === 'csv' ? toCsv(checks) : toJson(checks));
      }),
    );

  records
    .command('keep')
    .description('keep a check (and its personal copy) until a later date')
    .argument('<check-id>')
    .requiredOption('--until <date>', 'new keep-until date, YYYY-MM-DD')
    .addOption(storeOption())
    .addOption(configOption())
    .addOption(demoOption())
    .action(
      run(async (checkId: string, opts: StoreOpt & { until: string }) => {
        const done = await RecordStore.maintain({ dir: storeDir(opts) }, { op: 'keep', checkId, until: opts.until });
        process.stdout.write(`check ${checkId} kept until ${opts.until}${byKiosk(done.by)}\n`);
      }),
    );

  records
    .command('purge')
    .description('remove checks whose keep-until has passed, with their personal copies (rewrites the log)')
    .addOption(storeOption())
    .addOption(configOption())
    .addOption(demoOption())
    .action(
      run(async (opts: StoreOpt) => {
        const result = await RecordStore.maintain({ dir: storeDir(opts) }, { op: 'purge' });
        if (result.op !== 'purge') throw new Error('unexpected answer to a purge request');
        const orphans = result.orphanCopiesRemoved
          ? ` and ${result.orphanCopiesRemoved} personal cop${result.orphanCopiesRemoved === 1 ? 'y' : 'ies'} with no check`
          : '';
        process.stdout.write(`removed ${result.removed} expired check${result.removed === 1 ? '' : 's'}${orphans}${byKiosk(result.by)}\n`);
      }),
    );

  records
    .command('pdf')
    .description('write the evidence PDF of a check that has a personal copy')
    .argument('<check-id>')
    .requiredOption('--out <file>', 'PDF to write (created owner-only; never overwritten)')
    .addOption(
      new Option('--key-file <file>', `personal-copy key (default: the config's records.personalCopy.keyFile, else ${defaultKeyFile()})`),
    )
    .option('--statement <text>', "what an offline check is worth, in this deployment's words (default: the config's screen.worth)")
    .option('--time-zone <tz>', 'time zone for the local time of check', 'Europe/London')
    .addOption(storeOption())
    .addOption(configOption())
    .addOption(demoOption())
    .action(
      run(async (checkId: string, opts: StoreOpt & { out: string; keyFile?: string; statement?: string; timeZone: string }) => {
        const dir = storeDir(opts);
        const plain = RecordReader.openReadOnly({ dir });
        const check = plain.get(checkId);
        if (!check) throw new UsageError(`no check ${checkId} in ${dir}`);
        if (!plain.hasPersonalCopy(checkId)) {
          throw new UsageError(
            `check ${checkId} has no personal copy, so there is no evidence PDF (personal copies are kept only when the desk's config turns them on)`,
          );
        }
        const config = kioskConfig(opts);
        const keyFile = opts.keyFile ?? config?.records.personalCopy?.keyFile ?? defaultKeyFile();
        const copy = RecordReader.openReadOnly({ dir, keyFile }).readPersonal(checkId);
        const statement = opts.statement ?? config?.screen.worth;
        const { evidencePdf } = await import('../records/evidence-pdf.js'); // pdf-lib, sharp, qrcode: only when needed
        const pdf = await evidencePdf(check, copy, {
          ...(statement !== undefined && { statement }),
          timeZone: opts.timeZone,
          now: new Date(),
        });
        try {
          fs.writeFileSync(opts.out, pdf, { mode: 0o600, flag: 'wx' });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST')
            throw new UsageError(`${opts.out} already exists; choose another name or remove it`);
          throw err;
        }
        process.stdout.write(`wrote ${opts.out} (contains personal data: keep it as safely as the records)\n`);
      }),
    );
}

const configs = new Map<string, KioskConfig>();
function kioskConfig(opts: StoreOpt): KioskConfig | null {
  if (opts.config === undefined) return null;
  const cached = configs.get(opts.config) ?? loadConfig(opts.config);
  configs.set(opts.config, cached);
  return cached;
}

function storeDir(opts: StoreOpt): string {
  if (opts.demo) return defaultDemoStoreDir();
  return opts.store ?? kioskConfig(opts)?.records.dir ?? defaultStoreDir();
}

function openReader(opts: StoreOpt): RecordReader {
  return RecordReader.openReadOnly({ dir: storeDir(opts) });
}

/**
 * Every failure is one line, exit 2 (src/cli/exit.ts): a RecordError or UsageError goes to main as it is; anything
 * else (a file system error, a desk config's list of field errors) is first put in one line here.
 */
function run<A extends unknown[]>(action: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof UsageError || err instanceof RecordError) throw err;
      const e = err as NodeJS.ErrnoException;
      // One line: multi-line messages (a config's list of field errors) are joined.
      throw new UsageError(
        e.code && e.path
          ? `${e.code}: ${e.path}`
          : String(e.message ?? err)
              .trim()
              .split('\n')
              .join('; '),
        { cause: err },
      );
    }
  };
}

/** When the running kiosk did it (it holds the store), say so. */
function byKiosk(pid: number | null): string {
  return pid === null ? '' : ` (done by process ${pid}, the kiosk holding the store)`;
}

function warn(problems: ReadProblem[]): void {
  for (const p of problems) process.stderr.write(`proofdesk: warning: record log line ${p.line}: ${safeText(p.problem)}\n`);
}

function table(checks: FoldedCheck[]): string {
  if (checks.length === 0) return 'no checks recorded\n';
  const head = ['CHECK ID', 'TIME (UTC)', 'VERDICT', 'OUTCOME', 'REASON', 'LIKENESS', 'FOLLOW-UP', 'KEEP UNTIL', ''];
  const rows = checks.map((c) =>
    [
      c.checkId,
      c.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
      c.verdict,
      c.outcome,
      c.reason ?? '-',
      c.likeness ?? '-',
      c.followUpDate ?? '-',
      c.keepUntil,
      c.demo ? 'DEMO' : '',
    ].map(safeText),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return `${[head, ...rows]
    .map((r) =>
      r
        .map((v, i) => v.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
