/**
 * The udev rules cannot be exercised without a USB scanner, so we check what can be checked offline: every rule
 * line is well-formed (KEY op "value", comma-separated), and the vendor ids match the ones discovery trusts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCANNER_VENDORS } from '../../src/scan/vendors.js';

const RULES = readFileSync(join(resolve(import.meta.dirname, '../..'), 'hardware/udev/70-proofdesk-scanners.rules'), 'utf8');
const rules = RULES.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
const TOKEN = /^\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*$/;

describe('udev rules for scanners', () => {
  it('every line is a list of KEY op "value" pairs', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const line of rules) for (const part of line.split(/,(?=\s*[A-Z])/)) expect(part, line).toMatch(TOKEN);
  });

  it('matches exactly the scanner vendors discovery knows', () => {
    const want = [...SCANNER_VENDORS.keys()].map((v) => v.toString(16).padStart(4, '0')).sort();
    const vendorLines = rules.filter((l) => /idVendor/.test(l));
    expect(vendorLines).toHaveLength(3);
    for (const line of vendorLines) {
      const ids = /idVendor\}=="([^"]+)"/.exec(line)![1]!.split('|').sort();
      expect(ids).toEqual(want);
    }
  });

  it('grants the service group, ignores ModemManager on ttys, and makes stable symlinks', () => {
    const tty = rules.find((l) => l.includes('SUBSYSTEM=="tty"'))!;
    expect(tty).toContain('ENV{ID_MM_DEVICE_IGNORE}="1"');
    expect(tty).toContain('GROUP="proofdesk"');
    expect(tty).toContain('MODE="0660"');
    expect(tty).toMatch(/SYMLINK\+="proofdesk\//);
    const hid = rules.find((l) => l.includes('SUBSYSTEM=="hidraw"'))!;
    expect(hid).toContain('GROUP="proofdesk"');
    expect(hid).toMatch(/SYMLINK\+="proofdesk\//);
    expect(RULES).toMatch(/ACTION=="remove", GOTO="(\w+)"[\s\S]*LABEL="\1"/);
  });
});
