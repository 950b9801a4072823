/**
 * One bridge box on one cable: the link, and the three things a kiosk uses it for — a scanner (for the ScanHub),
 * a display (for the screen model) and the clerk's YES/NO likeness buttons. Frames from the firmware are decoded
 * here once and handed to whichever part wants them.
 */
import { EventEmitter } from 'node:events';
import type { ScannerState } from '../scan/types.js';
import type { LikenessAnswer } from '../screen/state.js';
import type { Frame } from './codec.js';
import { BridgeDisplay } from './display.js';
import type { BridgeError } from './errors.js';
import { BridgeLink, type LinkOptions } from './link.js';
import { Button, decodeMessage, encodeMessage, type MessageOf } from './messages.js';
import { BridgeScanner } from './scanner.js';
import type { FirmwareInfo } from './session.js';

export interface BridgeOptions extends Partial<Omit<LinkOptions, 'path'>> {
  path: string;
  /** Scanner name in scan events and logs. */
  name?: string;
  /** Sent after every handshake; absent = the firmware's defaults (CR|LF, AIM id stripped, 100 ms, MAX_SCAN_LENGTH, 115200). */
  scannerConfig?: Omit<MessageOf<'SCANNER_CONFIG'>, 'type'>;
  /** How the photo is sent: 'grey8' (default, half the bytes) or 'rgb565' (colour). */
  photoFormat?: 'grey8' | 'rgb565';
}

export interface BridgeEvents {
  state: [ScannerState];
  ready: [FirmwareInfo];
  error: [BridgeError];
  scanPiece: [MessageOf<'SCAN'>];
  dropped: [MessageOf<'DROPPED'>];
  /** The clerk pressed YES or NO on the box. */
  likeness: [Exclude<LikenessAnswer, 'not-asked'>];
  /** The firmware reported a problem (scanner UART errors, receive overrun). No scan content is ever in it. */
  firmwareError: [MessageOf<'ERROR'>];
  /** A frame from the firmware that did not decode (a firmware bug); counted, never fatal. */
  malformed: [string];
}

export class Bridge extends EventEmitter<BridgeEvents> {
  readonly link: BridgeLink;
  readonly scanner: BridgeScanner;
  readonly display: BridgeDisplay;
  private users = 0;
  private opening: Promise<void> | null = null;

  constructor(readonly options: BridgeOptions) {
    super();
    this.link = new BridgeLink(options);
    this.link.on('state', (state) => this.emit('state', state));
    this.link.on('error', (err) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    this.link.on('ready', (info) => {
      if (options.scannerConfig) {
        const { type, payload } = encodeMessage({ type: 'SCANNER_CONFIG', ...options.scannerConfig });
        this.link.send(type, payload).catch((err: BridgeError) => this.listenerCount('error') > 0 && this.emit('error', err));
      }
      this.emit('ready', info);
    });
    this.link.on('frame', (frame) => this.dispatch(frame));
    this.scanner = new BridgeScanner(this, options.name ?? `bridge:${options.path}`);
    this.display = new BridgeDisplay(this.link, options.photoFormat ?? 'grey8');
  }

  /** The serial device in use (auto-detection may move the link to another after an unplug). */
  get path(): string {
    return this.link.options.path;
  }

  /** Start the link for one more user (scanner, display, kiosk). Resolves after the first attempt either way. */
  async acquire(): Promise<void> {
    this.users++;
    if (this.users === 1) {
      this.opening = this.link.open().then(
        () => undefined,
        () => undefined, // reported on 'error'; the link keeps retrying unless the firmware was refused
      );
    }
    await this.opening;
  }

  /** One user is done; the last one closes the link. */
  async release(): Promise<void> {
    if (this.users === 0) return;
    this.users--;
    if (this.users === 0) {
      await this.display.close();
      await this.link.close();
    }
  }

  private dispatch(frame: Frame): void {
    const decoded = decodeMessage(frame.type, frame.payload);
    if (!decoded.ok) {
      this.emit('malformed', `${decoded.why} (frame type 0x${frame.type.toString(16)})`);
      return;
    }
    const m = decoded.message;
    switch (m.type) {
      case 'SCAN':
        this.emit('scanPiece', m);
        break;
      case 'DROPPED':
        this.emit('dropped', m);
        break;
      case 'BUTTON':
        this.emit('likeness', m.button === Button.YES ? 'yes' : 'no');
        break;
      case 'ERROR':
        this.emit('firmwareError', m);
        break;
      default:
        break; // BANNER / HELLO_OK are the session's business
    }
  }
}
