#!/usr/bin/env node
/**
 * Runs every verify benchmark case in its own process pinned to one core (taskset -c 0), several rounds,
 * interleaved so machine noise hits every case alike; prints medians and the ratios the targets name.
 * ops/s are per second of the process's own CPU time (process.cpuUsage), so other load on the shared core
 * inflates them less than wall time would; wall-clock ops/s are printed beside them.
 *   npm run build && node bench/verify-run.mjs [--rounds 7] [--ms 1500] [--json]
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', 7));
const ms = Number(opt('--ms', 1500));
const script = fileURLToPath(new URL('./verify.mjs', import.meta.url));

const CASES = [
  'floor',
  'full',
  'auth0',
  'stage-base45',
  'stage-inflate',
  'stage-cose',
  'stage-sigstructure',
  'stage-claims',
  'floor-es256',
  'full-es256',
  'cosejs-es256',
];

function hasTaskset() {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}
const pin = hasTaskset();
function run(name, extra = []) {
  const argv = [script, name, '--ms', String(name === 'cosejs-es256' ? Math.min(ms, 800) : ms), ...extra];
  const out = pin
    ? execFileSync('taskset', ['-c', '0', process.execPath, ...argv], { encoding: 'utf8' })
    : execFileSync(process.execPath, argv, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = Object.fromEntries(CASES.map((c) => [c, []]));
const rss = Object.fromEntries(CASES.map((c) => [c, []]));
const wall = Object.fromEntries(CASES.map((c) => [c, []]));
const interleaved = { interleaved: [], 'interleaved-es256': [] };
for (let r = 0; r < rounds; r++) {
  for (const c of CASES) {
    const res = run(c);
    results[c].push(res.ops);
    wall[c].push(res.opsWall);
    rss[c].push(res.rssMB);
  }
  for (const c of Object.keys(interleaved)) interleaved[c].push(run(c).ratio);
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}
const med = Object.fromEntries(CASES.map((c) => [c, median(results[c])]));
/** Per-round ratios (same round = same machine state), then their median: steadier than a ratio of medians. */
const ratio = (a, b) => median(results[a].map((x, i) => x / results[b][i]));
const sizes = run('sizes');

const summary = {
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    pinned: pin ? 'taskset -c 0' : 'not pinned (taskset missing)',
  },
  date: new Date().toISOString(),
  rounds,
  msPerCase: ms,
  opsPerCpuSec: med,
  opsPerWallSec: Object.fromEntries(CASES.map((c) => [c, median(wall[c])])),
  usPerOp: Object.fromEntries(CASES.map((c) => [c, +(1e6 / med[c]).toFixed(2)])),
  rssMB: Object.fromEntries(CASES.map((c) => [c, median(rss[c])])),
  ratios: {
    fullVsFloor: +ratio('full', 'floor').toFixed(3),
    fullVsAuth0: +ratio('full', 'auth0').toFixed(3),
    auth0VsFloor: +ratio('auth0', 'floor').toFixed(3),
    fullEs256VsFloorEs256: +ratio('full-es256', 'floor-es256').toFixed(3),
    coseJsVsFloorEs256: +ratio('cosejs-es256', 'floor-es256').toFixed(4),
    fullVsFloorInterleaved: median(interleaved.interleaved),
    fullEs256VsFloorEs256Interleaved: median(interleaved['interleaved-es256']),
  },
  sizes,
};

if (args.includes('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const us = summary.usPerOp;
  console.log(
    `machine: ${summary.machine.cpu} (${summary.machine.cores} cores), node ${summary.machine.node}, ${summary.machine.pinned}; ${summary.date}`,
  );
  console.log(`${rounds} rounds × ${ms} ms per case, medians\n`);
  console.log('| case | ops/s (CPU time) | µs/op (CPU) | ops/s (wall) | RSS MB |\n|---|---:|---:|---:|---:|');
  for (const c of CASES)
    console.log(`| ${c} | ${Math.round(med[c])} | ${us[c]} | ${Math.round(summary.opsPerWallSec[c])} | ${summary.rssMB[c]} |`);
  console.log('\n| ratio (median of per-round ratios) | value | target |\n|---|---:|---:|');
  console.log(`| full verify / raw Ed25519 verify (floor) | ${summary.ratios.fullVsFloor} | ≥ 0.85 |`);
  console.log(`| same, floor and full interleaved in one process | ${summary.ratios.fullVsFloorInterleaved} | ≥ 0.85 |`);
  console.log(`| full verify / @auth0/cose + base45 + cbor | ${summary.ratios.fullVsAuth0} | ≥ 1.3 |`);
  console.log(`| @auth0/cose stack / floor | ${summary.ratios.auth0VsFloor} | (reference) |`);
  console.log(`| full verify ES256 / raw ES256 verify | ${summary.ratios.fullEs256VsFloorEs256} | (reference) |`);
  console.log(`| same, interleaved in one process | ${summary.ratios.fullEs256VsFloorEs256Interleaved} | (reference) |`);
  console.log(`| cose-js (ES256) / raw ES256 verify | ${summary.ratios.coseJsVsFloorEs256} | (reference) |`);
  console.log('\n| credential | COSE bytes | compressed bytes | Base45 chars | QR version (ECC M) |\n|---|---:|---:|---:|---:|');
  for (const s of sizes) console.log(`| ${s.credential} | ${s.coseBytes} | ${s.compressedBytes} | ${s.base45Chars} | ${s.qrVersionM} |`);
}
