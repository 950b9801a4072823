/**
 * The thin device layer for USB HID: loading node-hid, reading the report descriptor and USB identity from sysfs,
 * finding a replugged device again. node-hid picks its backend (hidraw or libusb) once per process, at first use.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { ScanError } from './errors.js';

type NodeHid = typeof import('node-hid');
export type HidDriver = 'hidraw' | 'libusb';

let loaded: { hid: NodeHid; driver: HidDriver } | null = null;
let preferred: HidDriver = 'hidraw';

/** Ask for the libusb backend (it detaches the kernel driver while a device is open: exclusive keyboard wedges). */
export function preferHidDriver(driver: HidDriver): void {
  if (!loaded) preferred = driver;
}

export async function loadHid(): Promise<{ hid: NodeHid; driver: HidDriver }> {
  if (loaded) return loaded;
  try {
    const mod = (await import('node-hid')) as NodeHid & { default?: NodeHid };
    const hid = mod.default ?? mod;
    hid.setDriverType(preferred);
    hid.getHidapiVersion(); // forces the native binding to load now, so a missing libusb shows here
    loaded = { hid, driver: preferred };
    return loaded;
  } catch (err) {
    throw new ScanError(
      'HID_UNAVAILABLE',
      `node-hid could not load (${err instanceof Error ? err.message : String(err)}); on Debian install libusb-1.0-0 and libudev1`,
      { cause: err },
    );
  }
}

export interface HidIdentity {
  vendorId: number;
  productId: number;
  serial: string;
}

const SYS_HIDRAW = '/sys/class/hidraw';

/**
 * hidraw node name (`hidraw3`) of a device path, or null when the path is not a hidraw node. Symlinks are followed,
 * so the stable names our udev rules make (`/dev/proofdesk/scanner-hid-…`) work as well as `/dev/hidrawN`.
 */
export function hidrawName(path: string): string | null {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // Absent (unplugged): judge by the name given.
  }
  const name = basename(real);
  return /^hidraw\d+$/.test(name) ? name : null;
}

/** The device's own report descriptor (readable without root). */
export function readReportDescriptor(path: string, sysRoot = SYS_HIDRAW): Buffer {
  const name = hidrawName(path);
  if (!name) throw new ScanError('BAD_CONFIG', `${path} is not a /dev/hidrawN node (or a link to one)`);
  try {
    return readFileSync(`${sysRoot}/${name}/device/report_descriptor`);
  } catch (err) {
    throw new ScanError('BAD_DESCRIPTOR', `cannot read the report descriptor of ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Vendor, product and serial from the HID uevent (HID_ID=0003:00000C2E:00000B01, HID_UNIQ=…). */
export function readIdentity(path: string, sysRoot = SYS_HIDRAW): HidIdentity | null {
  const name = hidrawName(path);
  if (!name) return null;
  try {
    return parseUevent(readFileSync(`${sysRoot}/${name}/device/uevent`, 'utf8'));
  } catch {
    return null;
  }
}

export function parseUevent(text: string): HidIdentity | null {
  const id = /^HID_ID=([0-9A-Fa-f]+):([0-9A-Fa-f]+):([0-9A-Fa-f]+)$/m.exec(text);
  if (!id) return null;
  const serial = /^HID_UNIQ=(.*)$/m.exec(text)?.[1] ?? '';
  return { vendorId: parseInt(id[2]!, 16), productId: parseInt(id[3]!, 16), serial };
}

/** Where a device with this identity is now (hidraw numbers change on replug), by reading sysfs only. */
export function findHidraw(identity: HidIdentity, accept: (path: string) => boolean = () => true, sysRoot = SYS_HIDRAW): string | null {
  let names: string[];
  try {
    names = readdirSync(sysRoot);
  } catch {
    return null;
  }
  for (const name of names) {
    const other = readIdentity(`/dev/${name}`, sysRoot);
    if (
      other &&
      other.vendorId === identity.vendorId &&
      other.productId === identity.productId &&
      other.serial === identity.serial &&
      accept(`/dev/${name}`)
    ) {
      return `/dev/${name}`;
    }
  }
  return null;
}
