#!/usr/bin/env node
/**
 * Central records benchmark: many desks shipping into one PostgreSQL server (src/central, against dist/: `npm run
 * build` first).
 *
 *   node bench/central.mjs [--desks 20] [--checks 2000] [--gap MS] [--copies] [--keep]
 *
 * Starts its own PostgreSQL (the newest /usr/lib/postgresql/N/bin, or PROOFDESK_PG_BIN; initdb into a temp folder,
 * run as the postgres user when run as root, listening on 127.0.0.1 at a free port) with the server's DEFAULT
 * durability settings (fsync, synchronous_commit and full_page_writes on: unlike the tests' server), runs
 * `proofdesk central init` (the real CLI), gives each desk a login role (scram password), then starts --desks desk
 * processes at once. Each is what a kiosk runs for central: a real RecordStore (fdatasync per entry) and
 * openCentralDesk's shipper (one connection over TCP, batches of up to 500), and writes --checks checks, each a check
 * line then a likeness line (two entries per check, as a desk writes them), yielding to the event loop between
 * checks and waiting --gap ms (default 0: as fast as the disk takes them, a stress test, not a desk's pace).
 * With --copies every check also keeps a personal copy (600-byte photo, 1.2 k code), shipped sealed to an
 * organisation key.
 *
 * Reports (one JSON object, and a summary on stderr):
 *   throughput   entries that arrived centrally per second, from the first local write to the last commit
 *   lag          per entry, from the moment its local write returned (durable on the desk) to the moment its batch's
 *                commit returned on the desk (Shipper onShipped): median, p90, p99, max (ms). Also the server's
 *                view: received_at (the inserting transaction's start) minus the entry's own time, median and p99
 *   size         pg_relation_size, pg_indexes_size and pg_total_relation_size of proofdesk.entries (and
 *                personal_copies), right after the load and after VACUUM ANALYZE, per 1,000 checks
 *   localWrite   the desks' own write rate (entries/s, all desks): when it is close to throughput, the desks' disk,
 *                not the server, was the limit
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(root, 'dist/cli/main.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const flag = (name) => args.includes(name);

/* ------------------------------------------------------------------ a desk (child process) */

async function desk() {
  const { pino } = await import('pino');
  const { RecordStore, credentialSha256 } = await import('../dist/records/index.js');
  const { openCentralDesk } = await import('../dist/central/desk.js');
  const { DIR, DESK, DB_URL, CHECKS, GAP, RECORDS_KEY } = process.env;
  const log = pino({ level: 'warn' }, pino.destination(2));
  const store = await RecordStore.open({
    dir: DIR,
    deskId: DESK,
    retentionDays: 365,
    requestPollMs: 0,
    ...(RECORDS_KEY ? { personalCopy: { keyFile: path.join(DIR, '..', `${DESK}.key`) } } : {}),
  });
  /** seq → when its local write returned (epoch ms, sub-ms) */
  const written = new Map();
  const lags = [];
  let lastCommit = 0;
  const now = () => performance.timeOrigin + performance.now();
  const central = await openCentralDesk({
    settings: { url: DB_URL, trustPollSeconds: 30, ...(RECORDS_KEY ? { recordsKey: RECORDS_KEY } : {}) },
    deskId: DESK,
    personalCopies: Boolean(RECORDS_KEY),
    log,
    shipper: {
      onShipped({ entries, committedAt }) {
        for (const e of entries) {
          const w = written.get(e.seq);
          if (w !== undefined) {
            lags.push(committedAt - w);
            written.delete(e.seq);
          }
        }
        lastCommit = Math.max(lastCommit, committedAt);
      },
    },
  });
  const stop = central.ship(store);
  process.stdout.write('ready\n');
  await new Promise((r) => process.stdin.once('data', r)); // "go": every desk starts together
  const n = Number(CHECKS);
  const gap = Number(GAP);
  const photo = Buffer.alloc(600, 7);
  const firstWrite = now();
  let lastWrite = firstWrite;
  for (let i = 0; i < n; i++) {
    const at = new Date();
    const text = `HC1:BENCH-${DESK}-${i}-`.padEnd(1200, 'X');
    const sha = credentialSha256(text);
    const id = `${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${DESK}-${i}`;
    store.appendCheck(
      {
        checkId: id,
        at: at.toISOString(),
        purpose: 'rent',
        verdict: 'VALID',
        reason: null,
        kid: 'issuer-2026-1',
        credentialSha256: sha,
        credentialId: createHash('sha256').update(`signed-${sha}`).digest('hex'),
        followUpDate: i % 5 === 0 ? '2027-06-30' : null,
        statusListUri: 'https://issuer.example/status/1',
        statusListIdx: i,
        outcome: 'PHOTO_PENDING',
        revocation: 'checked',
      },
      RECORDS_KEY
        ? {
            credentialText: text,
            fullName: 'Zofia Kowalczyk-Brennan',
            dateOfBirth: '1988-04-17',
            photo: { data: photo, subFormat: 1 },
            statusSummary: 'EU Settlement Scheme: settled status',
            rightChecked: 'Right to rent: unlimited',
          }
        : undefined,
    );
    written.set(store.lastSeq, now());
    store.appendLikeness(id, 'yes', new Date(), 'CONFIRMED');
    lastWrite = now();
    written.set(store.lastSeq, lastWrite);
    await new Promise((r) => (gap > 0 ? setTimeout(r, gap) : setImmediate(r)));
  }
  await central.shipper.shipped();
  await stop();
  await central.close();
  store.close();
  process.stdout.write(`${JSON.stringify({ desk: DESK, entries: store.lastSeq, firstWrite, lastWrite, lastCommit, lags })}\n`);
  process.exit(0);
}

