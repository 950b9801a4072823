#!/usr/bin/env node
/**
 * Check-record benchmark (src/records, against dist/: `npm run build` first).
 *
 *   node bench/records.mjs [--rounds 3] [--n 2000] [--big 100000] [--dir DIR] [--cpu N]
 *        runs every case below in its own process, --rounds times, interleaved, and prints medians as a table
 *   node bench/records.mjs <case> [--n N] [--big N] [--dir DIR]     one case, one JSON line
 *
 * Cases:
 *   append           N checks with appendCheck (one write + fdatasync each, no personal copy): records/s, p50/p99
 *   append-personal  N/4 checks with a sealed personal copy (600-byte photo, 1.2 k code): copy file written,
 *                    fsynced and renamed, folder fsynced, then the log line + fdatasync
 *   open             RecordStore.open of a log of BIG checks (what the kiosk does at start: cut a torn tail,
 *                    build the keep-until index): ms and RSS growth
 *   list             RecordReader.openReadOnly + list() of BIG checks, then toCsv and toJson: ms each
 *   export-cli       `proofdesk records export --format csv` of BIG checks, the real CLI process: wall ms
 * In-process cases report CPU time (process.cpuUsage) beside wall time: on a shared machine wall time mostly
 * measures the other jobs. The append cases are wall time: they wait for the disk, which is the point.
 *   purge            openForMaintenance + purge() of BIG checks, half of them expired (rewrite to temp, fsync,
 *                    rename, fsync folder): ms
 * Big logs are written directly (fsync per record would take minutes), one check line per check plus a likeness
 * line for every other check, ~330 bytes per check, like the kiosk writes them. The store lives under --dir
 * (default: the OS temp folder), so the fsync figures are that file system's.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_FILE, RecordReader, RecordStore, credentialSha256, toCsv, toJson } from '../dist/records/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const CASES = ['append', 'append-personal', 'open', 'list', 'export-cli', 'purge'];
const caseName = CASES.includes(args[0]) ? args[0] : null;
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const N = Number(opt('--n', 2000));
const BIG = Number(opt('--big', 100_000));
const ROUNDS = Number(opt('--rounds', 3));
const BASE = opt('--dir', tmpdir());
const CPU = Number(opt('--cpu', -1));

const rssMB = () => Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
const ms = (t0) => Math.round((performance.now() - t0) * 100) / 100;
/** CPU time (user + system) since `c0` in ms: on a shared machine it says more than wall time. */
const cpuMs = (c0) => {
  const d = process.cpuUsage(c0);
  return Math.round((d.user + d.system) / 100) / 10;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function check(i, at) {
  const text = `HC1:BENCH-${i}-`.padEnd(1200, 'X');
  return {
    checkId: `b${String(i).padStart(7, '0')}-${createHash('sha256').update(String(i)).digest('hex').slice(0, 8)}`,
    at,
    purpose: 'rent',
    verdict: i % 7 === 0 ? 'NOT VALID' : i % 11 === 0 ? 'CHECK MANUALLY' : 'VALID',
    reason: i % 7 === 0 ? 'SIGNATURE_INVALID' : i % 11 === 0 ? 'PENDING_APPLICATION' : null,
    kid: 'demo-2026',
    credentialSha256: credentialSha256(text),
    followUpDate: i % 11 === 0 ? '2027-05-21' : null,
    text,
  };
}

/** A log of `n` checks (every other with a likeness line); with `halfExpired`, every odd check expired long ago. */
function writeBigLog(dir, n, halfExpired) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = fs.openSync(path.join(dir, LOG_FILE), 'w', 0o600);
  const t = Date.parse('2026-01-01T08:00:00Z');
  let chunk = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(t + i * 60_000).toISOString();
    const { text: _text, ...c } = check(i, at);
    chunk.push(
      JSON.stringify({ type: 'check', ...c, deskId: 'bench-desk', keepUntil: halfExpired && i % 2 ? '2026-02-01' : '2099-12-31' }),
    );
    if (i % 2 === 0)
      chunk.push(
        JSON.stringify({ type: 'likeness', checkId: c.checkId, at: new Date(t + i * 60_000 + 9000).toISOString(), likeness: 'yes' }),
      );
    if (chunk.length >= 5000) {
      fs.writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return fs.statSync(path.join(dir, LOG_FILE)).size;
}

async function runCase(name, dir) {
  if (name === 'append' || name === 'append-personal') {
    const personal = name === 'append-personal';
    const n = personal ? Math.max(1, Math.floor(N / 4)) : N;
    const store = await RecordStore.open({
      dir,
      deskId: 'bench-desk',
      retentionDays: 2196,
      ...(personal && { personalCopy: { keyFile: path.join(dir, '..', `${path.basename(dir)}.key`) } }),
    });
    const photo = new Uint8Array(600).map((_v, i) => (i * 131) & 0xff);
    const lat = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const { text, ...c } = check(i, new Date().toISOString());
      const copy = personal
        ? {
            credentialText: text,
            fullName: 'Amara Okafor',
            dateOfBirth: '1991-04-12',
            photo: { data: photo, subFormat: 3 },
            statusSummary: 'EU Settlement Scheme: settled status',
            rightChecked: 'Right to rent: yes',
          }
        : undefined;
      const s = performance.now();
      store.appendCheck(c, copy);
      lat.push(performance.now() - s);
    }
    const total = performance.now() - t0;
    store.close();
    lat.sort((a, b) => a - b);
    const round2 = (x) => Math.round(x * 100) / 100;
    return {
      case: name,
      n,
      recordsPerS: Math.round(n / (total / 1000)),
      p50ms: round2(pct(lat, 50)),
      p99ms: round2(pct(lat, 99)),
      maxMs: round2(lat.at(-1)),
      rssMB: rssMB(),
    };
  }
  const bytes = writeBigLog(dir, BIG, name === 'purge');
  const logMB = Math.round((bytes / 1048576) * 10) / 10;
  if (name === 'open') {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const store = await RecordStore.open({ dir, deskId: 'bench-desk', retentionDays: 2196, requestPollMs: 0 });
    const openMs = ms(t0);
    const openCpuMs = cpuMs(c0);
    const grewMB = Math.round(((process.memoryUsage().rss - before) / 1048576) * 10) / 10;
    store.close();
    return { case: name, checks: BIG, logMB, openMs, openCpuMs, rssGrowthMB: grewMB, rssMB: rssMB() };
  }
  if (name === 'list') {
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    const reader = RecordReader.openReadOnly({ dir });
    const checks = reader.list();
    const listMs = ms(t0);
    const listCpuMs = cpuMs(c0);
    if (checks.length !== BIG) throw new Error(`listed ${checks.length} of ${BIG}`);
    t0 = performance.now();
    c0 = process.cpuUsage();
    const csv = toCsv(checks);
    const csvMs = ms(t0);
    const csvCpuMs = cpuMs(c0);
    t0 = performance.now();
    c0 = process.cpuUsage();
    const json = toJson(checks);
    const jsonMs = ms(t0);
    const jsonCpuMs = cpuMs(c0);
    return {
      case: name,
      checks: BIG,
      logMB,
      listMs,
      listCpuMs,
      csvMs,
      csvCpuMs,
      jsonMs,
      jsonCpuMs,
      csvMB: Math.round((csv.length / 1048576) * 10) / 10,
      jsonMB: Math.round((json.length / 1048576) * 10) / 10,
      rssMB: rssMB(),
    };
  }
  if (name === 'export-cli') {
    const t0 = performance.now();
    // The child reports its own CPU time on exit (a preloaded one-liner), so the figure survives a busy machine.
    const report =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the child's own template literal, on purpose.
      'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write(`\\ncpu-us ${u.user+u.system}\\n`)})';
    const child = spawn(
      process.execPath,
      ['--import', report, path.join(root, 'dist/cli/main.js'), 'records', 'export', '--format', 'csv', '--store', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = 0;
    let err = '';
    child.stdout.on('data', (d) => (out += d.length));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`export exited ${code}: ${err}`);
    const wallMs = ms(t0);
    const cpu = /cpu-us (\d+)/.exec(err);
    return {
      case: name,
      checks: BIG,
      logMB,
      wallMs,
      cpuMs: cpu ? Math.round(Number(cpu[1]) / 100) / 10 : null,
      csvMB: Math.round((out / 1048576) * 10) / 10,
    };
  }
  if (name === 'purge') {
    let t0 = performance.now();
    const store = RecordStore.openForMaintenance({ dir });
    const openMs = ms(t0);
    t0 = performance.now();
    const c0 = process.cpuUsage();
    const { removed } = store.purge(new Date('2026-06-01T00:00:00Z'));
    const purgeMs = ms(t0);
    const purgeCpuMs = cpuMs(c0);
    store.close();
    if (removed !== BIG / 2) throw new Error(`purged ${removed}, expected ${BIG / 2}`);
    const afterMB = Math.round((fs.statSync(path.join(dir, LOG_FILE)).size / 1048576) * 10) / 10;
    return { case: name, checks: BIG, logMB, removed, openMs, purgeMs, purgeCpuMs, afterMB, rssMB: rssMB() };
  }
  throw new Error(`unknown case ${name}`);
}

if (caseName) {
  const work = fs.mkdtempSync(path.join(BASE, 'proofdesk-bench-records-'));
  try {
    process.stdout.write(`${JSON.stringify(await runCase(caseName, path.join(work, 'store')))}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
} else {
  // Driver: each case in its own process (pinned with --cpu N when taskset exists), rounds interleaved; medians.
  let pin = false;
  if (CPU >= 0) {
    try {
      execFileSync('taskset', ['-c', String(CPU), 'true']);
      pin = true;
    } catch {
      /* no taskset: unpinned */
    }
  }
  const results = Object.fromEntries(CASES.map((c) => [c, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of CASES) {
      const argv = [
        process.execPath,
        '--expose-gc',
        fileURLToPath(import.meta.url),
        c,
        '--n',
        String(N),
        '--big',
        String(BIG),
        '--dir',
        BASE,
      ];
      const res = spawnSync(pin ? 'taskset' : argv[0], pin ? ['-c', String(CPU), ...argv] : argv.slice(1), { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`${c}: ${res.stderr}`);
      const line = JSON.parse(res.stdout.trim().split('\n').at(-1));
      results[c].push(line);
      process.stderr.write(`round ${r + 1} ${JSON.stringify(line)}\n`);
    }
  }
  const median = (c, key) => {
    const v = results[c].map((x) => x[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  const all = (c, key) => results[c].map((x) => x[key]).join(' / ');
  const fsType = (() => {
    try {
      return execFileSync('stat', ['-f', '-c', '%T', BASE], { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })();
  console.log(
    `records benchmark: ${ROUNDS} rounds, medians (every round after "rounds:"); store under ${BASE} (${fsType})${pin ? `, pinned to core ${CPU}` : ''}`,
  );
  console.log(`| case | result | rounds |`);
  console.log(`|---|---|---|`);
  console.log(
    `| append, fdatasync per record (${N}) | ${median('append', 'recordsPerS')} records/s, p50 ${median('append', 'p50ms')} ms, p99 ${median('append', 'p99ms')} ms | p99: ${all('append', 'p99ms')} ms |`,
  );
  console.log(
    `| append with personal copy (${Math.floor(N / 4)}) | ${median('append-personal', 'recordsPerS')} records/s, p50 ${median('append-personal', 'p50ms')} ms, p99 ${median('append-personal', 'p99ms')} ms | p99: ${all('append-personal', 'p99ms')} ms |`,
  );
  console.log(
    `| kiosk open of ${BIG} checks (${median('open', 'logMB')} MB) | ${median('open', 'openCpuMs')} ms CPU, ${median('open', 'openMs')} ms wall, +${median('open', 'rssGrowthMB')} MB RSS | ${all('open', 'openCpuMs')} ms CPU |`,
  );
  console.log(
    `| list ${BIG} checks (read + fold) | ${median('list', 'listCpuMs')} ms CPU, ${median('list', 'listMs')} ms wall (RSS ${median('list', 'rssMB')} MB) | ${all('list', 'listCpuMs')} ms CPU |`,
  );
  console.log(
    `| toCsv / toJson of ${BIG} | ${median('list', 'csvCpuMs')} / ${median('list', 'jsonCpuMs')} ms CPU, ${median('list', 'csvMs')} / ${median('list', 'jsonMs')} ms wall (${median('list', 'csvMB')} / ${median('list', 'jsonMB')} MB) | csv: ${all('list', 'csvCpuMs')} ms CPU |`,
  );
  console.log(
    `| \`records export --format csv\`, whole CLI process, ${BIG} | ${median('export-cli', 'cpuMs')} ms CPU, ${median('export-cli', 'wallMs')} ms wall | ${all('export-cli', 'cpuMs')} ms CPU |`,
  );
  console.log(
    `| purge ${BIG} checks, half expired (open first: ${median('purge', 'openMs')} ms wall) | ${median('purge', 'purgeCpuMs')} ms CPU, ${median('purge', 'purgeMs')} ms wall (${median('purge', 'logMB')} → ${median('purge', 'afterMB')} MB) | ${all('purge', 'purgeCpuMs')} ms CPU |`,
  );
}
