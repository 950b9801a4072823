import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScanner, treatEofAsDisconnect, type DroppedScan, type Scan, type Scanner, type ScannerState } from '../../src/scan/index.js';
import { EventLog } from './events.js';
import { base45Text } from './fixtures.js';
import { PtyPair, ScannerEmulator, sleep, socatMissing } from './pty.js';

const skip = socatMissing();
if (skip) console.warn(`SKIP serial scanner tests: ${skip}`);

describe.skipIf(skip !== null)('serial scanner through a real pty pair (socat + serialport)', () => {
  let pty: PtyPair;
  let scanner: Scanner | undefined;
  let emu: ScannerEmulator | undefined;
  let scans: EventLog<Scan>;
  let drops: EventLog<DroppedScan>;
  let states: EventLog<ScannerState>;

  async function start(cfg: { eol?: 'cr' | 'lf' | 'crlf' | 'tab' | 'none'; idleMs?: number; maxLength?: number; baud?: number } = {}) {
    scanner = createScanner({ type: 'serial', path: pty.host, name: 'desk-1', ...cfg });
    scans = new EventLog<Scan>(scanner, 'scan');
    drops = new EventLog<DroppedScan>(scanner, 'dropped');
    states = new EventLog<ScannerState>(scanner, 'state');
    scanner.on('error', () => undefined);
    await scanner.open();
    scanner.enable();
    emu = await ScannerEmulator.open(pty.scanner);
  }

  beforeEach(async () => {
    pty = new PtyPair();
    await pty.plug();
  });
  afterEach(async () => {
    await emu?.close();
    await scanner?.close();
    await pty.dispose();
    emu = undefined;
    scanner = undefined;
  });

  it('delivers a 1,500-char scan sent at 9600 baud in 64-byte chunks with a CR suffix, bytes intact', async () => {
    // A generous idle limit: a loaded test machine must not turn a slow write into a cut-off scan.
    await start({ baud: 9600, idleMs: 10_000 });
    const text = base45Text(1500);
    await emu!.send(`${text}\r`, { chunk: 64, baud: 9600 });
    await scans.count(1);
    const scan = scans.items[0]!;
    expect(scan.text).toBe(text);
    expect(scan.data.equals(Buffer.from(text, 'latin1'))).toBe(true);
    expect(scan).toMatchObject({ transport: 'serial', source: 'desk-1', symbology: 'unknown' });
    expect(states.items).toEqual(['connected']);
  });

  it('delivers a 1,500-char scan at 115200 baud split into 1–7 byte writes with inter-byte gaps', async () => {
    await start({ baud: 115200, idleMs: 10_000 });
    const text = base45Text(1500, 7);
    // Odd-sized pieces with small gaps: the framer must join them into one scan.
    await emu!.send(`${text.slice(0, 300)}`, { chunk: 1, gapMs: 1 });
    await emu!.send(`${text.slice(300)}\r`, { chunk: 7, baud: 115200, gapMs: 2 });
    await scans.count(1);
    expect(scans.items.map((s) => s.text)).toEqual([text]);
  });

  it('takes CR LF with eol cr, lf and crlf alike, and ignores empty lines silently', async () => {
    await start({ eol: 'crlf' });
    await emu!.send('HC1:AAA\r\n\r\n\nHC1:BBB\r\n');
    await scans.count(2);
    await sleep(100);
    expect(scans.items.map((s) => s.text)).toEqual(['HC1:AAA', 'HC1:BBB']);
    expect(drops.items).toEqual([]);
  });

  it('with eol lf, strips the CR of CR LF', async () => {
    await start({ eol: 'lf' });
    await emu!.send('ONE\r\nTWO\n');
    await scans.count(2);
    expect(scans.items.map((s) => s.text)).toEqual(['ONE', 'TWO']);
  });

  it('with no suffix (eol none) ends a scan at the idle gap', async () => {
    await start({ eol: 'none', idleMs: 1000 });
    const text = base45Text(400, 3);
    await emu!.send(text, { chunk: 50, gapMs: 5 });
    await scans.count(1);
    await emu!.send('SECOND');
    await scans.count(2);
    expect(scans.items.map((s) => s.text)).toEqual([text, 'SECOND']);
  });

  it('strips AIM ids and reports the symbology', async () => {
    await start();
    await emu!.send(']Q1NCFOXN%TS3DH\r]d2GS1DATA\r]L0PDF\r]z0AZTEC\r]C0CODE128\r]E0590123412345\rPLAIN\r');
    await scans.count(7);
    expect(scans.items.map((s) => [s.symbology, s.text])).toEqual([
      ['qr', 'NCFOXN%TS3DH'],
      ['datamatrix', 'GS1DATA'],
      ['pdf417', 'PDF'],
      ['aztec', 'AZTEC'],
      ['code128', 'CODE128'],
      ['other', '590123412345'],
      ['unknown', 'PLAIN'],
    ]);
  });

  it('drops line noise with a SCAN_NOISE event and still delivers the next scan', async () => {
    await start();
    await emu!.send(Buffer.from([0x00, 0xff, 0x13, 0x11, 0x07, 0x0d]));
    await emu!.send('HC1:AFTER-NOISE\r');
    await scans.count(1);
    expect(drops.items.map((d) => d.reason)).toEqual(['SCAN_NOISE']);
    expect(scans.items.map((s) => s.text)).toEqual(['HC1:AFTER-NOISE']);
  });

  it('keeps bytes ≥ 0x80 as they are (latin1 1:1, no UTF-8 decoding)', async () => {
    await start();
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3, 0xa9, 0x80, 0xff]), Buffer.from('\r')]);
    await emu!.send(bytes);
    await scans.count(1);
    expect([...scans.items[0]!.data]).toEqual([...bytes.subarray(0, bytes.length - 1)]);
  });

  it('drops an oversize scan as SCAN_TOO_LONG once and resynchronises at the next terminator', async () => {
    await start({ maxLength: 2000 });
    await emu!.send(`${base45Text(5000, 9)}\r`, { chunk: 256 });
    await emu!.send('HC1:NEXT\r');
    await scans.count(1);
    expect(drops.items.map((d) => d.reason)).toEqual(['SCAN_TOO_LONG']);
    expect(scans.items.map((s) => s.text)).toEqual(['HC1:NEXT']);
  });

  it('drops a scan cut off by an idle gap before its terminator (SCAN_INCOMPLETE)', async () => {
    await start({ idleMs: 200 });
    await emu!.send('HC1:HALF-A-SC');
    await drops.count(1);
    await emu!.send('HC1:WHOLE\r');
    await scans.count(1);
    expect(drops.items.map((d) => d.reason)).toEqual(['SCAN_INCOMPLETE']);
    expect(scans.items.map((s) => s.text)).toEqual(['HC1:WHOLE']);
  });

  it('delivers nothing while disabled', async () => {
    await start();
    scanner!.disable();
    await emu!.send('WHILE-DISABLED\r');
    await sleep(500); // the bytes reach the host and are discarded there
    scanner!.enable();
    await emu!.send('ENABLED\r');
    await scans.count(1);
    expect(scans.items.map((s) => s.text)).toEqual(['ENABLED']);
  });

  it('survives unplug mid-scan: drops the cut scan, reconnects when the device returns, and the next scan arrives', async () => {
    await start();
    await emu!.send('BEFORE\r');
    await scans.count(1);
    await emu!.send('HC1:CUT-OFF-BY-UNPL');
    // Let the half scan reach the host before the cable goes.
    await vi.waitFor(() => expect(scanner!.receiving).toBe(true), { timeout: 20_000 });
    await emu!.close();
    await pty.unplug();
    await states.until((s) => s.includes('reconnecting'), 20_000, 'reconnecting');
    expect(drops.items.map((d) => d.reason)).toEqual(['SCAN_INCOMPLETE']);
    expect(states.items.slice(0, 3)).toEqual(['connected', 'disconnected', 'reconnecting']);

    await pty.plug();
    await states.until((s) => s.filter((x) => x === 'connected').length === 2, 20_000, 'connected again');
    emu = await ScannerEmulator.open(pty.scanner);
    await emu.send('AFTER-REPLUG\r');
    await scans.count(2);
    expect(scans.items.map((s) => s.text)).toEqual(['BEFORE', 'AFTER-REPLUG']);
  });

  it('starts without the device, keeps retrying, and connects when it appears', async () => {
    await pty.unplug();
    scanner = createScanner({ type: 'serial', path: pty.host });
    const errors: Array<{ code: string }> = [];
    scanner.on('error', (e: { code: string }) => errors.push(e));
    states = new EventLog<ScannerState>(scanner, 'state');
    scans = new EventLog<Scan>(scanner, 'scan');
    await scanner.open();
    scanner.enable();
    expect(errors.map((e) => e.code)).toEqual(['OPEN_FAILED']);
    expect(scanner.state).toBe('reconnecting');
    await pty.plug();
    await states.until((s) => s.includes('connected'), 20_000, 'connected');
    emu = await ScannerEmulator.open(pty.scanner);
    await emu.send('LATE\r');
    await scans.count(1);
    expect(scans.items[0]!.text).toBe('LATE');
  });
});

