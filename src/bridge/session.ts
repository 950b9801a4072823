/**
 * The reliable session over one open byte stream to the bridge firmware: frames in and out, ACK/NAK, a sliding
 * window (never more than `windowFrames` frames or `windowBytes` wire bytes unacknowledged — this is what keeps a
 * slow UART or QEMU's pty from stalling), go-back-N retry, heartbeat, and the version handshake.
 *
 * It knows nothing of ports or reconnecting (link.ts) and nothing of screens or scans (display.ts, scanner.ts).
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { BridgeError } from './errors.js';
import {
  FrameSplitter,
  MAX_PAYLOAD,
  NakCode,
  PROTOCOL_VERSION,
  T,
  decodeFrame,
  encodeFrame,
  type Frame,
} from './wire.js';

export interface SessionOptions {
  windowFrames: number;
  windowBytes: number;
  /** Resend unacknowledged frames after this long. */
  retryMs: number;
  /** Give up (link down) after this many resends of one frame. */
  maxRetries: number;
  /** Send a HEARTBEAT after this long without sending anything; 0 = never. */
  heartbeatMs: number;
  handshakeTimeoutMs: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  windowFrames: 4,
  windowBytes: 2048,
  retryMs: 200,
  maxRetries: 3,
  heartbeatMs: 1000,
  handshakeTimeoutMs: 3000,
};

/** What the firmware said about itself in HELLO_OK. */
export interface FirmwareInfo {
  protocol: number;
  version: string;
  caps: number;
}

/** Counters for benchmarks and diagnostics (no payload contents: they may be personal data). */
export interface SessionStats {
  framesSent: number;
  bytesSent: number;
  resends: number;
  naksReceived: number;
  framesReceived: number;
  badFramesReceived: number;
}

interface Outgoing {
  type: number;
  payload: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface InFlight extends Outgoing {
  seq: number;
  wire: Buffer;
  resends: number;
}

export interface SessionEvents {
  /** A data frame from the firmware (not ACK/NAK), delivered once even if the firmware resent it. */
  frame: [Frame];
  /** The session is unusable (link down / closed); every pending send has been rejected. */
  dead: [BridgeError];
}

export class Session extends EventEmitter<SessionEvents> {
  readonly options: SessionOptions;
  readonly stats: SessionStats = { framesSent: 0, bytesSent: 0, resends: 0, naksReceived: 0, framesReceived: 0, badFramesReceived: 0 };
  private readonly queue: Outgoing[] = [];
  private readonly inFlight: InFlight[] = [];
  private inFlightBytes = 0;
  private nextSeq = 0;
  /** Seq of the last data frame accepted from the firmware, or null before the first. */
  private lastInSeq: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private deadError: BridgeError | null = null;
  private readonly splitter: FrameSplitter;
  private readonly onData = (chunk: Buffer): void => this.splitter.push(chunk);
  private readonly onClose = (): void => this.die(new BridgeError('LINK_CLOSED', 'The bridge port closed.'));

  constructor(
    private readonly port: Duplex,
    options: Partial<SessionOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
    this.splitter = new FrameSplitter((encoded) => this.receive(encoded));
    port.on('data', this.onData);
    port.on('close', this.onClose);
    this.armHeartbeat();
  }

  get alive(): boolean {
    return this.deadError === null;
  }

  /** Frames sent but not yet acknowledged (for tests and benchmarks). */
  get unacked(): { frames: number; bytes: number } {
    return { frames: this.inFlight.length, bytes: this.inFlightBytes };
  }

  /** Send one frame; resolves when the firmware acknowledges it. */
  send(type: number, payload: Buffer = Buffer.alloc(0)): Promise<void> {
    if (this.deadError) return Promise.reject(this.deadError);
    if (payload.length > MAX_PAYLOAD) {
      return Promise.reject(new BridgeError('PAYLOAD_TOO_LONG', `Payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD}.`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ type, payload, resolve, reject });
      this.pump();
    });
  }

