/** The device libraries load and enumerate on this machine (no scanner attached: empty lists are fine). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SerialPort } from 'serialport';
import { discoverScanners, listDevices } from '../../src/scan/index.js';
import { loadHid } from '../../src/scan/hid.js';
import { scannerVendor } from '../../src/scan/vendors.js';

describe('device libraries', () => {
  it('node-hid loads (needs Debian libusb-1.0-0) and lists HID devices', async () => {
    const { hid, driver } = await loadHid();
    expect(driver).toBe('hidraw');
    expect(hid.getHidapiVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    const devices = await hid.devicesAsync();
    expect(Array.isArray(devices)).toBe(true);
  });

  it('SerialPort.list() works (needs udevadm from Debian udev)', async () => {
    const ports = await SerialPort.list();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(typeof p.path).toBe('string');
  });

  it('listDevices reports every port, with no notes when udevadm and libusb are present', async () => {
    const { devices, notes } = await listDevices();
    expect(notes).toEqual([]);
    const serial = await SerialPort.list();
    expect(devices.filter((d) => d.kind === 'serial')).toHaveLength(serial.length);
  });

  it('discovery on this machine takes exactly the devices listDevices marks auto-discovered', async () => {
    const { devices } = await listDevices();
    const { configs } = await discoverScanners();
    expect(configs.map((c) => ('path' in c ? c.path : c.type)).sort()).toEqual(
      devices
        .filter((d) => d.autoDiscovered)
        .map((d) => d.path)
        .sort(),
    );
  });
});

// No USB here, so the real listings above are usually empty: the rules are checked on listings shaped like the ones
// serialport and node-hid (hidraw backend) return for real devices.
describe('discovery rules (hand-made device listings)', () => {
  afterEach(() => vi.restoreAllMocks());

  it("takes a known scanner vendor's serial port and a HID POS interface; never a generic serial port or a keyboard", async () => {
    vi.spyOn(SerialPort, 'list').mockResolvedValue([
      {
        path: '/dev/ttyACM0',
        vendorId: '0c2e',
        productId: '0b61',
        manufacturer: 'Honeywell',
        pnpId: undefined,
        serialNumber: 'A1',
        locationId: undefined,
      },
      {
        path: '/dev/ttyUSB0',
        vendorId: '0403',
        productId: '6001',
        manufacturer: 'FTDI',
        pnpId: undefined,
        serialNumber: 'B2',
        locationId: undefined,
      },
      {
        path: '/dev/ttyS0',
        vendorId: undefined,
        productId: undefined,
        manufacturer: undefined,
        pnpId: undefined,
        serialNumber: undefined,
        locationId: undefined,
      },
    ]);
    const { hid } = await loadHid();
    vi.spyOn(hid, 'devicesAsync').mockResolvedValue([
      { vendorId: 0x0c2e, productId: 0x0b01, path: '/dev/hidraw1', usagePage: 0x8c, usage: 0x02, release: 0, interface: 1 },
      { vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw2', usagePage: 0x01, usage: 0x06, release: 0, interface: 0 },
      { vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw3', usagePage: 0x01, usage: 0x06, release: 0, interface: 0 },
    ]);
    const { devices } = await listDevices();
    expect(devices.map((d) => [d.path, d.autoDiscovered])).toEqual([
      ['/dev/ttyACM0', true],
      ['/dev/ttyUSB0', false],
      ['/dev/ttyS0', false],
      ['/dev/hidraw1', true],
      ['/dev/hidraw2', false],
      ['/dev/hidraw3', false],
    ]);
    const { configs, notes } = await discoverScanners();
    expect(configs).toEqual([
      { type: 'serial', path: '/dev/ttyACM0', eol: 'cr', name: 'Honeywell (Metrologic) /dev/ttyACM0' },
      { type: 'hid-pos', path: '/dev/hidraw1', name: 'Honeywell (Metrologic) /dev/hidraw1' },
    ]);
    // The Zebra keyboard wedge is named, not taken; the plain keyboard is not mentioned at all.
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/Zebra.* keyboard-wedge scanner at \/dev\/hidraw2 not used/);
  });

  it('knows the scanner vendors and not generic USB-serial chips', () => {
    expect(scannerVendor(0x0c2e)).toMatch(/Honeywell/);
    expect(scannerVendor(0x05e0)).toMatch(/Zebra/);
    expect(scannerVendor(0x0403)).toBeUndefined(); // FTDI
    expect(scannerVendor(0x1a86)).toBeUndefined(); // CH34x
  });
});
