#!/usr/bin/env node
/**
 * `npm run bench [-- AREA ...]`: every area's benchmark in turn, with the settings BENCHMARKS.md was measured with
 * (smaller where a full run takes many minutes). Each area's own script documents its options; this only runs them
 * one after another, so two benchmarks never share the machine. AREA: verify, trust, scan, kiosk, records, bridge.
 * The firmware areas need `npm run firmware:build` first (the QEMU case also qemu-system-arm).
 */
import { spawnSync } from 'node:child_process';

const AREAS = {
  verify: [
    ['bench/verify-run.mjs', '--rounds', '5'],
    ['bench/verify.mjs', 'sizes'],
  ],
  trust: [
    ['bench/trust-run.mjs', '--rounds', '5'],
    ['bench/trust.mjs', 'sizes'],
  ],
  scan: [
    ['bench/scan-pty.mjs', 'latency'],
    ['bench/scan-pty.mjs', 'throughput'],
    ['bench/scan-pty.mjs', 'framing'],
  ],
  kiosk: [
    ['bench/kiosk.mjs', 'cold'],
    ['bench/kiosk.mjs', 'latency'],
    ['bench/kiosk.mjs', 'rss', '--n', '2000'],
  ],
  records: [['bench/records.mjs', '--rounds', '1']],
  bridge: [
    ['bench/firmware-bridge.mjs', 'posix'],
    ['bench/firmware-bridge.mjs', 'qemu'],
    ['bench/bridge-screens.mjs'],
    ['bench/bridge-kiosk.mjs'],
  ],
};

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(a in AREAS));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown area ${unknown.join(', ')}; choose from ${Object.keys(AREAS).join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const area of asked.length > 0 ? asked : Object.keys(AREAS)) {
  for (const args of AREAS[area]) {
    process.stdout.write(`\n## ${area}: node ${args.join(' ')}\n`);
    const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (r.status !== 0) {
      failed++;
      process.stdout.write(`(exit ${r.status ?? r.signal})\n`);
    }
  }
}
process.exit(failed > 0 ? 1 : 0);
