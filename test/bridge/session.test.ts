import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { Session } from '../../src/bridge/session.js';
import { BridgeError } from '../../src/bridge/errors.js';
import { T, encodeFrame } from '../../src/bridge/wire.js';
import { FakeFirmware } from './fake-firmware.js';
import { openPtyPair, ptySkipReason, type PtyPair } from './pty-pair.js';

const skip = ptySkipReason();
if (skip) console.warn(`SKIP bridge session tests: ${skip}`);

async function openHost(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

describe.skipIf(skip !== null)('bridge session over a real pty pair', () => {
  let pty: PtyPair;
  let host: SerialPort;
  let fw: FakeFirmware | undefined;
  let session: Session | undefined;

  beforeEach(async () => {
    pty = await openPtyPair();
    host = await openHost(pty.a);
  });
  afterEach(async () => {
    session?.close();
    await fw?.close();
    if (host.isOpen) await new Promise<void>((r) => host.close(() => r()));
    await pty.close();
    fw = undefined;
    session = undefined;
  });

  it('handshakes with protocol-1 firmware and reports its version', async () => {
    fw = await FakeFirmware.open(pty.b, { version: 'pdfw 1.2.3' });
    session = new Session(host, { heartbeatMs: 0 });
    const info = await session.handshake();
    expect(info).toEqual({ protocol: 1, version: 'pdfw 1.2.3', caps: 1 });
  });

  it('refuses protocol-2 firmware with a clear message and closes the session', async () => {
    fw = await FakeFirmware.open(pty.b, { protocol: 2, version: 'pdfw 2.0.0' });
    session = new Session(host, { heartbeatMs: 0 });
    const err = await session.handshake().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect((err as BridgeError).code).toBe('PROTOCOL_MISMATCH');
    expect((err as BridgeError).message).toMatch(/protocol version 2.*speaks version 1.*Update proofdesk/);
    expect(session.alive).toBe(false);
  });

  it('never has more than 4 frames or 2048 bytes unacknowledged', async () => {
    fw = await FakeFirmware.open(pty.b, { holdAcks: true });
    session = new Session(host, { heartbeatMs: 0, retryMs: 5_000 });
    const sends = Array.from({ length: 12 }, (_, i) => session!.send(T.FILL_RECT, Buffer.alloc(i % 2 ? 900 : 10, i + 1)));
    // With ACKs held, the sender must stop at the window edge.
    await fw.until((f) => f.received.length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(fw.received.length).toBeLessThanOrEqual(4);
    expect(session.unacked.frames).toBeLessThanOrEqual(4);
    expect(session.unacked.bytes).toBeLessThanOrEqual(2048);
    // Release ACKs repeatedly until everything went through.
    const release = setInterval(() => fw!.releaseAcks(), 20);
    await Promise.all(sends);
    clearInterval(release);
    expect(fw.received.map((f) => f.payload[0])).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(fw.maxUnacked.frames).toBeLessThanOrEqual(4);
    expect(fw.maxUnacked.bytes).toBeLessThanOrEqual(2048);
    expect(fw.maxUnacked.frames).toBeGreaterThanOrEqual(2); // the window was actually used
  });

  it('resends after a lost ACK; the firmware re-ACKs the duplicate without executing it twice', async () => {
    fw = await FakeFirmware.open(pty.b, { dropAck: (frame) => frame.type === T.FILL_RECT && frame.payload[0] === 3 });
    session = new Session(host, { heartbeatMs: 0 });
    await Promise.all([1, 2, 3].map((n) => session!.send(T.FILL_RECT, Buffer.from([n]))));
    const fills = fw.receptions.filter((r) => r.frame.type === T.FILL_RECT).map((r) => r.frame.payload[0]);
    expect(fills.filter((n) => n === 3).length).toBeGreaterThanOrEqual(2); // sent again (the last frame: no later ACK covers it)
    expect(fw.received.map((f) => f.payload[0])).toEqual([1, 2, 3]); // executed once each
    expect(session.stats.resends).toBeGreaterThan(0);
  });

  it('resends a frame the firmware NAKs for CRC, and fails a frame it refuses as BAD_TYPE', async () => {
    let nakked = false;
    fw = await FakeFirmware.open(pty.b, {
      nak: (frame) => {
        if (frame.payload[0] === 7 && !nakked) return (nakked = true), 1;
        if (frame.type === 0x7e) return 3;
        return null;
      },
    });
    session = new Session(host, { heartbeatMs: 0 });
    await session.send(T.FILL_RECT, Buffer.from([7]));
    expect(session.stats.naksReceived).toBe(1);
    expect(fw.received.map((f) => f.payload[0])).toEqual([7]);
    const err = await session.send(0x7e, Buffer.from([1])).then(() => null, (e: unknown) => e);
    expect((err as BridgeError).code).toBe('FRAME_REJECTED');
    // The session carries on after a refused frame.
    await session.send(T.FILL_RECT, Buffer.from([8]));
    expect(fw.received.map((f) => f.payload[0])).toEqual([7, 8]);
  });

  it('declares the link down when nothing is acknowledged after 3 resends', async () => {
    fw = await FakeFirmware.open(pty.b, { dropAck: () => true });
    // Duplicates are re-ACKed by the fake; silence it completely by closing its end after the first frame.
    await fw.close();
    session = new Session(host, { heartbeatMs: 0, retryMs: 50 });
    const dead = new Promise<BridgeError>((r) => session!.once('dead', r));
    const err = await session.send(T.HEARTBEAT).then(() => null, (e: unknown) => e);
    expect((err as BridgeError).code).toBe('LINK_DOWN');
    expect((await dead).code).toBe('LINK_DOWN');
  });

  it('ACKs firmware frames, NAKs a corrupted one, and passes a resent duplicate on only once', async () => {
    fw = await FakeFirmware.open(pty.b);
    session = new Session(host, { heartbeatMs: 0 });
    const seen: number[] = [];
    session.on('frame', (f) => seen.push(f.type));
    const good = encodeFrame({ type: T.BUTTON, seq: 9, payload: Buffer.from([1]) });
    const corrupt = Buffer.from(good);
    corrupt[3] = corrupt[3]! ^ 0x40;
    fw.writeRaw(corrupt);
    fw.writeRaw(good);
    fw.writeRaw(good);
    await fw.until((f) => f.receptions.filter((r) => r.frame.type === T.ACK).length >= 2);
    await fw.until((f) => f.receptions.some((r) => r.frame.type === T.NAK));
    expect(seen).toEqual([T.BUTTON]);
    const nak = fw.receptions.find((r) => r.frame.type === T.NAK)!;
    expect(nak.frame.payload[1]).toBe(1);
    expect(session.stats.badFramesReceived).toBe(1);
  });

  it('sends heartbeats when idle', async () => {
    fw = await FakeFirmware.open(pty.b);
    session = new Session(host, { heartbeatMs: 100 });
    await fw.until((f) => f.received.filter((r) => r.type === T.HEARTBEAT).length >= 2);
  });
});
