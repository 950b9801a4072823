/**
 * The host's own bridge code (src/bridge: Session, layout, SCAN joining) against the real ARM firmware: the ELF built
 * for the STM32F411RE, booted in QEMU netduinoplus2 (booting and pty plumbing from H5's firmware-harness.ts).
 * Complements qemu-boot.test.ts (which drives the firmware with a minimal test host): here the production host code
 * sends a whole real screen through its window and gets every frame acknowledged, and a scan comes back as a Scan.
 * Builds the ELF if it is missing; with CI=true a missing toolchain or QEMU fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T, type Frame } from '../../src/bridge/codec.js';
import { layoutScreen } from '../../src/bridge/layout.js';
import { decodeMessage, encodeMessage, type Message } from '../../src/bridge/messages.js';
import { ScanPieces } from '../../src/bridge/scanner.js';
import { Session } from '../../src/bridge/session.js';
import { ELF, FIRMWARE_DIR, QEMU_RETRY_MS, bootQemu, qemuAvailable, type RunningFirmware } from './firmware-harness.js';
import { resultState } from './fixtures.js';

function skipReason(): string | null {
  let reason: string | null = null;
  if (!qemuAvailable) reason = 'qemu-system-arm not installed';
  else if (!existsSync(ELF)) {
    const make = spawnSync('make', ['-C', FIRMWARE_DIR, 'stm32f4'], { encoding: 'utf8' });
    if (make.status !== 0 || !existsSync(ELF))
      reason = `cannot build ${join('firmware-bridge', 'build/stm32f4/proofdesk-bridge.elf')}: ${make.stderr.trim().split('\n').pop()}`;
  }
  if (reason && process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
}
const skip = skipReason();
if (skip) console.warn(`SKIP host code against the QEMU firmware: ${skip}`);

describe.skipIf(skip !== null)('src/bridge against the ARM firmware in QEMU', () => {
  let fw: RunningFirmware;
  let session: Session;
  const frames: Frame[] = [];

  beforeAll(async () => {
    fw = await bootQemu();
    // QEMU's emulated UART and pty are slow and bursty on a shared CI machine: a generous resend timer.
    session = new Session(fw.host, { retryMs: QEMU_RETRY_MS, heartbeatMs: 1000, handshakeTimeoutMs: 15_000 });
    session.on('frame', (f) => frames.push(f));
  }, 60_000);

  afterAll(async () => {
    session?.close();
    await fw?.stop();
  }, 30_000);

  it('handshakes: protocol 1, the firmware version, a 240×320 panel', async () => {
    const info = await session.handshake();
    expect(info).toMatchObject({ protocol: 1, width: 240, height: 320 });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('sends a whole real VALID screen (Arabic name, grey photo) through the window; every frame acknowledged', async () => {
    const plan = await layoutScreen(await resultState('VALID', 'محمد عبد الله'));
    const messages: Message[] = [
      { type: 'SCREEN_BEGIN', screen: 7 },
      ...plan.verdict,
      { type: 'LED', green: plan.signals.green, red: plan.signals.red },
      ...plan.photo,
      { type: 'SCREEN_END', screen: 7 },
    ];
    expect(plan.photo.length).toBeGreaterThan(5);
    const sent = messages.map((m) => {
      const { type, payload } = encodeMessage(m);
      return session.send(type, payload);
    });
    await Promise.all(sent); // rejects on any NAK that cannot be retried, or a dead link
    expect(session.alive).toBe(true);
    expect(session.unacked).toEqual({ frames: 0, bytes: 0 });
    expect(session.stats.framesSent).toBeGreaterThanOrEqual(messages.length + 1);
  }, 60_000);

  it('a line from the scanner engine comes back as a SCAN, joined into the scanned bytes', async () => {
    const pieces = new ScanPieces();
    const code = `HC1:${'A'.repeat(1500)}`; // longer than one SCAN frame: comes in pieces
    fw.scanner.write(Buffer.from(`]Q1${code}\r\n`, 'latin1'));
    const started = Date.now();
    let joined: { data: Buffer; symbology: string } | null = null;
    while (!joined) {
      if (Date.now() - started > 30_000) throw new Error('no SCAN from the firmware');
      for (const f of frames.splice(0)) {
        if (f.type !== T.SCAN) continue;
        const m = decodeMessage(f.type, f.payload);
        if (!m.ok || m.message.type !== 'SCAN') throw new Error('malformed SCAN');
        for (const r of pieces.push(m.message)) if (r && 'scan' in r) joined = r.scan;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(joined.symbology).toBe('qr');
    expect(joined.data.toString('latin1')).toBe(code);
  }, 60_000);
});
