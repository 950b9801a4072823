/**
 * The reliable session over one open byte stream to the bridge firmware: frames in and out, ACK/NAK, a sliding
 * window (never more than `windowFrames` frames or `windowBytes` wire bytes unacknowledged — this is what keeps a
 * slow UART or QEMU's pty from stalling), go-back-N retry, heartbeat, and the version handshake.
 *
 * It knows nothing of ports or reconnecting (link.ts) and nothing of screens or scans (display.ts, scanner.ts); how
 * long a drawing command keeps the firmware busy before its ACK is the panel's fact (panel.ts).
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { BridgeError } from './errors.js';
import { decodeMessage } from './messages.js';
import { panelDrawMs } from './panel.js';
import {
  FrameDecoder,
  MAX_PAYLOAD,
  NakCode,
  PROTOCOL_VERSION,
  T,
  encodeFrame,
  nakCodeName,
  type DecodeResult,
  type Frame,
  type NakCodeValue,
} from './codec.js';

export interface SessionOptions {
  windowFrames: number;
  windowBytes: number;
  /**
   * Resend unacknowledged frames after this long — plus what the firmware needs before it can answer the oldest one:
   * its wire time at `baudRate` behind what is in flight, and for drawing commands (ACKed once drawn) the panel time.
   */
  retryMs: number;
  /** The link rate, for the wire-time part of the resend timeout; 0 = not known (no allowance). */
  baudRate: number;
  /** Give up (link down) after this many resends of one frame. */
  maxRetries: number;
  /** Send a HEARTBEAT after this long without sending anything; 0 = never. */
  heartbeatMs: number;
  handshakeTimeoutMs: number;
  /** Most frames waiting behind the window; more are refused (LINK_BUSY) rather than queued without bound. */
  maxQueued: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  windowFrames: 4,
  /** Three maximal frames (1,034 wire bytes each) in flight; the firmware announces the same limit (proto.h). */
  windowBytes: 4096,
  retryMs: 200,
  baudRate: 0,
  maxRetries: 3,
  heartbeatMs: 1000,
  handshakeTimeoutMs: 3000,
  maxQueued: 256,
};

/** What the firmware said about itself in HELLO_OK (docs/bridge-protocol.md §3). */
export interface FirmwareInfo {
  protocol: number;
  version: string;
  /** Bit 0 display, 1 scanner, 2 buttons, 3 buzzer, 4 LEDs, 5 IMAGE_GREY8, 6 IMAGE_RGB565. */
  caps: number;
  width: number;
  height: number;
  /** The firmware's receive limits; the sender's window is the smaller of these and its own. */
  windowFrames: number;
  windowBytes: number;
  maxPayload: number;
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
  /** A frame could not be read (corrupt, too long); it was NAKed. For diagnostics only. */
  badFrame: [number];
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
  /** Seq of the next data frame we accept from the firmware; null until its BANNER or HELLO_OK sets it. */
  private expected: number | null = null;
  /** One NAK per gap: set after NAK OUT_OF_WINDOW, cleared when `expected` arrives. */
  private gapReported = false;
  private handshaken = false;
  private windowFrames: number;
  private windowBytes: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private deadError: BridgeError | null = null;
  private readonly decoder: FrameDecoder;
  private readonly onData = (chunk: Buffer): void => this.decoder.push(chunk);
  private readonly onClose = (): void => this.die(new BridgeError('LINK_CLOSED', 'The bridge port closed.'));

