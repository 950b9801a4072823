/**
 * A small strict CBOR (RFC 8949) codec for credentials. Why not a general library: a verifier must reject what
 * another verifier might read differently, and must bound the work of hostile input. So decoding refuses
 * duplicate map keys (compared by value, so `1` and a non-minimal `1` collide), indefinite lengths, unassigned
 * simple values, reserved encodings, invalid UTF-8, trailing bytes; and it enforces depth, item and string limits
 * before allocating anything. Maps decode to `Map` (credential keys are integers), byte strings to `Uint8Array`
 * views, integers beyond 2^53 to `bigint`, tags to `CborTag`.
 */
import { CredentialError } from './errors.js';
import { MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MAX_CBOR_STRING_BYTES } from './limits.js';

export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

export type CborValue = number | bigint | string | boolean | null | undefined | Uint8Array | CborValue[] | CborMap | CborTag;
export type CborMap = Map<CborValue, CborValue>;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function invalid(detail: string): never {
  throw new CredentialError('CBOR_INVALID', detail);
}

/** Limits a caller may raise for one decode (the trust layer's status-list CWTs); credentials use the defaults. */
export interface CborLimits {
  /** Largest single byte or text string; default MAX_CBOR_STRING_BYTES. */
  maxStringBytes?: number;
}

class Reader {
  pos = 0;
  items = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly maxString: number = MAX_CBOR_STRING_BYTES,
  ) {}

  /** Reads the argument of an initial byte; returns -1 for indefinite length (additional info 31). */
  argument(info: number): number | bigint {
    const b = this.bytes;
    if (info < 24) return info;
    const p = this.pos;
    switch (info) {
      case 24:
        if (p + 1 > b.length) invalid('truncated');
        this.pos = p + 1;
        return b[p]!;
      case 25:
        if (p + 2 > b.length) invalid('truncated');
        this.pos = p + 2;
        return (b[p]! << 8) | b[p + 1]!;
      case 26:
        if (p + 4 > b.length) invalid('truncated');
        this.pos = p + 4;
        return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
      case 27: {
        if (p + 8 > b.length) invalid('truncated');
        this.pos = p + 8;
        const hi = ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
        const lo = ((b[p + 4]! << 24) >>> 0) + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
        if (hi < 0x200000) return hi * 0x100000000 + lo;
        return (BigInt(hi) << 32n) | BigInt(lo);
      }
      case 31:
        return invalid('indefinite-length items are not accepted');
      default:
        return invalid('reserved additional information');
    }
  }

  /** A length or count, bounded by the bytes left (each element needs at least `unit` bytes). */
  length(info: number, unit: number): number {
    const n = this.argument(info);
    if (typeof n === 'bigint' || n * unit > this.bytes.length - this.pos) invalid('length runs past the end');
    return n;
  }

  item(depth: number): CborValue {
    if (++this.items > MAX_CBOR_ITEMS) throw new CredentialError('PAYLOAD_TOO_LARGE', `more than ${MAX_CBOR_ITEMS} CBOR items`);
    if (this.pos >= this.bytes.length) invalid('truncated');
    const initial = this.bytes[this.pos++]!;
    const major = initial >> 5;
    const info = initial & 31;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === 'bigint' ? -1n - n : n <= 0x1fffffffffffff - 1 ? -1 - n : -1n - BigInt(n);
      }
      case 2:
      case 3: {
        const len = this.length(info, 1);
        if (len > this.maxString) throw new CredentialError('PAYLOAD_TOO_LARGE', `string of ${len} bytes`);
        const start = this.pos;
        this.pos += len;
        const view = this.bytes.subarray(start, this.pos);
        return major === 2 ? view : decodeText(view);
      }
      case 4: {
        const count = this.length(info, 1);
        if (depth >= MAX_CBOR_DEPTH) invalid(`nested deeper than ${MAX_CBOR_DEPTH}`);
        const out: CborValue[] = new Array(count);
        for (let i = 0; i < count; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const count = this.length(info, 2);
        if (depth >= MAX_CBOR_DEPTH) invalid(`nested deeper than ${MAX_CBOR_DEPTH}`);
        const out: CborMap = new Map();
        let seen: Set<string> | undefined;
        for (let i = 0; i < count; i++) {
          const keyStart = this.pos;
          const key = this.item(depth + 1);
          const keyEnd = this.pos;
          const value = this.item(depth + 1);
          const size = out.size;
          if (typeof key !== 'number' && typeof key !== 'string') {
            // Other keys (byte strings, arrays, big integers…) are compared by value through a canonical form.
            seen ??= new Set();
            const id = keyIdentity(key, this.bytes.subarray(keyStart, keyEnd));
            if (seen.has(id)) invalid('duplicate map key');
            seen.add(id);
          }
          out.set(key, value);
          // Numbers and strings compare by value in a Map (so 1 and a non-minimal 1 collide, as they must).
          if (out.size === size) invalid('duplicate map key');
        }
        return out;
      }
      case 6: {
        const tag = this.argument(info);
        if (typeof tag === 'bigint') invalid('tag number too large');
        if (depth >= MAX_CBOR_DEPTH) invalid(`nested deeper than ${MAX_CBOR_DEPTH}`);
        return new CborTag(tag, this.item(depth + 1));
      }
      default:
        return this.simple(info);
    }
  }

  simple(info: number): CborValue {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25: {
        const h = this.argument(25) as number;
        return halfToNumber(h);
      }
      case 26:
      case 27: {
        const size = info === 26 ? 4 : 8;
        if (this.pos + size > this.bytes.length) invalid('truncated');
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, size);
        this.pos += size;
        return size === 4 ? view.getFloat32(0) : view.getFloat64(0);
      }
      case 31:
        return invalid('unexpected break');
      default:
        return invalid(`unassigned or reserved simple value ${info}`);
    }
  }
}

