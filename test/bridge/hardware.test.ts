/**
 * hardware/ against the firmware: the wiring table must say exactly what the board header says (signal, MCU pin,
 * header pin), and the udev rule must match the USB id auto-detection trusts. No hardware is needed for these.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ST_LINK_V2_1, UDEV_SYMLINK } from '../../src/bridge/detect.js';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');

interface Pin {
  signal: string;
  mcu: string;
  header: string;
}

/** The board header's machine-readable pin lines (format: firmware-bridge/README.md, "Board header format"). */
function boardPins(header: string): Pin[] {
  const re = /^#define PIN_(\w+)\s+PORT_([A-H]),\s*(\d+)\s*\/\*\s*([^:]+):\s*(.*?)\s*\*\//gm;
  return [...header.matchAll(re)].map((m) => ({ signal: m[1]!, mcu: `P${m[2]}${m[3]}`, header: m[4]!.trim() }));
}

/** The wiring table's rows: | SIGNAL | PXn | header | … */
function wiringRows(markdown: string): Pin[] {
  const re = /^\|\s*([A-Z][A-Z0-9_]+)\s*\|\s*(P[A-H]\d{1,2})\s*\|\s*([^|]+?)\s*\|/gm;
  return [...markdown.matchAll(re)].map((m) => ({ signal: m[1]!, mcu: m[2]!, header: m[3]! }));
}

describe('hardware docs agree with the firmware', () => {
  const header = read('firmware-bridge/boards/nucleo_f411re.h');
  const wiring = read('hardware/wiring.md');

  it('the board header has a pin map to check against', () => {
    expect(boardPins(header).length).toBeGreaterThanOrEqual(16);
  });

  it('the wiring table lists exactly the header pins, with the same MCU and header pins', () => {
    const bySignal = (pins: Pin[]): Record<string, Pin> => Object.fromEntries(pins.map((p) => [p.signal, p]));
    expect(bySignal(wiringRows(wiring))).toEqual(bySignal(boardPins(header)));
    expect(wiringRows(wiring)).toHaveLength(boardPins(header).length); // no duplicates
  });

  it('no MCU pin is used twice', () => {
    const mcu = boardPins(header).map((p) => p.mcu);
    expect(new Set(mcu).size).toBe(mcu.length);
  });

  it('the parser is strict enough to notice a wrong pin', () => {
    const altered = wiring.replace('| SCANNER_RX | PA10 | D2 |', '| SCANNER_RX | PA11 | D2 |');
    expect(altered).not.toBe(wiring);
    const rx = wiringRows(altered).find((p) => p.signal === 'SCANNER_RX');
    expect(rx).toEqual({ signal: 'SCANNER_RX', mcu: 'PA11', header: 'D2' });
  });

  it('the flashing guide and BOM name the build outputs and the board that exist', () => {
    const flashing = read('hardware/flashing.md');
    expect(flashing).toContain('firmware-bridge/build/stm32f4/proofdesk-bridge.bin');
    expect(flashing).toContain('firmware-bridge/build/stm32f4/proofdesk-bridge.elf');
    expect(read('firmware-bridge/Makefile')).toContain('proofdesk-bridge.bin');
    expect(read('hardware/bom.md')).toMatch(/NUCLEO-F411RE/);
  });
});

describe('udev rule for the bridge', () => {
  const rules = read('hardware/udev/71-proofdesk-bridge.rules');
  const lines = rules.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const TOKEN = /^\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*$/;

  it('every line is a list of KEY op "value" pairs', () => {
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) for (const part of line.split(/,(?=\s*[A-Z])/)) expect(part, line).toMatch(TOKEN);
  });

  it('matches the ST-LINK/V2-1 id detection uses, tells ModemManager to keep away, and makes the stable symlink', () => {
    const tty = lines.find((l) => l.includes('SUBSYSTEM=="tty"'))!;
    expect(tty).toContain(`ATTRS{idVendor}=="${ST_LINK_V2_1.vendorId}"`);
    expect(tty).toContain(`ATTRS{idProduct}=="${ST_LINK_V2_1.productId}"`);
    expect(tty).toContain('ENV{ID_MM_DEVICE_IGNORE}="1"');
    expect(tty).toContain('GROUP="proofdesk"');
    expect(tty).toContain(`SYMLINK+="${UDEV_SYMLINK.replace('/dev/', '')}"`);
  });
});
