/**
 * A small, strict zlib (RFC 1950) / DEFLATE (RFC 1951) decoder. Why not node:zlib: its inflateSync builds a whole
 * stream object per call (the allocation alone costs more than decoding a 1 KB credential), and it cannot tell
 * whether the unused bits of the last byte were zero. Here, one text is one stream: the padding bits before a stored
 * block and after the final block must be zero, nothing may follow the Adler-32, and the output may never grow past
 * `limit` (a decompression bomb stops there, having allocated at most `limit` bytes).
 * Huffman decoding: a 9-bit lookup table, and canonical bit-by-bit decoding for longer codes (as in zlib's puff.c).
 */
import { CredentialError } from './errors.js';

const FAST_BITS = 9;
const FAST_MASK = (1 << FAST_BITS) - 1;

/** A canonical Huffman code: `fast[bits]` = symbol << 4 | length, or 0 when the code is longer than FAST_BITS. */
interface Huffman {
  fast: Int32Array;
  count: Uint16Array;
  symbol: Uint16Array;
}

function corrupt(detail: string): never {
  throw new CredentialError('DECOMPRESS_FAILED', detail);
}

/** Builds a code from code lengths. Over-subscribed codes are errors; incomplete ones only as a single 1-bit code. */
function newHuffman(symbols: number): Huffman {
  return { fast: new Int32Array(1 << FAST_BITS), count: new Uint16Array(16), symbol: new Uint16Array(symbols) };
}

function buildHuffman(lengths: Uint8Array, n: number, allowSingle: boolean, into: Huffman = newHuffman(n)): Huffman {
  const { count, symbol, fast } = into;
  count.fill(0);
  fast.fill(0);
  for (let i = 0; i < n; i++) count[lengths[i]!]!++;
  count[0] = 0;
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - count[len]!;
    if (left < 0) corrupt('over-subscribed Huffman code');
  }
  if (left > 0) {
    let codes = 0;
    for (let len = 1; len < 16; len++) codes += count[len]!;
    if (!(allowSingle && codes <= 1 && (codes === 0 || count[1] === 1))) corrupt('incomplete Huffman code');
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + count[len]!;
  for (let i = 0; i < n; i++) if (lengths[i] !== 0) symbol[offs[lengths[i]!]!++] = i;
  // Fast table: canonical codes, bit-reversed because DEFLATE sends Huffman codes most-significant bit first.
  let code = 0;
  let k = 0;
  for (let len = 1; len <= FAST_BITS; len++) {
    for (let j = 0; j < count[len]!; j++) {
      let reversed = 0;
      for (let b = 0; b < len; b++) reversed |= ((code >> b) & 1) << (len - 1 - b);
      const entry = (symbol[k++]! << 4) | len;
      for (let fill = reversed; fill < 1 << FAST_BITS; fill += 1 << len) fast[fill] = entry;
      code++;
    }
    code <<= 1;
  }
  return into;
}

const LENGTH_BASE = Uint16Array.of(
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
);
const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const DIST_BASE = Uint16Array.of(
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
);
const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
const CODE_LENGTH_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

const FIXED_LITERALS = (() => {
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  return buildHuffman(lengths, 288, false);
})();
// 32 five-bit codes; symbols 30 and 31 are rejected when used.
const FIXED_DISTANCES = buildHuffman(new Uint8Array(32).fill(5), 32, false);

/** Scratch tables for dynamic blocks, reused (decoding is synchronous): saves ~7 KB of garbage per credential. */
const DYNAMIC_LENGTHS = newHuffman(19);
const DYNAMIC_LITERALS = newHuffman(286);
const DYNAMIC_DISTANCES = newHuffman(30);
const CODE_LENGTHS = new Uint8Array(19);
const LENGTHS = new Uint8Array(286 + 30);
/** Output scratch, grown on first use up to OUTPUT_SCRATCH_BYTES; larger limits grow a private buffer instead. */
const OUTPUT_SCRATCH_BYTES = 65536;
let OUTPUT = new Uint8Array(0);

class Inflater {
  pos: number;
  bitBuf = 0;
  bitCount = 0;
  /** Zero bytes fed past the end of the input (lookahead only; more than 4 means the stream is truncated). */
  pad = 0;
  out: Uint8Array;
  /** Bytes writable without growing: min(out.length, limit). Every write checks against this. */
  cap: number;
  len = 0;

  constructor(
    readonly input: Uint8Array,
    start: number,
    readonly limit: number,
  ) {
    this.pos = start;
    // Decode into a reusable buffer (decoding is synchronous); the caller gets an exact-size copy.
    if (OUTPUT.length < Math.min(limit, OUTPUT_SCRATCH_BYTES)) OUTPUT = new Uint8Array(Math.min(limit, OUTPUT_SCRATCH_BYTES));
    this.out = OUTPUT;
    this.cap = Math.min(OUTPUT.length, limit);
  }

  refill(): void {
    while (this.bitCount <= 24) {
      let byte = 0;
      if (this.pos < this.input.length) byte = this.input[this.pos]!;
      else if (++this.pad > 4) corrupt('truncated deflate stream');
      this.pos++;
      this.bitBuf |= byte << this.bitCount;
      this.bitCount += 8;
    }
  }

