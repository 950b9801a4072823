/**
 * Base45 (RFC 9285), strict: only the 45-character uppercase alphabet, length mod 3 ≠ 1, every triple ≤ 65535
 * and every final pair ≤ 255. One text decodes to one byte string and back (no aliasing).
 */
import { CredentialError } from './errors.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
/** Digit value of every UTF-16 code unit (-1 outside the alphabet): one lookup per character, no branches. */
const DIGIT = new Int8Array(65536).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** True when every character of `text` is in the Base45 alphabet. */
export function isBase45Alphabet(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (DIGIT[text.charCodeAt(i)]! < 0) return false;
  return true;
}

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let v = bytes[i]! * 256 + bytes[i + 1]!;
    const c = v % 45;
    v = (v - c) / 45;
    const d = v % 45;
    const e = (v - d) / 45;
    out += ALPHABET[c]! + ALPHABET[d]! + ALPHABET[e]!;
  }
  if (i < n) {
    const v = bytes[i]!;
    out += ALPHABET[v % 45]! + ALPHABET[Math.floor(v / 45)]!;
  }
  return out;
}

/** Decodes strictly. With `scratch` (large enough), decodes into it and returns a view: no allocation. */
export function base45Decode(text: string, scratch?: Uint8Array): Uint8Array {
  const n = text.length;
  if (n % 3 === 1) throw new CredentialError('BASE45_INVALID', `length ${n} is not a Base45 length`);
  const size = Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0);
  const out = scratch !== undefined && scratch.length >= size ? scratch.subarray(0, size) : new Uint8Array(size);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const a = DIGIT[text.charCodeAt(i)]!;
    const b = DIGIT[text.charCodeAt(i + 1)]!;
    const c = DIGIT[text.charCodeAt(i + 2)]!;
    if ((a | b | c) < 0) throw new CredentialError('BASE45_INVALID', `character near ${i} is not in the Base45 alphabet`);
    const v = a + b * 45 + c * 2025;
    if (v > 0xffff) throw new CredentialError('BASE45_INVALID', `triple at ${i} exceeds 65535`);
    out[o++] = v >> 8;
    out[o++] = v & 0xff;
  }
  if (i < n) {
    const a = DIGIT[text.charCodeAt(i)]!;
    const b = DIGIT[text.charCodeAt(i + 1)]!;
    if ((a | b) < 0) throw new CredentialError('BASE45_INVALID', `character near ${i} is not in the Base45 alphabet`);
    const v = a + b * 45;
    if (v > 0xff) throw new CredentialError('BASE45_INVALID', `final pair exceeds 255`);
    out[o] = v;
  }
  return out;
}
