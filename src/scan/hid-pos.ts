/** USB HID POS scanners (usage page 0x8C): fields found from the device's own report descriptor. */
import type { HIDAsync } from 'node-hid';
import { ScanError } from './errors.js';
import { findHidPosLayout, parseReportDescriptor } from './hid-descriptor.js';
import { HidPosReassembler } from './hid-pos-reports.js';
import { loadHid, readReportDescriptor, type HidIdentity } from './hid.js';
import { DEFAULT_HID_POS_IDLE_MS, DEFAULT_MAX_LENGTH } from './limits.js';
import { HidScanner } from './hid-scanner.js';

export interface HidPosScannerConfig {
  type: 'hid-pos';
  /** /dev/hidrawN */
  path: string;
  name?: string;
  maxLength?: number;
}

export class HidPosScanner extends HidScanner {
  readonly transport = 'hid-pos' as const;

  constructor(private readonly cfg: HidPosScannerConfig) {
    super(cfg.name ?? cfg.path, cfg.path);
  }

  protected prepare(path: string) {
    const layout = findHidPosLayout(parseReportDescriptor(readReportDescriptor(path)));
    if (!layout) throw new ScanError('UNSUPPORTED_LAYOUT', `${path} has no HID POS scanned-data report (usage page 0x8C, Decoded Data)`);
    const maxLength = this.cfg.maxLength ?? DEFAULT_MAX_LENGTH;
    return { framer: new HidPosReassembler(layout, maxLength), maxLength, idleMs: DEFAULT_HID_POS_IDLE_MS };
  }

  protected override accepts(path: string): boolean {
    try {
      return findHidPosLayout(parseReportDescriptor(readReportDescriptor(path))) !== null;
    } catch {
      return false;
    }
  }

  protected async openDevice(path: string, identity: HidIdentity | null): Promise<HIDAsync> {
    const { hid, driver } = await loadHid();
    // The libusb backend (chosen for an exclusive keyboard wedge) has no hidraw paths: open by vendor/product.
    if (driver === 'libusb') {
      if (!identity) throw new Error(`no USB identity for ${path} under the libusb backend`);
      return hid.HIDAsync.open(identity.vendorId, identity.productId);
    }
    return hid.HIDAsync.open(path);
  }
}
