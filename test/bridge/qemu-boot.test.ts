/**
 * The bridge firmware ELF (built for the STM32F411RE) booted in QEMU netduinoplus2 and driven through its two
 * USARTs on real ptys with serialport: banner, handshake, scans in, a whole screen out, corrupt frames NAKed.
 * Run by `npm run firmware:test` (make -C firmware-bridge test), not by the plain vitest run.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T, encodeFrame, type Frame } from '../../src/bridge/codec.js';
import { decodeMessage, encodeMessage } from '../../src/bridge/messages.js';
import { QEMU_RETRY_MS, TestHost, bootQemu, qemuSkipReason, screenFrames, type RunningFirmware } from './firmware-harness.js';

const skip = qemuSkipReason();
if (skip) console.warn(`SKIPPED qemu-boot: ${skip}`);

interface BadVector {
  name: string;
  frameHex: string;
  bad: { nakFrameHex: string };
}
const golden = JSON.parse(readFileSync(new URL('../../firmware-bridge/protocol/golden.json', import.meta.url), 'utf8')) as {
  vectors: (BadVector | { name: string })[];
};
const badVectors = golden.vectors.filter((v): v is BadVector => 'bad' in v);

describe.skipIf(skip !== null)('bridge firmware in QEMU (netduinoplus2)', () => {
  let fw: RunningFirmware;
  let host: TestHost;

  beforeAll(async () => {
    fw = await bootQemu();
    host = new TestHost(fw.host, { retryMs: QEMU_RETRY_MS });
  }, 30_000);

  afterAll(async () => {
    host?.close();
    await fw?.stop();
  });

  it('boots and sends its banner with firmware and protocol versions', async () => {
    const banner = await host.waitFor((f) => f.type === T.BANNER, 10_000);
    const m = decodeMessage(banner.type, banner.payload);
    expect(m).toEqual({ ok: true, message: { type: 'BANNER', proto: 1, version: '0.1.0' } });
    expect(banner.seq).toBe(0);
  });

  it('answers HELLO with HELLO_OK describing the panel and its receive window', async () => {
    const ok = await host.hello(0);
    const m = decodeMessage(ok.type, ok.payload);
    expect(m).toEqual({
      ok: true,
      message: {
        type: 'HELLO_OK',
        proto: 1,
        caps: 0x7f,
        width: 240,
        height: 320,
        windowFrames: 4,
        windowBytes: 4096,
        maxPayload: 1024,
        version: '0.1.0',
      },
    });
  });

  it('turns scanner-engine lines into SCAN frames (AIM id stripped, long scans in pieces)', async () => {
    // SCANNER_CONFIG round trip; the idle gap is 2 s rather than 100 ms so a heavily loaded CI machine pausing
    // QEMU's I/O thread mid-line cannot make this test flaky (the 100 ms default is covered by the C tests)
    const config = encodeMessage({ type: 'SCANNER_CONFIG', terminators: 3, flags: 1, idleMs: 2000, maxLen: 4296, baud: 0 });
    expect(await host.send(config.type, config.payload)).toEqual({ acked: true });
    const from = host.received.frames.length;
    fw.scanner.write(']Q1NCFOXN%TSMAHN-H\r\n');
    const short = await host.waitFor((f) => f.type === T.SCAN, 5000, from);
    const m = decodeMessage(short.type, short.payload);
    expect(m.ok && m.message).toMatchObject({ type: 'SCAN', symbology: 1, total: 15, offset: 0 });
    expect(m.ok && m.message.type === 'SCAN' && m.message.data.toString('latin1')).toBe('NCFOXN%TSMAHN-H');

    const long = Array.from({ length: 2600 }, (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:'[i % 45]).join('');
    const start = host.received.frames.length;
    fw.scanner.write(`]Q1${long}\r\n`);
    const pieces: Buffer[] = [];
    for (let total = 0; total < long.length; ) {
      const f = await host.waitFor((x) => x.type === T.SCAN, 10_000, start + pieces.length);
      const d = decodeMessage(f.type, f.payload);
      if (!d.ok || d.message.type !== 'SCAN') throw new Error('not a SCAN');
      expect(d.message.total).toBe(long.length);
      expect(d.message.offset).toBe(total);
      pieces.push(d.message.data);
      total += d.message.data.length;
    }
    expect(pieces).toHaveLength(3);
    expect(Buffer.concat(pieces).toString('latin1')).toBe(long);
  });

  it('reports a noisy line as DROPPED without its content', async () => {
    const from = host.received.frames.length;
    fw.scanner.write(Buffer.from([0x5d, 0x51, 0x31, 0x41, 0x01, 0x02, 0x42, 0x0d]));
    const dropped = await host.waitFor((f) => f.type === T.DROPPED, 5000, from);
    expect(decodeMessage(dropped.type, dropped.payload)).toEqual({
      ok: true,
      message: { type: 'DROPPED', reason: 3, length: 7 },
    });
  });

  it('survives a scanner engine spewing noise: bounded DROPPED reports, the link stays up', async () => {
    let x = 169; // xorshift32: bytes of every value, CR and LF among them, so lines end often
    const noise = Buffer.alloc(8 * 1024);
    for (let i = 0; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 0xff;
    }
    await new Promise((r) => setTimeout(r, 300)); // past the DROPPED rate limit of the previous test's report
    const from = host.received.frames.length;
    const started = Date.now();
    // a real host heartbeats while idle; without it a slow (loaded) emulator could reach the 3 s host watchdog
    const beat = setInterval(() => host.send(T.HEARTBEAT).catch(() => undefined), 500);
    let marker: Frame;
    try {
      // the clean line after the noise tells us when the firmware has consumed all of it
      fw.scanner.write(Buffer.concat([noise, Buffer.from('\r]Q1AFTER-THE-NOISE\r\n')]));
      marker = await host.waitFor((f) => f.type === T.SCAN && f.payload.subarray(6).toString('latin1') === 'AFTER-THE-NOISE', 30_000, from);
    } finally {
      clearInterval(beat);
    }
    const elapsed = Date.now() - started;
    const reports = host.received.frames.slice(from, host.received.frames.indexOf(marker));
    const drops = reports.filter((f) => f.type === T.DROPPED).length;
    expect(drops).toBeGreaterThan(0);
    // at most one DROPPED per 250 ms of firmware time (plus one), whatever the noise
    expect(drops).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    expect(reports.map((f) => f.type).filter((t) => t !== T.DROPPED && t !== T.SCAN)).toEqual([]);
    expect(await host.send(T.HEARTBEAT)).toEqual({ acked: true });
  });

  it('draws a whole screen (verdict, then photo rows) with every frame acknowledged through the window', async () => {
    const { frames } = screenFrames(7);
    const results = await Promise.all(frames.map((f) => host.send(f.type, f.payload)));
    expect(results.every((r) => r.acked)).toBe(true);
    expect(frames.length).toBeGreaterThan(20);
  });

  it('NAKs each corrupt golden frame with the expected code and seq', async () => {
    for (const v of badVectors) {
      // the vectors assume a receiver that expects seq 0: HELLO with seq 255 puts it there
      await host.hello(255);
      const from = host.received.raw.length;
      host.writeRaw(Buffer.from(v.frameHex, 'hex'));
      const nak = await host.waitForRaw((r) => r.ok && r.frame.type === T.NAK, from);
      if (!nak.ok) throw new Error('unreachable');
      expect(encodeFrame(nak.frame).toString('hex'), v.name).toBe(v.bad.nakFrameHex);
    }
    expect(badVectors.length).toBeGreaterThanOrEqual(8);
  });

  it('keeps time like the board: online after 1 s of silence, offline (BANNER on return) after 6 s', async () => {
    // The host watchdog is 3000 ms of firmware time: this checks the emulator-clock detection in the ELF too
    // (SysTick wrongly scaled would make the watchdog fire 10× early or late). Wide margins: a starved emulator
    // sees the host's bytes late, while its clock keeps running — but it also loses SysTick interrupts when its
    // vCPU thread waits for a core (QEMU coalesces expired ticks), so firmware time can run up to ~1/2 slow.
    await host.hello(0);
    await new Promise((r) => setTimeout(r, 1000));
    let from = host.received.frames.length;
    expect(await host.send(T.HEARTBEAT)).toEqual({ acked: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(host.received.frames.slice(from).some((f) => f.type === T.BANNER)).toBe(false);
    await new Promise((r) => setTimeout(r, 6000));
    from = host.received.frames.length;
    host.send(T.HEARTBEAT).catch(() => undefined);
    await host.waitFor((f) => f.type === T.BANNER, 5000, from);
  });

  it('keeps working after the corrupt frames: a fresh session draws again', async () => {
    await host.hello(0);
    const r = await host.send(T.FILL_RECT, Buffer.from([0, 0, 0, 0, 0, 240, 0, 10, 0xf8, 0x00]));
    expect(r).toEqual({ acked: true });
  });
});
