/**
 * HID scanners (HID POS and keyboard wedge) share the device handling: open with node-hid's HIDAsync (never the
 * sync close during a read, which can crash), read reports, and on a read error close and look for the device again.
 * node-hid has no hotplug events; we poll sysfs with back-off instead of enumerating every HID device.
 */
import { existsSync } from 'node:fs';
import type { HIDAsync } from 'node-hid';
import { ScanError } from './errors.js';
import type { Framer } from './frame.js';
import { findHidraw, loadHid, readIdentity, type HidIdentity } from './hid.js';
import { Retry } from './retry.js';
import { BaseScanner } from './scanner.js';

export abstract class HidScanner extends BaseScanner {
  private device: HIDAsync | null = null;
  private closing = false;
  private identity: HidIdentity | null = null;
  private readonly retry = new Retry(() => this.reconnect());

  constructor(
    name: string,
    protected readonly path: string,
  ) {
    super(name);
  }

  /** Builds the framer for this device (may read its descriptor); throws ScanError for a device we cannot use. */
  protected abstract prepare(path: string): { framer: Framer; maxLength: number; idleMs: number };
  /** Opens the device; the keyboard scanner tries the exclusive libusb route here. */
  protected abstract openDevice(path: string, identity: HidIdentity | null): Promise<HIDAsync>;
  /** Whether a hidraw node found after a replug is the right interface of the device. */
  protected accepts(_path: string): boolean {
    return true;
  }

  /**
   * Resolves once the first attempt is made. A device that is absent (unplugged) keeps being retried; a device that
   * is present but unusable (not hidraw, no HID POS layout, unreadable descriptor) makes open() reject.
   */
  async open(): Promise<void> {
    this.closing = false;
    await loadHid();
    const present = existsSync(this.path);
    this.identity = present ? readIdentity(this.path) : null;
    try {
      if (!present) throw new Error('no such device (unplugged?)');
      await this.connect(this.path);
    } catch (err) {
      if (
        present &&
        err instanceof ScanError &&
        (err.code === 'BAD_DESCRIPTOR' || err.code === 'UNSUPPORTED_LAYOUT' || err.code === 'BAD_CONFIG')
      ) {
        throw err;
      }
      this.report(new ScanError('OPEN_FAILED', `cannot open ${this.path}: ${(err as Error).message}; retrying`, { cause: err }));
      this.setState('reconnecting');
      this.retry.start();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.retry.stop();
    this.stopFraming();
    const device = this.device;
    this.device = null;
    if (device) await device.close().catch(() => undefined);
    this.setState('disconnected');
  }

  private async connect(path: string): Promise<void> {
    const { framer, maxLength, idleMs } = this.prepare(path);
    const device = await this.openDevice(path, this.identity);
    if (this.closing) {
      await device.close().catch(() => undefined);
      return;
    }
    this.startFraming(framer, { maxLength, idleMs });
    this.device = device;
    device.on('data', (report: Buffer) => this.input(report));
    device.on('error', (err: Error) => {
      if (this.device !== device) return;
      this.device = null;
      void device.close().catch(() => undefined);
      if (this.closing) return;
      this.cutInput();
      this.setState('disconnected');
      this.report(new ScanError('DEVICE_LOST', `${path}: ${err.message}; retrying`, { cause: err }));
      this.setState('reconnecting');
      this.retry.start();
    });
    this.setState('connected');
  }

  private async reconnect(): Promise<boolean> {
    if (this.closing) return true;
    const path = this.locate();
    if (!path) return false;
    try {
      await this.connect(path);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Where the device is now. hidraw numbers change on replug (and /dev/hidraw3 may then be another device), so once
   * the USB identity is known it decides; a device absent at start-up is identified when its path first appears.
   */
  private locate(): string | null {
    if (!this.identity && existsSync(this.path)) this.identity = readIdentity(this.path);
    if (this.identity) return findHidraw(this.identity, (p) => this.accepts(p));
    return existsSync(this.path) ? this.path : null;
  }
}
