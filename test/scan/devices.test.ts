/** The device libraries load and enumerate on this machine (no scanner attached: empty lists are fine). */
import { describe, expect, it } from 'vitest';
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

  it('discovery never takes a generic serial port (no known scanner vendor id)', async () => {
    const { devices } = await listDevices();
    const { configs } = await discoverScanners();
    for (const d of devices) if (d.kind === 'serial' && !d.scannerVendor) expect(d.autoDiscovered).toBe(false);
    for (const c of configs) expect(c.type === 'serial' || c.type === 'hid-pos').toBe(true);
    expect(configs.length).toBe(devices.filter((d) => d.autoDiscovered).length);
  });

  it('knows the scanner vendors and not generic USB-serial chips', () => {
    expect(scannerVendor(0x0c2e)).toMatch(/Honeywell/);
    expect(scannerVendor(0x05e0)).toMatch(/Zebra/);
    expect(scannerVendor(0x0403)).toBeUndefined(); // FTDI
    expect(scannerVendor(0x1a86)).toBeUndefined(); // CH34x
  });
});
