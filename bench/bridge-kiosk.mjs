#!/usr/bin/env node
/**
 * Scan to screen through the whole desk with a bridge box: the built kiosk (startKiosk, in-process, DEMO keys from a
 * config) with `bridges:` naming the firmware's host link; scans written to the firmware's scanner UART as a scan
 * engine sends them (AIM id + code + CR LF).
 *   node bench/bridge-kiosk.mjs [--rounds 40]          the posix port   (after npm run build && make -C firmware-bridge posix)
 *   node bench/bridge-kiosk.mjs --qemu [--rounds 20]   the STM32F411 ELF in QEMU netduinoplus2 (make -C firmware-bridge stm32f4)
 * Times, from the moment the last byte of the scan was written to the scanner pty (QEMU: -serial 0 = USART1):
 *   - verdict drawn: the bridge display's verdict part (banner, words, LEDs, beep) acknowledged by the firmware;
 *   - photo drawn:   SCREEN_END acknowledged (the firmware has drawn every photo row into its panel).
 * Includes the firmware's scanner line assembly and SCAN framing, the kiosk's verify + photo + screen model, host
 * layout, and the link over ptys (no baud limit: see BENCHMARKS.md for the 115200 / 921600 wire times).
 * The host side is the product's (src/bridge Session: 200 ms resend timer, window 4 frames / 4096 bytes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadFirmwareHarness } from './firmware-harness.mjs';
import { pino } from 'pino';
import { SerialPort } from 'serialport';
import { parseConfig } from '../dist/kiosk/config.js';
import { startKiosk } from '../dist/kiosk/kiosk.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const QEMU = process.argv.includes('--qemu');
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : QEMU ? 20 : 40;
const CODES = ['demo-valid', 'demo-pending', 'demo-expired', 'demo-tampered'].map((n) => [
  n,
  readFileSync(join(root, 'examples', `${n}.txt`), 'utf8').trim(),
]);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const r2 = (x) => Math.round(x * 100) / 100;

const dir = mkdtempSync(join(tmpdir(), 'proofdesk-bench-bridge-'));
let hostPath;
let scanner;
let stopFirmware;
if (QEMU) {
  // the boot test's harness (QMP, ptys, -S then cont), as bench/firmware-bridge.mjs uses it
  const compiled = await loadFirmwareHarness('kioskbench');
  const h = compiled.harness;
  const fw = await h.bootQemu();
  // the kiosk opens the host link itself: let go of the harness's handle (QEMU reconnects within about a second)
  await new Promise((r) => fw.host.close(r));
  hostPath = fw.hostPath;
  scanner = fw.scanner;
  stopFirmware = async () => {
    await fw.stop();
    compiled.dispose();
  };
} else {
  const fw = spawn(
    join(root, 'firmware-bridge/build/posix/proofdesk-bridge'),
    ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', join(dir, 'panel.raw'), '--quiet'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const paths = await new Promise((resolve, reject) => {
    let out = '';
    fw.stdout.on('data', (d) => {
      out += d;
      if (/^ready pid/m.test(out))
        resolve(
          Object.fromEntries(
            out
              .trim()
              .split('\n')
              .map((l) => l.split(' ')),
          ),
        );
    });
    fw.on('exit', (c) => reject(new Error(`posix port exited ${c}`)));
  });
  hostPath = paths['host-link'];
  scanner = new SerialPort({ path: paths.scanner, baudRate: 115200 });
  await new Promise((r) => scanner.once('open', r));
  stopFirmware = async () => {
    await new Promise((r) => scanner.close(r));
    fw.kill('SIGTERM');
    await new Promise((r) => fw.once('exit', r));
  };
}

const kioskLog = []; // link events, in order (no personal data in them)
// Log events arrive synchronously from the kiosk: timestamp them as they are written.
const waiters = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    const at = performance.now();
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line);
      const event = entry.event;
      if (/^bridge-(error|draw-failed|ready)$/.test(event)) kioskLog.push(entry.code ? `${event}:${entry.code}` : event);
      for (const w of waiters) if (w.event === event) w.hit(at);
    }
    done();
  },
});
const next = (event) =>
  new Promise((resolve) => {
    const w = {
      event,
      hit: (at) => {
        waiters.splice(waiters.indexOf(w), 1);
        resolve(at);
      },
    };
    waiters.push(w);
  });

const config = parseConfig({
  desk: { id: 'bench', purpose: 'work' },
  trust: { keys: join(root, 'examples/demo-issuer.jwks') },
  scanners: { stdin: false, discover: false, duplicateWindowMs: 0 },
  bridges: [{ path: hostPath }],
  displays: { web: { enabled: false }, terminal: 'off' },
  screen: { clearAfterSeconds: 3600 },
});
const ready = next('bridge-ready');
const kiosk = await startKiosk({
  config,
  port: 0,
  stdin: false,
  records: join(dir, 'records'),
  discover: false,
  log: pino({ level: 'debug' }, sink),
});
await Promise.race([
  ready,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`no bridge handshake: ${kioskLog.join(' ')}`)), 15_000)),
]);
await new Promise((r) => setTimeout(r, 500)); // idle screen

const perCode = Object.fromEntries(CODES.map(([n]) => [n, { verdict: [], photo: [] }]));
for (let r = 0; r < ROUNDS + 4; r++) {
  const [name, text] = CODES[r % CODES.length];
  const verdictAt = next('bridge-verdict-drawn');
  const photoAt = next('bridge-screen-drawn');
  const t0 = await new Promise((resolve) =>
    scanner.write(Buffer.from(`]Q1${text}\r\n`, 'latin1'), () => scanner.drain(() => resolve(performance.now()))),
  );
  const [v, p] = await Promise.race([
    Promise.all([verdictAt, photoAt]),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`round ${r} (${name}) not drawn in 30 s: ${kioskLog.join(' ')}`)), 30_000),
    ),
  ]);
  if (r >= 4) {
    // the first round of each code warms caches
    perCode[name].verdict.push(v - t0);
    perCode[name].photo.push(p - t0);
  }
}

const result = {
  firmware: QEMU ? 'stm32f4 ELF in QEMU netduinoplus2' : 'posix port',
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, loadavg: loadavg().map(r2) },
  linkEvents: kioskLog,
  date: new Date().toISOString(),
  rounds: ROUNDS,
  scanToScreen: Object.fromEntries(
    Object.entries(perCode).map(([n, t]) => [
      n,
      {
        n: t.verdict.length,
        verdictDrawnMs: { p50: r2(pct(t.verdict, 50)), p99: r2(pct(t.verdict, 99)) },
        photoDrawnMs: { p50: r2(pct(t.photo, 50)), p99: r2(pct(t.photo, 99)) },
      },
    ]),
  ),
};
await kiosk.close();
await stopFirmware();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