  constructor(
    private readonly port: Duplex,
    options: Partial<SessionOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
    this.windowFrames = this.options.windowFrames;
    this.windowBytes = this.options.windowBytes;
    this.decoder = new FrameDecoder((result) => this.receive(result));
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
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new BridgeError('LINK_BUSY', `More than ${this.options.maxQueued} frames are waiting for the bridge.`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ type, payload, resolve, reject });
      this.pump();
    });
  }

  /**
   * Say HELLO (after a 0x00 that flushes any half frame the firmware holds) and wait for HELLO_OK. Refuses firmware
   * of another protocol version with a message that names both versions and says what to do.
   */
  async handshake(): Promise<FirmwareInfo> {
    const reply = new Promise<FirmwareInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new BridgeError(
            'HANDSHAKE_TIMEOUT',
            `No HELLO_OK from the bridge within ${this.options.handshakeTimeoutMs} ms: is it a proofdesk bridge, powered and flashed?`,
          ),
        );
      }, this.options.handshakeTimeoutMs);
      const onFrame = (frame: Frame): void => {
        if (frame.type !== T.HELLO_OK) return;
        cleanup();
        const info = parseHelloOk(frame.payload);
        if (!info) return reject(new BridgeError('HANDSHAKE_MALFORMED', 'The bridge answered HELLO with a malformed HELLO_OK.'));
        if (info.protocol !== PROTOCOL_VERSION) return reject(protocolMismatch(info));
        this.windowFrames = Math.max(1, Math.min(this.options.windowFrames, info.windowFrames));
        this.windowBytes = Math.max(1, Math.min(this.options.windowBytes, info.windowBytes));
        this.handshaken = true;
        resolve(info);
      };
      const onDead = (err: BridgeError): void => {
        cleanup();
        // HELLO never acknowledged: say what that most likely means rather than "link down".
        reject(
          err.code === 'LINK_DOWN'
            ? new BridgeError(
                'HANDSHAKE_TIMEOUT',
                `No answer to HELLO from the bridge: is it a proofdesk bridge, powered and flashed? (${err.message})`,
              )
            : err,
        );
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('frame', onFrame);
        this.off('dead', onDead);
      };
      this.on('frame', onFrame);
      this.on('dead', onDead);
    });
    this.port.write(Buffer.from([0]));
    const hello = this.send(T.HELLO, Buffer.from([PROTOCOL_VERSION]));
    hello.catch(() => undefined); // its failure surfaces through 'dead' → reply
    try {
      return await reply;
    } catch (err) {
      this.die(err as BridgeError);
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
        this.inFlight.length >= this.windowFrames || (this.inFlight.length > 0 && this.inFlightBytes + wire.length > this.windowBytes);
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

  /** ACK / NAK: never acknowledged themselves, not counted in the window. */
  private control(type: typeof T.ACK | typeof T.NAK, seq: number, code?: number): void {
    this.port.write(encodeFrame({ type, seq, payload: code === undefined ? Buffer.alloc(0) : Buffer.from([code]) }));
  }

  /** The resend timeout for what is in flight now (see SessionOptions.retryMs). */
  private retryDelay(): number {
    const oldest = this.inFlight[0];
    const wireMs = this.options.baudRate > 0 ? (this.inFlightBytes * 10 * 1000) / this.options.baudRate : 0;
    return this.options.retryMs + wireMs + (oldest ? panelDrawMs(oldest.type, oldest.payload) : 0);
  }

  private armRetry(delay = this.retryDelay()): void {
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
      this.die(
        new BridgeError('LINK_DOWN', `Bridge link down: frame ${first.seq} unacknowledged after ${first.resends} resends (${why}).`),
      );
      return;
    }
    first.resends++;
    for (const item of this.inFlight.slice(from)) {
      this.stats.resends++;
      this.write(item.wire);
    }
    this.armRetry();
  }

  /** A frame we could not read: ask for `expected` again (the seq inside a damaged frame cannot be trusted). */
  private refuse(code: NakCodeValue): void {
    this.stats.badFramesReceived++;
    this.emit('badFrame', code);
    if (this.expected !== null) this.control(T.NAK, this.expected, code);
  }

  private receive(result: DecodeResult): void {
    if (this.deadError) return;
    if (!result.ok) return this.refuse(result.nak);
    const frame = result.frame;
    if (frame.type === T.ACK) return this.onAck(frame.seq);
    if (frame.type === T.NAK) return this.onNak(frame.seq, frame.payload[0] ?? 0);
    this.stats.framesReceived++;
    if (frame.type === T.BANNER || frame.type === T.HELLO_OK) {
      if (frame.type === T.BANNER && this.handshaken) {
        // The firmware rebooted under us: its numbering and queue restarted, so must ours (link.ts says HELLO again).
        this.control(T.ACK, frame.seq);
        this.die(new BridgeError('FIRMWARE_RESTARTED', 'The bridge firmware restarted.'));
        return;
      }
      this.expected = frame.seq;
    }
    if (this.expected === null) return; // left over from an earlier session; HELLO makes the firmware drop its queue
    if (frame.seq !== this.expected) {
      const behind = (this.expected - frame.seq) & 0xff;
      if (behind >= 1 && behind <= 128) this.control(T.ACK, (this.expected - 1) & 0xff);
      else if (!this.gapReported) {
        this.gapReported = true;
        this.control(T.NAK, this.expected, NakCode.OUT_OF_WINDOW);
      }
      return;
    }
    this.gapReported = false;
    this.expected = (frame.seq + 1) & 0xff;
    this.control(T.ACK, frame.seq);
    this.emit('frame', frame);
  }

  /** Cumulative: an ACK for seq s acknowledges every in-flight frame up to and including s. */
  private onAck(seq: number): void {
    const index = this.inFlight.findIndex((item) => item.seq === seq);
    if (index < 0) {
      // A duplicate ACK (the firmware re-ACKs resent frames it already has): it is alive and working through what
      // it was sent, so the resend timer starts again — resending the window into a backlog only makes it longer.
      if (this.inFlight.length > 0 && this.retryTimer) this.armRetry();
      return;
    }
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
    if (code === NakCode.BAD_TYPE || code === NakCode.BAD_LENGTH || code === NakCode.BAD_VALUE) {
      // The firmware consumed the sequence number and refused the content: resending cannot help. Frames before
      // it were accepted (the receiver works in order).
      for (const item of this.inFlight.splice(0, index)) {
        this.inFlightBytes -= item.wire.length;
        item.resolve();
      }
      const item = this.inFlight.shift()!;
      this.inFlightBytes -= item.wire.length;
      item.reject(
        new BridgeError('FRAME_REJECTED', `Bridge refused frame type 0x${item.type.toString(16).padStart(2, '0')}: ${nakCodeName(code)}.`),
      );
      if (this.inFlight.length === 0 && this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
      }
      this.pump();
      return;
    }
    if (code === NakCode.BUSY) {
      // Wait one retry timeout, then resend from s.
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.resendFrom(index, 'busy');
      }, this.options.retryMs);
      return;
    }
    this.resendFrom(index, nakCodeName(code));
  }
}

