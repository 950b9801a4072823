/**
 * Bridge frames (docs/bridge-protocol.md, section 2): COBS(type u8 | seq u8 | payload | crc16 BE) then 0x00.
 * Pure functions and one bounded streaming stage; no I/O, no timers, no sequence logic (that is session.ts).
 */
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs.js';
import { crc16 } from './crc.js';

export { crc16 } from './crc.js';

export const PROTOCOL_VERSION = 1;
export const MAX_PAYLOAD = 1024;
/** type + seq + payload + crc. */
const MAX_FRAME = MAX_PAYLOAD + 4;
/** Longest encoded frame, without its delimiter. */
export const MAX_ENCODED = cobsMaxEncodedLength(MAX_FRAME);

/** Frame types. */
export const T = {
  HELLO: 0x01,
  HEARTBEAT: 0x02,
  ACK: 0x06,
  FILL_RECT: 0x10,
  BITMAP1: 0x11,
  IMAGE_GREY8: 0x12,
  IMAGE_RGB565: 0x13,
  SCREEN_BEGIN: 0x14,
  NAK: 0x15,
  SCREEN_END: 0x16,
  LED: 0x20,
  BUZZER: 0x21,
  SCANNER_CONFIG: 0x22,
  BANNER: 0x80,
  HELLO_OK: 0x81,
  SCAN: 0x82,
  DROPPED: 0x83,
  BUTTON: 0x84,
  ERROR: 0x85,
} as const;

/** Why a receiver refuses a frame (the NAK payload). */
export const NakCode = {
  CRC: 1,
  TOO_LONG: 2,
  BAD_TYPE: 3,
  BAD_LENGTH: 4,
  OUT_OF_WINDOW: 5,
  BUSY: 6,
  BAD_VALUE: 7,
} as const;
export type NakCodeName = keyof typeof NakCode;
export type NakCodeValue = (typeof NakCode)[NakCodeName];

/** NAKs after which resending the same frame can succeed (the frame was damaged or lost, not wrong). */
export function isRetryableNak(code: number): boolean {
  return code === NakCode.CRC || code === NakCode.TOO_LONG || code === NakCode.OUT_OF_WINDOW || code === NakCode.BUSY;
}

export function nakCodeName(code: number): string {
  return (Object.keys(NakCode) as NakCodeName[]).find((name) => NakCode[name] === code) ?? `code ${code}`;
}

export interface Frame {
  type: number;
  seq: number;
  payload: Buffer;
}

export type DecodeResult = { ok: true; frame: Frame } | { ok: false; nak: typeof NakCode.CRC | typeof NakCode.TOO_LONG };

// Plain Error, not ProofdeskError: never leaves the bridge, whose session refuses a long payload first (BridgeError).
class FrameEncodeError extends Error {
  override readonly name = 'FrameEncodeError';
  readonly code = 'PAYLOAD_TOO_LONG';
}

/** Frame → wire bytes, including the trailing 0x00 delimiter. */
export function encodeFrame(frame: Frame): Buffer {
  if (frame.payload.length > MAX_PAYLOAD) {
    throw new FrameEncodeError(`Payload of ${frame.payload.length} bytes exceeds ${MAX_PAYLOAD}.`);
  }
  const body = Buffer.alloc(frame.payload.length + 4);
  body[0] = frame.type & 0xff;
  body[1] = frame.seq & 0xff;
  body.set(frame.payload, 2);
  body.writeUInt16BE(crc16(body.subarray(0, body.length - 2)), body.length - 2);
  const encoded = cobsEncode(body);
  const wire = Buffer.alloc(encoded.length + 1);
  encoded.copy(wire);
  return wire;
}

/** One frame's wire bytes without the delimiter → the frame, or the NAK code that says what is wrong with it. */
export function decodeFrame(encoded: Uint8Array): DecodeResult {
  if (encoded.length > MAX_ENCODED) return { ok: false, nak: NakCode.TOO_LONG };
  const body = cobsDecode(encoded);
  if (!body || body.length < 4) return { ok: false, nak: NakCode.CRC };
  if (body.length > MAX_FRAME) return { ok: false, nak: NakCode.TOO_LONG };
  if (crc16(body.subarray(0, body.length - 2)) !== body.readUInt16BE(body.length - 2)) {
    return { ok: false, nak: NakCode.CRC };
  }
  return { ok: true, frame: { type: body[0]!, seq: body[1]!, payload: Buffer.from(body.subarray(2, body.length - 2)) } };
}

/**
 * Stream stage: bytes in, one DecodeResult per 0x00-delimited frame out. Bounded: a run longer than any frame
 * is counted, not stored, and reported as TOO_LONG at its delimiter. Empty frames (0x00 0x00) are skipped.
 */
export class FrameDecoder {
  private readonly buffer = Buffer.alloc(MAX_ENCODED);
  private length = 0;
  private overflow = false;

  constructor(private readonly onResult: (result: DecodeResult) => void) {}

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte !== 0) {
        if (this.length < this.buffer.length) this.buffer[this.length++] = byte;
        else this.overflow = true;
        continue;
      }
      const overflow = this.overflow;
      const length = this.length;
      this.length = 0;
      this.overflow = false;
      if (overflow) this.onResult({ ok: false, nak: NakCode.TOO_LONG });
      else if (length > 0) this.onResult(decodeFrame(this.buffer.subarray(0, length)));
    }
  }

  /** Drop a half-received frame (e.g. after the port reopened). */
  reset(): void {
    this.length = 0;
    this.overflow = false;
  }
}
