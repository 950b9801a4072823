/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier, sent by a scanner before the data
 * when so configured. We strip them and report the symbology; the modifier is not needed downstream.
 */
import type { Symbology } from './types.js';

const AIM_SYMBOLOGY: Readonly<Record<string, Symbology>> = {
  Q: 'qr',
  d: 'datamatrix',
  L: 'pdf417',
  z: 'aztec',
  C: 'code128',
};

/** Honeywell's own one-character code ids (sent in HID POS reports beside the AIM id). */
const HONEYWELL_CODE_ID: Readonly<Record<string, Symbology>> = {
  s: 'qr',
  w: 'datamatrix',
  r: 'pdf417',
  z: 'aztec',
  j: 'code128',
};

const isLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const isLetterOrDigit = (b: number) => isLetter(b) || (b >= 0x30 && b <= 0x39);

/** True when `bytes` begin with something shaped like an AIM id. */
export function hasAimId(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x5d && isLetter(bytes[1]!) && isLetterOrDigit(bytes[2]!);
}

function symbologyOfAim(codeChar: number): Symbology {
  return AIM_SYMBOLOGY[String.fromCharCode(codeChar)] ?? 'other';
}

export function symbologyOfHoneywellCodeId(codeId: number): Symbology {
  if (codeId === 0) return 'unknown';
  return HONEYWELL_CODE_ID[String.fromCharCode(codeId)] ?? 'other';
}

/** Removes a leading AIM id. Without one the symbology is `fallback` (what the transport said, else unknown). */
export function stripAimId(frame: Buffer, fallback: Symbology = 'unknown'): { data: Buffer; symbology: Symbology } {
  if (!hasAimId(frame)) return { data: frame, symbology: fallback };
  return { data: frame.subarray(3), symbology: symbologyOfAim(frame[1]!) };
}
