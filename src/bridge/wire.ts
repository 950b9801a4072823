/**
 * The one place the session meets the frame codec. TEMPORARY self-contained implementation of the DRAFT protocol
 * until H5's codec.ts lands; then this file re-exports from it.
 */

export const PROTOCOL_VERSION = 1;
export const MAX_PAYLOAD = 1024;

/** Frame types (docs/bridge-protocol.md). */
export const T = {
  ACK: 0x06,
  NAK: 0x15,
  HELLO: 0x01,
  HEARTBEAT: 0x02,
  FILL_RECT: 0x10,
  BITMAP1: 0x11,
  IMAGE_GREY8: 0x12,
  IMAGE_RGB565: 0x13,
  SCREEN_BEGIN: 0x14,
  SCREEN_END: 0x16, // the draft says 0x15, which is NAK: placeholder until the protocol doc lands
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

export const NakCode = { CRC: 1, TOO_LONG: 2, BAD_TYPE: 3, BAD_LENGTH: 4, OUT_OF_WINDOW: 5, BUSY: 6 } as const;
export type NakCodeValue = (typeof NakCode)[keyof typeof NakCode];

export interface Frame {
  type: number;
  seq: number;
  payload: Buffer;
}

export type DecodeResult = { ok: true; frame: Frame } | { ok: false; nak: NakCodeValue };

export function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function cobsEncode(input: Uint8Array): Buffer {
  const out: number[] = [0];
  let codeAt = 0;
  let code = 1;
  for (const byte of input) {
    if (byte === 0) {
      out[codeAt] = code;
      codeAt = out.length;
      out.push(0);
      code = 1;
    } else {
      out.push(byte);
      code++;
      if (code === 0xff) {
        out[codeAt] = code;
        codeAt = out.length;
        out.push(0);
        code = 1;
      }
    }
  }
  out[codeAt] = code;
  return Buffer.from(out);
}

function cobsDecode(input: Uint8Array): Buffer | null {
  const out: number[] = [];
  let i = 0;
  while (i < input.length) {
    const code = input[i]!;
    if (code === 0 || i + code > input.length) return null;
    for (let j = 1; j < code; j++) out.push(input[i + j]!);
    i += code;
    if (code < 0xff && i < input.length) out.push(0);
  }
  return Buffer.from(out);
}

/** Frame → wire bytes, including the trailing 0x00 delimiter. */
export function encodeFrame(frame: Frame): Buffer {
  const body = Buffer.alloc(2 + frame.payload.length + 2);
  body[0] = frame.type;
  body[1] = frame.seq;
  frame.payload.copy(body, 2);
  body.writeUInt16BE(crc16(body.subarray(0, body.length - 2)), body.length - 2);
  return Buffer.concat([cobsEncode(body), Buffer.from([0])]);
}

/** Wire bytes of one frame, without the delimiter → frame, or the NAK code that describes what is wrong. */
export function decodeFrame(encoded: Uint8Array): DecodeResult {
  const body = cobsDecode(encoded);
  if (!body || body.length < 4) return { ok: false, nak: NakCode.BAD_LENGTH };
  if (body.length > MAX_PAYLOAD + 4) return { ok: false, nak: NakCode.TOO_LONG };
  if (crc16(body.subarray(0, body.length - 2)) !== body.readUInt16BE(body.length - 2)) return { ok: false, nak: NakCode.CRC };
  return { ok: true, frame: { type: body[0]!, seq: body[1]!, payload: Buffer.from(body.subarray(2, body.length - 2)) } };
}

/** Longest COBS encoding of a maximal frame. */
export const MAX_ENCODED = MAX_PAYLOAD + 4 + Math.ceil((MAX_PAYLOAD + 4) / 254) + 1;

/**
 * Splits a byte stream at 0x00 delimiters into encoded frames. Bounded: a run longer than any frame can be is
 * discarded up to the next delimiter (noise never grows memory).
 */
export class FrameSplitter {
  private readonly buffer = Buffer.alloc(MAX_ENCODED);
  private length = 0;
  private overflow = false;
  constructor(private readonly onFrame: (encoded: Buffer) => void) {}

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === 0) {
        if (!this.overflow && this.length > 0) this.onFrame(Buffer.from(this.buffer.subarray(0, this.length)));
        this.length = 0;
        this.overflow = false;
      } else if (this.length < this.buffer.length) {
        this.buffer[this.length++] = byte;
      } else {
        this.overflow = true;
      }
    }
  }
}
