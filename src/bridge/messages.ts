/**
 * Bridge message payloads (docs/bridge-protocol.md, section 3): typed values ⇄ payload bytes. Lengths are checked
 * exactly; values that depend on the panel (rectangles) are checked when a panel size is given.
 */
import { QR_MAX_CHARS } from '../scan/types.js';
import { NakCode, T } from './codec.js';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Message =
  | { type: 'HELLO'; proto: number }
  | { type: 'HEARTBEAT' }
  | ({ type: 'FILL_RECT'; colour: number } & Rect)
  | ({ type: 'BITMAP1'; fg: number; bg: number; bits: Buffer } & Rect)
  | ({ type: 'IMAGE_GREY8'; pixels: Buffer } & Rect)
  | ({ type: 'IMAGE_RGB565'; pixels: Buffer } & Rect)
  | { type: 'SCREEN_BEGIN'; screen: number }
  | { type: 'SCREEN_END'; screen: number }
  | { type: 'LED'; green: number; red: number }
  | { type: 'BUZZER'; pattern: number }
  | { type: 'SCANNER_CONFIG'; terminators: number; flags: number; idleMs: number; maxLen: number; baud: number }
  | { type: 'BANNER'; proto: number; version: string }
  | {
      type: 'HELLO_OK';
      proto: number;
      caps: number;
      width: number;
      height: number;
      windowFrames: number;
      windowBytes: number;
      maxPayload: number;
      version: string;
    }
  | { type: 'SCAN'; scanId: number; symbology: number; total: number; offset: number; data: Buffer }
  | { type: 'DROPPED'; reason: number; length: number }
  | { type: 'BUTTON'; button: number }
  | { type: 'ERROR'; code: number; text: string }
  | { type: 'ACK' }
  | { type: 'NAK'; code: number };

export type MessageType = Message['type'];
export type MessageOf<K extends MessageType> = Extract<Message, { type: K }>;

export const LedPattern = { OFF: 0, ON: 1, SLOW: 2, FAST: 3, FLASH: 4, UNCHANGED: 0xff } as const;
export const BuzzerPattern = { SILENT: 0, OK: 1, ATTENTION: 2, ERROR: 3, LONG: 4 } as const;
export const Button = { YES: 1, NO: 2 } as const;
export const DropReasonCode = { TOO_LONG: 1, INCOMPLETE: 2, NOISE: 3, QUEUE_FULL: 4 } as const;
const Terminator = { CR: 1, LF: 2, TAB: 4, ETX: 8 } as const;
const ScannerFlag = { STRIP_AIM: 1 } as const;
const ALL_TERMINATORS = Terminator.CR | Terminator.LF | Terminator.TAB | Terminator.ETX;
/** SCAN symbology codes, in the order of `Symbology` in src/scan/types.ts. */
export const SYMBOLOGY_CODES = ['unknown', 'qr', 'datamatrix', 'pdf417', 'aztec', 'code128', 'other'] as const;
export const Caps = { DISPLAY: 1, SCANNER: 2, BUTTONS: 4, BUZZER: 8, LEDS: 16, GREY8: 32, RGB565: 64 } as const;
/**
 * Longest scan the protocol carries (SCAN `total`, SCANNER_CONFIG `maxLen`): a whole QR symbol. The firmware compiles
 * in the same limit (firmware-bridge/core/proto.h SCAN_MAX_LEN); test/bridge/codec.test.ts holds the two equal.
 */
export const MAX_SCAN_LENGTH = QR_MAX_CHARS;

export type MessageDecodeResult =
  | { ok: true; message: Message }
  | { ok: false; nak: typeof NakCode.BAD_TYPE | typeof NakCode.BAD_LENGTH | typeof NakCode.BAD_VALUE; why: string };

export interface Panel {
  width: number;
  height: number;
}

function u16(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => {
    out.writeUInt16BE(v, i * 2);
  });
  return out;
}

function rectHeader(m: Rect): Buffer {
  return u16(m.x, m.y, m.w, m.h);
}

