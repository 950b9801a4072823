/**
 * Serial and USB-CDC scanners through `serialport`. Bytes stay bytes (no decoding); the terminator framer splits
 * scans. serialport never reconnects by itself: after an unplug we make a new SerialPort when the device is back,
 * at the same path or (for USB) wherever the same vendor/product/serial number reappears.
 */
import { existsSync, realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { ScanError } from './errors.js';
import { TerminatorFramer, type Eol } from './frame.js';
import { AIM_ID_LENGTH, DEFAULT_MAX_LENGTH, DEFAULT_SERIAL_GAP_MS, DEFAULT_SERIAL_IDLE_MS } from './limits.js';
import { Retry } from './retry.js';
import { BaseScanner } from './scanner.js';
import { treatEofAsDisconnect } from './serial-eof.js';

export interface SerialScannerConfig {
  type: 'serial';
  path: string;
  /** Ignored by USB-CDC devices; RS-232 scanners commonly default to 9600 (some 115200). */
  baud?: number;
  eol?: Eol;
  /** With a terminator: silence that cuts off a scan. With `none`: silence that ends one. */
  idleMs?: number;
  name?: string;
  maxLength?: number;
}

interface UsbIdentity {
  vendorId: string;
  productId: string;
  serialNumber: string | undefined;
}

export class SerialScanner extends BaseScanner {
  readonly transport = 'serial' as const;
  private port: SerialPort | null = null;
  private closing = false;
  private identity: UsbIdentity | null = null;
  private readonly retry = new Retry(() => this.reconnect());
  private readonly eol: Eol;

  constructor(private readonly cfg: SerialScannerConfig) {
    super(cfg.name ?? cfg.path);
    this.eol = cfg.eol ?? 'cr';
    const baud = cfg.baud ?? 9600;
    if (!Number.isInteger(baud) || baud <= 0) throw new ScanError('BAD_CONFIG', `baud must be a positive integer, got ${cfg.baud}`);
    const maxLength = cfg.maxLength ?? DEFAULT_MAX_LENGTH;
    if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > DEFAULT_MAX_LENGTH) {
      throw new ScanError('BAD_CONFIG', `maxLength must be 1…${DEFAULT_MAX_LENGTH}, got ${cfg.maxLength}`);
    }
  }

  private get maxLength(): number {
    return this.cfg.maxLength ?? DEFAULT_MAX_LENGTH;
  }

  /** Resolves once the first attempt is made; if the device is absent it keeps retrying (see 'state' / 'error'). */
  async open(): Promise<void> {
    this.closing = false;
    const idleMs = this.cfg.idleMs ?? (this.eol === 'none' ? DEFAULT_SERIAL_GAP_MS : DEFAULT_SERIAL_IDLE_MS);
    // +1: in `lf` mode the CR of a CR LF is buffered until the LF shows it was part of the terminator.
    this.startFraming(new TerminatorFramer(this.eol, this.maxLength + AIM_ID_LENGTH + 1), { maxLength: this.maxLength, idleMs });
    try {
      await this.connect(this.cfg.path);
    } catch (err) {
      this.report(new ScanError('OPEN_FAILED', `cannot open ${this.cfg.path}: ${messageOf(err)}; retrying`, { cause: err }));
      this.setState('reconnecting');
      this.retry.start();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.retry.stop();
    this.stopFraming();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.setState('disconnected');
  }

  private async connect(path: string): Promise<void> {
    const port = new SerialPort({ path, baudRate: this.cfg.baud ?? 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    treatEofAsDisconnect(port);
    if (this.closing) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
      return;
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.input(chunk));
    port.on('error', (err: Error) => this.report(new ScanError('DEVICE_LOST', `${path}: ${err.message}`, { cause: err })));
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = null;
      if (this.closing) return;
      this.lost();
    });
    this.setState('connected');
    void this.learnIdentity(path);
  }

  private lost(): void {
    // A scan cut off by the unplug is dropped (SCAN_INCOMPLETE), never delivered half.
    this.cutInput();
    this.setState('disconnected');
    this.setState('reconnecting');
    this.retry.start();
  }

  private async reconnect(): Promise<boolean> {
    if (this.closing) return true;
    const path = existsSync(this.cfg.path) ? this.cfg.path : await this.findByIdentity();
    if (!path) return false;
    try {
      await this.connect(path);
      return true;
    } catch {
      return false;
    }
  }

  /** Remember vendor/product/serial of a USB port, so it can be found again if it returns under another name. */
  private async learnIdentity(path: string): Promise<void> {
    try {
      const real = realpathSync(path);
      if (real.startsWith('/dev/pts/')) return;
      const entry = (await SerialPort.list()).find((p) => p.path === real);
      if (entry?.vendorId && entry.productId) {
        this.identity = {
          vendorId: entry.vendorId.toLowerCase(),
          productId: entry.productId.toLowerCase(),
          serialNumber: entry.serialNumber,
        };
      }
    } catch {
      // No udevadm: we can still reconnect by path.
    }
  }

  private async findByIdentity(): Promise<string | null> {
    const id = this.identity;
    if (!id) return null;
    try {
      const match = (await SerialPort.list()).find(
        (p) =>
          p.vendorId?.toLowerCase() === id.vendorId &&
          p.productId?.toLowerCase() === id.productId &&
          (id.serialNumber === undefined || p.serialNumber === id.serialNumber),
      );
      return match?.path ?? null;
    } catch {
      return null;
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