  bits(n: number): number {
    if (this.bitCount < n) this.refill();
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  decode(h: Huffman): number {
    if (this.bitCount < 15) this.refill();
    const entry = h.fast[this.bitBuf & FAST_MASK]!;
    if (entry !== 0) {
      const len = entry & 15;
      this.bitBuf >>>= len;
      this.bitCount -= len;
      return entry >> 4;
    }
    // A code longer than FAST_BITS: walk the canonical code one bit at a time.
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bitBuf & 1;
      this.bitBuf >>>= 1;
      this.bitCount--;
      const count = h.count[len]!;
      if (code - first < count) return h.symbol[index + code - first]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return corrupt('invalid Huffman code');
  }

  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.cap) return;
    if (need > this.limit) throw new CredentialError('PAYLOAD_TOO_LARGE', `inflated size exceeds ${this.limit} bytes`);
    if (need > this.out.length) {
      const next = new Uint8Array(Math.min(this.limit, Math.max(need, this.out.length * 2, 1024)));
      next.set(this.out.subarray(0, this.len));
      this.out = next;
    }
    this.cap = Math.min(this.out.length, this.limit);
  }

  /** Drops the bits up to the next byte boundary (they must be zero) and hands the read-ahead bytes back. */
  align(): void {
    const skip = this.bitCount & 7;
    if (skip && (this.bitBuf & ((1 << skip) - 1)) !== 0) corrupt('non-zero padding bits');
    // `pos` counted every byte fetched (pad bytes too); the whole bytes still buffered were only looked ahead at.
    const next = this.pos - ((this.bitCount - skip) >> 3);
    if (next > this.input.length) corrupt('truncated deflate stream');
    this.pos = next;
    this.pad = 0;
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  stored(): void {
    this.align();
    const { input } = this;
    if (this.pos + 4 > input.length) corrupt('truncated stored block');
    const n = input[this.pos]! | (input[this.pos + 1]! << 8);
    const complement = input[this.pos + 2]! | (input[this.pos + 3]! << 8);
    if (n !== (~complement & 0xffff)) corrupt('stored block length check failed');
    this.pos += 4;
    if (this.pos + n > input.length) corrupt('truncated stored block');
    this.ensure(n);
    this.out.set(input.subarray(this.pos, this.pos + n), this.len);
    this.len += n;
    this.pos += n;
  }

  dynamicTables(): [Huffman, Huffman] {
    const nLit = this.bits(5) + 257;
    const nDist = this.bits(5) + 1;
    const nCode = this.bits(4) + 4;
    if (nLit > 286 || nDist > 30) corrupt('too many length or distance codes');
    const codeLengths = CODE_LENGTHS.fill(0);
    for (let i = 0; i < nCode; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = this.bits(3);
    const lengthCode = buildHuffman(codeLengths, 19, false, DYNAMIC_LENGTHS);
    const total = nLit + nDist;
    const lengths = LENGTHS;
    for (let i = 0; i < total; ) {
      const sym = this.decode(lengthCode);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (sym === 16) {
        if (i === 0) corrupt('repeat with no previous length');
        value = lengths[i - 1]!;
        repeat = 3 + this.bits(2);
      } else if (sym === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (i + repeat > total) corrupt('too many code lengths');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) corrupt('no end-of-block code');
    return [
      buildHuffman(lengths.subarray(0, nLit), nLit, true, DYNAMIC_LITERALS),
      buildHuffman(lengths.subarray(nLit, total), nDist, true, DYNAMIC_DISTANCES),
    ];
  }

  codes(literals: Huffman, distances: Huffman): void {
    for (;;) {
      const sym = this.decode(literals);
      if (sym < 256) {
        if (this.len >= this.cap) this.ensure(1);
        this.out[this.len++] = sym;
        continue;
      }
      if (sym === 256) return;
      const li = sym - 257;
      if (li >= 29) corrupt('invalid length symbol');
      const length = LENGTH_BASE[li]! + this.bits(LENGTH_EXTRA[li]!);
      const ds = this.decode(distances);
      if (ds >= 30) corrupt('invalid distance symbol');
      const distance = DIST_BASE[ds]! + this.bits(DIST_EXTRA[ds]!);
      if (distance > this.len) corrupt('distance too far back');
      this.ensure(length);
      const out = this.out;
      let from = this.len - distance;
      const end = this.len + length;
      for (let to = this.len; to < end; ) out[to++] = out[from++]!;
      this.len = end;
    }
  }

  run(): void {
    let last = 0;
    while (!last) {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(FIXED_LITERALS, FIXED_DISTANCES);
      else if (type === 2) {
        const [literals, distances] = this.dynamicTables();
        this.codes(literals, distances);
      } else corrupt('invalid block type');
    }
    this.align();
  }
}

function adler32(data: Uint8Array, length: number): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < length; ) {
    const end = Math.min(i + 5552, length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Inflates one complete zlib stream, producing at most `limit` bytes. DECOMPRESS_FAILED for anything malformed
 * (bad header, preset dictionary, bad Huffman data, non-zero padding, bad Adler-32, truncation, trailing bytes);
 * PAYLOAD_TOO_LARGE past the limit.
 */
export function inflateZlib(input: Uint8Array, limit: number): Uint8Array {
  if (input.length < 6) corrupt('too short for a zlib stream');
  const cmf = input[0]!;
  const flg = input[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7) corrupt('not a deflate zlib stream');
  if ((cmf * 256 + flg) % 31 !== 0) corrupt('zlib header check failed');
  if (flg & 0x20) corrupt('preset dictionary not supported');
  const inflater = new Inflater(input, 2, limit);
  inflater.run();
  const p = inflater.pos;
  if (p + 4 > input.length) corrupt('missing Adler-32');
  if (p + 4 !== input.length) corrupt(`${input.length - p - 4} bytes after the end of the zlib stream`);
  const expected = ((input[p]! << 24) | (input[p + 1]! << 16) | (input[p + 2]! << 8) | input[p + 3]!) >>> 0;
  if (adler32(inflater.out, inflater.len) !== expected) corrupt('Adler-32 mismatch');
  return inflater.out.slice(0, inflater.len);
}
