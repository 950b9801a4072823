/**
 * Discovery. Listing shows everything (for the installer); auto-configuration takes only devices that are surely
 * scanners: a known scanner vendor's serial port, or a HID POS interface (usage page 0x8C). Never a keyboard, a
 * generic serial port or a modem — those are used only when the configuration names them.
 */
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { ScannerConfig } from './config.js';
import { ScanError } from './errors.js';
import { POS_PAGE } from './hid-descriptor.js';
import { loadHid } from './hid.js';
import type { Transport } from './types.js';
import { scannerVendor } from './vendors.js';

export interface DeviceEntry {
  kind: 'serial' | 'hid';
  path: string;
  vendorId?: number;
  productId?: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  /** HID only (hidraw backend). */
  usagePage?: number;
  usage?: number;
  /** The scanner maker, when the USB vendor id is a known one. */
  scannerVendor?: string;
  /** The transport this device could be used with, if any. */
  fits?: Transport;
  /** Whether auto-discovery would take it. */
  autoDiscovered: boolean;
}

export interface DeviceList {
  devices: DeviceEntry[];
  /** What could not be looked at and why (missing udevadm, libusb…). */
  notes: string[];
}

const hex = (s: string | undefined) => (s && /^[0-9a-f]{1,4}$/i.test(s) ? parseInt(s, 16) : undefined);

export async function listDevices(): Promise<DeviceList> {
  const devices: DeviceEntry[] = [];
  const notes: string[] = [];

  try {
    for (const p of await SerialPort.list()) {
      const vendorId = hex(p.vendorId);
      const vendor = scannerVendor(vendorId);
      const byId = p.pnpId ? `/dev/serial/by-id/${p.pnpId}` : undefined;
      devices.push(
        clean({
          kind: 'serial',
          path: byId && existsSync(byId) ? byId : p.path,
          vendorId,
          productId: hex(p.productId),
          manufacturer: p.manufacturer,
          serialNumber: p.serialNumber,
          scannerVendor: vendor,
          fits: 'serial',
          autoDiscovered: vendor !== undefined,
        }),
      );
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    notes.push(
      /udevadm|ENOENT/.test(msg)
        ? `serial ports not listed: udevadm is missing (Debian package "udev") — ${msg}`
        : `serial ports not listed: ${msg}`,
    );
  }

  try {
    const { hid, driver } = await loadHid();
    if (driver === 'libusb') notes.push('HID listed through libusb: usage pages are not available, so HID POS cannot be recognised');
    for (const d of await hid.devicesAsync()) {
      const vendor = scannerVendor(d.vendorId);
      const isPos = d.usagePage === POS_PAGE;
      const isKeyboard = d.usagePage === 0x01 && d.usage === 0x06;
      devices.push(
        clean({
          kind: 'hid',
          path: d.path ?? '',
          vendorId: d.vendorId,
          productId: d.productId,
          manufacturer: d.manufacturer,
          product: d.product,
          serialNumber: d.serialNumber,
          usagePage: d.usagePage,
          usage: d.usage,
          scannerVendor: vendor,
          fits: isPos ? 'hid-pos' : isKeyboard && vendor ? 'hid-keyboard' : undefined,
          autoDiscovered: isPos && Boolean(d.path),
        }),
      );
    }
  } catch (err) {
    notes.push(err instanceof ScanError ? `HID devices not listed: ${err.message}` : `HID devices not listed: ${String(err)}`);
  }
  return { devices, notes };
}

export async function discoverScanners(): Promise<{ configs: ScannerConfig[]; notes: string[] }> {
  const { devices, notes } = await listDevices();
  const configs: ScannerConfig[] = [];
  for (const d of devices) {
    if (d.autoDiscovered && d.kind === 'serial') {
      // USB-CDC ignores the baud rate; CR (and CR LF) is the factory suffix of most scanners.
      configs.push({ type: 'serial', path: d.path, eol: 'cr', name: `${d.scannerVendor} ${d.path}` });
    } else if (d.autoDiscovered && d.kind === 'hid') {
      configs.push({ type: 'hid-pos', path: d.path, name: `${d.scannerVendor ?? 'HID POS'} ${d.path}` });
    } else if (d.fits === 'hid-keyboard') {
      notes.push(
        `${d.scannerVendor} keyboard-wedge scanner at ${d.path} not used: name it in the configuration (type hid-keyboard) ` +
          'or better, switch it to HID POS or USB serial mode',
      );
    }
  }
  return { configs, notes };
}

function clean(e: DeviceEntry): DeviceEntry {
  for (const k of Object.keys(e) as Array<keyof DeviceEntry>) if (e[k] === undefined) delete e[k];
  return e;
}
