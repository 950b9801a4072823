import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { Session } from '../../src/bridge/session.js';
import { BridgeError } from '../../src/bridge/errors.js';
import { NakCode, T, encodeFrame } from '../../src/bridge/codec.js';
import { FakeFirmware, type FakeFirmwareOptions } from './fake-firmware.js';
import { openPtyPair, ptySkipReason, type PtyPair } from './pty-pair.js';

const skip = ptySkipReason();
if (skip) console.warn(`SKIP bridge session tests: ${skip}`);

async function openHost(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

const fills = (fw: FakeFirmware): number[] => fw.received.filter((f) => f.type === T.FILL_RECT).map((f) => f.payload[0]!);

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

  async function connected(options: FakeFirmwareOptions = {}, sessionOptions = {}): Promise<Session> {
    fw = await FakeFirmware.open(pty.b, options);
    session = new Session(host, { heartbeatMs: 0, ...sessionOptions });
    await session.handshake();
    return session;
  }

  it('handshakes with protocol-1 firmware (0x00 flush, then HELLO) and reports what the firmware said', async () => {
    fw = await FakeFirmware.open(pty.b, { version: 'pdfw 1.2.3' });
    session = new Session(host, { heartbeatMs: 0 });
    const info = await session.handshake();
    expect(info).toEqual({
      protocol: 1,
      version: 'pdfw 1.2.3',
      caps: 0x7f,
      width: 240,
      height: 320,
      windowFrames: 4,
      windowBytes: 4096,
      maxPayload: 1024,
    });
    expect(fw.received[0]).toMatchObject({ type: T.HELLO, payload: Buffer.from([1]) });
  });

  it('refuses protocol-2 firmware with a message naming both versions, and ends the session', async () => {
    fw = await FakeFirmware.open(pty.b, { protocol: 2, version: 'pdfw 2.0.0' });
    session = new Session(host, { heartbeatMs: 0 });
    const err = await session.handshake().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BridgeError);
    expect((err as BridgeError).code).toBe('PROTOCOL_MISMATCH');
    expect((err as BridgeError).message).toMatch(/pdfw 2\.0\.0 speaks protocol version 2.*speaks version 1.*Update proofdesk/);
    expect(session.alive).toBe(false);
    await expect(session.send(T.HEARTBEAT)).rejects.toMatchObject({ code: 'PROTOCOL_MISMATCH' });
  });

  it('refuses a HELLO_OK it cannot read as HANDSHAKE_MALFORMED (it did answer: not a timeout)', async () => {
    fw = await FakeFirmware.open(pty.b, { helloOk: Buffer.from([1, 0]) });
    session = new Session(host, { heartbeatMs: 0 });
    await expect(session.handshake()).rejects.toMatchObject({
      code: 'HANDSHAKE_MALFORMED',
      message: expect.stringMatching(/malformed HELLO_OK/),
    });
  });

  it('times out a handshake with a silent device, with a message that says what to check', async () => {
    // Either way: HELLO resent until the link gives up, or the handshake timer first.
    session = new Session(host, { heartbeatMs: 0 });
    await expect(session.handshake()).rejects.toMatchObject({
      code: 'HANDSHAKE_TIMEOUT',
      message: expect.stringMatching(/proofdesk bridge/),
    });
    session = new Session(host, { heartbeatMs: 0, handshakeTimeoutMs: 300, retryMs: 1000 });
    await expect(session.handshake()).rejects.toMatchObject({
      code: 'HANDSHAKE_TIMEOUT',
      message: expect.stringMatching(/proofdesk bridge/),
    });
  });

  it('never has more than 4 frames or 4096 wire bytes unacknowledged', async () => {
    await connected({}, { retryMs: 5_000 });
    fw!.options.holdAcks = true;
    // small frames: the frame limit binds
    let sends = Array.from({ length: 8 }, (_, i) => session!.send(T.FILL_RECT, Buffer.alloc(10, i + 1)));
    await fw!.until((f) => fills(f).length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // give an unruly sender time to overrun
    expect(fills(fw!).length).toBe(4);
    expect(session!.unacked.frames).toBe(4);
    let release = setInterval(() => fw!.releaseAcks(), 20);
    await Promise.all(sends);
    clearInterval(release);
    // near-maximal frames (1,010 payload bytes, 1,020 on the wire): the byte limit binds at 4
    // frames = 4,080 bytes; 1,024-byte payloads (1,034 on the wire) would fit only 3
    const before = fills(fw!).length;
    sends = Array.from({ length: 8 }, (_, i) => session!.send(T.FILL_RECT, Buffer.alloc(i % 2 ? 1024 : 1010, 20 + i)));
    await fw!.until((f) => fills(f).length >= before + 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(session!.unacked.bytes).toBeLessThanOrEqual(4096);
    expect(fills(fw!).length - before).toBe(3); // 1,020 + 1,034 + 1,020 = 3,074; a fourth (1,034) would be 4,108
    release = setInterval(() => fw!.releaseAcks(), 20);
    await Promise.all(sends);
    clearInterval(release);
    expect(fills(fw!)).toEqual([...Array.from({ length: 8 }, (_, i) => i + 1), ...Array.from({ length: 8 }, (_, i) => 20 + i)]);
    expect(fw!.maxUnacked.frames).toBeLessThanOrEqual(4);
    expect(fw!.maxUnacked.bytes).toBeLessThanOrEqual(4096);
    expect(fw!.maxUnacked.bytes).toBeGreaterThan(3000); // the byte window was actually used
  });

  it('gives a drawing command the panel time it needs before resending (a full-panel fill is ≈ 205 ms of SPI)', async () => {
    await connected({}, { retryMs: 100 });
    const rect = (w: number, h: number): Buffer => {
      const p = Buffer.alloc(10);
      p.writeUInt16BE(w, 4);
      p.writeUInt16BE(h, 6);
      return p;
    };
    // the firmware answers 180 ms later, as it would after drawing 240 × 320 pixels at 6 MHz SPI (≈ 205 ms)
    const answerLate = async (w: number, h: number): Promise<number> => {
      const before = session!.stats.resends;
      fw!.options.holdAcks = true;
      const arrived = fw!.received.length;
      const sent = session!.send(T.FILL_RECT, rect(w, h));
      await fw!.until((f) => f.received.length > arrived);
      await new Promise((r) => setTimeout(r, 180));
      fw!.options.holdAcks = false;
      fw!.releaseAcks();
      await sent;
      return session!.stats.resends - before;
    };
    expect(await answerLate(240, 320)).toBe(0); // 100 ms + 205 ms of panel time: still waiting, no resend
    expect(await answerLate(1, 1)).toBeGreaterThanOrEqual(1); // a one-pixel fill is resent after 100 ms
  });

  it('counts silence, not age, before resending: duplicate ACKs from a busy firmware hold the resend back', async () => {
    await connected({}, { retryMs: 150 });
    const before = session!.stats.resends;
    fw!.options.holdAcks = true;
    const arrived = fw!.received.length;
    const sent = session!.send(T.FILL_RECT, Buffer.from([7]));
    await fw!.until((f) => f.received.length > arrived);
    const previous = (fw!.received.at(-1)!.seq - 1) & 0xff;
    // the firmware keeps re-ACKing the frame before (as it does for resent duplicates) for 600 ms
    for (let t = 0; t < 600; t += 75) {
      fw!.writeRaw(encodeFrame({ type: T.ACK, seq: previous, payload: Buffer.alloc(0) }));
      await new Promise((r) => setTimeout(r, 75));
    }
    expect(session!.stats.resends - before).toBe(0);
    // then silence: the frame is resent after 150 ms
    await new Promise((r) => setTimeout(r, 400));
    expect(session!.stats.resends - before).toBeGreaterThanOrEqual(1);
    fw!.options.holdAcks = false;
    fw!.releaseAcks();
    await sent;
  });

  it('refuses to queue without bound when the bridge stops acknowledging', async () => {
    await connected({}, { retryMs: 5_000, maxQueued: 8 });
    fw!.options.holdAcks = true;
    const sends = Array.from({ length: 4 + 8 }, (_, i) => session!.send(T.FILL_RECT, Buffer.from([i])));
    sends.forEach((p) => {
      p.catch(() => undefined);
    });
    await expect(session!.send(T.FILL_RECT, Buffer.from([99]))).rejects.toMatchObject({ code: 'LINK_BUSY' });
    fw!.options.holdAcks = false;
    fw!.releaseAcks();
    await Promise.all(sends);
  });

  it('narrows its window to what the firmware says it can take', async () => {
    await connected({ windowFrames: 2 }, { retryMs: 5_000 });
    fw!.options.holdAcks = true;
    const sends = Array.from({ length: 6 }, (_, i) => session!.send(T.FILL_RECT, Buffer.from([i + 1])));
    await fw!.until((f) => fills(f).length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(fills(fw!)).toEqual([1, 2]);
    const release = setInterval(() => fw!.releaseAcks(), 20);
    await Promise.all(sends);
    clearInterval(release);
    expect(fw!.maxUnacked.frames).toBe(2);
  });

  it('resends after a lost ACK; the firmware re-ACKs the duplicate without executing it twice', async () => {
    await connected({ dropAck: (frame) => frame.type === T.FILL_RECT && frame.payload[0] === 3 });
    await Promise.all([1, 2, 3].map((n) => session!.send(T.FILL_RECT, Buffer.from([n]))));
    const arrivals = fw!.receptions.filter((r) => r.frame.type === T.FILL_RECT).map((r) => r.frame.payload[0]);
    expect(arrivals.filter((n) => n === 3).length).toBeGreaterThanOrEqual(2); // sent again (no later ACK covered it)
    expect(fills(fw!)).toEqual([1, 2, 3]); // executed once each
    expect(session!.stats.resends).toBeGreaterThan(0);
  });

  it('resends from a frame NAKed for CRC; fails one refused as BAD_TYPE and carries on', async () => {
    let nakked = false;
    await connected({
      nak: (frame) => {
        if (frame.payload[0] === 7 && !nakked) return ((nakked = true), NakCode.CRC);
        if (frame.type === 0x7e) return NakCode.BAD_TYPE;
        return null;
      },
    });
    await Promise.all([session!.send(T.FILL_RECT, Buffer.from([7])), session!.send(T.FILL_RECT, Buffer.from([8]))]);
    expect(session!.stats.naksReceived).toBeGreaterThanOrEqual(1);
    expect(fills(fw!)).toEqual([7, 8]);
    const err = await session!.send(0x7e, Buffer.from([1])).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'FRAME_REJECTED', message: expect.stringContaining('0x7e: BAD_TYPE') });
    await session!.send(T.FILL_RECT, Buffer.from([9]));
    expect(fills(fw!)).toEqual([7, 8, 9]);
  });

  it('waits a retry timeout after BUSY, then resends', async () => {
    let busy = false;
    await connected({ nak: (frame) => (frame.type === T.FILL_RECT && !busy ? ((busy = true), NakCode.BUSY) : null) });
    await session!.send(T.FILL_RECT, Buffer.from([5]));
    expect(fills(fw!)).toEqual([5]);
  });

  it('declares the link down when nothing is acknowledged after 3 resends', async () => {
    await connected({}, { retryMs: 50 });
    await fw!.close(); // the firmware goes silent
    const dead = new Promise<BridgeError>((r) => session!.once('dead', r));
    const err = await session!.send(T.HEARTBEAT).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'LINK_DOWN', message: expect.stringMatching(/after 3 resends/) });
    expect((await dead).code).toBe('LINK_DOWN');
  });

  it('ACKs firmware frames once, NAKs a corrupted one with the seq it wants, re-ACKs a duplicate, NAKs a gap once', async () => {
    await connected();
    const seen: number[] = [];
    session!.on('frame', (f) => seen.push(f.payload[0]!));
    const button = (seq: number, n: number): Buffer => encodeFrame({ type: T.BUTTON, seq, payload: Buffer.from([n]) });
    const corrupt = button(1, 1);
    corrupt[3] = corrupt[3]! ^ 0x40;
    const controls = (): Array<[number, number, number | undefined]> =>
      fw!.receptions
        .filter((r) => r.frame.type === T.ACK || r.frame.type === T.NAK)
        .map((r) => [r.frame.type, r.frame.seq, r.frame.payload[0]]);
    await fw!.until(() => controls().length >= 1); // the ACK of HELLO_OK (seq 0)
    const before = controls().length;
    fw!.writeRaw(corrupt); // → NAK CRC, seq 1 (expected)
    fw!.writeRaw(button(1, 1)); // → ACK 1
    fw!.writeRaw(button(1, 1)); // duplicate → ACK 1 again, not passed on
    fw!.writeRaw(button(3, 3)); // gap (2 lost) → NAK OUT_OF_WINDOW 2
    fw!.writeRaw(button(4, 4)); // still in the gap → dropped silently
    fw!.writeRaw(button(2, 2)); // → ACK 2
    await fw!.until(() => controls().length >= before + 5);
    await new Promise((r) => setTimeout(r, 100));
    expect(controls().slice(before)).toEqual([
      [T.NAK, 1, NakCode.CRC],
      [T.ACK, 1, undefined],
      [T.ACK, 1, undefined],
      [T.NAK, 2, NakCode.OUT_OF_WINDOW],
      [T.ACK, 2, undefined],
    ]);
    expect(seen).toEqual([1, 2]);
    expect(session!.stats.badFramesReceived).toBe(1);
  });

  it('NAKs a run of bytes longer than any frame (TOO_LONG) and keeps working', async () => {
    await connected();
    // 3 KB: nearly three times the longest frame. (One much larger write from the fake's side can stall serialport's
    // pty writer while the same port reads; the host never writes more than its 2 KB window, so it is not exposed.)
    fw!.writeRaw(Buffer.alloc(3000, 0x41));
    fw!.writeRaw(Buffer.from([0]));
    await fw!.until((f) => f.receptions.some((r) => r.frame.type === T.NAK && r.frame.payload[0] === NakCode.TOO_LONG));
    await session!.send(T.FILL_RECT, Buffer.from([1])); // still working
  });

  it('treats a boot banner mid-session as a firmware restart', async () => {
    await connected();
    const dead = new Promise<BridgeError>((r) => session!.once('dead', r));
    fw!.sendBanner();
    expect((await dead).code).toBe('FIRMWARE_RESTARTED');
  });

  it('sends heartbeats when idle', async () => {
    await connected({}, { heartbeatMs: 100 });
    await fw!.until((f) => f.received.filter((r) => r.type === T.HEARTBEAT).length >= 2);
  });
});
