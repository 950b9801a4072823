/**
 * Makes a holder photo QR-sized: crop to a 4:5 head-and-shoulders frame (sharp's "attention" crop), shrink to
 * 64×80, and encode as WebP at the highest quality whose cost IN THE CODE (its bytes after zlib, as the issuer
 * compresses the whole message) fits the budget, 420 bytes by default; smaller frames only when 64×80 cannot fit.
 * Chosen by measurement (bench/photo.mjs, BENCHMARKS.md "Photo formats"): at 300–450 code bytes WebP keeps more
 * of a face than AVIF or JPEG on every face tried — its container costs ~45 bytes against AVIF's ~200 and JPEG's
 * ~90 after zlib — and 64×80 keeps the mouth and nose that larger frames at lower quality lose. The budget keeps
 * the demo holder's code under 1,000 characters; the verifier accepts far larger photos, and JPEG and AVIF too.
 */
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { IssueError } from './errors.js';

/** The photo's budget in code bytes (after zlib). */
export const DEFAULT_PHOTO_BYTES = 420;
/** Portrait sizes tried, largest first (4:5, like a passport photo). */
const SIZES: ReadonlyArray<readonly [number, number]> = [
  [64, 80],
  [56, 70],
  [48, 60],
];
/**
 * WebP quality range searched. At the default budget the measured faces land at 8–30; below 5 a face smears into
 * flat patches and a smaller frame at a higher quality looks better.
 */
const QUALITY = { min: 5, max: 90 } as const;
/** Claim 169 photoFormat codes. */
const PHOTO_FORMAT = { webp: 4 } as const;

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

/** WebP, effort 6 (the slowest, smallest), sharp-YUV chroma: measured settings (bench/photo.mjs). */
function encode(raw: Sharp, quality: number): Promise<Buffer> {
  return raw.clone().webp({ quality, effort: 6, smartSubsample: true }).toBuffer();
}

/** Highest quality in [min, max] whose code cost fits `maxBytes` (binary search: size grows with quality). */
async function bestFit(raw: Sharp, maxBytes: number): Promise<{ data: Buffer; quality: number } | null> {
  let { min: lo, max: hi } = QUALITY;
  let best: { data: Buffer; quality: number } | null = null;
  while (lo <= hi) {
    const quality = Math.floor((lo + hi) / 2);
    const data = await encode(raw, quality);
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
    const { data, info } = await sharp(input, { failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    source = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .png({ compressionLevel: 0 })
      .toBuffer();
  } catch {
    throw new IssueError('PHOTO_UNSUPPORTED', `${what} is not an image this issuer can read (use JPEG, PNG, WebP or AVIF)`);
  }
  for (const [width, height] of SIZES) {
    const raw = sharp(source).resize(width, height, { fit: 'cover', position: sharp.strategy.attention });
    const fit = await bestFit(raw, maxBytes);
    if (fit)
      return {
        data: new Uint8Array(fit.data),
        encoding: 'webp',
        photoFormat: PHOTO_FORMAT.webp,
        width,
        height,
        quality: fit.quality,
        codeBytes: photoCodeBytes(fit.data),
      };
  }
  throw new IssueError('PHOTO_TOO_LARGE', `${what} cannot be made smaller than ${maxBytes} bytes in the code at a recognisable quality`);
}
