/**
 * Makes a holder photo QR-sized: crop to a 4:5 head-and-shoulders frame (sharp's "attention" crop), shrink, and
 * encode as AVIF (or WebP when AVIF cannot meet the budget), aiming at ≤ 600 bytes. The budget is the issuer's
 * choice to keep the QR small; the verifier accepts far larger photos.
 */
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { IssueError } from './errors.js';

export const DEFAULT_PHOTO_BYTES = 600;
/** Portrait sizes tried, largest first (4:5, like a passport photo). */
const SIZES: ReadonlyArray<readonly [number, number]> = [
  [64, 80],
  [56, 70],
  [48, 60],
  [40, 50],
  [32, 40],
];
/** Below these qualities a face blurs into blocks; a smaller frame at a higher quality looks better. */
const QUALITY = { avif: { min: 30, max: 70 }, webp: { min: 40, max: 90 } } as const;
/** Claim 169 photoFormat codes. */
export const PHOTO_FORMAT = { avif: 3, webp: 4 } as const;

export type PhotoEncoding = keyof typeof PHOTO_FORMAT;

export interface ShrunkPhoto {
  data: Uint8Array;
  encoding: PhotoEncoding;
  /** Claim 169 key 17 value. */
  photoFormat: number;
  width: number;
  height: number;
  quality: number;
  /** What it costs in the code: its size after zlib level 9, as the issuer compresses the whole message. */
  codeBytes: number;
}

/** The photo's cost in the code. Headers shrink under zlib (JPEG tables, AVIF boxes); coded pixels do not. */
export function photoCodeBytes(data: Uint8Array): number {
  return deflateSync(data, { level: 9 }).length;
}

function encode(raw: Sharp, encoding: PhotoEncoding, quality: number): Promise<Buffer> {
  const copy = raw.clone();
  return (encoding === 'avif' ? copy.avif({ quality, effort: 9 }) : copy.webp({ quality, effort: 6, smartSubsample: true })).toBuffer();
}

/** Highest quality in [min, max] whose output fits `maxBytes` (binary search: size grows with quality). */
async function bestFit(raw: Sharp, encoding: PhotoEncoding, maxBytes: number): Promise<{ data: Buffer; quality: number } | null> {
  let { min: lo, max: hi } = QUALITY[encoding];
  let best: { data: Buffer; quality: number } | null = null;
  while (lo <= hi) {
    const quality = Math.floor((lo + hi) / 2);
    const data = await encode(raw, encoding, quality);
    if (photoCodeBytes(data) <= maxBytes) {
      best = { data, quality };
      lo = quality + 1;
    } else hi = quality - 1;
  }
  return best;
}

export async function shrinkPhoto(input: Uint8Array, maxBytes = DEFAULT_PHOTO_BYTES, what = 'photo'): Promise<ShrunkPhoto> {
  let source: Buffer;
  try {
    // Decode once (EXIF orientation applied), flatten transparency, and keep the pixels for every attempt.
    const { data, info } = await sharp(input, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    source = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png({ compressionLevel: 0 }).toBuffer();
  } catch {
    throw new IssueError('PHOTO_UNSUPPORTED', `${what} is not an image this issuer can read (use JPEG, PNG, WebP or AVIF)`);
  }
  for (const [width, height] of SIZES) {
    const raw = sharp(source).resize(width, height, { fit: 'cover', position: sharp.strategy.attention });
    for (const encoding of ['avif', 'webp'] as const) {
      const fit = await bestFit(raw, encoding, maxBytes);
      if (fit) return { data: new Uint8Array(fit.data), encoding, photoFormat: PHOTO_FORMAT[encoding], width, height, quality: fit.quality, codeBytes: photoCodeBytes(fit.data) };
    }
  }
  throw new IssueError('PHOTO_TOO_LARGE', `${what} cannot be made smaller than ${maxBytes} bytes at a recognisable quality`);
}
