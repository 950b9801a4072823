#!/usr/bin/env node
/**
 * Scan to screen through the whole desk with a bridge box: the built kiosk (startKiosk, in-process, DEMO keys from a
 * config) with `bridges:` naming the firmware's posix port; scans written to the firmware's scanner pty as a scan
 * engine sends them (AIM id + code + CR LF).
 *   node bench/bridge-kiosk.mjs [--rounds 40]     (after npm run build && make -C firmware-bridge posix)
 * Times, from the moment the last byte of the scan was written to the scanner pty:
 *   - verdict drawn: the bridge display's verdict part (banner, words, LEDs, beep) acknowledged by the firmware;
 *   - photo drawn:   SCREEN_END acknowledged (the posix port has drawn every photo row into its panel).
 * Includes the firmware's scanner line assembly and SCAN framing, the kiosk's verify + photo + screen model, host
 * layout, and the link over ptys (no baud limit: see BENCHMARKS.md for the 115200 / 921600 wire times).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { SerialPort } from 'serialport';
import { parseConfig } from '../dist/kiosk/config.js';
import { startKiosk } from '../dist/kiosk/kiosk.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 40;
const CODES = ['demo-valid', 'demo-pending', 'demo-expired', 'demo-tampered'].map((n) => [n, readFileSync(join(root, 'examples', `${n}.txt`), 'utf8').trim()]);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const r2 = (x) => Math.round(x * 100) / 100;

const dir = mkdtempSync(join(tmpdir(), 'proofdesk-bench-bridge-'));
const fw = spawn(join(root, 'firmware-bridge/build/posix/proofdesk-bridge'), ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', join(dir, 'panel.raw'), '--quiet'], { stdio: ['ignore', 'pipe', 'ignore'] });
const paths = await new Promise((resolve, reject) => {
  let out = '';
  fw.stdout.on('data', (d) => {
    out += d;
    if (/^ready pid/m.test(out)) resolve(Object.fromEntries(out.trim().split('\n').map((l) => l.split(' '))));
  });
  fw.on('exit', (c) => reject(new Error(`posix port exited ${c}`)));
});

// Log events arrive synchronously from the kiosk: timestamp them as they are written.
const waiters = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    const at = performance.now();
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      const event = JSON.parse(line).event;
      for (const w of waiters) if (w.event === event) w.hit(at);
    }
    done();
  },
});
const next = (event) => new Promise((resolve) => {
  const w = { event, hit: (at) => { waiters.splice(waiters.indexOf(w), 1); resolve(at); } };
  waiters.push(w);
});

const config = parseConfig({
  desk: { id: 'bench', purpose: 'work' },
  trust: { keys: join(root, 'examples/demo-issuer.jwks') },
  scanners: { stdin: false, discover: false, duplicateWindowMs: 0 },
  bridges: [{ path: paths['host-link'] }],
  displays: { web: { enabled: false }, terminal: 'off' },
  screen: { clearAfterSeconds: 3600 },
});
const kiosk = await startKiosk({ config, port: 0, stdin: false, records: join(dir, 'records'), discover: false, log: pino({ level: 'debug' }, sink) });
const scanner = new SerialPort({ path: paths.scanner, baudRate: 115200 });
await new Promise((r) => scanner.once('open', r));
await new Promise((r) => setTimeout(r, 500)); // handshake and idle screen

const perCode = Object.fromEntries(CODES.map(([n]) => [n, { verdict: [], photo: [] }]));
for (let r = 0; r < ROUNDS + 4; r++) {
  const [name, text] = CODES[r % CODES.length];
  const verdictAt = next('bridge-verdict-drawn');
  const photoAt = next('bridge-screen-drawn');
  const t0 = await new Promise((resolve) => scanner.write(Buffer.from(`]Q1${text}\r\n`, 'latin1'), () => scanner.drain(() => resolve(performance.now()))));
  const [v, p] = await Promise.all([verdictAt, photoAt]);
  if (r >= 4) { // the first round of each code warms caches
    perCode[name].verdict.push(v - t0);
    perCode[name].photo.push(p - t0);
  }
}

const result = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  date: new Date().toISOString(),
  rounds: ROUNDS,
  scanToScreen: Object.fromEntries(Object.entries(perCode).map(([n, t]) => [n, {
    n: t.verdict.length,
    verdictDrawnMs: { p50: r2(pct(t.verdict, 50)), p99: r2(pct(t.verdict, 99)) },
    photoDrawnMs: { p50: r2(pct(t.photo, 50)), p99: r2(pct(t.photo, 99)) },
  }])),
};
await new Promise((r) => scanner.close(r));
await kiosk.close();
fw.kill('SIGTERM');
await new Promise((r) => fw.once('exit', r));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
