/**
 * Pixels for the bridge panel, made on the host. Text goes through sharp's Pango text input, which shapes complex
 * scripts (Arabic joins and runs right to left, Polish diacritics stack) with whatever fonts fontconfig finds,
 * so the firmware never needs a font beyond its own tiny one. Output is plain pixel buffers; no I/O, no link.
 */
import sharp from 'sharp';

// libvips's operation cache is off: every screen is drawn once (a cache only holds memory, up to 50 MB by default),
// and one libvips worker thread is plenty for a panel of 320×480 (fewer threads, fewer malloc arenas).
sharp.cache(false);
sharp.concurrency(1);

/** One bit per pixel, MSB first, each row padded to a whole byte (the BITMAP1 payload layout). */
export interface Bitmap1 {
  width: number;
  height: number;
  /** ceil(width / 8) * height bytes; bit set = ink (foreground). */
  bits: Buffer;
}

/** 8-bit grey, one byte per pixel, row-major (the IMAGE_GREY8 payload layout). */
export interface Grey8 {
  width: number;
  height: number;
  pixels: Buffer;
}

export interface TextStyle {
  /** Pango font family list, e.g. 'Noto Sans, DejaVu Sans'. */
  family: string;
  /** Pixel height of the font (dpi 72 makes points equal pixels). */
  size: number;
  bold?: boolean;
  /** Wrap to this many pixels; longer words are broken. */
  maxWidth: number;
  align?: 'left' | 'centre';
}

/** Pango markup is the input language of sharp's text input: escape so names are drawn, never interpreted. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Ink at or above this grey level (0–255) becomes a set bit. Mid-grey keeps strokes their natural weight. */
const INK_THRESHOLD = 128;

/** Text → 1-bit bitmap, cropped to its line box. Returns null for text that draws nothing (empty or spaces). */
export async function renderText(text: string, style: TextStyle): Promise<Bitmap1 | null> {
  if (text.trim() === '') return null;
  const font = `${style.family}${style.bold ? ' Bold' : ''} ${style.size}px`;
  const { data, info } = await sharp({
    text: {
      text: escapeMarkup(text),
      font,
      dpi: 72,
      width: style.maxWidth,
      wrap: 'word-char',
      align: style.align === 'centre' ? 'centre' : 'left',
    },
  })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const width = Math.min(info.width, style.maxWidth);
  return packBits(data, info.width, width, info.height);
}

/** Threshold a 1-channel grey image (stride `stride`) into MSB-first bits, `width` columns kept. */
function packBits(grey: Uint8Array, stride: number, width: number, height: number): Bitmap1 {
  const rowBytes = Math.ceil(width / 8);
  const bits = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((grey[y * stride + x] ?? 0) >= INK_THRESHOLD) bits[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { width, height, bits };
}

/** True if the bitmap's pixel (x, y) is ink. */
export function bitAt(bitmap: Bitmap1, x: number, y: number): boolean {
  const rowBytes = Math.ceil(bitmap.width / 8);
  return ((bitmap.bits[y * rowBytes + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}

/**
 * The largest photo the panel decodes, in pixels (512 × 512; the issuer's own photos are 64 × 80, and a QR code
 * holds a few KB). The panel shows a 96 × 120 box, but libvips decodes an AVIF or PNG at full size before
 * shrinking it: a 400-byte AVIF whose header says 4096 × 4096 took 1.1 s and 400 MB here, and malloc kept 50–150
 * MB of it for the life of the process. Past this the panel says the photo cannot be shown; the web page still
 * shows it (the desk's browser decodes it, not the kiosk).
 */
export const PANEL_MAX_PHOTO_PIXELS = 512 * 512;

/**
 * A photo (any format sharp decodes: JPEG, PNG, WebP, AVIF) → grey pixels that fit inside `box`, aspect kept.
 * Returns null when the bytes are not a decodable image or too large (PANEL_MAX_PHOTO_PIXELS), so the caller can
 * say so on screen instead of failing.
 */
export async function renderPhoto(photo: Uint8Array, box: { width: number; height: number }): Promise<Grey8 | null> {
  try {
    const { data, info } = await sharp(photo, { limitInputPixels: PANEL_MAX_PHOTO_PIXELS, failOn: 'error' })
      .rotate() // EXIF orientation, as the browser draws it
      .resize(box.width, box.height, { fit: 'inside' })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, pixels: data };
  } catch {
    return null;
  }
}

/** RGB565 pixels, big-endian, row-major (the IMAGE_RGB565 payload layout). */
export interface Rgb565Image {
  width: number;
  height: number;
  /** 2 bytes per pixel. */
  pixels: Buffer;
}

/** Like renderPhoto, in colour: RGB565 for the panel (twice the bytes of grey). */
export async function renderPhotoRgb565(photo: Uint8Array, box: { width: number; height: number }): Promise<Rgb565Image | null> {
  try {
    const { data, info } = await sharp(photo, { limitInputPixels: PANEL_MAX_PHOTO_PIXELS, failOn: 'error' })
      .rotate() // EXIF orientation, as the browser draws it
      .resize(box.width, box.height, { fit: 'inside' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = Buffer.alloc(info.width * info.height * 2);
    for (let i = 0; i < info.width * info.height; i++) {
      const o = i * info.channels;
      pixels.writeUInt16BE(rgb565(data[o]!, data[o + 1]!, data[o + 2]!), i * 2);
    }
    return { width: info.width, height: info.height, pixels };
  } catch {
    return null;
  }
}

/** 8-bit sRGB → RGB565, the panel's native pixel. */
export function rgb565(r: number, g: number, b: number): number {
  return ((r & 0xf8) << 8) | ((g & 0xfc) << 3) | (b >> 3);
}
