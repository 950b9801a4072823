import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findHidPosLayout, hasKeyboardInput, parseReportDescriptor } from '../../src/scan/hid-descriptor.js';
import { HidPosReassembler } from '../../src/scan/hid-pos-reports.js';
import { findHidraw, hidrawName, parseUevent, readIdentity, readReportDescriptor } from '../../src/scan/hid.js';
import { finishFrame } from '../../src/scan/guard.js';
import { Deduper, ScanError, type FrameOut } from '../../src/scan/index.js';
import { base45Text } from './fixtures.js';
import { HONEYWELL_DESCRIPTOR, REVINF_REPORTS, honeywellReports } from './hid-fixtures.js';

const layout = findHidPosLayout(parseReportDescriptor(HONEYWELL_DESCRIPTOR))!;
const feed = (r: HidPosReassembler, reports: Buffer[]) => reports.flatMap((rep) => r.push(rep));
const frames = (outs: FrameOut[]) => outs.filter((o): o is Extract<FrameOut, { kind: 'frame' }> => o.kind === 'frame');
const drops = (outs: FrameOut[]) => outs.filter((o) => o.kind === 'drop').map((o) => (o as { reason: string }).reason);

describe('HID report descriptor parser', () => {
  it('finds the documented Honeywell offsets from the descriptor alone', () => {
    expect(layout).toEqual({
      reportId: 2,
      reportBytes: 64,
      length: { byte: 1 },
      aim: { byte: 2 },
      data: { byte: 5, count: 56 },
      codeId: { byte: 61 },
      continued: { bit: 63 * 8, bits: 1 },
    });
  });

  it('follows the descriptor, not a hard-coded vendor: no report id and no length byte shift the fields', () => {
    // Synthetic layout (no vendor claims it): AIM, 60 data bytes, continued flag; no report ids.
    const desc = Buffer.from([
      0x05, 0x8c, 0x09, 0x02, 0xa1, 0x01, 0x75, 0x08, 0x15, 0x00, 0x26, 0xff, 0x00, 0x09, 0xfb, 0x09, 0xfc, 0x09, 0xfd, 0x95, 0x03, 0x81,
      0x02, 0x09, 0xfe, 0x95, 0x3c, 0x81, 0x02, 0x09, 0xff, 0x95, 0x01, 0x81, 0x02, 0xc0,
    ]);
    expect(findHidPosLayout(parseReportDescriptor(desc))).toEqual({
      reportId: 0,
      reportBytes: 64,
      aim: { byte: 0 },
      data: { byte: 3, count: 60 },
      continued: { bit: 63 * 8, bits: 8 },
    });
  });

  it('returns no layout for a keyboard descriptor (not a HID POS scanner)', () => {
    const keyboard = Buffer.from([
      0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
      0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00,
      0xc0,
    ]);
    expect(findHidPosLayout(parseReportDescriptor(keyboard))).toBeNull();
    expect(hasKeyboardInput(parseReportDescriptor(keyboard))).toBe(true);
  });

  it('tells a keyboard from anything else, so a mouse named by mistake is never taken as a wedge', () => {
    // Boot mouse (HID 1.11 appendix B.2): buttons and X/Y on the Button and Generic Desktop pages, nothing on page 7.
    const mouse = Buffer.from([
      0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x01, 0xa1, 0x00, 0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x95, 0x03,
      0x75, 0x01, 0x81, 0x02, 0x95, 0x01, 0x75, 0x05, 0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x81, 0x25, 0x7f, 0x75, 0x08,
      0x95, 0x02, 0x81, 0x06, 0xc0, 0xc0,
    ]);
    expect(hasKeyboardInput(parseReportDescriptor(mouse))).toBe(false);
    expect(findHidPosLayout(parseReportDescriptor(mouse))).toBeNull();
    expect(hasKeyboardInput(parseReportDescriptor(HONEYWELL_DESCRIPTOR))).toBe(false);
  });

  it('rejects truncated, empty and unbalanced descriptors with BAD_DESCRIPTOR', () => {
    for (const bad of [Buffer.alloc(0), Buffer.from([0x26, 0xff]), Buffer.from([0xc0]), Buffer.alloc(5000)]) {
      expect(() => parseReportDescriptor(bad)).toThrow(ScanError);
      try {
        parseReportDescriptor(bad);
      } catch (e) {
        expect((e as ScanError).code).toBe('BAD_DESCRIPTOR');
      }
    }
  });
});

