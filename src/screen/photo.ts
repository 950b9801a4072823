/**
 * The holder's photo → a PNG the displays can draw (sharp: JPEG, PNG, WebP, AVIF, …), or a plain line saying why
 * it cannot be shown. This sharp build has no JPEG 2000 decoder (libvips without OpenJPEG), so a JPEG 2000 photo
 * gets "photo format not supported" rather than a broken image.
 */
import type { Identity } from '../credential/types.js';
import type { PhotoView } from './state.js';

/** Longest side of the PNG sent to displays (never enlarged here: the page scales it up, keeping events small). */
export const PHOTO_MAX_SIDE = 480;
/** Refuse images that decode to more pixels than this (a decompression bomb in 2 KB is possible). */
const MAX_INPUT_PIXELS = 4096 * 4096;

export const PHOTO_UNSUPPORTED_JPEG2000 = 'Photo format not supported (JPEG 2000): compare the person with their identity document instead.';
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

export function isJpeg2000(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.subarray(0, 12).equals(JP2_SIGNATURE) || b.subarray(0, 4).equals(J2K_CODESTREAM);
}

type Sharp = typeof import('sharp').default;
let loading: Promise<Sharp> | null = null;

/**
 * sharp (libvips, ~30 MB resident) is loaded on the first photo, not at start. Its operation cache is off (each
 * photo is seen once; a cache only holds memory) and one libvips thread is plenty for a 2 KB image.
 */
function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  });
  return loading;
}

export async function preparePhoto(bytes: Uint8Array): Promise<PhotoView> {
  if (isJpeg2000(bytes)) return { unsupported: PHOTO_UNSUPPORTED_JPEG2000 };
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
    return { mime: 'image/png', base64: data.toString('base64'), width: info.width, height: info.height };
  } catch {
    return { unsupported: PHOTO_UNREADABLE };
  }
}
