/**
 * Unplugging a scanner, end to end: the kiosk (startKiosk, in this process) with its scanner on a real pty pair (socat), the page
 * open in real headless Chromium. The cable is pulled (socat killed: the pty vanishes) and the page says
 * "Scanner not connected: NAME" and /health goes ok:false (503) with the reason; the cable goes back (socat again,
 * same link name) and both clear, and a scan through it is a check again. Every wait is on an event or a polled
 * state under a generous deadline, never a fixed sleep.
 */
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PtyPair, ScannerEmulator, socatMissing } from '../scan/pty.js';
import { parseConfig } from '../../src/kiosk/config.js';
import { demoCode, EXAMPLES, request, startTestKiosk } from './helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, guardTool } from './tools.js';

const why = guardTool('chromium') ?? socatMissing();
const DEADLINE_MS = 30_000;

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(why !== null)(`unplugging the scanner (pty + Chromium)${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  let browser: Browser;
  const cleanups: Array<() => unknown> = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('the page says "Scanner not connected" and /health goes ok:false while the cable is out, and both clear when it is back', async () => {
    const pty = new PtyPair();
    cleanups.push(() => pty.dispose());
    await pty.plug();

    // The schema takes only /dev/… paths; the parsed config then names the pty's link (a test-only path).
    const config = parseConfig({
      desk: { id: 'unplug-desk', purpose: 'any' },
      trust: { keys: path.join(EXAMPLES, 'demo-issuer.jwks') },
      scanners: { stdin: false, discover: false, devices: [{ type: 'serial', path: '/dev/ttyACM0', name: 'front scanner', eol: 'cr' }] },
      displays: { terminal: 'off' },
    });
    const device = config.scanners.devices[0]!;
    if (device.type !== 'serial') throw new Error('expected a serial device');
    device.path = pty.host;
    const desk = await startTestKiosk({ config, stdin: false });
    cleanups.push(() => desk.stop());
    const port = Number(new URL(desk.kiosk.url).port);
    const ready = { port, url: desk.kiosk.url };
    const health = async () => {
      const r = await request(ready.port, '/health');
      return {
        status: r.status,
        body: JSON.parse(r.body) as { ok: boolean; problems: string[]; scanners: Array<{ name: string; state: string }> },
      };
    };
    // Connected: ok, and a scan through the pty is a check on the page.
    const connected = await until('the scanner connected', async () => {
      const h = await health();
      return h.body.ok ? h : undefined;
    });
    expect(connected.status).toBe(200);
    expect(connected.body.scanners).toEqual([expect.objectContaining({ name: 'front scanner', state: 'connected' })]);

    const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await page.goto(ready.url);
    await page.waitForFunction(() => document.body?.dataset.kind === 'idle' && document.body.dataset.connection === 'open', null, {
      timeout: DEADLINE_MS,
    });
    expect(await page.isVisible('#alerts')).toBe(false);
    const emulator = await ScannerEmulator.open(pty.scanner);
    await emulator.send(`${demoCode('demo-valid')}\r`);
    await page.waitForFunction(() => document.getElementById('headline')?.textContent === 'VALID', null, { timeout: DEADLINE_MS });
    await emulator.close();

    // Pull the cable.
    await pty.unplug();
    await page.waitForFunction(
      () => document.getElementById('alerts')?.textContent?.includes('Scanner not connected: front scanner'),
      null,
      {
        timeout: DEADLINE_MS,
      },
    );
    expect(await page.isVisible('#alerts')).toBe(true);
    const out = await until('/health ok:false', async () => {
      const h = await health();
      return h.body.ok ? undefined : h;
    });
    expect(out.status).toBe(503);
    expect(out.body.problems).toContain('Scanner not connected: front scanner');
    expect(out.body.scanners[0]!.state).not.toBe('connected');

    // Plug it back: the serial scanner is reopened on its own, the alert clears, /health is ok, scans are checks.
    await pty.plug();
    await page.waitForFunction(() => document.getElementById('alerts')?.hidden === true, null, { timeout: DEADLINE_MS });
    const back = await until('/health ok again', async () => {
      const h = await health();
      return h.body.ok ? h : undefined;
    });
    expect(back.status).toBe(200);
    const again = await ScannerEmulator.open(pty.scanner);
    cleanups.push(() => again.close());
    const before = await page.textContent('#check-id');
    await again.send(`${demoCode('demo-pre-settled')}\r`);
    await page.waitForFunction(
      (prev) => document.getElementById('headline')?.textContent === 'VALID' && document.getElementById('check-id')?.textContent !== prev,
      before,
      { timeout: DEADLINE_MS },
    );
    await page.close();
  }, 120_000);
});
