/**
 * Finding the bridge without being told where it is. Only serial ports whose USB id is the Nucleo's ST-LINK/V2-1
 * (0483:374b) are ever written to, and only with a HELLO; a port counts as a bridge when it answers HELLO_OK.
 * Unknown serial devices (scanners, modems, other boards) are never opened.
 */
import { existsSync, readdirSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { treatEofAsDisconnect } from '../scan/serial-eof.js';
import { BridgeError } from './errors.js';
import { DEFAULT_BAUD_RATE } from './link.js';
import { Session, type FirmwareInfo } from './session.js';

/** The ST-LINK/V2-1 virtual COM port of Nucleo-64 boards (UM1724). */
export const ST_LINK_V2_1 = { vendorId: '0483', productId: '374b' } as const;
/** The stable name hardware/udev/71-proofdesk-bridge.rules gives the bridge. */
export const UDEV_SYMLINK = '/dev/proofdesk/bridge';

export interface PortListing {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** Ports that may be a bridge: ST-LINK/V2-1 by USB id. Pure, so it is tested on recorded listings. */
export function bridgeCandidates(ports: readonly PortListing[]): string[] {
  return ports
    .filter((p) => p.vendorId?.toLowerCase() === ST_LINK_V2_1.vendorId && p.productId?.toLowerCase() === ST_LINK_V2_1.productId)
    .map((p) => p.path)
    .sort();
}

/** Say HELLO on one port and wait for HELLO_OK; the port is closed again either way. */
export async function probeBridge(path: string, options: { baudRate?: number; timeoutMs?: number } = {}): Promise<FirmwareInfo> {
  const port = new SerialPort({ path, baudRate: options.baudRate ?? DEFAULT_BAUD_RATE, autoOpen: false });
  port.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    throw new BridgeError('PORT_OPEN_FAILED', `Cannot open ${path}: ${(err as Error).message}`);
  }
  treatEofAsDisconnect(port); // a hung-up device reads as end of file: close the port, do not spin on it
  const session = new Session(port, { heartbeatMs: 0, handshakeTimeoutMs: options.timeoutMs ?? 1500 });
  try {
    return await session.handshake();
  } finally {
    session.close();
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

export interface DetectOptions {
  /** Listing of serial ports (default: serialport's, which reads udev). */
  list?: () => Promise<PortListing[]>;
  probe?: (path: string) => Promise<FirmwareInfo>;
  /** Check the udev symlink first (default true). */
  useSymlink?: boolean;
}

export interface DetectResult {
  path: string;
  firmware: FirmwareInfo;
  /** Why other candidates were passed over (no personal data; for the log). */
  notes: string[];
}

/** Ports that may be a bridge now: the udev symlink if present, else ST-LINK/V2-1 ports by USB id. Opens nothing. */
async function candidatePaths(options: DetectOptions, notes: string[]): Promise<string[]> {
  if ((options.useSymlink ?? true) && existsSync(UDEV_SYMLINK)) return [UDEV_SYMLINK];
  const list = options.list ?? (() => SerialPort.list());
  try {
    return bridgeCandidates(await list());
  } catch (err) {
    notes.push(`cannot list serial ports: ${(err as Error).message}`);
    return [];
  }
}

const NO_ST_LINK = `no serial port with the ST-LINK/V2-1 USB id ${ST_LINK_V2_1.vendorId}:${ST_LINK_V2_1.productId}`;

/** The first port that is an ST-LINK and answers as a bridge, or NOT_FOUND with the reasons. */
export async function detectBridge(options: DetectOptions = {}): Promise<DetectResult> {
  const notes: string[] = [];
  const probe = options.probe ?? ((path: string) => probeBridge(path));
  const paths = await candidatePaths(options, notes);
  if (paths.length === 0) notes.push(NO_ST_LINK);
  for (const path of paths) {
    try {
      return { path, firmware: await probe(path), notes };
    } catch (err) {
      const code = err instanceof BridgeError ? err.code : 'ERROR';
      notes.push(`${path}: ${code}: ${(err as Error).message}`);
      if (code === 'PROTOCOL_MISMATCH') throw new BridgeError('PROTOCOL_MISMATCH', (err as Error).message);
    }
  }
  throw new BridgeError('NOT_FOUND', `No proofdesk bridge found (${notes.join('; ')}).`);
}

export interface WatchOptions extends DetectOptions {
  /** How often to look at the serial devices while no bridge is connected (default 2000 ms). */
  pollMs?: number;
  /** A candidate that did not answer as a bridge is asked again after this long at the earliest (default 30 s). */
  retryFailedMs?: number;
  /**
   * A cheap fingerprint of the serial devices present; the port listing (which reads the whole udev database) is
   * only taken when it changes or a retry is due. Default: the tty(ACM|USB)* names under /dev — used only with the
   * default listing; with a custom `list` every look lists.
   */
  devices?: (() => string) | null;
  /** How long after the device nodes changed the listing is still taken on every look (default 10 s). */
  settleMs?: number;
}

export interface WatchEvents {
  /** A port answered HELLO as a bridge. */
  found: [DetectResult];
  /** A candidate was passed over (code + reason, no personal data); once per port and reason. */
  note: [{ path: string; code: string; message: string }];
}

function serialDeviceNames(): string {
  try {
    return (
      readdirSync('/dev')
        .filter((n) => /^tty(ACM|USB)\d+$/.test(n))
        .sort()
        .join(',') + (existsSync(UDEV_SYMLINK) ? ',symlink' : '')
    );
  } catch {
    return String(Date.now()); // /dev unreadable: always list
  }
}

/**
 * Keeps looking for a bridge plugged in after the kiosk started (or back on another ttyACM after an unplug).
 * Bounded: one look every `pollMs`, only while `wanted()` says a bridge is missing; the port listing only when the
 * device nodes changed; each ST-LINK/V2-1 candidate asked HELLO once when it appears and then at most once per
 * `retryFailedMs`; the port our own link is using (`busy()`) is never probed. Nothing else is ever opened.
 */
export class BridgeWatcher extends EventEmitter<WatchEvents> {
  private readonly pollMs: number;
  private readonly retryFailedMs: number;
  private readonly settleMs: number;
  private readonly devices: (() => string) | null;
  private readonly probe: (path: string) => Promise<FirmwareInfo>;
  /** Candidates asked and refused: when, and why (to note each reason once). */
  private readonly failed = new Map<string, { at: number; code: string }>();
  private lastDevices: string | null = null;
  private changedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DetectResult | null> | null = null;
  private stopped = false;

  constructor(
    private readonly options: WatchOptions & {
      /** Whether a bridge is wanted now (none found yet, or ours is down). */
      wanted(): boolean;
      /** The port our own link uses (it reconnects there by itself): never probed. */
      busy(): string | null;
    },
  ) {
    super();
    this.pollMs = options.pollMs ?? 2000;
    this.retryFailedMs = options.retryFailedMs ?? 30_000;
    this.settleMs = options.settleMs ?? 10_000;
    this.devices = options.devices !== undefined ? options.devices : options.list ? null : serialDeviceNames;
    this.probe = options.probe ?? ((path: string) => probeBridge(path));
  }

  /** Look every `pollMs` from now on. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stop looking; waits for a probe in progress to finish (its port closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look now (also what the timer does). Resolves with the bridge found, if any. */
  tick(): Promise<DetectResult | null> {
    if (!this.running) {
      this.running = this.look().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref?.();
  }

  private async look(): Promise<DetectResult | null> {
    if (this.stopped || !this.options.wanted()) return null;
    const now = Date.now();
    const retryDue = [...this.failed.values()].some((f) => now - f.at >= this.retryFailedMs);
    const fingerprint = this.devices?.() ?? null;
    const changed = fingerprint !== this.lastDevices;
    if (changed) this.changedAt = now;
    this.lastDevices = fingerprint;
    // A new device node appears before udev has filled in its USB id: keep listing for a while after a change.
    const settling = now - this.changedAt < this.settleMs;
    if (fingerprint !== null && !changed && !settling && !retryDue) return null;
    const notes: string[] = [];
    const paths = await candidatePaths(this.options, notes);
    for (const path of this.failed.keys()) if (!paths.includes(path)) this.failed.delete(path); // unplugged: forget
    for (const path of paths) {
      if (this.stopped || !this.options.wanted()) return null;
      if (path === this.options.busy()) continue;
      const before = this.failed.get(path);
      if (before && Date.now() - before.at < this.retryFailedMs) continue;
      try {
        const firmware = await this.probe(path);
        this.failed.delete(path);
        if (this.stopped) return null;
        const result = { path, firmware, notes };
        this.emit('found', result);
        return result;
      } catch (err) {
        const code = err instanceof BridgeError ? err.code : 'ERROR';
        if (before?.code !== code) this.emit('note', { path, code, message: (err as Error).message });
        this.failed.set(path, { at: Date.now(), code });
      }
    }
    return null;
  }
}