/** HELLO_OK → what the firmware said. Only the first byte (proto) is promised across versions. */
function parseHelloOk(payload: Buffer): FirmwareInfo | null {
  const decoded = decodeMessage(T.HELLO_OK, payload);
  if (decoded.ok && decoded.message.type === 'HELLO_OK') {
    const m = decoded.message;
    return {
      protocol: m.proto,
      version: printable(m.version),
      caps: m.caps,
      width: m.width,
      height: m.height,
      windowFrames: m.windowFrames,
      windowBytes: m.windowBytes,
      maxPayload: m.maxPayload,
    };
  }
  const protocol = payload[0];
  if (protocol === undefined || protocol === PROTOCOL_VERSION) return null;
  return { protocol, version: '', caps: 0, width: 0, height: 0, windowFrames: 0, windowBytes: 0, maxPayload: 0 };
}

/** The version string goes into messages and logs: keep it to short printable ASCII. */
function printable(text: string): string {
  return /^[\x20-\x7e]{1,64}$/.test(text) ? text : '';
}

function protocolMismatch(info: FirmwareInfo): BridgeError {
  const newer = info.protocol > PROTOCOL_VERSION;
  return new BridgeError(
    'PROTOCOL_MISMATCH',
    `The bridge firmware${info.version ? ` ${info.version}` : ''} speaks protocol version ${info.protocol}, ` +
      `but this proofdesk speaks version ${PROTOCOL_VERSION}. ` +
      (newer
        ? 'Update proofdesk, or flash the firmware that came with this proofdesk (hardware/flashing.md).'
        : 'Flash the firmware that came with this proofdesk (hardware/flashing.md).'),
  );
}
