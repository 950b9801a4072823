#!/usr/bin/env node
/**
 * Firmware bridge benchmark: the real firmware (ARM ELF in QEMU netduinoplus2, or the posix port) over real ptys.
 *   node bench/firmware-bridge.mjs qemu|posix [--rounds 300]
 * Prints one JSON object: frame round trip (HEARTBEAT → ACK, one at a time) p50/p99; screen throughput through
 * the 4-frame / 4096-byte window; time to "verdict drawn" (ACK of the last verdict frame) and "photo drawn" (ACK of
 * SCREEN_END) from the first screen byte; scan latency (whole 1,500-char line written to the scanner pty → last
 * SCAN piece at the host); and, from the measured wire byte counts, what the same transfers take on a real
 * 115200 or 921600 baud 8N1 link (10 bits per byte, no gaps).
 *
 * Uses test/bridge/firmware-harness.ts (compiled once into a temp dir with tsc) so bench and boot test drive the
 * firmware the same way. Needs `make -C firmware-bridge all` first.
 */
import { loadFirmwareHarness } from './firmware-harness.mjs';

const [, , kind = 'qemu', ...rest] = process.argv;
const arg = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const ROUNDS = arg('rounds', 300);
const SCANS = arg('scans', 40);
const SCREENS = arg('screens', 10);

const compiled = await loadFirmwareHarness('fwbench');
const h = compiled.harness;
const { T, encodeFrame } = await compiled.load('src/bridge/codec.js');

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => Math.round(x * 1000) / 1000;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const linkMs = (bytes, baud) => ms((bytes * 10 * 1000) / baud);

const fw = kind === 'posix' ? await h.startPosix() : await h.bootQemu();
const host = new h.TestHost(fw.host, { retryMs: kind === 'qemu' ? h.QEMU_RETRY_MS : 200 });
try {
  await host.waitFor((f) => f.type === T.BANNER, 10_000);
  await host.hello(0);

  // 1. frame round trip, one frame in flight
  const rtt = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = now();
    await host.send(T.HEARTBEAT);
    rtt.push(now() - t0);
  }

  // 2. whole screens through the window
  const { frames, verdictFrames } = h.screenFrames(1);
  const wire = frames.map((f) => encodeFrame({ type: f.type, seq: 0, payload: f.payload }).length);
  const verdictBytes = wire.slice(0, verdictFrames).reduce((a, b) => a + b, 0);
  const screenBytes = wire.reduce((a, b) => a + b, 0);
  const verdict = [];
  const photo = [];
  const resendsBefore = host.resends;
  for (let s = 0; s < SCREENS; s++) {
    const t0 = now();
    let tVerdict = 0;
    const acks = frames.map((f, i) =>
      host.send(f.type, f.payload).then(() => {
        if (i === verdictFrames - 1) tVerdict = now();
      }),
    );
    await Promise.all(acks);
    verdict.push(tVerdict - t0);
    photo.push(now() - t0);
  }

  // 3. scans: 1,500 Base45 chars + AIM id + CR LF, default scanner settings (100 ms idle gap)
  const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  const data = Array.from({ length: 1500 }, (_, i) => B45[(i * 7) % 45]).join('');
  const line = Buffer.from(`]Q1${data}\r\n`, 'latin1');
  const scanMs = [];
  let scanWire = 0;
  for (let s = 0; s < SCANS; s++) {
    const from = host.received.frames.length;
    const t0 = now();
    fw.scanner.write(line);
    let got = 0;
    let idx = from;
    while (got < data.length) {
      const f = await host.waitFor((x) => x.type === T.SCAN || x.type === T.DROPPED, 10_000, idx);
      idx = host.received.frames.indexOf(f) + 1;
      if (f.type === T.DROPPED) throw new Error(`scan ${s} dropped: reason ${f.payload[0]}, ${f.payload.readUInt16BE(1)} bytes seen`);
      got += f.payload.length - 6;
      if (s === 0) scanWire += encodeFrame(f).length;
    }
    scanMs.push(now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }

  const result = {
    kind,
    rounds: ROUNDS,
    hostRetryMs: host.retryMs,
    loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
    roundTripMs: { p50: ms(pct(rtt, 50)), p99: ms(pct(rtt, 99)) },
    screen: {
      frames: frames.length,
      verdictFrames,
      wireBytes: screenBytes,
      verdictWireBytes: verdictBytes,
      verdictDrawnMs: { p50: ms(pct(verdict, 50)), p99: ms(pct(verdict, 99)) },
      photoDrawnMs: { p50: ms(pct(photo, 50)), p99: ms(pct(photo, 99)) },
      throughputKBps: Math.round(screenBytes / pct(photo, 50)),
      resends: host.resends - resendsBefore,
    },
    scan: {
      chars: data.length,
      uartBytes: line.length,
      hostWireBytes: scanWire,
      lineToLastPieceMs: { p50: ms(pct(scanMs, 50)), p99: ms(pct(scanMs, 99)) },
    },
    computedRealLink: Object.fromEntries(
      [115200, 921600].map((baud) => [
        baud,
        {
          verdictMs: linkMs(verdictBytes, baud),
          photoMs: linkMs(screenBytes - verdictBytes, baud),
          screenMs: linkMs(screenBytes, baud),
          scanHostLinkMs: linkMs(scanWire, baud),
        },
      ]),
    ),
    scannerUart115200Ms: linkMs(line.length, 115200),
  };
  console.log(JSON.stringify(result));
} finally {
  host.close();
  await fw.stop();
  compiled.dispose();
}
