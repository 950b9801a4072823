/**
 * `proofdesk central …`: the organisation's records officer and IT person, against the central PostgreSQL database
 * (`--db URL`, else libpq's PG* environment). docs/central.md is the guide. Every failure: one line, exit 2.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { type Command, Option } from 'commander';
import { parseSince, utcDate, addDays } from '../records/dates.js';
import { csvField } from '../records/export.js';
import { DEFAULT_WORTH_STATEMENT } from '../records/worth.js';
import { safeJson, safeText } from '../text/safe.js';
import { isoOf } from '../trust/bundle.js';
import { readFileCapped } from '../trust/files.js';
import { MAX_ROOT_FILE_BYTES, MAX_BUNDLE_FILE_BYTES, MAX_STATUS_LIST_FILE_BYTES } from '../trust/limits.js';
import type { CentralPool } from '../central/connect.js';
import { CentralError } from '../central/errors.js';
import type { CentralCheck, RecheckHit } from '../central/officer.js';
import { ORG_KEY_CURVES, type OrgKeyCurve } from '../central/seal.js';
import { readJson } from './trust.js';
import { UsageError } from './usage-error.js';

interface DbOpt {
  db?: string;
}

const dbOption = () =>
  new Option('--db <url>', "the central database (postgres://ROLE@HOST:PORT/DATABASE; default: libpq's PG* environment)");

export function register(program: Command): void {
  const central = program
    .command('central')
    .description("the organisation's central records and trust data in PostgreSQL (docs/central.md)");

  central
    .command('init')
    .description('create or update the proofdesk schema, roles and views (run as the database owner; safe to run again)')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt) => {
        const { initDatabase } = await import('../central/officer.js');
        const r = await withDb(opts, 'init', (db) => initDatabase(db));
        const what =
          r.applied.length === 0 ? 'already up to date' : `applied ${r.applied.map((m) => `${m.version} (${m.name})`).join(', ')}`;
        process.stdout.write(`central database ready: schema version ${r.version}, ${what}; organisation id ${r.orgId}\n`);
      }),
    );

  const desks = central.command('desks').description('which login role may add entries for which desk id');
  desks
    .command('add')
    .description('let a login role add entries for a desk id (creates the role when absent: needs CREATEROLE)')
    .argument('<desk-id>', "the desk's desk.id")
    .requiredOption('--role <name>', "the desk's login role (lower-case letters, digits, _)")
    .option(
      '--password-file <file>',
      "the role's password: read from FILE, or, when FILE does not exist, generated and written there (mode 0600)",
    )
    .addOption(dbOption())
    .action(
      run(async (deskId: string, opts: DbOpt & { role: string; passwordFile?: string }) => {
        const { addDesk } = await import('../central/officer.js');
        let password: string | undefined;
        let wrote = false;
        if (opts.passwordFile !== undefined) {
          if (fs.existsSync(opts.passwordFile)) password = fs.readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, '');
          else {
            password = randomBytes(24).toString('base64url');
            fs.writeFileSync(opts.passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
            wrote = true;
          }
        }
        const r = await withDb(opts, 'desks', (db) => addDesk(db, deskId, opts.role, password));
        const pw =
          opts.passwordFile === undefined
            ? ''
            : wrote
              ? `; password generated in ${opts.passwordFile} (give it to the desk as records.central.passwordFile)`
              : `; password set from ${opts.passwordFile}`;
        process.stdout.write(`desk ${safeText(deskId)} adds its entries as role ${opts.role}${r.created ? ' (created)' : ''}${pw}\n`);
      }),
    );
  desks
    .command('list')
    .description('desk ids, their roles, how many entries each has shipped and when last')
    .option('--json', 'print a JSON array')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt & { json?: boolean }) => {
        const { listDesks } = await import('../central/officer.js');
        const rows = await withDb(opts, 'desks', (db) => listDesks(db));
        if (opts.json) return void process.stdout.write(`${safeJson(rows, 2)}\n`);
        process.stdout.write(
          rows.length === 0
            ? 'no desks added\n'
            : table(
                ['DESK', 'ROLE', 'ENTRIES', 'LAST RECEIVED (UTC)'],
                rows.map((r) => [r.deskId, r.role, String(r.entries), time(r.lastReceivedAt)]),
              ),
        );
      }),
    );

  central
    .command('list')
    .description('checks across desks, oldest first')
    .option('--desk <desk-id>', 'only this desk')
    .option('--since <date>', 'only checks at or after this date (YYYY-MM-DD, UTC) or ISO date-time')
    .option('--json', 'print a JSON array')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt & { desk?: string; since?: string; json?: boolean }) => {
        const since = opts.since === undefined ? undefined : parseSince(opts.since);
        const { listChecks } = await import('../central/officer.js');
        const checks = await withDb(opts, 'list', (db) =>
          listChecks(db, { ...(opts.desk !== undefined && { desk: opts.desk }), ...(since !== undefined && { since }) }),
        );
        if (opts.json) return void process.stdout.write(checksJson(checks));
        process.stdout.write(
          checks.length === 0
            ? 'no checks\n'
            : table(
                ['DESK', 'CHECK ID', 'TIME (UTC)', 'VERDICT', 'OUTCOME', 'REASON', 'LIKENESS', 'FOLLOW-UP', 'KEEP UNTIL'],
                checks.map((c) => [
                  c.deskId,
                  c.checkId,
                  time(c.at),
                  c.verdict,
                  c.outcome,
                  c.reason ?? '-',
                  c.likenessHistory ?? '-',
                  c.followUpDate ?? '-',
                  c.keepUntil,
                ]),
              ),
        );
      }),
    );

  central
    .command('export')
    .description('export checks across desks (record fields only, never personal copies) to stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).makeOptionMandatory())
    .option('--desk <desk-id>', 'only this desk')
    .option('--since <date>', 'only checks at or after this date (YYYY-MM-DD, UTC) or ISO date-time')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt & { format: 'csv' | 'json'; desk?: string; since?: string }) => {
        const since = opts.since === undefined ? undefined : parseSince(opts.since);
        const { listChecks } = await import('../central/officer.js');
        const checks = await withDb(opts, 'export', (db) =>
          listChecks(db, { ...(opts.desk !== undefined && { desk: opts.desk }), ...(since !== undefined && { since }) }),
        );
        process.stdout.write(opts.format === 'csv' ? checksCsv(checks) : checksJson(checks));
      }),
    );

  central
    .command('due')
    .description('follow-up checks falling due across the organisation (overdue ones too), soonest first')
    .option('--within <days>', 'due within this many days from today (UTC)', '28')
    .option('--desk <desk-id>', 'only this desk')
    .option('--json', 'print a JSON array')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt & { within: string; desk?: string; json?: boolean }) => {
        if (!/^\d{1,5}$/.test(opts.within))
          throw new UsageError(`--within must be a whole number of days, not ${JSON.stringify(opts.within)}`);
        const today = utcDate(new Date());
        const until = addDays(today, Number(opts.within));
        const { dueChecks } = await import('../central/officer.js');
        const checks = await withDb(opts, 'due', (db) => dueChecks(db, until, opts.desk !== undefined ? { desk: opts.desk } : {}));
        if (opts.json) return void process.stdout.write(checksJson(checks));
        process.stdout.write(
          checks.length === 0
            ? `no follow-up check due by ${until}\n`
            : table(
                ['DUE', '', 'DESK', 'CHECK ID', 'CHECKED (UTC)', 'PURPOSE', 'OUTCOME'],
                checks.map((c) => [
                  c.followUpDate!,
                  c.followUpDate! < today ? 'OVERDUE' : '',
                  c.deskId,
                  c.checkId,
                  time(c.at),
                  c.purpose ?? '-',
                  c.outcome,
                ]),
              ),
        );
      }),
    );

  central
    .command('pdf')
    .description("write the evidence PDF of a check from its sealed personal copy (needs the organisation's private records key)")
    .argument('<check-id>')
    .requiredOption('--org-key <file>', "the organisation's PRIVATE records key (ORG.private.jwk, mode 0600)")
    .requiredOption('--out <file>', 'PDF to write (created owner-only; never overwritten)')
    .option('--desk <desk-id>', 'the desk, when two desks recorded the same check id')
    .option('--statement <text>', "what an offline check is worth, in this deployment's words (default: the standard statement)")
    .option('--time-zone <tz>', 'time zone for the local time of check', 'Europe/London')
    .addOption(dbOption())
    .action(
      run(async (checkId: string, opts: DbOpt & { orgKey: string; out: string; desk?: string; statement?: string; timeZone: string }) => {
        if (fs.existsSync(opts.out)) throw new UsageError(`${opts.out} already exists; choose another name or remove it`);
        const { loadOrgPrivateKey, openCopy } = await import('../central/seal.js');
        const key = await loadOrgPrivateKey(opts.orgKey);
        const { getCheck } = await import('../central/officer.js');
        const { check, jwe } = await withDb(opts, 'pdf', (db) => getCheck(db, checkId, opts.desk));
        if (jwe === null) {
          throw new CentralError(
            'NO_PERSONAL_COPY',
            `check ${checkId} has no personal copy centrally (the desk keeps none, or ships none: records.central.recordsKey), so there is no evidence PDF`,
          );
        }
        const copy = await openCopy(jwe, key, { checkId: check.checkId, deskId: check.deskId, credentialSha256: check.credentialSha256 });
        const { evidencePdf } = await import('../records/evidence-pdf.js');
        const { likenessHistory: _h, credentialId, demo, hasPersonalCopy: _p, receivedAt: _r, ...record } = check;
        const folded = {
          type: 'check' as const,
          ...record,
          ...(credentialId !== null && { credentialId }),
          ...(demo && { demo: true as const }),
        };
        const pdf = await evidencePdf(folded, copy, {
          statement: opts.statement ?? DEFAULT_WORTH_STATEMENT,
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

  central
    .command('purge')
    .description('remove checks past their keep-until across desks, with their entries and sealed personal copies')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt) => {
        const { purgeExpired } = await import('../central/officer.js');
        const r = await withDb(opts, 'purge', (db) => purgeExpired(db, utcDate(new Date())));
        process.stdout.write(
          `removed ${r.checks} expired check${r.checks === 1 ? '' : 's'} (${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}, ${r.copies} personal cop${r.copies === 1 ? 'y' : 'ies'})\n`,
        );
      }),
    );

  const keys = central.command('keys').description("the organisation's records key pair (personal copies are sealed to its public half)");
  keys
    .command('generate')
    .description("generate PREFIX.private.jwk (mode 0600: the records officer's, never on a desk) and PREFIX.public.jwk (for every desk)")
    .requiredOption('--out <prefix>', 'file name prefix, e.g. keys/org-records')
    .addOption(new Option('--curve <curve>', 'ECDH-ES key type').choices([...ORG_KEY_CURVES]).default('X25519'))
    .option('--force', 'replace existing files')
    .action(
      run(async (opts: { out: string; curve: OrgKeyCurve; force?: boolean }) => {
        const { generateOrgKey, writeOrgKeyPair } = await import('../central/seal.js');
        const pair = await generateOrgKey(opts.curve);
        const { publicPath, privatePath } = writeOrgKeyPair(opts.out, pair, opts.force === true);
        process.stdout.write(
          `records key ${pair.kid} (ECDH-ES, ${pair.curve})\n` +
            `private key: ${privatePath} (mode 0600; the records officer's: it opens every shipped personal copy. Back it up offline; never put it on a desk)\n` +
            `public key:  ${publicPath} (on every desk: records.central.recordsKey)\n`,
        );
      }),
    );

  central
    .command('publish')
    .description(
      'carry a root-signed trust bundle or status list to every desk (checked as trust import would; desks take it within a minute)',
    )
    .argument('<file>')
    .option('--root <file>', 'the root PUBLIC key the desks pin (remembered by the database the first time)')
    .addOption(dbOption())
    .action(
      run(async (file: string, opts: DbOpt & { root?: string }) => {
        const bytes = readFileCapped(file, Math.max(MAX_BUNDLE_FILE_BYTES, MAX_STATUS_LIST_FILE_BYTES), 'file');
        const root = opts.root === undefined ? undefined : readJson(opts.root, MAX_ROOT_FILE_BYTES, 'root key');
        const { publishTrustFile } = await import('../central/officer.js');
        const r = await withDb(opts, 'publish', (db) => publishTrustFile(db, bytes, { ...(root !== undefined && { root }) }));
        const what =
          r.kind === 'bundle'
            ? `trust bundle${r.seq !== undefined ? ` seq ${r.seq}` : ''}`
            : `status list${r.uri ? ` ${safeText(r.uri)}` : ''}${r.iat ? ` issued ${isoOf(r.iat)}` : ''}`;
        process.stdout.write(
          r.alreadyPublished
            ? `${what} is already published (id ${r.id}): nothing to do\n`
            : `published ${what} (id ${r.id}); desks with records.central take it within their poll (30 s by default)\n`,
        );
      }),
    );

  central
    .command('recheck')
    .description('checks whose credential the newest published status list marks revoked or suspended (known only after the check)')
    .option('--since <date>', 'only checks at or after this date (YYYY-MM-DD, UTC) or ISO date-time')
    .option('--root <file>', 'the root PUBLIC key to verify the published lists with (default: the one the database remembers)')
    .option('--all', 'also checks the desk already found NOT VALID')
    .option('--json', 'print a JSON array')
    .addOption(dbOption())
    .action(
      run(async (opts: DbOpt & { since?: string; root?: string; all?: boolean; json?: boolean }) => {
        const since = opts.since === undefined ? undefined : parseSince(opts.since);
        const root = opts.root === undefined ? undefined : readJson(opts.root, MAX_ROOT_FILE_BYTES, 'root key');
        const { recheck } = await import('../central/officer.js');
        const r = await withDb(opts, 'recheck', (db) =>
          recheck(db, { ...(since !== undefined && { since }), ...(root !== undefined && { root }), all: opts.all === true }),
        );
        for (const p of r.problems) process.stderr.write(`proofdesk: warning: ${safeText(p)}\n`);
        if (opts.json) return void process.stdout.write(`${safeJson(r.hits, 2)}\n`);
        if (r.hits.length === 0)
          return void process.stdout.write(
            `no check's credential is revoked or suspended in the ${r.lists} published status list${r.lists === 1 ? '' : 's'}\n`,
          );
        process.stdout.write(
          table(
            ['STATUS', 'DESK', 'CHECKED (UTC)', 'CHECK ID', 'PURPOSE', 'VERDICT', 'OUTCOME', 'LIST ISSUED'],
            r.hits.map((h: RecheckHit) => [
              h.status,
              h.deskId,
              time(h.at),
              h.checkId,
              h.purpose ?? '-',
              h.verdict,
              h.outcome,
              time(h.listIssuedAt),
            ]),
          ),
        );
      }),
    );
}

/** Connect, run, close. The pool is the only thing that loads `pg`. */
async function withDb<T>(opts: DbOpt, tool: string, fn: (db: CentralPool) => Promise<T>): Promise<T> {
  const { openPool } = await import('../central/connect.js');
  const db = await openPool(opts.db !== undefined ? { url: opts.db } : {}, {
    max: 1,
    applicationName: `proofdesk central ${tool}`,
    queryTimeoutMs: 300_000,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function run<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const e = err as Error & { code?: unknown };
      if (err instanceof CentralError || (typeof e.code === 'string' && /Error$/.test(e.name)))
        throw new UsageError(safeText(e.message.split('\n').join('; ')));
      const io = err as NodeJS.ErrnoException;
      throw new UsageError(
        io.code && io.path
          ? `${io.code}: ${io.path}`
          : safeText(
              String(io.message ?? err)
                .split('\n')
                .join('; '),
            ),
      );
    }
  };
}