describe('HID POS reassembly (Honeywell layout)', () => {
  it('joins the recorded Voyager 1602g reports into one message, then a second one', () => {
    const r = new HidPosReassembler(layout, 4296);
    const outs = feed(
      r,
      REVINF_REPORTS.map((a) => Buffer.from(a)),
    );
    const fr = frames(outs);
    expect(fr).toHaveLength(2);
    const first = finishFrame(fr[0]!, 4296);
    expect(first.kind).toBe('scan');
    if (first.kind !== 'scan') return;
    expect(first.data.length).toBe(5 * 56 + 9);
    expect(first.symbology).toBe('other'); // ]X0
    const text = first.data.toString('latin1');
    expect(text.startsWith('Product Name: Voyager 1602g\r\nBoot Revision: : 8992\r\nSoftware Part Number: CW000082BBA')).toBe(true);
    expect(text.endsWith('Checksum: N/A\r\n')).toBe(true);
    // The last report is the command echo with an ACK byte (0x06): not a scan, dropped as noise.
    expect(finishFrame(fr[1]!, 4296)).toEqual({ kind: 'drop', reason: 'SCAN_NOISE' });
    expect(r.pending).toBe(false);
  });

  it('reassembles a 1,500-char QR from 27 reports and reports symbology qr', () => {
    const text = base45Text(1500, 11);
    const reports = honeywellReports(text);
    expect(reports).toHaveLength(27);
    const r = new HidPosReassembler(layout, 4296);
    const outs = reports.flatMap((rep, i) => {
      const o = r.push(rep);
      if (i < 26) expect(o).toEqual([]); // nothing before the last report
      return o;
    });
    const done = finishFrame(frames(outs)[0]!, 4296);
    expect(done).toEqual({ kind: 'scan', data: Buffer.from(text, 'latin1'), symbology: 'qr' });
  });

  it('uses the Honeywell code id when the AIM field is empty', () => {
    const [rep] = honeywellReports('HELLO', '\0\0\0', 's');
    const done = finishFrame(frames(new HidPosReassembler(layout, 4296).push(rep!))[0]!, 4296);
    expect(done).toMatchObject({ kind: 'scan', symbology: 'qr' });
  });

  it('drops a scan cut off mid-way (unplug or idle gap) as SCAN_INCOMPLETE, then takes the next one whole', () => {
    const r = new HidPosReassembler(layout, 4296);
    const reports = honeywellReports(base45Text(1500, 12));
    expect(feed(r, reports.slice(0, 10))).toEqual([]);
    expect(r.pending).toBe(true);
    expect(r.cut()).toEqual([{ kind: 'drop', reason: 'SCAN_INCOMPLETE' }]);
    expect(feed(r, reports.slice(0, 5))).toEqual([]);
    expect(r.idle()).toEqual([{ kind: 'drop', reason: 'SCAN_INCOMPLETE' }]);
    const whole = feed(r, honeywellReports('NEXT-SCAN'));
    expect(frames(whole).map((f) => f.data.toString('latin1'))).toEqual([']Q1NEXT-SCAN']);
  });

  it('treats a new AIM id in the middle of a scan as the start of another scan', () => {
    const r = new HidPosReassembler(layout, 4296);
    const cut = honeywellReports(base45Text(200, 13), ']Q1').slice(0, 2);
    const other = honeywellReports('CODE-128', ']C0', 'j');
    const outs = feed(r, [...cut, ...other]);
    expect(drops(outs)).toEqual(['SCAN_INCOMPLETE']);
    expect(frames(outs).map((f) => f.data.toString('latin1'))).toEqual([']C0CODE-128']);
  });

  it('drops an oversize scan once (SCAN_TOO_LONG) and takes the next scan', () => {
    const r = new HidPosReassembler(layout, 4296);
    const outs = feed(r, [...honeywellReports(base45Text(5000, 14)), ...honeywellReports('AFTER')]);
    expect(drops(outs)).toEqual(['SCAN_TOO_LONG']);
    expect(frames(outs).map((f) => f.data.toString('latin1'))).toEqual([']Q1AFTER']);
  });

  it('ignores other report ids and short reports', () => {
    const r = new HidPosReassembler(layout, 4296);
    expect(r.push(Buffer.from([0x04, 1, 2, 3]))).toEqual([]);
    expect(r.push(Buffer.from([0x02, 5]))).toEqual([]);
    expect(r.pending).toBe(false);
  });

  it('a duplicate (the same code read twice) is two frames here and one scan after the hub duplicate filter', () => {
    const r = new HidPosReassembler(layout, 4296);
    const text = base45Text(300, 15);
    const fr = frames(feed(r, [...honeywellReports(text), ...honeywellReports(text)]));
    expect(fr).toHaveLength(2);
    const dedupe = new Deduper(1500);
    const kept = fr.filter((f, i) => {
      const done = finishFrame(f, 4296);
      return done.kind === 'scan' && dedupe.accept(done.data.toString('latin1'), 1000 + i * 400);
    });
    expect(kept).toHaveLength(1);
  });
});

