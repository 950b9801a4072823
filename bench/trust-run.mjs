#!/usr/bin/env node
/**
 * Trust benchmark runner: revocation check on vs off, each case in its own process pinned to one core
 * (taskset -c 0), several interleaved rounds, medians (same method as bench/verify-run.mjs). Rates are per second
 * of the process's CPU time (process.cpuUsage), so time spent descheduled on a shared machine does not count;
 * wall-clock rates are printed too. The "ab" case interleaves off/on in one process; "aa" measures the method's
 * own noise (the same function as both halves).
 *   npm run build && node bench/trust-run.mjs [--rounds 7] [--ms 1500] [--json]
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', 7));
const ms = Number(opt('--ms', 1500));
const script = fileURLToPath(new URL('./trust.mjs', import.meta.url));
const CASES = ['off', 'on', 'lookup', 'ab', 'aa'];

let pin = true;
try {
  execFileSync('taskset', ['-c', '0', 'true']);
} catch {
  pin = false;
}
function run(name) {
  const argv = [script, name, '--ms', String(ms)];
  const out = pin
    ? execFileSync('taskset', ['-c', '0', process.execPath, ...argv], { encoding: 'utf8' })
    : execFileSync(process.execPath, argv, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const abSlowdowns = [];
const aaSlowdowns = [];
const wall = Object.fromEntries(CASES.map((c) => [c, []]));
const results = Object.fromEntries(CASES.map((c) => [c, []]));
const rss = Object.fromEntries(CASES.map((c) => [c, []]));
for (let r = 0; r < rounds; r++) {
  // Alternate the order of on/off each round so drift does not favour one.
  const order = r % 2 ? ['on', 'off', 'lookup', 'aa', 'ab'] : ['off', 'on', 'lookup', 'ab', 'aa'];
  for (const c of order) {
    const res = run(c);
    results[c].push(res.ops);
    if (c === 'ab') abSlowdowns.push(res.slowdown);
    if (c === 'aa') aaSlowdowns.push(res.slowdown);
    if (res.opsWall !== undefined) wall[c].push(res.opsWall);
    rss[c].push(res.rssMB);
  }
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}
const med = Object.fromEntries(CASES.map((c) => [c, median(results[c])]));
const slowdown = median(results.on.map((x, i) => 1 - x / results.off[i]));
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
  opsPerSec: med,
  usPerOp: Object.fromEntries(CASES.map((c) => [c, +(1e6 / med[c]).toFixed(3)])),
  rssMB: Object.fromEntries(CASES.map((c) => [c, median(rss[c])])),
  revocationSlowdown: +slowdown.toFixed(4),
  interleavedSlowdown: +median(abSlowdowns).toFixed(4),
  perRoundInterleaved: abSlowdowns,
  noiseFloorSameFunction: +median(aaSlowdowns).toFixed(4),
  perRoundNoiseFloor: aaSlowdowns,
  wallOpsPerSec: { off: median(wall.off), on: median(wall.on) },
  perRoundSlowdown: results.on.map((x, i) => +(1 - x / results.off[i]).toFixed(4)),
  sizes,
};
if (args.includes('--json')) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `machine: ${summary.machine.cpu} (${summary.machine.cores} cores), node ${summary.machine.node}, ${summary.machine.pinned}; ${summary.date}`,
  );
  console.log(`${rounds} rounds × ${ms} ms per case, medians\n`);
  console.log('| case | ops/s (CPU time) | µs/op | RSS MB |\n|---|---:|---:|---:|');
  for (const c of CASES) console.log(`| ${c} | ${Math.round(med[c])} | ${summary.usPerOp[c]} | ${summary.rssMB[c]} |`);
  console.log(
    `\nrevocation on vs off: ${(slowdown * 100).toFixed(2)} % slower (median of per-round ratios; target ≤ 5 %); per round: ${summary.perRoundSlowdown.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}`,
  );
  console.log(
    `wall-clock ops/s (machine shared, not pinned exclusively): off ${Math.round(summary.wallOpsPerSec.off)}, on ${Math.round(summary.wallOpsPerSec.on)}`,
  );
  console.log(
    `noise floor, the same function measured as both halves of the interleaved case: ${(summary.noiseFloorSameFunction * 100).toFixed(2)} % (median); per round: ${aaSlowdowns.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}`,
  );
  console.log(
    `revocation on vs off, interleaved in one process (slices of 20): ${(summary.interleavedSlowdown * 100).toFixed(2)} % slower (median); per round: ${abSlowdowns.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}`,
  );
  console.log(
    '\n| 1,000,000 entries, 2 bits: entries set | raw list bytes | zlib lst bytes | JWS file bytes | CWT file bytes | load ms JWS / CWT | lookup ns JWS / CWT |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of sizes.rows) {
    const set = typeof r.set === 'number' ? r.set.toLocaleString('en-GB') : r.set;
    console.log(
      `| ${set} | ${r.rawBytes.toLocaleString('en-GB')} | ${r.lstBytes.toLocaleString('en-GB')} | ${r.jwt.fileBytes.toLocaleString('en-GB')} | ${r.cwt.fileBytes.toLocaleString('en-GB')} | ${r.jwt.loadMs} / ${r.cwt.loadMs} | ${r.jwt.lookupNs} / ${r.cwt.lookupNs} |`,
    );
  }
  for (const b of sizes.bomb)
    console.log(
      `zlib bomb (${b.format}, ${b.fileBytes.toLocaleString('en-GB')} bytes, would inflate to ${b.inflatesTo.toLocaleString('en-GB')}): ${b.refused} in ${b.ms} ms, RSS +${b.rssGrowthMB} MB`,
    );
}