  /**
   * Say HELLO and wait for HELLO_OK. Refuses firmware of another protocol version with a message that says which
   * versions are involved and what to do.
   */
  async handshake(): Promise<FirmwareInfo> {
    const reply = new Promise<FirmwareInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new BridgeError('HANDSHAKE_TIMEOUT', `No HELLO_OK from the bridge within ${this.options.handshakeTimeoutMs} ms.`));
      }, this.options.handshakeTimeoutMs);
      const onFrame = (frame: Frame): void => {
        if (frame.type !== T.HELLO_OK && frame.type !== T.BANNER) return;
        const info = parseFirmwareInfo(frame);
        if (info.protocol !== PROTOCOL_VERSION) {
          cleanup();
          reject(protocolMismatch(info));
        } else if (frame.type === T.HELLO_OK) {
          cleanup();
          resolve(info);
        }
      };
      const onDead = (err: BridgeError): void => {
        cleanup();
        reject(err);
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('frame', onFrame);
        this.off('dead', onDead);
      };
      this.on('frame', onFrame);
      this.on('dead', onDead);
    });
    const hello = this.send(T.HELLO, Buffer.from([PROTOCOL_VERSION]));
    hello.catch(() => undefined); // its failure surfaces through 'dead' → reply
    try {
      return await reply;
    } catch (err) {
      if (err instanceof BridgeError && err.code === 'PROTOCOL_MISMATCH') this.close();
      throw err;
    }
  }

  /** Stop timers and detach; pending sends are rejected. Does not close the port (its owner does). */
  close(): void {
    this.die(new BridgeError('LINK_CLOSED', 'The bridge session was closed.'));
  }

  private die(err: BridgeError): void {
    if (this.deadError) return;
    this.deadError = err;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.port.off('data', this.onData);
    this.port.off('close', this.onClose);
    for (const item of [...this.inFlight, ...this.queue]) item.reject(err);
    this.inFlight.length = 0;
    this.queue.length = 0;
    this.inFlightBytes = 0;
    this.emit('dead', err);
  }

  /** Move queued frames into the window while it has room. */
  private pump(): void {
    while (this.queue.length > 0 && !this.deadError) {
      const next = this.queue[0]!;
      const seq = this.nextSeq;
      const wire = encodeFrame({ type: next.type, seq, payload: next.payload });
      const full =
        this.inFlight.length >= this.options.windowFrames ||
        (this.inFlight.length > 0 && this.inFlightBytes + wire.length > this.options.windowBytes);
      if (full) return;
      this.queue.shift();
      this.nextSeq = (seq + 1) & 0xff;
      this.inFlight.push({ ...next, seq, wire, resends: 0 });
      this.inFlightBytes += wire.length;
      this.write(wire);
      if (!this.retryTimer) this.armRetry();
    }
  }

  private write(wire: Buffer): void {
    this.stats.framesSent++;
    this.stats.bytesSent += wire.length;
    this.port.write(wire);
    this.armHeartbeat();
  }

  private armRetry(delay = this.options.retryMs): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.resendFrom(0, 'no acknowledgement');
    }, delay);
  }

  private armHeartbeat(): void {
    if (this.options.heartbeatMs <= 0 || this.deadError) return;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => {
      this.heartbeatTimer = null;
      // A lost heartbeat surfaces as 'dead' (retries exhausted); nothing else to do with its promise.
      if (this.inFlight.length === 0 && this.queue.length === 0) this.send(T.HEARTBEAT).catch(() => undefined);
      else this.armHeartbeat();
    }, this.options.heartbeatMs);
  }

  /** Go-back-N: resend the window from index `from`, counting a retry against the first resent frame. */
  private resendFrom(from: number, why: string): void {
    const first = this.inFlight[from];
    if (!first) return;
    if (first.resends >= this.options.maxRetries) {
      this.die(new BridgeError('LINK_DOWN', `Bridge link down: frame ${first.seq} unacknowledged after ${first.resends} resends (${why}).`));
      return;
    }
    first.resends++;
    for (const item of this.inFlight.slice(from)) {
      this.stats.resends++;
      this.write(item.wire);
    }
    this.armRetry();
  }

  private receive(encoded: Buffer): void {
    if (this.deadError) return;
    const result = decodeFrame(encoded);
    if (!result.ok) {
      this.stats.badFramesReceived++;
      // Tell the firmware to resend. The seq of a corrupted frame cannot be trusted; send our best guess.
      const seq = this.lastInSeq === null ? 0 : (this.lastInSeq + 1) & 0xff;
      this.port.write(encodeFrame({ type: T.NAK, seq, payload: Buffer.from([seq, result.nak]) }));
      return;
    }
    const frame = result.frame;
    if (frame.type === T.ACK) return this.onAck(frame.payload[0] ?? -1);
    if (frame.type === T.NAK) return this.onNak(frame.payload[0] ?? -1, frame.payload[1] ?? 0);
    this.stats.framesReceived++;
    // Acknowledge every data frame; pass it on once. HELLO_OK and BANNER restart the firmware's numbering.
    this.port.write(encodeFrame({ type: T.ACK, seq: frame.seq, payload: Buffer.from([frame.seq]) }));
    const fresh = frame.type === T.BANNER || frame.type === T.HELLO_OK || frame.seq !== this.lastInSeq;
    this.lastInSeq = frame.seq;
    if (fresh) this.emit('frame', frame);
  }

  /** Cumulative: an ACK for seq s acknowledges every in-flight frame up to and including s. */
  private onAck(seq: number): void {
    const index = this.inFlight.findIndex((item) => item.seq === seq);
    if (index < 0) return; // a duplicate ACK for a frame already settled
    const settled = this.inFlight.splice(0, index + 1);
    for (const item of settled) {
      this.inFlightBytes -= item.wire.length;
      item.resolve();
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.inFlight.length > 0) this.armRetry();
    this.pump();
  }

  private onNak(seq: number, code: number): void {
    this.stats.naksReceived++;
    const index = this.inFlight.findIndex((item) => item.seq === seq);
    if (index < 0) return;
    if (code === NakCode.TOO_LONG || code === NakCode.BAD_TYPE || code === NakCode.BAD_LENGTH) {
      // The firmware consumed the sequence number and refused the content: resending cannot help.
      const [item] = this.inFlight.splice(index, 1);
      this.inFlightBytes -= item!.wire.length;
      item!.reject(new BridgeError('FRAME_REJECTED', `Bridge refused frame type 0x${item!.type.toString(16)}: ${nakName(code)}.`));
      this.pump();
      return;
    }
    if (code === NakCode.BUSY) {
      this.armRetry();
      return;
    }
    this.resendFrom(index, nakName(code));
  }
}

function nakName(code: number): string {
  return (NakCode as Record<string, number>)[code] !== undefined ? String(code) : (Object.entries(NakCode).find(([, v]) => v === code)?.[0] ?? `code ${code}`);
}

export function parseFirmwareInfo(frame: Frame): FirmwareInfo {
  const p = frame.payload;
  const protocol = p[0] ?? 0;
  const rest = frame.type === T.HELLO_OK ? p.subarray(1, Math.max(1, p.length - 2)) : p.subarray(1);
  const caps = frame.type === T.HELLO_OK && p.length >= 3 ? p.readUInt16BE(p.length - 2) : 0;
  return { protocol, version: rest.toString('latin1'), caps };
}

function protocolMismatch(info: FirmwareInfo): BridgeError {
  const newer = info.protocol > PROTOCOL_VERSION;
  return new BridgeError(
    'PROTOCOL_MISMATCH',
    `The bridge firmware${info.version ? ` (${info.version})` : ''} speaks protocol version ${info.protocol}, ` +
      `but this proofdesk speaks version ${PROTOCOL_VERSION}. ` +
      (newer ? 'Update proofdesk, or flash the firmware that came with this proofdesk.' : 'Flash the firmware that came with this proofdesk (see hardware/flashing.md).'),
  );
}
