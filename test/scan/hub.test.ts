import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import {
  createScanner,
  Deduper,
  ScanHub,
  type DroppedScan,
  type Scan,
  type Scanner,
  type ScannerStateEvent,
} from '../../src/scan/index.js';
import { EventLog } from './events.js';
import { base45Text } from './fixtures.js';

describe('duplicate filter', () => {
  it('folds the latest text again within the window, slides the window on repeats, and lets different texts through', () => {
    const d = new Deduper(1500);
    expect(d.accept('A', 0)).toBe(true);
    expect(d.accept('A', 1000)).toBe(false);
    expect(d.accept('A', 2400)).toBe(false); // 1.4 s after the last sighting
    expect(d.accept('A', 3900)).toBe(true);
    expect(d.accept('B', 4000)).toBe(true);
  });

  it('folds only the latest code: one scanned again after another is a new scan, however soon', () => {
    const d = new Deduper(1500);
    expect(['A', 'B', 'C', 'D', 'E', 'A', 'A', 'B'].map((t, i) => d.accept(t, i * 100))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      true,
    ]);
  });

  it('window 0 turns folding off', () => {
    const d = new Deduper(0);
    expect([d.accept('A', 0), d.accept('A', 1)]).toEqual([true, true]);
  });
});

describe('stdin scanner', () => {
  it('one scan per line, CR LF accepted, last line at end of input, oversize dropped', async () => {
    const input = new PassThrough();
    const s = createScanner({ type: 'stdin', input, maxLength: 2000 });
    const scans = new EventLog<Scan>(s, 'scan');
    const drops = new EventLog<DroppedScan>(s, 'dropped');
    await s.open();
    s.enable();
    const long = base45Text(1500, 21);
    input.write('HC1:ONE\r\n\n');
    input.write(`${long.slice(0, 700)}`);
    input.write(`${long.slice(700)}\n${'X'.repeat(3000)}\n`);
    input.end('LAST');
    await scans.count(3);
    expect(scans.items.map((x) => x.text)).toEqual(['HC1:ONE', long, 'LAST']);
    expect(scans.items[0]).toMatchObject({ transport: 'stdin', source: 'stdin', symbology: 'unknown' });
    expect(drops.items.map((d) => d.reason)).toEqual(['SCAN_TOO_LONG']);
    expect(s.state).toBe('disconnected');
    await s.close();
  });
});

describe('stdin scanner: a read error', () => {
  it('drops the line in progress (SCAN_INCOMPLETE), goes disconnected and reports DEVICE_LOST, without throwing', async () => {
    const input = new PassThrough();
    const s = createScanner({ type: 'stdin', input });
    const drops = new EventLog<DroppedScan>(s, 'dropped');
    const errors: Array<{ code: string }> = [];
    s.on('error', (e: { code: string }) => errors.push(e));
    await s.open();
    s.enable();
    input.write('HC1:HALF-A-LI');
    await vi.waitFor(() => expect(s.receiving).toBe(true));
    input.destroy(Object.assign(new Error('read EIO'), { code: 'EIO' }));
    await drops.count(1);
    expect(drops.items.map((d) => d.reason)).toEqual(['SCAN_INCOMPLETE']);
    expect(errors.map((e) => e.code)).toEqual(['DEVICE_LOST']);
    expect(s.state).toBe('disconnected');
    await s.close();
  });
});

describe('scan hub', () => {
  it('merges scanners, folds a duplicate seen by two scanners, forwards state with name and transport', async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    const hub = new ScanHub();
    hub.add(createScanner({ type: 'stdin', input: a, name: 'left' }));
    hub.add(createScanner({ type: 'stdin', input: b, name: 'right' }));
    const scans = new EventLog<Scan>(hub, 'scan');
    const dups = new EventLog<Scan>(hub, 'duplicate');
    const states = new EventLog<ScannerStateEvent>(hub, 'state');
    await hub.start();
    expect(states.items).toEqual([
      { name: 'left', transport: 'stdin', state: 'connected' },
      { name: 'right', transport: 'stdin', state: 'connected' },
    ]);
    a.write('SAME-CODE\n');
    await scans.count(1);
    b.write('SAME-CODE\nOTHER\n');
    await scans.count(2);
    await dups.count(1);
    expect(scans.items.map((s) => [s.source, s.text])).toEqual([
      ['left', 'SAME-CODE'],
      ['right', 'OTHER'],
    ]);
    expect(hub.scanners()).toEqual([
      { name: 'left', transport: 'stdin', state: 'connected' },
      { name: 'right', transport: 'stdin', state: 'connected' },
    ]);
    await hub.close();
    expect(hub.scanners().map((s) => s.state)).toEqual(['disconnected', 'disconnected']);
  });

  it('start() rejects a scanner that cannot work (a present HID path that is not hidraw) and closes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proofdesk-hub-'));
    const notHidraw = join(dir, 'ttyS0');
    writeFileSync(notHidraw, '');
    const hub = new ScanHub();
    const input = new PassThrough();
    hub.add(createScanner({ type: 'stdin', input }));
    hub.add(createScanner({ type: 'hid-pos', path: notHidraw }));
    await expect(hub.start()).rejects.toMatchObject({ code: 'BAD_CONFIG' });
    expect(hub.scanners()[0]!.state).toBe('disconnected');
    rmSync(dir, { recursive: true, force: true });
  });

  it('createScanner refuses an unknown type and a bad baud rate with BAD_CONFIG', () => {
    expect(() => createScanner({ type: 'bluetooth' } as never)).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
    expect(() => createScanner({ type: 'serial', path: '/dev/null', baud: -1 })).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });

  it('takes a Scanner made elsewhere (as the firmware bridge does) and opens one added after start()', async () => {
    /** The smallest thing that satisfies the Scanner contract, the way another module would implement it. */
    class ElsewhereScanner extends EventEmitter implements Scanner {
      readonly name = 'bridge-0';
      readonly transport = 'bridge' as const;
      calls: string[] = [];
      async open() {
        this.calls.push('open');
        this.emit('state', 'connected');
      }
      enable() {
        this.calls.push('enable');
      }
      disable() {
        this.calls.push('disable');
      }
      async close() {
        this.calls.push('close');
        this.emit('state', 'disconnected');
      }
    }
    const hub = new ScanHub();
    const scans = new EventLog<Scan>(hub, 'scan');
    await hub.start();
    const late = new ElsewhereScanner();
    hub.add(late);
    await vi.waitFor(() => expect(late.calls).toEqual(['open', 'enable']), { timeout: 10_000 });
    expect(hub.scanners()).toEqual([{ name: 'bridge-0', transport: 'bridge', state: 'connected' }]);
    const scan: Scan = {
      data: Buffer.from('HC1:X'),
      text: 'HC1:X',
      symbology: 'qr',
      transport: 'bridge',
      source: 'bridge-0',
      at: Date.now(),
    };
    late.emit('scan', scan);
    late.emit('scan', { ...scan, at: scan.at + 10 });
    await scans.count(1);
    expect(scans.items).toEqual([scan]);
    await hub.close();
    expect(late.calls).toEqual(['open', 'enable', 'close']);
    expect(hub.scanners()[0]!.state).toBe('disconnected');
  });
});
