import { afterEach, describe, expect, it } from 'vitest';
import { BridgeLink } from '../../src/bridge/link.js';
import type { BridgeError } from '../../src/bridge/errors.js';
import { T } from '../../src/bridge/codec.js';
import { FakeFirmware } from './fake-firmware.js';
import { openPtyPair, ptySkipReason, type PtyPair } from './pty-pair.js';

const skip = ptySkipReason();
if (skip) console.warn(`SKIP bridge link tests: ${skip}`);

async function waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(skip !== null)('bridge link (serial port + reconnect) over a real pty pair', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  it('reconnects and handshakes again after the device goes away and comes back', async () => {
    const first = await openPtyPair();
    cleanups.push(() => first.close());
    let fw = await FakeFirmware.open(first.b, { version: 'boot-1' });
    const link = new BridgeLink({ path: first.a, reconnectMs: 100, session: { heartbeatMs: 200 } });
    cleanups.push(() => link.close());
    const states: string[] = [];
    link.on('state', (s) => states.push(s));
    link.on('error', () => undefined);
    expect((await link.open()).version).toBe('boot-1');
    await link.send(T.FILL_RECT, Buffer.from([1]));

    // Unplug: the pty disappears.
    await fw.close();
    await first.close();
    await waitFor(() => link.state === 'reconnecting');
    await expect(link.send(T.FILL_RECT, Buffer.from([2]))).rejects.toMatchObject({ code: 'LINK_DOWN' });

    // Replug under the same name.
    const second: PtyPair = await openPtyPair(first);
    cleanups.push(() => second.close());
    fw = await FakeFirmware.open(second.b, { version: 'boot-2' });
    cleanups.push(() => fw.close());
    await waitFor(() => link.state === 'connected');
    expect(link.firmware).toMatchObject({ version: 'boot-2' });
    await link.send(T.FILL_RECT, Buffer.from([3]));
    expect(fw.received.map((f) => f.type).filter((t) => t !== T.HEARTBEAT)).toEqual([T.HELLO, T.FILL_RECT]);
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('notices an unplug from end of file at once, with no heartbeat to time out (serialport 0-byte read bug)', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b);
    cleanups.push(() => fw.close());
    // No heartbeat and a minute between reconnects: only the hang-up itself can tell the link the cable went.
    const link = new BridgeLink({ path: pty.a, reconnectMs: 60_000, session: { heartbeatMs: 0 } });
    cleanups.push(() => link.close());
    const errors: BridgeError[] = [];
    link.on('error', (e) => errors.push(e));
    await link.open();
    await fw.close();
    await pty.close(); // socat gone: the host end of the pty is hung up, read() returns 0
    const cpu = process.cpuUsage();
    await waitFor(() => link.state === 'reconnecting', 3000);
    expect(errors.map((e) => e.code)).toEqual(['LINK_CLOSED']);
    await new Promise((r) => setTimeout(r, 500));
    // nothing spins on the dead descriptor (the unpatched library re-reads it in a tight loop)
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(400);
    await expect(link.send(T.FILL_RECT, Buffer.from([1]))).rejects.toMatchObject({ code: 'LINK_DOWN' });
  });

  it('says HELLO again at once when the firmware reboots mid-session (its boot banner)', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b);
    cleanups.push(() => fw.close());
    const link = new BridgeLink({ path: pty.a, reconnectMs: 60_000, session: { heartbeatMs: 0 } });
    cleanups.push(() => link.close());
    link.on('error', () => undefined);
    const readies: unknown[] = [];
    link.on('ready', (info) => readies.push(info));
    await link.open();
    fw.sendBanner();
    // reconnectMs is a minute: only the immediate re-HELLO after a restart can make this pass in time
    await waitFor(() => readies.length === 2);
    expect(fw.received.filter((f) => f.type === T.HELLO)).toHaveLength(2);
    await link.send(T.FILL_RECT, Buffer.from([1]));
  });

  it('a firmware restart right behind HELLO_OK (its banner in the same read) reconnects, not sticks reconnecting', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b, { restartAfterHelloOk: 1 });
    cleanups.push(() => fw.close());
    // No heartbeat and an hour between retries: only the immediate re-HELLO after a restart can connect it.
    const link = new BridgeLink({ path: pty.a, reconnectMs: 3_600_000, session: { heartbeatMs: 0 } });
    cleanups.push(() => link.close());
    const errors: string[] = [];
    link.on('error', (e) => errors.push(e.code));
    const ready = new Promise<void>((resolve) => link.once('ready', () => resolve()));
    void link.open().catch(() => undefined); // the first attempt ends in the restart
    await ready;
    expect(link.state).toBe('connected');
    expect(fw.received.filter((f) => f.type === T.HELLO)).toHaveLength(2);
    expect(errors).toEqual(['FIRMWARE_RESTARTED']);
    await link.send(T.FILL_RECT, Buffer.from([1]));
  });

  it('refuses protocol-2 firmware once, says why, and does not retry', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b, { protocol: 2, version: 'pdfw 2.0.0' });
    cleanups.push(() => fw.close());
    const link = new BridgeLink({ path: pty.a, reconnectMs: 50, session: { heartbeatMs: 0 } });
    cleanups.push(() => link.close());
    const err = (await link.open().catch((e: unknown) => e)) as BridgeError;
    expect(err.code).toBe('PROTOCOL_MISMATCH');
    expect(err.message).toContain('pdfw 2.0.0');
    await new Promise((r) => setTimeout(r, 300));
    expect(fw.received.filter((f) => f.type === T.HELLO).length).toBe(1);
    expect(link.state).toBe('disconnected');
  });

  it('reports a clear error for a port that does not exist, and keeps trying', async () => {
    const link = new BridgeLink({ path: '/nonexistent/ttyBRIDGE', reconnectMs: 50 });
    cleanups.push(() => link.close());
    const errors: BridgeError[] = [];
    const err = (await link.open().catch((e: unknown) => e)) as BridgeError;
    link.on('error', (e) => errors.push(e));
    expect(err.code).toBe('PORT_OPEN_FAILED');
    expect(err.message).toContain('/nonexistent/ttyBRIDGE');
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([]); // reported once per outage, not on every retry
    expect(link.state).toBe('reconnecting');
  });
});