function decodeText(view: Uint8Array): string {
  try {
    return utf8.decode(view);
  } catch {
    return invalid('text string is not valid UTF-8');
  }
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function keyIdentity(key: CborValue, raw: Uint8Array): string {
  if (typeof key === 'bigint') return `i${key}`;
  if (typeof key === 'number') return Number.isInteger(key) ? `i${key}` : `f${key}`;
  if (typeof key === 'string') return `t${key}`;
  if (key instanceof Uint8Array) return `b${Buffer.from(key).toString('hex')}`;
  return `r${Buffer.from(raw).toString('hex')}`;
}

/** Decodes exactly one CBOR item filling all of `bytes`. Throws CredentialError (CBOR_INVALID / PAYLOAD_TOO_LARGE). */
export function decodeCbor(bytes: Uint8Array, limits?: CborLimits): CborValue {
  // A plain Uint8Array view (not a Buffer): its subarrays are cheaper to make, and byte strings come out uniform.
  const reader = new Reader(
    bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    limits?.maxStringBytes,
  );
  const value = reader.item(0);
  if (reader.pos !== bytes.length) invalid(`${bytes.length - reader.pos} bytes after the CBOR item`);
  return value;
}

/* ------------------------------------------------------------------ encoding */

class Writer {
  buf = new Uint8Array(256);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  head(major: number, n: number | bigint): void {
    this.ensure(9);
    const m = major << 5;
    const b = this.buf;
    if (typeof n === 'bigint' || n > 0xffffffff) {
      const big = BigInt(n);
      b[this.len++] = m | 27;
      for (let shift = 56n; shift >= 0n; shift -= 8n) b[this.len++] = Number((big >> shift) & 0xffn);
    } else if (n < 24) b[this.len++] = m | n;
    else if (n < 0x100) {
      b[this.len++] = m | 24;
      b[this.len++] = n;
    } else if (n < 0x10000) {
      b[this.len++] = m | 25;
      b[this.len++] = n >> 8;
      b[this.len++] = n & 0xff;
    } else {
      b[this.len++] = m | 26;
      b[this.len++] = n >>> 24;
      b[this.len++] = (n >> 16) & 0xff;
      b[this.len++] = (n >> 8) & 0xff;
      b[this.len++] = n & 0xff;
    }
  }
  bytes(major: number, data: Uint8Array): void {
    this.head(major, data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }
}

function write(w: Writer, v: CborValue | Record<string, unknown>): void {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v >= 0 ? w.head(0, v) : w.head(1, -1 - v);
    w.ensure(9);
    w.buf[w.len++] = 0xfb;
    new DataView(w.buf.buffer, w.buf.byteOffset + w.len, 8).setFloat64(0, v);
    w.len += 8;
    return;
  }
  if (typeof v === 'bigint') {
    if (v >= 0n) {
      if (v > 0xffffffffffffffffn) throw new RangeError('integer too large for CBOR');
      return w.head(0, v);
    }
    if (-1n - v > 0xffffffffffffffffn) throw new RangeError('integer too large for CBOR');
    return w.head(1, -1n - v);
  }
  if (typeof v === 'string') return w.bytes(3, utf8Encoder.encode(v));
  if (v instanceof Uint8Array) return w.bytes(2, v);
  if (v === false || v === true || v === null || v === undefined) {
    w.ensure(1);
    w.buf[w.len++] = v === false ? 0xf4 : v === true ? 0xf5 : v === null ? 0xf6 : 0xf7;
    return;
  }
  if (Array.isArray(v)) {
    w.head(4, v.length);
    for (const item of v) write(w, item);
    return;
  }
  if (v instanceof Map) {
    w.head(5, v.size);
    for (const [key, value] of v) {
      write(w, key);
      write(w, value);
    }
    return;
  }
  if (v instanceof CborTag) {
    w.head(6, v.tag);
    return write(w, v.value);
  }
  // A plain object: text keys (used by the status-list claim, whose keys are text).
  const entries = Object.entries(v).filter(([, value]) => value !== undefined);
  w.head(5, entries.length);
  for (const [key, value] of entries) {
    write(w, key);
    write(w, value as CborValue);
  }
}

/** Encodes with shortest-form heads and definite lengths, keeping map insertion order. */
export function encodeCbor(value: CborValue | Record<string, unknown>): Uint8Array {
  const w = new Writer();
  write(w, value);
  return w.buf.slice(0, w.len);
}
