import { afterEach, describe, expect, it } from 'vitest';
import { BridgeWatcher, bridgeCandidates, detectBridge, probeBridge } from '../../src/bridge/detect.js';
import { FakeFirmware } from './fake-firmware.js';
import { openPtyPair, ptySkipReason } from './pty-pair.js';

/** A listing in the shape `SerialPort.list()` returns (hand-written: no hardware here): a Nucleo, a Honeywell scanner in CDC mode, a modem. */
const LISTING = [
  { path: '/dev/ttyS0', manufacturer: undefined, vendorId: undefined, productId: undefined },
  { path: '/dev/ttyACM1', manufacturer: 'Honeywell', vendorId: '0c2e', productId: '0b61' },
  { path: '/dev/ttyACM0', manufacturer: 'STMicroelectronics', vendorId: '0483', productId: '374B', serialNumber: '0670FF' },
  { path: '/dev/ttyUSB0', manufacturer: 'Huawei', vendorId: '12d1', productId: '1506' },
  { path: '/dev/ttyACM2', manufacturer: 'STMicroelectronics', vendorId: '0483', productId: '3748' }, // ST-LINK/V2: no VCP
];

describe('bridge auto-detection', () => {
  it('considers only ports with the ST-LINK/V2-1 USB id (0483:374b), whatever the case', () => {
    expect(bridgeCandidates(LISTING)).toEqual(['/dev/ttyACM0']);
    expect(bridgeCandidates([])).toEqual([]);
  });

  it('probes only the candidates, never the scanner, modem or serial console', async () => {
    const probed: string[] = [];
    const result = await detectBridge({
      useSymlink: false,
      list: async () => LISTING,
      probe: async (path) => {
        probed.push(path);
        return { protocol: 1, version: '0.1.0', caps: 0x7f, width: 240, height: 320, windowFrames: 4, windowBytes: 2048, maxPayload: 1024 };
      },
    });
    expect(probed).toEqual(['/dev/ttyACM0']);
    expect(result).toMatchObject({ path: '/dev/ttyACM0', firmware: { version: '0.1.0' } });
  });

  it('says NOT_FOUND with the reason when there is no ST-LINK, or it does not answer as a bridge', async () => {
    await expect(detectBridge({ useSymlink: false, list: async () => LISTING.filter((p) => p.vendorId !== '0483') })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
        message: expect.stringContaining('0483:374b'),
      },
    );
    await expect(
      detectBridge({ useSymlink: false, list: async () => LISTING, probe: async () => Promise.reject(new Error('no HELLO_OK')) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/dev/ttyACM0') });
  });
});

describe('bridge watcher (path auto after start): bounded looking', () => {
  const FW = { protocol: 1, version: '0.1.0', caps: 0x7f, width: 240, height: 320, windowFrames: 4, windowBytes: 4096, maxPayload: 1024 };

  it('takes the port listing only when the serial device nodes changed (or a retry is due), never while not wanted', async () => {
    let nodes = 'ttyACM1';
    let wanted = true;
    let listings = 0;
    const probed: string[] = [];
    const watcher = new BridgeWatcher({
      useSymlink: false,
      settleMs: 0,
      devices: () => nodes,
      list: async () => {
        listings++;
        return nodes.includes('ttyACM0') ? LISTING : LISTING.filter((p) => p.path !== '/dev/ttyACM0');
      },
      probe: async (path) => {
        probed.push(path);
        return FW;
      },
      wanted: () => wanted,
      busy: () => null,
    });
    expect(await watcher.tick()).toBeNull();
    expect(await watcher.tick()).toBeNull();
    expect(listings).toBe(1); // nothing changed: no second listing
    wanted = false;
    nodes = 'ttyACM0,ttyACM1';
    expect(await watcher.tick()).toBeNull();
    expect(listings).toBe(1); // not wanted (our box is connected): not even a listing
    wanted = true;
    expect(await watcher.tick()).toMatchObject({ path: '/dev/ttyACM0' });
    expect(listings).toBe(2);
    expect(probed).toEqual(['/dev/ttyACM0']); // the scanner and the modem are never probed
  });

  it('asks a refusing ST-LINK once per retry period (one note per reason), and never the port its own link holds', async () => {
    const probed: string[] = [];
    const refusing = async (path: string): Promise<never> => {
      probed.push(path);
      throw new Error('no HELLO_OK');
    };
    const watcher = new BridgeWatcher({
      useSymlink: false,
      retryFailedMs: 30_000,
      list: async () => LISTING,
      probe: refusing,
      wanted: () => true,
      busy: () => null,
    });
    const notes: string[] = [];
    watcher.on('note', (n) => notes.push(n.code));
    for (let i = 0; i < 5; i++) await watcher.tick();
    expect(probed).toEqual(['/dev/ttyACM0']);
    expect(notes).toEqual(['ERROR']);

    probed.length = 0;
    let busy: string | null = '/dev/ttyACM0';
    const eager = new BridgeWatcher({
      useSymlink: false,
      retryFailedMs: 0,
      list: async () => LISTING,
      probe: refusing,
      wanted: () => true,
      busy: () => busy,
    });
    for (let i = 0; i < 3; i++) await eager.tick();
    expect(probed).toEqual([]); // our link reconnects there by itself: a probe would fight it for the port
    busy = null;
    await eager.tick();
    await eager.tick();
    expect(probed).toEqual(['/dev/ttyACM0', '/dev/ttyACM0']); // retry period 0: asked on every look
  });
});

const skip = ptySkipReason();
describe.skipIf(skip !== null)('bridge probe over a real pty', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('identifies a bridge by its HELLO_OK and closes the port again', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b, { version: '0.1.0-probe' });
    cleanups.push(() => fw.close());
    expect(await probeBridge(pty.a)).toMatchObject({ protocol: 1, version: '0.1.0-probe' });
    // Closed again: the kiosk can open it at once.
    expect(await probeBridge(pty.a)).toMatchObject({ version: '0.1.0-probe' });
  });

  it('ends a probe with LINK_CLOSED when the device is unplugged mid-handshake, not with a timeout', async () => {
    const pty = await openPtyPair();
    let closed = false;
    cleanups.push(() => (closed ? Promise.resolve() : pty.close()));
    const probing = probeBridge(pty.a, { timeoutMs: 20_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    closed = true;
    await pty.close(); // the silent device goes away
    const err = await Promise.race([probing, new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
    expect(err).toMatchObject({ code: 'LINK_CLOSED' });
  });

  it('gives up on a silent device within its timeout', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    await expect(probeBridge(pty.a, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'HANDSHAKE_TIMEOUT' });
  });
});
