/**
 * Finding the bridge without being told where it is. Only serial ports whose USB id is the Nucleo's ST-LINK/V2-1
 * (0483:374b) are ever written to, and only with a HELLO; a port counts as a bridge when it answers HELLO_OK.
 * Unknown serial devices (scanners, modems, other boards) are never opened.
 */
import { existsSync } from 'node:fs';
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

/** The first port that is an ST-LINK and answers as a bridge, or NOT_FOUND with the reasons. */
export async function detectBridge(options: DetectOptions = {}): Promise<DetectResult> {
  const notes: string[] = [];
  const list = options.list ?? (() => SerialPort.list());
  const probe = options.probe ?? ((path: string) => probeBridge(path));
  const paths: string[] = [];
  if ((options.useSymlink ?? true) && existsSync(UDEV_SYMLINK)) paths.push(UDEV_SYMLINK);
  else {
    try {
      paths.push(...bridgeCandidates(await list()));
    } catch (err) {
      notes.push(`cannot list serial ports: ${(err as Error).message}`);
    }
  }
  if (paths.length === 0) notes.push(`no serial port with the ST-LINK/V2-1 USB id ${ST_LINK_V2_1.vendorId}:${ST_LINK_V2_1.productId}`);
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
