/**
 * Keyboard-wedge scanners read as HID. Exclusive where possible: node-hid's libusb backend detaches the kernel
 * keyboard driver while the device is open, so the scanner cannot type into whatever has focus. Where that fails
 * (no access to /dev/bus/usb, or the process already uses the hidraw backend) we read a copy through hidraw and say
 * so loudly: the keystrokes then ALSO reach the console or focused window.
 */
import type { HIDAsync } from 'node-hid';
import { ScanError } from './errors.js';
import { hasKeyboardInput, parseReportDescriptor } from './hid-descriptor.js';
import { loadHid, preferHidDriver, readReportDescriptor, type HidIdentity } from './hid.js';
import { HidScanner } from './hid-scanner.js';
import { KeyboardFramer, type KeyboardLayout, type KeyboardSuffix } from './keyboard.js';
import { AIM_ID_LENGTH, DEFAULT_KEYBOARD_IDLE_MS, DEFAULT_MAX_LENGTH } from './limits.js';

export interface HidKeyboardScannerConfig {
  type: 'hid-keyboard';
  /** /dev/hidrawN of the scanner's keyboard interface. */
  path: string;
  layout?: KeyboardLayout;
  suffix?: KeyboardSuffix;
  idleMs?: number;
  name?: string;
  maxLength?: number;
}

export class HidKeyboardScanner extends HidScanner {
  readonly transport = 'hid-keyboard' as const;
  /** Whether the device is held exclusively (its keystrokes do not reach the OS). */
  exclusive = false;

  constructor(private readonly cfg: HidKeyboardScannerConfig) {
    super(cfg.name ?? cfg.path, cfg.path);
    preferHidDriver('libusb');
  }

  protected prepare(path: string) {
    // Never take (exclusively!) a device that is not a keyboard: a mouse or touch screen named here by mistake.
    if (!hasKeyboardInput(parseReportDescriptor(readReportDescriptor(path)))) {
      throw new ScanError('UNSUPPORTED_LAYOUT', `${path} sends no keyboard input, so it cannot be a keyboard-wedge scanner`);
    }
    const maxLength = this.cfg.maxLength ?? DEFAULT_MAX_LENGTH;
    const framer = new KeyboardFramer(this.cfg.layout ?? 'us', this.cfg.suffix ?? 'enter', maxLength + AIM_ID_LENGTH + 1);
    return { framer, maxLength, idleMs: this.cfg.idleMs ?? DEFAULT_KEYBOARD_IDLE_MS };
  }

  /** After a replug, the interface of the device that types (a scanner may also offer HID POS or vendor ones). */
  protected override accepts(path: string): boolean {
    try {
      return hasKeyboardInput(parseReportDescriptor(readReportDescriptor(path)));
    } catch {
      return false;
    }
  }

  protected async openDevice(path: string, identity: HidIdentity | null): Promise<HIDAsync> {
    const { hid, driver } = await loadHid();
    if (driver === 'libusb') {
      // The backend is fixed for this process, so there is no falling back to a (non-exclusive) hidraw read here.
      if (!identity) throw new Error(`no USB identity for ${path} in sysfs, so it cannot be opened through libusb`);
      try {
        const device = await hid.HIDAsync.open(identity.vendorId, identity.productId);
        this.exclusive = true;
        return device;
      } catch (err) {
        throw new Error(
          `cannot take keyboard-wedge scanner ${path} exclusively through libusb (${(err as Error).message}): it is NOT ` +
            'being read, and its keystrokes still go to the focused window or console. Give the service group access ' +
            'to the USB device node (hardware/udev/70-proofdesk-scanners.rules)',
          { cause: err },
        );
      }
    }
    this.exclusive = false;
    this.report(
      new ScanError(
        'NOT_EXCLUSIVE',
        `keyboard-wedge scanner ${path} is NOT held exclusively (node-hid was already loaded with the hidraw backend by ` +
          'another scanner in this process): every scan is ALSO typed into the focused window or console. Switch the ' +
          'scanner to HID POS or USB serial (CDC) mode; see docs/scanners.md',
      ),
    );
    return hid.HIDAsync.open(path);
  }
}