/* ------------------------------------------------------------------ the server and the run (parent) */

function pgBin() {
  if (process.env.PROOFDESK_PG_BIN) return process.env.PROOFDESK_PG_BIN;
  const base = '/usr/lib/postgresql';
  const majors = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((d) => /^\d+$/.test(d))
        .sort((a, b) => b - a)
    : [];
  for (const m of majors) if (fs.existsSync(path.join(base, m, 'bin', 'postgres'))) return path.join(base, m, 'bin');
  throw new Error(`no PostgreSQL server binaries under ${base}/*/bin (npm run setup installs postgresql)`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The same server as test/central/pg-server.ts, but with PostgreSQL's default durability (fsync on). */
async function startServer(maxConnections) {
  const bin = pgBin();
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'proofdesk-bench-pg-'));
  const sock = path.join(dir, 'sock');
  const data = path.join(dir, 'data');
  fs.mkdirSync(sock);
  const run = {};
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    fs.chmodSync(dir, 0o755);
    fs.chownSync(dir, uid, gid);
    fs.chownSync(sock, uid, gid);
    Object.assign(run, { uid, gid });
  }
  const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', PGTZ: 'UTC' };
  const exec = (cmd, argv) => {
    const r = spawnSync(path.join(bin, cmd), argv, { ...run, env, cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const settings = [
    "-c listen_addresses='127.0.0.1'",
    `-c port=${port}`,
    `-c unix_socket_directories='${sock}'`,
    `-c max_connections=${maxConnections}`,
  ].join(' ');
  exec('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', '-o', settings, 'start']);
  const version = exec('postgres', ['--version']).trim();
  return {
    dir,
    port,
    version,
    superUrl: (db = 'postgres') => `postgresql://postgres@/${db}?host=${encodeURIComponent(sock)}&port=${port}`,
    tcpUrl: (user, pw, db) => `postgresql://${user}:${pw}@127.0.0.1:${port}/${db}`,
    psql: (sql, db = 'postgres') => {
      const r = spawnSync(
        path.join(bin, 'psql'),
        ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', sock, '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql],
        { env, encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    stop: () => exec('pg_ctl', ['-D', data, '-w', '-t', '120', '-m', 'fast', 'stop']),
  };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const r1 = (x) => Math.round(x * 10) / 10;

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` first`);
  const DESKS = Number(opt('--desks', 20));
  const CHECKS = Number(opt('--checks', 2000));
  const GAP = Number(opt('--gap', 0));
  const COPIES = flag('--copies');
  const work = fs.mkdtempSync(path.join(tmpdir(), 'proofdesk-bench-central-'));
  const pg = await startServer(Math.max(100, DESKS + 20));
  const db = 'proofdesk_bench';
  const { openPool } = await import('../dist/central/connect.js');
  const { addDesk } = await import('../dist/central/officer.js');
  const children = [];
  try {
    pg.psql(`CREATE DATABASE ${db}`);
    const init = spawnSync(process.execPath, [MAIN, 'central', 'init', '--db', pg.superUrl(db)], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`central init failed: ${init.stderr}`);
    process.stderr.write(init.stdout);
    const owner = await openPool({ url: pg.superUrl(db) }, { max: 2, applicationName: 'bench owner' });
    let recordsKey = null;
    if (COPIES) {
      const { generateOrgKey, writeOrgKeyPair } = await import('../dist/central/seal.js');
      recordsKey = writeOrgKeyPair(path.join(work, 'org'), await generateOrgKey('X25519')).publicPath;
    }
    const desks = Array.from({ length: DESKS }, (_, i) => `bench-desk-${String(i + 1).padStart(3, '0')}`);
    for (const [i, d] of desks.entries()) await addDesk(owner, d, `bench_desk_${i + 1}`, `bench-password-${i + 1}`);

    for (const [i, d] of desks.entries()) {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'desk'], {
        env: {
          ...process.env,
          DIR: path.join(work, d),
          DESK: d,
          DB_URL: pg.tcpUrl(`bench_desk_${i + 1}`, `bench-password-${i + 1}`, db),
          CHECKS: String(CHECKS),
          GAP: String(GAP),
          ...(recordsKey ? { RECORDS_KEY: recordsKey } : {}),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const c = { child, out: '', exit: new Promise((r) => child.on('exit', (code) => r(code))) };
      child.stdout.on('data', (b) => (c.out += b.toString()));
      children.push(c);
    }
    const deadline = Date.now() + 120_000;
    while (!children.every((c) => c.out.includes('ready\n'))) {
      if (Date.now() > deadline) throw new Error('the desks did not get ready');
      if (children.some((c) => c.child.exitCode !== null)) throw new Error('a desk exited before it was ready');
      await new Promise((r) => setTimeout(r, 20));
    }
    const load0 = loadavg()[0];
    for (const c of children) c.child.stdin.write('go\n');
    const codes = await Promise.all(children.map((c) => c.exit));
    if (codes.some((code) => code !== 0)) throw new Error(`desk exit codes: ${codes.join(' ')}`);
    const load1 = loadavg()[0];
    const results = children.map((c) => JSON.parse(c.out.split('\n').filter(Boolean).at(-1)));

    const entries = results.reduce((s, r) => s + r.entries, 0);
    const first = Math.min(...results.map((r) => r.firstWrite));
    const lastWrite = Math.max(...results.map((r) => r.lastWrite));
    const lastCommit = Math.max(...results.map((r) => r.lastCommit));
    const lags = results.flatMap((r) => r.lags).sort((a, b) => a - b);
    const central = await owner.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE kind = 'check')::int AS checks,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - at) * 1000) AS p50,
         percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - at) * 1000) AS p99
       FROM proofdesk.entries`,
    );
    const { n: centralEntries, checks } = central[0];
    if (centralEntries !== entries) throw new Error(`${entries} entries written, ${centralEntries} central`);
    const sizes = async () => {
      const [s] = await owner.query(
        `SELECT pg_relation_size('proofdesk.entries') AS heap, pg_indexes_size('proofdesk.entries') AS indexes,
           pg_total_relation_size('proofdesk.entries') AS total, pg_total_relation_size('proofdesk.personal_copies') AS copies`,
      );
      const per = (b) => r1(Number(b) / 1024 / (checks / 1000));
      return {
        entriesTotalMB: r1(Number(s.total) / 1048576),
        perThousandChecksKB: { heap: per(s.heap), indexes: per(s.indexes), total: per(s.total), personalCopies: per(s.copies) },
        bytesPerEntry: Math.round(Number(s.total) / centralEntries),
      };
    };
    const afterLoad = await sizes();
    await owner.query('VACUUM ANALYZE proofdesk.entries');
    await owner.query('VACUUM ANALYZE proofdesk.personal_copies');
    const afterVacuum = await sizes();
    await owner.close();
    const seconds = (lastCommit - first) / 1000;
    const out = {
      desks: DESKS,
      checksPerDesk: CHECKS,
      gapMs: GAP,
      copies: COPIES,
      entries,
      checks,
      server: pg.version,
      seconds: r1(seconds),
      throughputEntriesPerSec: Math.round(entries / seconds),
      localWriteEntriesPerSec: Math.round(entries / ((lastWrite - first) / 1000)),
      lagMs: { p50: r1(pct(lags, 50)), p90: r1(pct(lags, 90)), p99: r1(pct(lags, 99)), max: r1(lags.at(-1)), n: lags.length },
      serverLagMs: { p50: r1(Number(central[0].p50)), p99: r1(Number(central[0].p99)) },
      drainAfterLastWriteMs: Math.round(lastCommit - lastWrite),
      sizeAfterLoad: afterLoad,
      sizeAfterVacuum: afterVacuum,
      load: [r1(load0), r1(load1)],
      cpus: cpus().length,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.stderr.write(
      `${entries} entries from ${DESKS} desks in ${out.seconds} s: ${out.throughputEntriesPerSec} entries/s centrally ` +
        `(desks wrote ${out.localWriteEntriesPerSec}/s); lag p50 ${out.lagMs.p50} ms, p99 ${out.lagMs.p99} ms; ` +
        `${afterVacuum.perThousandChecksKB.total} KB per 1,000 checks (entries, table + indexes)\n`,
    );
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    try {
      pg.stop();
    } finally {
      if (!flag('--keep')) {
        fs.rmSync(pg.dir, { recursive: true, force: true });
        fs.rmSync(work, { recursive: true, force: true });
      } else process.stderr.write(`kept ${pg.dir} and ${work}\n`);
    }
  }
}

if (args[0] === 'desk') await desk();
else await main();