function time(iso: string | null): string {
  return iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

function table(head: string[], rows: string[][]): string {
  const safe = rows.map((r) => r.map((v) => safeText(v)));
  const widths = head.map((h, i) => Math.max(h.length, ...safe.map((r) => r[i]?.length ?? 0)));
  return `${[head, ...safe]
    .map((r) =>
      r
        .map((v, i) => v.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

const CSV_COLUMNS = [
  'deskId',
  'checkId',
  'at',
  'purpose',
  'verdict',
  'outcome',
  'reason',
  'kid',
  'likeness',
  'likenessHistory',
  'followUpDate',
  'keepUntil',
  'credentialSha256',
  'credentialId',
  'statusListUri',
  'statusListIdx',
  'demo',
  'hasPersonalCopy',
  'receivedAt',
  'revocation',
] as const satisfies ReadonlyArray<keyof CentralCheck>;

function checksCsv(checks: readonly CentralCheck[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  // `demo` as `records export` writes it: DEMO on a row a DEMO key signed, empty otherwise (a spreadsheet filters on it).
  const cell = (c: CentralCheck, col: (typeof CSV_COLUMNS)[number]) => (col === 'demo' ? (c.demo ? 'DEMO' : '') : String(c[col] ?? ''));
  for (const c of checks) rows.push(CSV_COLUMNS.map((col) => csvField(cell(c, col))).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

function checksJson(checks: readonly CentralCheck[]): string {
  return `${safeJson(
    checks.map((c) => ({ ...c, likeness: c.likeness ?? null, revocation: c.revocation ?? null })),
    2,
  )}\n`;
}
