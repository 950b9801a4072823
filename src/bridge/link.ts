/**
 * The bridge link: a serial port plus a Session, kept alive. Opens the port, handshakes, and when the session dies
 * (cable pulled, firmware reset, link silent) closes the port and tries again every `reconnectMs` until closed.
 * Firmware of another protocol version is refused once, clearly, and not retried.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { treatEofAsDisconnect } from '../scan/serial-eof.js';
import type { ScannerState } from '../scan/types.js';
import { BridgeError } from './errors.js';
import { Session, type FirmwareInfo, type SessionOptions } from './session.js';
import type { Frame } from './codec.js';

export interface LinkOptions {
  /** Serial device, e.g. /dev/ttyACM0 or /dev/proofdesk-bridge. */
  path: string;
  /** Must match the firmware's host UART; meaningless on a pty. */
  baudRate: number;
  reconnectMs: number;
  session: Partial<SessionOptions>;
}

export const DEFAULT_BAUD_RATE = 921_600;

export interface LinkEvents {
  state: [ScannerState];
  /** Handshake done: the firmware is ready for commands. Re-emitted after every reconnect. */
  ready: [FirmwareInfo];
  /** A data frame from the firmware (SCAN, BUTTON, DROPPED, ERROR, …). */
  frame: [Frame];
  error: [BridgeError];
}

export class BridgeLink extends EventEmitter<LinkEvents> {
  readonly options: LinkOptions;
  private port: SerialPort | null = null;
  private session: Session | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private current: ScannerState = 'disconnected';
  private info: FirmwareInfo | null = null;
  private lastErrorCode: BridgeError['code'] | null = null;
  /** An open + handshake is under way (moveTo waits for it to end; the reconnect timer never overlaps it). */
  private connecting = false;

  constructor(options: Partial<LinkOptions> & { path: string }) {
    super();
    this.options = { baudRate: DEFAULT_BAUD_RATE, reconnectMs: 1000, session: {}, ...options };
  }

  get state(): ScannerState {
    return this.current;
  }

  /** The firmware was refused (another protocol version): the link has stopped trying until moveTo() or open(). */
  get refused(): boolean {
    return this.lastErrorCode === 'PROTOCOL_MISMATCH' && this.current === 'disconnected' && !this.timer && !this.connecting;
  }

  get firmware(): FirmwareInfo | null {
    return this.info;
  }

  /** The live session's counters (null while disconnected). */
  get stats(): Session['stats'] | null {
    return this.session?.stats ?? null;
  }

  /**
   * Connect and handshake. Resolves on the first successful handshake; rejects on a protocol mismatch (which is
   * not retried) or a failed first attempt — after which the link keeps retrying in the background until closed.
   */
  async open(): Promise<FirmwareInfo> {
    this.closed = false;
    this.lastErrorCode = null; // the first failure of this opening is always reported (and settles this promise)
    const first = new Promise<FirmwareInfo>((resolve, reject) => {
      const onReady = (info: FirmwareInfo): void => {
        this.off('error', onError);
        resolve(info);
      };
      const onError = (err: BridgeError): void => {
        this.off('ready', onReady);
        reject(err);
      };
      this.once('ready', onReady);
      this.once('error', onError);
    });
    void this.connect();
    return first;
  }

  /** Send one command; rejects with LINK_DOWN when the bridge is not connected. */
  send(type: number, payload?: Buffer): Promise<void> {
    if (!this.session || this.current !== 'connected') {
      return Promise.reject(new BridgeError('LINK_DOWN', 'The bridge is not connected.'));
    }
    return this.session.send(type, payload);
  }

  /**
   * Connect to this serial device now (auto-detection found the box answering there: back under another name after
   * an unplug, or re-flashed after its firmware was refused). Only while not connected; returns false (and changes
   * nothing) when connected, connecting or closed.
   */
  moveTo(path: string): boolean {
    if (this.closed || this.current === 'connected' || this.connecting) return false;
    this.options.path = path;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastErrorCode = null; // a new device: its first failure is news
    void this.connect();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.session?.close();
    this.session = null;
    await this.closePort();
    this.setState('disconnected');
  }

  private setState(state: ScannerState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connecting) return;
    this.connecting = true;
    try {
      await this.attempt();
    } finally {
      this.connecting = false;
    }
  }

  private async attempt(): Promise<void> {
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    port.on('error', () => undefined); // failures surface through open()/close and the session
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      return this.failed(new BridgeError('PORT_OPEN_FAILED', `Cannot open bridge port ${this.options.path}: ${(err as Error).message}`));
    }
    // An unplugged ST-LINK (or a pty whose other end closed) reads as end of file: without this, serialport retries
    // the 0-byte read for ever (100 % CPU, no 'close'), and the unplug is only noticed when a heartbeat times out.
    treatEofAsDisconnect(port);
    if (this.closed) {
      port.close();
      return;
    }
    this.port = port;
    const session = new Session(port, { baudRate: this.options.baudRate, ...this.options.session });
    this.session = session;
    session.on('frame', (frame) => this.emit('frame', frame));
    // Listen for the session's death from its birth: it can die in the very read that completes the handshake (a
    // BANNER right behind HELLO_OK: the firmware restarted), before the `await` below returns here.
    const death = new Promise<BridgeError>((resolve) => session.once('dead', resolve));
    try {
      this.info = await session.handshake();
    } catch (err) {
      if (this.session === session) this.session = null;
      session.close();
      await this.closePort();
      return this.failed(err as BridgeError);
    }
    // A failed handshake is handled above; a session that got through it reconnects whenever it dies — already
    // dead included, in which case it is never reported ready.
    void death.then((err) => {
      if (this.session !== session) return;
      this.session = null;
      void this.closePort().then(() => this.failed(err));
    });
    if (this.session !== session || !session.alive) return;
    this.lastErrorCode = null;
    this.setState('connected');
    this.emit('ready', this.info);
  }

  private failed(err: BridgeError): void {
    if (this.closed) return;
    // Report each kind of failure once per outage, not on every retry.
    if (err.code !== this.lastErrorCode && this.listenerCount('error') > 0) this.emit('error', err);
    this.lastErrorCode = err.code;
    if (err.code === 'PROTOCOL_MISMATCH') {
      this.setState('disconnected');
      return;
    }
    this.setState('reconnecting');
    if (this.timer) clearTimeout(this.timer);
    // A firmware that rebooted is there already: say HELLO again at once.
    const delay = err.code === 'FIRMWARE_RESTARTED' ? 0 : this.options.reconnectMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
