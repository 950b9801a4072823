#!/usr/bin/env node
/**
 * Scanner input through the pty path: socat pty pair → real serialport → framing → 'scan' event.
 *   node bench/scan-pty.mjs latency [--n 400]     last byte written → scan event, p50/p99 (1,500-char scans)
 *   node bench/scan-pty.mjs throughput [--s 5]    scans/s sustained and host CPU per scan (emulator in a child)
 *   node bench/scan-pty.mjs framing [--n 20000]   framing alone (no I/O): push of the last chunk → scan event
 *   node bench/scan-pty.mjs emulate PATH N        (internal) the child that writes N scans as fast as it can
 * Each prints one JSON line. Runs against dist/ (npm run build first). Pin with `taskset -c 0` for stable figures.
 *
 * Latency clock: both ends live in this process (one clock); t0 is taken just before the write of the final
 * 64-byte chunk (which carries the CR), so it includes the write syscall, socat's relay between the two ptys and
 * the read — more than a real USB-CDC or RS-232 device would add on the host. The host-only figure starts at the
 * serialport 'data' event that carries the CR.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { createScanner, ScanAssembler, TerminatorFramer } from '../dist/scan/index.js';

const [, , mode = 'latency', ...rest] = process.argv;
const arg = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const SCAN_CHARS = 1500;
const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const payload = (seed) => {
  let s = '';
  let x = seed || 1;
  for (let i = 0; i < SCAN_CHARS; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += BASE45[x % 45];
  }
  return s;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function ptyPair() {
  const dir = mkdtempSync(join(tmpdir(), 'proofdesk-bench-'));
  const host = join(dir, 'host');
  const scanner = join(dir, 'scanner');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${scanner}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (c) => {
      seen += c;
      if (seen.includes('starting data transfer loop')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`socat exited ${code}: ${seen}`)));
  });
  child.stderr.resume();
  return {
    host,
    scanner,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPort(path) {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false, lock: false });
  await new Promise((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return port;
}
const write = (port, buf) =>
  new Promise((resolve, reject) => port.write(buf, (e) => (e ? reject(e) : port.drain((d) => (d ? reject(d) : resolve())))));

async function latency() {
  const n = arg('n', 400);
  const pty = await ptyPair();
  const scanner = createScanner({ type: 'serial', path: pty.host, baud: 115200, eol: 'cr' });
  await scanner.open();
  scanner.enable();
  const emu = await openPort(pty.scanner);
  const samples = [];
  const hostSamples = [];
  let t0 = 0n;
  let tRead = 0n;
  let pending = null;
  // The port is private to the scanner; the benchmark peeks at it to timestamp the read that carries the CR.
  scanner.port.prependListener('data', (chunk) => {
    if (chunk.includes(0x0d)) tRead = process.hrtime.bigint();
  });
  scanner.on('scan', (s) => {
    const now = process.hrtime.bigint();
    if (s.text.length !== SCAN_CHARS) throw new Error(`wrong scan length ${s.text.length}`);
    pending?.([Number(now - t0) / 1e6, Number(now - tRead) / 1e6]);
  });
  for (let i = 0; i < n + 20; i++) {
    const frame = Buffer.from(`${payload(i + 1)}\r`, 'latin1');
    const head = frame.subarray(0, frame.length - 64);
    const tail = frame.subarray(frame.length - 64);
    await write(emu, head);
    await sleep(3); // the head arrives and is buffered, as it would at 115200 baud
    const got = new Promise((resolve) => (pending = resolve));
    t0 = process.hrtime.bigint();
    emu.write(tail);
    const [dt, host] = await got;
    if (i >= 20) {
      samples.push(dt);
      hostSamples.push(host);
    } // warm-up rounds discarded
  }
  samples.sort((a, b) => a - b);
  hostSamples.sort((a, b) => a - b);
  await new Promise((r) => emu.close(r));
  await scanner.close();
  await pty.close();
  const ms = (v) => +v.toFixed(3);
  return {
    case: 'latency',
    scanChars: SCAN_CHARS,
    n: samples.length,
    // last byte written by the emulator → scan event (includes socat's relay between the ptys)
    p50ms: ms(pct(samples, 50)),
    p99ms: ms(pct(samples, 99)),
    maxms: ms(samples.at(-1)),
    // last chunk read by serialport → scan event (host-side processing only)
    hostP50ms: ms(pct(hostSamples, 50)),
    hostP99ms: ms(pct(hostSamples, 99)),
    hostMaxms: ms(hostSamples.at(-1)),
  };
}

async function throughput() {
  const seconds = arg('s', 5);
  const pty = await ptyPair();
  const scanner = createScanner({ type: 'serial', path: pty.host, baud: 115200, eol: 'cr' });
  await scanner.open();
  scanner.enable();
  let count = 0;
  let first = 0n;
  let last = 0n;
  let cpu0 = null;
  let dropped = 0;
  scanner.on('dropped', () => dropped++);
  scanner.on('scan', () => {
    if (count === 0) {
      first = process.hrtime.bigint();
      cpu0 = process.cpuUsage();
    }
    last = process.hrtime.bigint();
    count++;
  });
  const total = 100_000;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'emulate', pty.scanner, String(total)], { stdio: 'ignore' });
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const scans = count - 1;
  const elapsedS = Number(last - first) / 1e9;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await scanner.close();
  await pty.close();
  const cpuUs = cpu.user + cpu.system;
  return {
    case: 'throughput',
    scanChars: SCAN_CHARS,
    scans,
    dropped,
    scansPerS: Math.round(scans / elapsedS),
    cpuUsPerScan: Math.round(cpuUs / count),
    mbPerS: +((scans * (SCAN_CHARS + 1)) / elapsedS / 1e6).toFixed(2),
  };
}

async function emulate(path, n) {
  const port = await openPort(path);
  for (let i = 0; i < n; i++) await write(port, Buffer.from(`${payload((i % 50) + 1)}\r`, 'latin1'));
}

function framing() {
  const n = arg('n', 20000);
  let t = 0n;
  const samples = [];
  const asm = new ScanAssembler(
    new TerminatorFramer('cr', 4300),
    { transport: 'serial', source: 'bench', maxLength: 4296, idleMs: 1000 },
    {
      scan: () => samples.push(Number(process.hrtime.bigint() - t) / 1e3),
      dropped: () => {
        throw new Error('dropped');
      },
    },
  );
  const frames = Array.from({ length: 50 }, (_, i) => Buffer.from(`${payload(i + 1)}\r`, 'latin1'));
  for (let i = 0; i < n; i++) {
    const f = frames[i % 50];
    for (let at = 0; at < f.length - 64; at += 64) asm.push(f.subarray(at, Math.min(at + 64, f.length - 64)));
    t = process.hrtime.bigint();
    asm.push(f.subarray(f.length - 64));
  }
  asm.close();
  const warm = samples.slice(1000).sort((a, b) => a - b);
  return { case: 'framing', scanChars: SCAN_CHARS, n: warm.length, p50us: +pct(warm, 50).toFixed(1), p99us: +pct(warm, 99).toFixed(1) };
}

const result =
  mode === 'latency'
    ? await latency()
    : mode === 'throughput'
      ? await throughput()
      : mode === 'framing'
        ? framing()
        : mode === 'emulate'
          ? await emulate(rest[0], Number(rest[1]))
          : (() => {
              throw new Error(`unknown mode ${mode}`);
            })();
if (result) process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
