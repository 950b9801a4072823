/**
 * The posix port of the bridge firmware (the same C core, ptys for its links, the ILI9341 emulator as its panel),
 * driven over real ptys with serialport: handshake, a screen drawn and read back from the PNG it writes, scans,
 * buttons by signal, and the HOST OFFLINE screen when heartbeats stop.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T } from '../../src/bridge/codec.js';
import { decodeMessage } from '../../src/bridge/messages.js';
import { TestHost, posixSkipReason, screenFrames, startPosix, type RunningFirmware } from './firmware-harness.js';

const skip = posixSkipReason();
if (skip) console.warn(`SKIPPED posix-port: ${skip}`);

async function pixel(png: string, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(readFileSync(png)).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([240, 320, 3]);
  const i = (y * 240 + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe.skipIf(skip !== null)('bridge firmware, posix port', () => {
  let fw: RunningFirmware;
  let host: TestHost;

  beforeAll(async () => {
    fw = await startPosix();
    host = new TestHost(fw.host);
  });

  afterAll(async () => {
    host?.close();
    await fw?.stop();
  });

  it('boots with a banner and draws a screen the PNG shows once SCREEN_END is acknowledged', async () => {
    await host.waitFor((f) => f.type === T.BANNER, 5000);
    await host.hello(0);
    const { frames } = screenFrames(3);
    const acks = await Promise.all(frames.map((f) => host.send(f.type, f.payload)));
    expect(acks.every((a) => a.acked)).toBe(true);
    expect(await pixel(fw.framebuffer!, 120, 5)).toEqual([0, 255, 0]); // verdict band, RGB565 0x07E0
    const photo = await pixel(fw.framebuffer!, 60, 100); // first photo pixel: grey 40
    expect(photo[0]).toBe(photo[2]);
    expect(Math.abs(photo[0] - 40)).toBeLessThanOrEqual(8);
  });

  it('sends a scan from its scanner pty and button presses from a signal and from its buttons pty', async () => {
    const from = host.received.frames.length;
    fw.scanner.write(']Q1NCFOXN%TS\r');
    const scan = await host.waitFor((f) => f.type === T.SCAN, 5000, from);
    const m = decodeMessage(scan.type, scan.payload);
    expect(m.ok && m.message.type === 'SCAN' && m.message.data.toString()).toBe('NCFOXN%TS');
    process.kill(fw.pid!, 'SIGUSR2');
    const no = await host.waitFor((f) => f.type === T.BUTTON, 5000, from);
    expect(decodeMessage(no.type, no.payload)).toEqual({ ok: true, message: { type: 'BUTTON', button: 2 } });
    const next = host.received.frames.length;
    fw.buttons!.write('y');
    const yes = await host.waitFor((f) => f.type === T.BUTTON, 5000, next);
    expect(decodeMessage(yes.type, yes.payload)).toEqual({ ok: true, message: { type: 'BUTTON', button: 1 } });
  });

  it('shows HOST OFFLINE in red when the host falls silent, and sends a BANNER when it returns', async () => {
    host.close(); // no more ACKs or heartbeats from this host
    const deadline = Date.now() + 8000;
    let band: [number, number, number] = [0, 0, 0];
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      band = await pixel(fw.framebuffer!, 5, 5);
      if (band[0] === 255 && band[1] === 0) break;
    }
    expect(band).toEqual([255, 0, 0]);
    expect(await pixel(fw.framebuffer!, 60, 100)).toEqual([0, 0, 0]); // the photo is gone
    const back = new TestHost(fw.host);
    // the firmware dropped the old session: its seq is not ACKed as such, but the frame earns a BANNER
    back.send(T.HEARTBEAT, Buffer.alloc(0), 200).catch(() => undefined);
    await back.waitFor((f) => f.type === T.BANNER, 5000);
    const ok = await back.hello(0);
    expect(ok.type).toBe(T.HELLO_OK);
    back.close();
  });
});
