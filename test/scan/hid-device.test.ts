/**
 * The HID device layer without a device (this machine has no USB HID): a scanner whose device is absent at start-up
 * keeps retrying, as a serial one does, instead of refusing to start. node-hid loads for real here; nothing is opened.
 * The keyboard-wedge scanner asks for node-hid's libusb backend, so it lives in its own file (one backend per process).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createScanner, type Scanner, type ScannerState } from '../../src/scan/index.js';
import { loadHid } from '../../src/scan/hid.js';

let scanner: Scanner | undefined;
afterEach(async () => {
  await scanner?.close();
  scanner = undefined;
});

async function openAbsent(cfg: Parameters<typeof createScanner>[0]) {
  scanner = createScanner(cfg);
  const errors: Array<{ code: string; message: string }> = [];
  const states: ScannerState[] = [];
  scanner.on('error', (e: { code: string; message: string }) => errors.push(e));
  scanner.on('state', (s: ScannerState) => states.push(s));
  await scanner.open(); // resolves: absent is not a configuration error
  scanner.enable();
  return { errors, states };
}

describe('HID scanners with the device absent at start-up', () => {
  it('keyboard wedge (udev link path): OPEN_FAILED once, then reconnecting; libusb backend chosen for exclusive use', async () => {
    const { errors, states } = await openAbsent({ type: 'hid-keyboard', path: '/dev/proofdesk/scanner-hid-absent-if00' });
    expect(errors.map((e) => e.code)).toEqual(['OPEN_FAILED']);
    expect(errors[0]!.message).toMatch(/no such device/);
    expect(states).toEqual(['reconnecting']);
    expect((await loadHid()).driver).toBe('libusb');
  });

  it('HID POS (/dev/hidrawN that is not there): the same, no descriptor error', async () => {
    const { errors, states } = await openAbsent({ type: 'hid-pos', path: '/dev/hidraw97' });
    expect(errors.map((e) => e.code)).toEqual(['OPEN_FAILED']);
    expect(states).toEqual(['reconnecting']);
  });
});
