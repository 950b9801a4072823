/**
 * Keyboard-wedge decoding: 8-byte boot keyboard reports (modifiers, reserved, six key usages) → latin1 bytes.
 * A character is a key that appears in a report and was not down in the previous one. Enter becomes CR and Tab HT
 * (so the ordinary terminator framer ends the scan); a key with no character becomes SUB (0x1A), which the noise
 * guard rejects, so a scan with an unmappable key is dropped rather than delivered with a hole in it.
 */
import { TerminatorFramer, type Eol, type FrameOut, type Framer } from './frame.js';

export type KeyboardLayout = 'us' | 'uk';

const SUB = 0x1a;
const SHIFT = 0x02 | 0x20;
const CTRL = 0x01 | 0x10;
const ALT_GUI = 0x04 | 0x08 | 0x40 | 0x80;

type KeyTable = ReadonlyMap<number, readonly [string, string]>;

function table(layout: KeyboardLayout): KeyTable {
  const t = new Map<number, readonly [string, string]>();
  for (let k = 0; k < 26; k++) t.set(0x04 + k, [String.fromCharCode(0x61 + k), String.fromCharCode(0x41 + k)]);
  const digitsShifted = layout === 'us' ? '!@#$%^&*()' : '!"£$%^&*()';
  for (let k = 0; k < 10; k++) t.set(0x1e + k, ['1234567890'[k]!, digitsShifted[k]!]);
  t.set(0x28, ['\r', '\r']);
  t.set(0x2b, ['\t', '\t']);
  t.set(0x2c, [' ', ' ']);
  t.set(0x2d, ['-', '_']);
  t.set(0x2e, ['=', '+']);
  t.set(0x2f, ['[', '{']);
  t.set(0x30, [']', '}']);
  t.set(0x33, [';', ':']);
  t.set(0x36, [',', '<']);
  t.set(0x37, ['.', '>']);
  t.set(0x38, ['/', '?']);
  if (layout === 'us') {
    t.set(0x31, ['\\', '|']);
    t.set(0x32, ['\\', '|']); // Linux maps the non-US # key to backslash on a US layout
    t.set(0x34, ["'", '"']);
    t.set(0x35, ['`', '~']);
    t.set(0x64, ['<', '>']);
  } else {
    // Linux maps both the US backslash key (0x31) and the non-US # key (0x32) to KEY_BACKSLASH: # ~ on a UK layout.
    t.set(0x31, ['#', '~']);
    t.set(0x32, ['#', '~']);
    t.set(0x34, ["'", '@']);
    t.set(0x35, ['`', '\u00ac']); // ¬
    t.set(0x64, ['\\', '|']);
  }
  // Keypad (some scanners type digits there); Num Lock assumed on.
  const keypad: Array<[number, string]> = [
    [0x54, '/'],
    [0x55, '*'],
    [0x56, '-'],
    [0x57, '+'],
    [0x58, '\r'],
    [0x62, '0'],
    [0x63, '.'],
  ];
  for (let k = 0; k < 9; k++) keypad.push([0x59 + k, String(k + 1)]);
  for (const [usage, ch] of keypad) t.set(usage, [ch, ch]);
  return t;
}

const TABLES: Record<KeyboardLayout, KeyTable> = { us: table('us'), uk: table('uk') };

/** Boot reports → bytes. Stateful only in remembering which keys were down. */
export class BootKeyboardDecoder {
  private down = new Set<number>();
  private readonly keys: KeyTable;

  constructor(layout: KeyboardLayout) {
    this.keys = TABLES[layout];
  }

  decode(report: Buffer): Buffer {
    // hidraw prefixes a report id when the device uses them; the boot layout is the last 8 bytes.
    const r = report.length > 8 ? report.subarray(report.length - 8) : report;
    if (r.length < 3) return Buffer.alloc(0);
    const mods = r[0]!;
    const keys = [...r.subarray(2)].filter((k) => k > 0x03);
    // 0x01 in the key slots is "phantom state" (rollover): nothing reliable in this report.
    if (r.subarray(2).includes(0x01)) return Buffer.alloc(0);
    const out: number[] = [];
    for (const key of keys) {
      if (this.down.has(key)) continue;
      out.push(this.charOf(key, mods));
    }
    this.down = new Set(keys);
    return Buffer.from(out);
  }

  reset(): void {
    this.down.clear();
  }

  private charOf(key: number, mods: number): number {
    if (mods & ALT_GUI) return SUB;
    if (mods & CTRL) {
      // Ctrl+letter and Ctrl+] are how wedges type control characters (e.g. GS for GS1 data).
      if (key >= 0x04 && key <= 0x1d) return key - 0x04 + 1;
      if (key === 0x30) return 0x1d;
      return SUB;
    }
    const pair = this.keys.get(key);
    if (!pair) return SUB;
    return pair[mods & SHIFT ? 1 : 0].charCodeAt(0);
  }
}

export type KeyboardSuffix = 'enter' | 'tab' | 'none';

const EOL_OF_SUFFIX: Record<KeyboardSuffix, Eol> = { enter: 'cr', tab: 'tab', none: 'none' };

/** Boot reports → frames: the decoder feeding the ordinary terminator framer. */
export class KeyboardFramer implements Framer {
  private readonly decoder: BootKeyboardDecoder;
  private readonly framer: TerminatorFramer;

  constructor(layout: KeyboardLayout, suffix: KeyboardSuffix, limit: number) {
    this.decoder = new BootKeyboardDecoder(layout);
    this.framer = new TerminatorFramer(EOL_OF_SUFFIX[suffix], limit);
  }

  get pending(): boolean {
    return this.framer.pending;
  }

  push(report: Buffer): FrameOut[] {
    const bytes = this.decoder.decode(report);
    return bytes.length ? this.framer.push(bytes) : [];
  }

  idle(): FrameOut[] {
    return this.framer.idle();
  }

  cut(): FrameOut[] {
    this.decoder.reset();
    return this.framer.cut();
  }
}