describe.skipIf(skip !== null)('serialport end-of-file workaround (bindings-cpp#162)', () => {
  /** Opens the host end, hangs up the pty (socat gone), and starts one raw read on the binding. */
  async function readAfterHangup(patch: boolean) {
    const pty = new PtyPair();
    await pty.plug();
    const port = new SerialPort({ path: pty.host, baudRate: 9600, autoOpen: false });
    expect(treatEofAsDisconnect(port)).toBe(false); // not open yet: nothing to patch, and it says so
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    if (patch) {
      expect(treatEofAsDisconnect(port)).toBe(true);
      expect(treatEofAsDisconnect(port)).toBe(true); // twice is harmless
    }
    await pty.unplug(); // a hung-up tty: read() now returns 0 (end of file)
    const binding = (port as unknown as { port: { read(b: Buffer, o: number, l: number): Promise<unknown> } }).port;
    const outcome = await Promise.race([
      binding.read(Buffer.alloc(64), 0, 64).then(
        () => 'data',
        (e: { disconnect?: boolean; canceled?: boolean }) => (e.disconnect ? 'disconnect' : e.canceled ? 'canceled' : 'error'),
      ),
      sleep(1500).then(() => 'still spinning'),
    ]);
    await new Promise<void>((resolve) => port.close(() => resolve())); // also ends an unpatched read loop
    await pty.dispose();
    return outcome;
  }

  it('unpatched, a read on a hung-up tty never settles (the library retries a 0-byte read for ever)', async () => {
    expect(await readAfterHangup(false)).toBe('still spinning');
  });

  it('patched, the same read rejects as a disconnect, so the stream closes and the scanner reconnects', async () => {
    expect(await readAfterHangup(true)).toBe('disconnect');
  });

  it('the documented contract for other serialport users: a hang-up arrives as close with err.disconnected', async () => {
    const pty = new PtyPair();
    await pty.plug();
    const port = new SerialPort({ path: pty.host, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    expect(treatEofAsDisconnect(port)).toBe(true);
    const closed = new Promise<{ disconnected?: boolean } | null>((resolve) => port.once('close', resolve));
    port.on('data', () => undefined);
    await pty.unplug();
    const outcome = await Promise.race([closed, sleep(10_000).then(() => 'no close event' as const)]);
    expect(outcome).toMatchObject({ disconnected: true });
    expect(port.isOpen).toBe(false);
    await pty.dispose();
  });
});