/** Message → frame type and payload. */
export function encodeMessage(m: Message): { type: number; payload: Buffer } {
  const type: number = T[m.type];
  switch (m.type) {
    case 'HELLO':
      return { type, payload: Buffer.from([m.proto]) };
    case 'HEARTBEAT':
    case 'ACK':
      return { type, payload: Buffer.alloc(0) };
    case 'FILL_RECT':
      return { type, payload: Buffer.concat([rectHeader(m), u16(m.colour)]) };
    case 'BITMAP1':
      return { type, payload: Buffer.concat([rectHeader(m), u16(m.fg, m.bg), m.bits]) };
    case 'IMAGE_GREY8':
    case 'IMAGE_RGB565':
      return { type, payload: Buffer.concat([rectHeader(m), m.pixels]) };
    case 'SCREEN_BEGIN':
    case 'SCREEN_END':
      return { type, payload: u16(m.screen) };
    case 'LED':
      return { type, payload: Buffer.from([m.green, m.red]) };
    case 'BUZZER':
      return { type, payload: Buffer.from([m.pattern]) };
    case 'SCANNER_CONFIG': {
      const p = Buffer.alloc(10);
      p[0] = m.terminators;
      p[1] = m.flags;
      p.writeUInt16BE(m.idleMs, 2);
      p.writeUInt16BE(m.maxLen, 4);
      p.writeUInt32BE(m.baud, 6);
      return { type, payload: p };
    }
    case 'BANNER':
      return { type, payload: Buffer.concat([Buffer.from([m.proto]), Buffer.from(m.version, 'latin1')]) };
    case 'HELLO_OK': {
      const p = Buffer.alloc(12);
      p[0] = m.proto;
      p.writeUInt16BE(m.caps, 1);
      p.writeUInt16BE(m.width, 3);
      p.writeUInt16BE(m.height, 5);
      p[7] = m.windowFrames;
      p.writeUInt16BE(m.windowBytes, 8);
      p.writeUInt16BE(m.maxPayload, 10);
      return { type, payload: Buffer.concat([p, Buffer.from(m.version, 'latin1')]) };
    }
    case 'SCAN':
      return { type, payload: Buffer.concat([Buffer.from([m.scanId, m.symbology]), u16(m.total, m.offset), m.data]) };
    case 'DROPPED':
      return { type, payload: Buffer.concat([Buffer.from([m.reason]), u16(Math.min(m.length, 0xffff))]) };
    case 'BUTTON':
      return { type, payload: Buffer.from([m.button]) };
    case 'ERROR':
      return { type, payload: Buffer.concat([Buffer.from([m.code]), Buffer.from(m.text, 'latin1')]) };
    case 'NAK':
      return { type, payload: Buffer.from([m.code]) };
  }
}

const TYPE_NAMES = new Map<number, MessageType>(Object.entries(T).map(([name, code]) => [code, name as MessageType]));

function badLength(why: string): MessageDecodeResult {
  return { ok: false, nak: NakCode.BAD_LENGTH, why };
}

function badValue(why: string): MessageDecodeResult {
  return { ok: false, nak: NakCode.BAD_VALUE, why };
}

function readRect(p: Buffer): Rect {
  return { x: p.readUInt16BE(0), y: p.readUInt16BE(2), w: p.readUInt16BE(4), h: p.readUInt16BE(6) };
}

function checkRect(r: Rect, panel: Panel | undefined): string | null {
  if (r.w < 1 || r.h < 1) return 'empty rectangle';
  if (panel && (r.x + r.w > panel.width || r.y + r.h > panel.height)) return 'rectangle off the panel';
  return null;
}

function exact(p: Buffer, n: number, name: string): MessageDecodeResult | null {
  return p.length === n ? null : badLength(`${name} payload is ${n} bytes, got ${p.length}`);
}

