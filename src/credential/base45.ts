/**
 * Base45 (RFC 9285), strict: only the 45-character uppercase alphabet, length mod 3 ≠ 1, every triple ≤ 65535
 * and every final pair ≤ 255. One text decodes to one byte string and back (no aliasing).
 */
import { CredentialError } from './errors.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** True when every character of `text` is in the Base45 alphabet. */
export function isBase45Alphabet(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || VALUE[c]! < 0) return false;
  }
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

export function base45Decode(text: string): Uint8Array {
  const n = text.length;
  if (n % 3 === 1) throw new CredentialError('BASE45_INVALID', `length ${n} is not a Base45 length`);
  const out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = digit(text, i) + digit(text, i + 1) * 45 + digit(text, i + 2) * 2025;
    if (v > 0xffff) throw new CredentialError('BASE45_INVALID', `triple at ${i} exceeds 65535`);
    out[o++] = v >> 8;
    out[o++] = v & 0xff;
  }
  if (i < n) {
    const v = digit(text, i) + digit(text, i + 1) * 45;
    if (v > 0xff) throw new CredentialError('BASE45_INVALID', `final pair exceeds 255`);
    out[o] = v;
  }
  return out;
}

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 128 ? VALUE[c]! : -1;
  if (v < 0) throw new CredentialError('BASE45_INVALID', `character at ${i} is not in the Base45 alphabet`);
  return v;
}
