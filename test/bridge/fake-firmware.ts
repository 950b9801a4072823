/**
 * A scripted stand-in for the bridge firmware, speaking the codec over the peer end of a pty pair and following the
 * receive rules of docs/bridge-protocol.md §4. Each behaviour a test needs (hold ACKs, lose one ACK, NAK a frame,
 * claim another protocol version) is a knob.
 */
import { SerialPort } from 'serialport';
import { FrameDecoder, NakCode, T, encodeFrame, type DecodeResult, type Frame } from '../../src/bridge/codec.js';

export interface FakeFirmwareOptions {
  protocol?: number;
  version?: string;
  windowFrames?: number;
  windowBytes?: number;
  /** HELLO_OK caps (default 0x7f: everything). */
  caps?: number;
  /** Return true to withhold the ACK for this frame (it is still executed: the ACK is "lost"). */
  dropAck?: (frame: Frame) => boolean;
  /** Return a NAK code to refuse this frame instead of executing it. */
  nak?: (frame: Frame) => number | null;
  /** Hold every ACK until `releaseAcks()` (to observe the sender's window). */
  holdAcks?: boolean;
  /** Start holding ACKs from the first frame this returns true for. */
  holdAcksFrom?: (frame: Frame) => boolean;
  /** Restart right behind this many HELLO_OKs: each goes out in one write with a boot BANNER behind it. */
  restartAfterHelloOk?: number;
  /** Answer HELLO with this HELLO_OK payload instead of a well-formed one (a firmware that says something unreadable). */
  helloOk?: Buffer;
}

export function helloOkPayload(o: {
  protocol?: number;
  version?: string;
  windowFrames?: number;
  windowBytes?: number;
  caps?: number;
}): Buffer {
  const p = Buffer.alloc(12);
  p[0] = o.protocol ?? 1;
  p.writeUInt16BE(o.caps ?? 0x7f, 1);
  p.writeUInt16BE(240, 3);
  p.writeUInt16BE(320, 5);
  p[7] = o.windowFrames ?? 4;
  p.writeUInt16BE(o.windowBytes ?? 4096, 8); // firmware 0.1's limits: 4 frames, 4096 bytes
  p.writeUInt16BE(1024, 10);
  return Buffer.concat([p, Buffer.from(o.version ?? '0.0.0-fake')]);
}

export class FakeFirmware {
  /** Frames executed, in order, once each. */
  readonly received: Frame[] = [];
  /** Every frame that arrived, including resends and control frames, with its wire size. */
  readonly receptions: Array<{ frame: Frame; bytes: number }> = [];
  /** Largest number of frames / wire bytes seen unacknowledged at once. */
  maxUnacked = { frames: 0, bytes: 0 };
  private held: Frame[] = [];
  private readonly unacked = new Map<number, number>();
  private expected: number | null = null;
  private txSeq = 0;

  private constructor(
    private readonly port: SerialPort,
    readonly options: FakeFirmwareOptions,
  ) {
    const decoder = new FrameDecoder((result) => this.onResult(result));
    port.on('data', (chunk: Buffer) => decoder.push(chunk));
  }

  static async open(path: string, options: FakeFirmwareOptions = {}): Promise<FakeFirmware> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new FakeFirmware(port, options);
  }

  /** Send a data frame with the next seq. */
  sendData(type: number, payload: Buffer, seq = this.txSeq): number {
    this.txSeq = (seq + 1) & 0xff;
    this.port.write(encodeFrame({ type, seq, payload }));
    return seq;
  }

  /** Boot banner: seq 0, numbering restarts. */
  sendBanner(): void {
    this.sendData(
      T.BANNER,
      Buffer.concat([Buffer.from([this.options.protocol ?? 1]), Buffer.from(this.options.version ?? '0.0.0-fake')]),
      0,
    );
  }

  /** Write raw bytes (noise, corrupt frames). */
  writeRaw(bytes: Buffer): void {
    this.port.write(bytes);
  }

  releaseAcks(): void {
    for (const frame of this.held.splice(0)) this.ack(frame.seq);
  }

  /** Resolve when `predicate` holds. */
  async until(predicate: (fw: FakeFirmware) => boolean, timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!predicate(this)) {
      if (Date.now() - started > timeoutMs) throw new Error('fake firmware: condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private nak(seq: number, code: number): void {
    this.port.write(encodeFrame({ type: T.NAK, seq, payload: Buffer.from([code]) }));
  }

  private ack(seq: number): void {
    this.unacked.delete(seq);
    this.port.write(encodeFrame({ type: T.ACK, seq, payload: Buffer.alloc(0) }));
  }

  private onResult(result: DecodeResult): void {
    if (!result.ok) return this.nak(this.expected ?? 0, result.nak);
    const frame = result.frame;
    const bytes = encodeFrame(frame).length; // wire size including the delimiter
    this.receptions.push({ frame, bytes });
    if (frame.type === T.ACK || frame.type === T.NAK) return;
    if (frame.type === T.HELLO) this.expected = frame.seq;
    if (this.expected === null) return;
    if (frame.seq !== this.expected) {
      const behind = (this.expected - frame.seq) & 0xff;
      if (behind >= 1 && behind <= 128) this.ack((this.expected - 1) & 0xff);
      else this.nak(this.expected, NakCode.OUT_OF_WINDOW);
      return;
    }
    this.expected = (frame.seq + 1) & 0xff;
    const nak = this.options.nak?.(frame) ?? null;
    if (nak !== null) {
      if (nak === NakCode.CRC || nak === NakCode.BUSY) this.expected = frame.seq; // not consumed
      this.nak(frame.seq, nak);
      return;
    }
    this.received.push(frame);
    this.unacked.set(frame.seq, bytes);
    let unackedBytes = 0;
    for (const size of this.unacked.values()) unackedBytes += size;
    this.maxUnacked = {
      frames: Math.max(this.maxUnacked.frames, this.unacked.size),
      bytes: Math.max(this.maxUnacked.bytes, unackedBytes),
    };
    if (this.options.holdAcksFrom?.(frame)) this.options.holdAcks = true;
    if (this.options.holdAcks) this.held.push(frame);
    else if (this.options.dropAck?.(frame)) this.unacked.delete(frame.seq);
    else this.ack(frame.seq);
    if (frame.type === T.HELLO && (this.options.restartAfterHelloOk ?? 0) > 0) {
      this.options.restartAfterHelloOk!--;
      // One write, so the host reads both frames at once: HELLO_OK, then the banner of a firmware that rebooted.
      const helloOk = encodeFrame({ type: T.HELLO_OK, seq: 0, payload: helloOkPayload(this.options) });
      const banner = encodeFrame({
        type: T.BANNER,
        seq: 0,
        payload: Buffer.concat([Buffer.from([this.options.protocol ?? 1]), Buffer.from(this.options.version ?? '0.0.0-fake')]),
      });
      this.txSeq = 1;
      this.expected = null; // rebooted: it waits for a HELLO again
      this.port.write(Buffer.concat([helloOk, banner]));
      return;
    }
    if (frame.type === T.HELLO) this.sendData(T.HELLO_OK, this.options.helloOk ?? helloOkPayload(this.options), 0);
  }
}