/** Frame type and payload → message, or the NAK code a receiver answers with. */
export function decodeMessage(type: number, p: Buffer, panel?: Panel): MessageDecodeResult {
  const name = TYPE_NAMES.get(type);
  if (name === undefined) return { ok: false, nak: NakCode.BAD_TYPE, why: `unknown frame type 0x${type.toString(16)}` };
  const ok = (message: Message): MessageDecodeResult => ({ ok: true, message });
  switch (name) {
    case 'HELLO':
      return exact(p, 1, name) ?? ok({ type: name, proto: p[0]! });
    case 'HEARTBEAT':
    case 'ACK':
      return exact(p, 0, name) ?? ok({ type: name });
    case 'FILL_RECT': {
      const bad = exact(p, 10, name);
      if (bad) return bad;
      const r = readRect(p);
      const why = checkRect(r, panel);
      return why ? badValue(why) : ok({ type: name, ...r, colour: p.readUInt16BE(8) });
    }
    case 'BITMAP1': {
      if (p.length < 12) return badLength('BITMAP1 header is 12 bytes');
      const r = readRect(p);
      if (p.length !== 12 + Math.ceil(r.w / 8) * r.h) return badLength('BITMAP1 bits do not match w × h');
      const why = checkRect(r, panel);
      if (why) return badValue(why);
      return ok({ type: name, ...r, fg: p.readUInt16BE(8), bg: p.readUInt16BE(10), bits: Buffer.from(p.subarray(12)) });
    }
    case 'IMAGE_GREY8':
    case 'IMAGE_RGB565': {
      if (p.length < 8) return badLength(`${name} header is 8 bytes`);
      const r = readRect(p);
      const bytesPerPixel = name === 'IMAGE_GREY8' ? 1 : 2;
      if (p.length !== 8 + bytesPerPixel * r.w * r.h) return badLength(`${name} pixels do not match w × h`);
      const why = checkRect(r, panel);
      if (why) return badValue(why);
      return ok({ type: name, ...r, pixels: Buffer.from(p.subarray(8)) });
    }
    case 'SCREEN_BEGIN':
    case 'SCREEN_END':
      return exact(p, 2, name) ?? ok({ type: name, screen: p.readUInt16BE(0) });
    case 'LED': {
      const bad = exact(p, 2, name);
      if (bad) return bad;
      const valid = (v: number): boolean => v <= LedPattern.FLASH || v === LedPattern.UNCHANGED;
      if (!valid(p[0]!) || !valid(p[1]!)) return badValue('unknown LED pattern');
      return ok({ type: name, green: p[0]!, red: p[1]! });
    }
    case 'BUZZER': {
      const bad = exact(p, 1, name);
      if (bad) return bad;
      if (p[0]! > BuzzerPattern.LONG) return badValue('unknown buzzer pattern');
      return ok({ type: name, pattern: p[0]! });
    }
    case 'SCANNER_CONFIG': {
      const bad = exact(p, 10, name);
      if (bad) return bad;
      const m = {
        type: name,
        terminators: p[0]!,
        flags: p[1]!,
        idleMs: p.readUInt16BE(2),
        maxLen: p.readUInt16BE(4),
        baud: p.readUInt32BE(6),
      } as const;
      if ((m.terminators & ~ALL_TERMINATORS) !== 0 || (m.flags & ~ScannerFlag.STRIP_AIM) !== 0)
        return badValue('unknown terminator or flag bits');
      if (m.idleMs < 10 || m.idleMs > 5000) return badValue('idleMs out of 10..5000');
      if (m.maxLen < 1 || m.maxLen > MAX_SCAN_LENGTH) return badValue(`maxLen out of 1..${MAX_SCAN_LENGTH}`);
      if (m.baud !== 0 && (m.baud < 1200 || m.baud > 921600)) return badValue('baud out of 1200..921600');
      return ok(m);
    }
    case 'BANNER':
      if (p.length < 1) return badLength('BANNER needs proto');
      return ok({ type: name, proto: p[0]!, version: p.subarray(1).toString('latin1') });
    case 'HELLO_OK':
      if (p.length < 12) return badLength('HELLO_OK header is 12 bytes');
      return ok({
        type: name,
        proto: p[0]!,
        caps: p.readUInt16BE(1),
        width: p.readUInt16BE(3),
        height: p.readUInt16BE(5),
        windowFrames: p[7]!,
        windowBytes: p.readUInt16BE(8),
        maxPayload: p.readUInt16BE(10),
        version: p.subarray(12).toString('latin1'),
      });
    case 'SCAN': {
      if (p.length < 7) return badLength('SCAN needs a 6-byte header and data');
      const m = {
        type: name,
        scanId: p[0]!,
        symbology: p[1]!,
        total: p.readUInt16BE(2),
        offset: p.readUInt16BE(4),
        data: Buffer.from(p.subarray(6)),
      } as const;
      if (m.offset + m.data.length > m.total || m.total > MAX_SCAN_LENGTH) return badValue('SCAN piece outside its scan');
      return ok(m);
    }
    case 'DROPPED':
      return exact(p, 3, name) ?? ok({ type: name, reason: p[0]!, length: p.readUInt16BE(1) });
    case 'BUTTON': {
      const bad = exact(p, 1, name);
      if (bad) return bad;
      if (p[0] !== Button.YES && p[0] !== Button.NO) return badValue('unknown button');
      return ok({ type: name, button: p[0] });
    }
    case 'ERROR':
      if (p.length < 1) return badLength('ERROR needs a code');
      return ok({ type: name, code: p[0]!, text: p.subarray(1).toString('latin1') });
    case 'NAK':
      return exact(p, 1, name) ?? ok({ type: name, code: p[0]! });
  }
}
