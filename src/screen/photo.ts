/**
 * The holder's photo → what the displays draw, or a plain line saying why it cannot be shown.
 *
 * The displays get the signed image bytes themselves, never a copy re-encoded here: the desk's browser decodes
 * JPEG, PNG, WebP and AVIF (Chromium), so the kiosk decodes nothing for the web page. Only the headers are read
 * (`image-size`: the format and the pixel size), to refuse what no desk should try to draw — JPEG 2000, which
 * Chromium does not show, other formats, and images whose header claims more pixels than a photo can need (a
 * decompression bomb fits in 2 KB). Decoding every photo with libvips cost the kiosk tens of MB that it never gave
 * back (BENCHMARKS.md, "Kiosk: memory"); the bridge's panel, which does need pixels, decodes the same bytes itself
 * (src/bridge/raster.ts).
 */
import { imageSize } from 'image-size';
import type { Identity } from '../credential/types.js';
import type { PhotoMime, PhotoView } from './state.js';

/** Refuse images whose header claims more pixels than this. */
const MAX_PHOTO_PIXELS = 4096 * 4096;

export const PHOTO_UNSUPPORTED_JPEG2000 =
  'Photo format not supported (JPEG 2000): compare the person with their identity document instead.';
export const PHOTO_UNREADABLE = 'The photo in this code could not be read: compare the person with their identity document instead.';

/** The face image bytes: Claim 169 `photo` (key 16), else the first `face` biometric (key 62). */
export function photoBytes(identity: Identity | null): Uint8Array | null {
  if (!identity) return null;
  if (identity.photo && identity.photo.length > 0) return identity.photo;
  const face = identity.face?.[0]?.data;
  return face && face.length > 0 ? face : null;
}

const JP2_SIGNATURE = Buffer.from('0000000c6a5020200d0a870a', 'hex');
const J2K_CODESTREAM = Buffer.from('ff4fff51', 'hex');

function isJpeg2000(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.subarray(0, 12).equals(JP2_SIGNATURE) || b.subarray(0, 4).equals(J2K_CODESTREAM);
}

/** image-size's names for the formats the desk's browser shows. */
const SHOWN: Record<string, PhotoMime> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };

/**
 * The photo as the displays get it: the same bytes, their type and their size as drawn (EXIF orientations 5–8 turn
 * the picture a quarter, so width and height swap). Reads headers only; never throws.
 */
export function preparePhoto(bytes: Uint8Array): PhotoView {
  if (isJpeg2000(bytes)) return { unsupported: PHOTO_UNSUPPORTED_JPEG2000 };
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return { unsupported: PHOTO_UNREADABLE };
  }
  if (size.type === 'jp2' || size.type === 'j2c') return { unsupported: PHOTO_UNSUPPORTED_JPEG2000 };
  const mime = size.type !== undefined ? SHOWN[size.type] : undefined;
  const { width, height } = size;
  if (!mime || !(width > 0 && height > 0) || width * height > MAX_PHOTO_PIXELS) return { unsupported: PHOTO_UNREADABLE };
  const quarterTurn = (size.orientation ?? 1) >= 5;
  return {
    mime,
    base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    width: quarterTurn ? height : width,
    height: quarterTurn ? width : height,
  };
}
