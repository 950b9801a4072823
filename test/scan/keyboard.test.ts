/**
 * Keyboard-wedge decoding on boot reports built from the HID Usage Tables (Keyboard/Keypad page 0x07) and the boot
 * keyboard report of the HID specification: modifiers byte (LShift 0x02, RShift 0x20), reserved byte, six key slots; a scanner
 * sends a press report then a release report per character. No recorded wedge traffic was available.
 */
import { describe, expect, it } from 'vitest';
import { BootKeyboardDecoder, KeyboardFramer } from '../../src/scan/keyboard.js';
import { finishFrame } from '../../src/scan/guard.js';
import type { FrameOut } from '../../src/scan/index.js';
import { BASE45, ENTER, RELEASE, SHIFT, TAB, press, typed } from './fixtures.js';

const decodeAll = (layout: 'us' | 'uk', reports: Buffer[]) => {
  const d = new BootKeyboardDecoder(layout);
  return Buffer.concat(reports.map((r) => d.decode(r))).toString('latin1');
};
const texts = (outs: FrameOut[]) => outs.map((o) => (o.kind === 'frame' ? o.data.toString('latin1') : o.reason));

describe('boot keyboard decoding', () => {
  it('types all 45 Base45 characters identically on US and UK layouts', () => {
    expect(BASE45).toHaveLength(45);
    const reports = typed(BASE45);
    expect(reports).toHaveLength(90);
    expect(decodeAll('us', reports)).toBe(BASE45);
    expect(decodeAll('uk', reports)).toBe(BASE45);
  });

  it('differs between US and UK where the layouts differ (" @ # £ \\)', () => {
    const reports = [press(SHIFT, 0x1f), RELEASE, press(SHIFT, 0x20), RELEASE, press(SHIFT, 0x34), RELEASE, press(0, 0x32), RELEASE];
    expect(decodeAll('us', reports)).toBe('@#"\\');
    expect(decodeAll('uk', reports)).toBe('"\u00a3@#');
    expect(Buffer.from(decodeAll('uk', [press(SHIFT, 0x20)]), 'latin1')).toEqual(Buffer.from([0xa3])); // £ is one latin1 byte
    // Usage 0x31 (US backslash key) is KEY_BACKSLASH on Linux, like 0x32: # ~ on a UK layout, \ | on a US one.
    expect(decodeAll('uk', [press(0, 0x31), RELEASE, press(SHIFT, 0x31), RELEASE])).toBe('#~');
    expect(decodeAll('us', [press(0, 0x31), RELEASE, press(SHIFT, 0x31), RELEASE])).toBe('\\|');
  });

  it('counts a held key once, a re-pressed key twice, and handles right shift and several keys in one report', () => {
    expect(decodeAll('us', [press(0, 0x04), press(0, 0x04), RELEASE])).toBe('a');
    expect(decodeAll('us', [press(0, 0x04), RELEASE, press(0, 0x04), RELEASE])).toBe('aa');
    expect(decodeAll('us', [press(0x20, 0x05), RELEASE])).toBe('B');
    expect(decodeAll('us', [Buffer.from([0, 0, 0x1e, 0x1f, 0x20, 0, 0, 0]), RELEASE])).toBe('123');
  });

  it('reads a report with a report-id byte in front', () => {
    expect(decodeAll('us', [Buffer.from([0x01, SHIFT, 0, 0x14, 0, 0, 0, 0, 0])])).toBe('Q');
  });

  it('turns Ctrl+] into GS (GS1 data) and unmappable keys into SUB, which the guard drops as noise', () => {
    expect(decodeAll('us', [press(0x01, 0x30)])).toBe('\x1d');
    const f = new KeyboardFramer('us', 'enter', 100);
    const outs = [...typed('AB'), press(0, 0x3a), RELEASE, press(0, ENTER), RELEASE].flatMap((r) => f.push(r));
    expect(outs).toHaveLength(1);
    expect(finishFrame(outs[0]!, 100)).toEqual({ kind: 'drop', reason: 'SCAN_NOISE' });
  });

  it('ignores rollover (phantom) reports', () => {
    expect(decodeAll('us', [Buffer.from([0, 0, 1, 1, 1, 1, 1, 1])])).toBe('');
  });
});

describe('keyboard framing: suffix and idle end', () => {
  const code = 'NCFOXN%TS3DH0.2:$*+-/ 9';

  it('ends a scan at the Enter suffix (UK layout)', () => {
    const f = new KeyboardFramer('uk', 'enter', 4300);
    expect(texts([...typed(code, ENTER), ...typed('SECOND', ENTER)].flatMap((r) => f.push(r)))).toEqual([code, 'SECOND']);
  });

  it('ends a scan at the Tab suffix', () => {
    const f = new KeyboardFramer('us', 'tab', 4300);
    expect(texts(typed(code, TAB).flatMap((r) => f.push(r)))).toEqual([code]);
  });

  it('with no suffix, the idle gap ends the scan', () => {
    const f = new KeyboardFramer('us', 'none', 4300);
    expect(typed(code).flatMap((r) => f.push(r))).toEqual([]);
    expect(f.pending).toBe(true);
    expect(texts(f.idle())).toEqual([code]);
  });

  it('with a suffix, an idle gap before it means the scan was cut off', () => {
    const f = new KeyboardFramer('us', 'enter', 4300);
    typed('HALF').forEach((r) => {
      f.push(r);
    });
    expect(texts(f.idle())).toEqual(['SCAN_INCOMPLETE']);
  });

  it('an AIM prefix typed by the wedge is stripped by the guard', () => {
    const f = new KeyboardFramer('us', 'enter', 4300);
    // ] is 0x30 unshifted on both layouts.
    const reports = [press(0, 0x30), RELEASE, press(SHIFT, 0x14), RELEASE, press(0, 0x1e), RELEASE, ...typed('ABC', ENTER)];
    const outs = reports.flatMap((r) => f.push(r));
    expect(finishFrame(outs[0]!, 4296)).toEqual({ kind: 'scan', data: Buffer.from('ABC'), symbology: 'qr' });
  });
});