describe('hidraw sysfs helpers (on a constructed sysfs tree)', () => {
  const root = mkdtempSync(join(tmpdir(), 'proofdesk-sysfs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const node = (name: string, uevent: string, desc: Buffer) => {
    mkdirSync(join(root, name, 'device'), { recursive: true });
    writeFileSync(join(root, name, 'device', 'uevent'), uevent);
    writeFileSync(join(root, name, 'device', 'report_descriptor'), desc);
  };
  node(
    'hidraw0',
    'DRIVER=hid-generic\nHID_ID=0003:00000C2E:00000B01\nHID_NAME=Honeywell Scanner\nHID_UNIQ=17123B4F01\n',
    HONEYWELL_DESCRIPTOR,
  );
  node('hidraw5', 'HID_ID=0003:0000046D:0000C31C\nHID_UNIQ=\n', Buffer.from([0x05, 0x01]));

  it('reads identity and descriptor, and finds a replugged device under a new hidraw number', () => {
    expect(parseUevent('HID_ID=0003:00000C2E:00000B01\nHID_UNIQ=ABC\n')).toEqual({ vendorId: 0x0c2e, productId: 0x0b01, serial: 'ABC' });
    const id = readIdentity('/dev/hidraw0', root)!;
    expect(id).toEqual({ vendorId: 0x0c2e, productId: 0x0b01, serial: '17123B4F01' });
    expect(readReportDescriptor('/dev/hidraw0', root).equals(HONEYWELL_DESCRIPTOR)).toBe(true);
    expect(findHidraw(id, () => true, root)).toBe('/dev/hidraw0');
    expect(findHidraw({ ...id, serial: 'OTHER' }, () => true, root)).toBeNull();
    expect(() => readReportDescriptor('/dev/ttyACM0', root)).toThrow(/not a \/dev\/hidrawN/);
  });

  it('follows a stable udev symlink (/dev/proofdesk/scanner-hid-…) to its hidraw node', () => {
    // Stand-ins for /dev/hidraw0 and the link our udev rule makes to it.
    mkdirSync(join(root, 'dev', 'proofdesk'), { recursive: true });
    writeFileSync(join(root, 'dev', 'hidraw0'), '');
    const link = join(root, 'dev', 'proofdesk', 'scanner-hid-0c2e-0b01-17123B4F01-if00');
    symlinkSync(join(root, 'dev', 'hidraw0'), link);
    expect(hidrawName(link)).toBe('hidraw0');
    expect(readIdentity(link, root)).toEqual({ vendorId: 0x0c2e, productId: 0x0b01, serial: '17123B4F01' });
    expect(readReportDescriptor(link, root).equals(HONEYWELL_DESCRIPTOR)).toBe(true);
    // A link to something that is not a hidraw node is still refused.
    const bad = join(root, 'dev', 'proofdesk', 'scanner-serial');
    writeFileSync(join(root, 'dev', 'ttyACM0'), '');
    symlinkSync(join(root, 'dev', 'ttyACM0'), bad);
    expect(hidrawName(bad)).toBeNull();
  });
});
