/**
 * A bridge box flooding SCAN frames, through the whole kiosk (`startKiosk` with the box in its config, the fake
 * firmware on a real pty): records and log lines stay bounded by the flood limit, while the stdin scanner beside it
 * still gets every distinct code checked.
 */
import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { T } from '../../src/bridge/codec.js';
import { encodeMessage } from '../../src/bridge/messages.js';
import { FLOOD_BURST, FLOOD_PER_SECOND } from '../../src/bridge/scanner.js';
import { DEMO_KEYS_FILE } from '../../src/kiosk/kiosk.js';
import { parseConfig } from '../../src/kiosk/config.js';
import { startTestKiosk, type TestKiosk } from '../kiosk/helpers.js';
import { base45Encode } from '../../src/credential/base45.js';
import { FakeFirmware } from './fake-firmware.js';
import { openPtyPair, ptySkipReason, type PtyPair } from './pty-pair.js';

const skip = ptySkipReason();
/** A distinct text that reads as one of our codes (Base45 of zlib) but is no signed code: a NOT VALID check, recorded. */
const brokenCode = (label: string): string => base45Encode(deflateSync(Buffer.from(label)));
if (skip) console.warn(`SKIP bridge flood test: ${skip}`);

async function waitFor(predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(skip !== null)('a kiosk with a bridge box that floods', () => {
  let k: TestKiosk | null = null;
  let fw: FakeFirmware | null = null;
  let pty: PtyPair | null = null;
  afterEach(async () => {
    await k?.stop();
    await fw?.close();
    await pty?.close();
    k = fw = pty = null;
  });

  it('bounds records and log lines by the flood limit; the stdin scanner beside it is not limited', async () => {
    pty = await openPtyPair();
    fw = await FakeFirmware.open(pty.b);
    const config = parseConfig({
      desk: { id: 'flood-desk', purpose: 'work' },
      trust: { keys: DEMO_KEYS_FILE },
      bridges: [{ path: realpathSync(pty.a) }],
      displays: { terminal: 'off' },
    });
    k = await startTestKiosk({ config });
    const firmware = fw;
    await waitFor(() => firmware.received.some((f) => f.type === T.HELLO));
    const acks = (): number => firmware.receptions.filter((r) => r.frame.type === T.ACK).length;
    const before = acks();
    const started = Date.now();
    const N = 400;
    for (let i = 0; i < N; i++) {
      const data = Buffer.from(brokenCode(`FLOOD-${i}`));
      const { type, payload } = encodeMessage({ type: 'SCAN', scanId: i, symbology: 1, total: data.length, offset: 0, data });
      firmware.sendData(type, payload);
    }
    await waitFor(() => acks() - before >= N); // the host has read every frame
    const elapsedS = (Date.now() - started) / 1000;
    // Everything accepted is checked before a scan queued now.
    const last = brokenCode('LAST');
    await k.kiosk.desk.onScan({ data: Buffer.from(last), text: last, symbology: 'qr', transport: 'stdin', source: 'test', at: Date.now() });

    const lines = readFileSync(path.join(k.dir, 'records', 'checks.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    const checks = lines.filter((l) => l.type === 'check').length - 1;
    expect(checks).toBeGreaterThanOrEqual(FLOOD_BURST - 1);
    expect(checks).toBeLessThanOrEqual(FLOOD_BURST + Math.ceil(FLOOD_PER_SECOND * elapsedS) + 1);
    const logged = k.logs
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event?: string; code?: string });
    expect(logged.filter((l) => l.event === 'check')).toHaveLength(checks + 1); // one per check, as operators count
    expect(logged.filter((l) => l.code === 'SCAN_FLOOD')).toHaveLength(1);
    expect(logged.length).toBeLessThan(4 * checks + 40);

    // Distinct codes from the stdin scanner, 60 at once (the desk queues up to 64): every one checked, none limited.
    const stdinCodes = Array.from({ length: 60 }, (_, i) => brokenCode(`STDIN-${i}`));
    k.input.write(stdinCodes.map((c) => `${c}\n`).join(''));
    await waitFor(
      () =>
        k!.logs
          .join('')
          .split('\n')
          .filter((l) => l.includes('"event":"check"') && l.includes('"transport":"stdin"')).length >= 61,
    );
  });
});
