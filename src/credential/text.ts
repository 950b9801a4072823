/**
 * The text of a scanned code before decoding, and a first look at whether it is one of ours at all.
 */
import { base45Decode } from './base45.js';

/**
 * Scanners and files add line breaks, tabs and padding: outer whitespace is trimmed and CR, LF and TAB inside the
 * text are dropped. An inner space stays — it is a Base45 character. Trimming an outer space cannot damage one of
 * our codes: the first triple is a zlib header (never a space) and no final Base45 group ends in the space
 * digit (36): a final triple's last digit is at most 32 (65535 / 2025), a final pair's at most 5 (255 / 45).
 */
export function normaliseCodeText(text: string): string {
  const trimmed = text.trim();
  return /[\t\n\r]/.test(trimmed) ? trimmed.replace(/[\t\n\r]+/g, '') : trimmed;
}

/**
 * Does the text begin as our codes do — a Base45 triple that decodes to a zlib header (RFC 1950 §2.2: CM = 8
 * "deflate", CINFO ≤ 7, and CMF·256 + FLG a multiple of 31)? Then a failure further on is damage (a cut-off or
 * misread scan), not text of another kind. One in about 250 random Base45 triples passes, so a product barcode
 * that is not Base45 at all, or a URL, never does.
 */
export function beginsWithZlibHeader(text: string): boolean {
  if (text.length < 3) return false;
  let bytes: Uint8Array;
  try {
    bytes = base45Decode(text.slice(0, 3));
  } catch {
    return false;
  }
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}
