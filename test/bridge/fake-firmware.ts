/**
 * A scripted stand-in for the bridge firmware, speaking the real codec over the peer end of a pty pair.
 * Each behaviour a test needs (hold ACKs, lose one ACK, NAK a frame, claim another protocol version) is a knob.
 */
import { SerialPort } from 'serialport';
import { FrameSplitter, T, decodeFrame, encodeFrame, type Frame } from '../../src/bridge/wire.js';

export interface FakeFirmwareOptions {
  protocol?: number;
  version?: string;
  /** Send a BANNER as soon as the port opens. */
  banner?: boolean;
  /** Return true to withhold the ACK for this (first) reception of a frame. */
  dropAck?: (frame: Frame, index: number) => boolean;
  /** Return a NAK code to refuse this reception instead of acknowledging it. */
  nak?: (frame: Frame, index: number) => number | null;
  /** Hold every ACK until `releaseAcks()` (to observe the sender's window). */
  holdAcks?: boolean;
}

export class FakeFirmware {
  readonly received: Frame[] = [];
  /** Every frame reception, including resends, with wire size. */
  readonly receptions: Array<{ frame: Frame; bytes: number }> = [];
  /** Largest number of frames / wire bytes seen unacknowledged at once. */
  maxUnacked = { frames: 0, bytes: 0 };
  private held: Frame[] = [];
  private unacked = new Map<number, number>();
  private expected: number | null = null;
  private txSeq = 0;
  private port: SerialPort;
  private readonly waiters: Array<() => void> = [];

  private constructor(port: SerialPort, readonly options: FakeFirmwareOptions) {
    this.port = port;
    const splitter = new FrameSplitter((encoded) => this.onEncoded(encoded));
    port.on('data', (chunk: Buffer) => splitter.push(chunk));
  }

  static async open(path: string, options: FakeFirmwareOptions = {}): Promise<FakeFirmware> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    const fw = new FakeFirmware(port, options);
    if (options.banner) fw.sendData(T.BANNER, Buffer.concat([Buffer.from([options.protocol ?? 1]), Buffer.from(options.version ?? '0.0.0-fake')]));
    return fw;
  }

  sendData(type: number, payload: Buffer): number {
    const seq = this.txSeq;
    this.txSeq = (this.txSeq + 1) & 0xff;
    this.port.write(encodeFrame({ type, seq, payload }));
    return seq;
  }

  /** Write raw bytes (noise, corrupt frames). */
  writeRaw(bytes: Buffer): void {
    this.port.write(bytes);
  }

  releaseAcks(): void {
    const held = this.held;
    this.held = [];
    for (const frame of held) this.ack(frame);
  }

  /** Resolve when `predicate` holds over the frames received so far. */
  async until(predicate: (fw: FakeFirmware) => boolean, timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!predicate(this)) {
      if (Date.now() - started > timeoutMs) throw new Error('fake firmware: condition not met in time');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private onEncoded(encoded: Buffer): void {
    const result = decodeFrame(encoded);
    if (!result.ok) {
      this.port.write(encodeFrame({ type: T.NAK, seq: 0, payload: Buffer.from([this.expected ?? 0, result.nak]) }));
      return;
    }
    const frame = result.frame;
    if (frame.type === T.ACK || frame.type === T.NAK) {
      this.receptions.push({ frame, bytes: encoded.length + 1 });
      return;
    }
    const index = this.receptions.length;
    this.receptions.push({ frame, bytes: encoded.length + 1 });
    if (frame.type === T.HELLO) this.expected = frame.seq;
    // Duplicates (already executed) are re-acknowledged, not re-executed.
    if (this.expected !== null && frame.seq !== this.expected) {
      const behind = (this.expected - frame.seq) & 0xff;
      if (behind >= 1 && behind <= 4) this.port.write(encodeFrame({ type: T.ACK, seq: frame.seq, payload: Buffer.from([frame.seq]) }));
      else this.port.write(encodeFrame({ type: T.NAK, seq: frame.seq, payload: Buffer.from([frame.seq, 5]) }));
      return;
    }
    const nak = this.options.nak?.(frame, index) ?? null;
    if (nak !== null) {
      this.port.write(encodeFrame({ type: T.NAK, seq: frame.seq, payload: Buffer.from([frame.seq, nak]) }));
      if (nak === 2 || nak === 3 || nak === 4) this.expected = (frame.seq + 1) & 0xff;
      return;
    }
    this.expected = (frame.seq + 1) & 0xff;
    this.received.push(frame);
    this.unacked.set(frame.seq, encoded.length + 1);
    let bytes = 0;
    for (const size of this.unacked.values()) bytes += size;
    this.maxUnacked = {
      frames: Math.max(this.maxUnacked.frames, this.unacked.size),
      bytes: Math.max(this.maxUnacked.bytes, bytes),
    };
    if (frame.type === T.HELLO) {
      const version = Buffer.from(this.options.version ?? '0.0.0-fake');
      const caps = Buffer.from([0, 1]);
      this.sendData(T.HELLO_OK, Buffer.concat([Buffer.from([this.options.protocol ?? 1]), version, caps]));
    }
    if (this.options.holdAcks) this.held.push(frame);
    else if (this.options.dropAck?.(frame, index)) this.unacked.delete(frame.seq);
    else this.ack(frame);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private ack(frame: Frame): void {
    this.unacked.delete(frame.seq);
    this.port.write(encodeFrame({ type: T.ACK, seq: frame.seq, payload: Buffer.from([frame.seq]) }));
  }
}
