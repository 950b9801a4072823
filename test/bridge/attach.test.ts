import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { attachBridge } from '../../src/bridge/attach.js';
import { probeBridge, type PortListing } from '../../src/bridge/detect.js';
import { T } from '../../src/bridge/codec.js';
import { parseConfig } from '../../src/kiosk/config.js';
import { ScanHub } from '../../src/scan/hub.js';
import type { ScreenDisplay } from '../../src/screen/display.js';
import { idleScreen } from '../../src/screen/state.js';
import { FakeFirmware } from './fake-firmware.js';
import { openPtyPair, ptySkipReason, type PtyPair } from './pty-pair.js';

function capture(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the bridge in the kiosk config and wiring', () => {
  const base = { desk: { purpose: 'work' }, trust: { keys: 'keys.jwks' } };

  it('accepts a device path or auto, and 115200 or 921600 baud; refuses anything else with the field named', () => {
    const cfg = parseConfig({ ...base, bridges: [{ path: 'auto' }, { path: '/dev/ttyACM0', baud: 115200, name: 'box 2' }] });
    expect(cfg.bridges).toEqual([{ path: 'auto' }, { path: '/dev/ttyACM0', baud: 115200, name: 'box 2' }]);
    expect(() => parseConfig({ ...base, bridges: [{ path: '/dev/ttyACM0', baud: 9600 }] })).toThrow(/bridges.*baud.*115200 or 921600/s);
    expect(() => parseConfig({ ...base, bridges: [{ path: 'COM3' }] })).toThrow(/bridges.*path.*device path.*auto/s);
  });

  it('path auto with no ST-LINK attached: logs why and runs without a bridge (nothing added, nothing opened)', async () => {
    const { log, lines } = capture();
    const hub = new ScanHub();
    const displays: ScreenDisplay[] = [];
    const attached = await attachBridge({ path: 'auto' }, { hub, displays, log, onLikeness: () => undefined });
    expect(attached.bridge).toBeNull();
    expect(hub.scanners()).toHaveLength(0);
    expect(displays).toHaveLength(0);
    const warn = lines().find((l) => l.event === 'bridge-not-found');
    expect(warn).toMatchObject({ code: 'NOT_FOUND' });
    await attached.close();
  });

  it('a named path that is absent: the bridge is added and keeps trying, the kiosk is not held up', async () => {
    const { log, lines } = capture();
    const hub = new ScanHub();
    const displays: ScreenDisplay[] = [];
    const attached = await attachBridge(
      { path: '/dev/nonexistent-bridge', name: 'box' },
      { hub, displays, log, onLikeness: () => undefined },
    );
    expect(attached.bridge).not.toBeNull();
    expect(hub.scanners().map((s) => [s.name, s.transport])).toEqual([['box', 'bridge']]);
    expect(displays.map((d) => d.name)).toEqual(['bridge']);
    expect(lines().find((l) => l.event === 'bridge-error')).toMatchObject({ code: 'PORT_OPEN_FAILED' });
    expect(attached.bridge!.link.state).toBe('reconnecting');
    await attached.close();
    expect(attached.bridge!.link.state).toBe('disconnected');
  });
});

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ST_LINK = { vendorId: '0483', productId: '374b' };
const skip = ptySkipReason();

describe.skipIf(skip !== null)('path auto keeps watching (real ptys; the port listing is hand-made: no USB here)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  it('a box plugged in after start is added; after an unplug it is found again under another name; nothing else is written to', async () => {
    const { log, lines } = capture();
    const hub = new ScanHub();
    const displays: ScreenDisplay[] = [];
    // A scanner in CDC mode (not an ST-LINK): its peer end records anything the host might write to it.
    const scannerPty = await openPtyPair();
    cleanups.push(() => scannerPty.close());
    const scannerPeer = new SerialPort({ path: scannerPty.b, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => scannerPeer.open((e) => (e ? reject(e) : resolve())));
    cleanups.push(() => new Promise<void>((r) => scannerPeer.close(() => r())));
    let writtenToScanner = 0;
    scannerPeer.on('data', (d: Buffer) => (writtenToScanner += d.length));
    // An ST-LINK running other firmware: silent. It is asked HELLO once, and not again within retryFailedMs.
    const otherBoard = await openPtyPair();
    cleanups.push(() => otherBoard.close());

    let listing: PortListing[] = [
      { path: scannerPty.a, vendorId: '0c2e', productId: '0b61' },
      { path: otherBoard.a, ...ST_LINK },
    ];
    const probes: string[] = [];
    const attached = await attachBridge(
      { path: 'auto', name: 'box' },
      {
        hub,
        displays,
        log,
        onLikeness: () => undefined,
        current: () => idleScreen({ purpose: 'work', demo: false, worth: 'Supporting evidence only.', id: 'desk-test' }),
        watch: {
          useSymlink: false,
          pollMs: 100,
          list: async () => listing,
          probe: (path) => {
            probes.push(path);
            return probeBridge(path, { timeoutMs: 300 });
          },
        },
      },
    );
    cleanups.push(() => attached.close());
    expect(attached.bridge).toBeNull();
    expect(hub.scanners()).toHaveLength(0);
    expect(lines().find((l) => l.event === 'bridge-not-found')).toMatchObject({ code: 'NOT_FOUND' });
    expect(lines().find((l) => l.event === 'bridge-candidate-refused')).toMatchObject({ path: otherBoard.a, code: 'HANDSHAKE_TIMEOUT' });

    // Plugged in while the kiosk runs.
    const first: PtyPair = await openPtyPair();
    cleanups.push(() => first.close());
    const fw1 = await FakeFirmware.open(first.b, { version: 'box-1' });
    cleanups.push(() => fw1.close());
    listing = [...listing, { path: first.a, ...ST_LINK }];
    await waitFor(() => attached.bridge?.link.state === 'connected', 'the box plugged in later');
    expect(attached.bridge!.path).toBe(first.a);
    expect(hub.scanners().map((s) => [s.name, s.transport])).toEqual([['box', 'bridge']]);
    expect(displays.map((d) => d.name)).toEqual(['bridge']);
    expect(lines().find((l) => l.event === 'bridge-detected')).toMatchObject({ path: first.a, firmware: 'box-1' });
    // the desk's current screen is drawn at once, not left at the firmware's "waiting for the first screen"
    await fw1.until((f) => f.received.some((x) => x.type === T.SCREEN_END));

    // Unplugged; back under another name (another ttyACM number).
    await fw1.close();
    await first.close();
    listing = listing.filter((p) => p.path !== first.a);
    await waitFor(() => attached.bridge!.link.state === 'reconnecting', 'the unplug noticed');
    const second = await openPtyPair();
    cleanups.push(() => second.close());
    const fw2 = await FakeFirmware.open(second.b, { version: 'box-2' });
    cleanups.push(() => fw2.close());
    listing = [...listing, { path: second.a, ...ST_LINK }];
    await waitFor(() => attached.bridge!.link.state === 'connected' && attached.bridge!.path === second.a, 'the box under its new name');
    expect(fw2.received[0]?.type).toBe(T.HELLO);
    expect(attached.bridge!.link.firmware).toMatchObject({ version: 'box-2' });
    // Still one box: the same scanner and display, not a second set.
    expect(hub.scanners()).toHaveLength(1);
    expect(displays).toHaveLength(1);

    expect(probes.filter((p) => p === otherBoard.a)).toHaveLength(1);
    expect(probes).not.toContain(scannerPty.a);
    expect(writtenToScanner).toBe(0);

    // Closed: no more looking.
    await attached.close();
    const count = probes.length;
    const third = await openPtyPair();
    cleanups.push(() => third.close());
    listing = [...listing, { path: third.a, ...ST_LINK }];
    await new Promise((r) => setTimeout(r, 400));
    expect(probes).toHaveLength(count);
  });

  it('a box whose firmware is refused (another protocol) is taken again once re-flashed, without a restart', async () => {
    const { log, lines } = capture();
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b, { version: 'box-1' });
    cleanups.push(() => fw.close());
    const attached = await attachBridge(
      { path: 'auto' },
      {
        hub: new ScanHub(),
        displays: [],
        log,
        onLikeness: () => undefined,
        watch: {
          useSymlink: false,
          pollMs: 100,
          retryFailedMs: 200,
          list: async () => [{ path: pty.a, ...ST_LINK }],
          probe: (p) => probeBridge(p, { timeoutMs: 500 }),
        },
      },
    );
    cleanups.push(() => attached.close());
    const link = attached.bridge!.link;
    expect(link.state).toBe('connected');
    // flashed with firmware of protocol 2, which reboots: the link says HELLO again and refuses it
    fw.options.protocol = 2;
    fw.options.version = 'box-2.0';
    fw.sendBanner();
    await waitFor(() => link.refused, 'the refusal');
    expect(lines().find((l) => l.event === 'bridge-error' && l.code === 'PROTOCOL_MISMATCH')).toBeDefined();
    // flashed back: the watcher asks again (every retryFailedMs) and the link connects there
    fw.options.protocol = 1;
    fw.options.version = 'box-1.1';
    await waitFor(() => link.state === 'connected', 'the re-flashed box taken again');
    expect(link.firmware).toMatchObject({ version: 'box-1.1' });
  });
});
