/**
 * ScreenState → drawing commands for the bridge's 240×320 panel, in two parts: the verdict (banner, words, person)
 * that must appear at once, and the photo rows that follow. Pure apart from sharp's rendering; no link here.
 *
 *   0 ┌────────────────────────┐
 *     │ ✔ VALID  (banner)      │  colour + words + symbol: never colour alone
 *  56 ├────────────────────────┤
 *     │ DEMO strip (if demo)   │
 *     │ Name (bold, 2 lines)   │
 *     │┌──────┐ date of birth  │
 *     ││photo │ status, until  │
 *     │└──────┘                │
 *     │ message · next step    │
 *     │ likeness prompt        │
 * 320 └────────────────────────┘
 */
import type { ScreenColour, ScreenState } from '../screen/state.js';
import { safeDeep } from '../text/safe.js';
import { LedPattern, BuzzerPattern, type Message } from './messages.js';
import { MAX_PAYLOAD } from './codec.js';
import { PANEL } from './panel.js';
import { bitAt, renderPhoto, renderPhotoRgb565, renderText, rgb565, type Bitmap1, type Grey8, type Rgb565Image } from './raster.js';

/** Drawing commands only (a subset of Message). */
export type DrawOp = Extract<Message, { type: 'FILL_RECT' | 'BITMAP1' | 'IMAGE_GREY8' | 'IMAGE_RGB565' }>;

/** How the photo crosses the link: grey (default: half the bytes) or colour, or not at all (no capability). */
export type PhotoFormat = 'grey8' | 'rgb565' | 'none';

export const COLOURS = {
  white: rgb565(255, 255, 255),
  black: rgb565(0, 0, 0),
  green: rgb565(0, 120, 40),
  red: rgb565(190, 0, 0),
  amber: rgb565(255, 176, 0),
  neutral: rgb565(40, 60, 90),
  blue: rgb565(20, 80, 200),
  photoBox: rgb565(220, 220, 220),
  prompt: rgb565(230, 236, 245),
} as const;

const BANNER: Record<ScreenColour, { bg: number; fg: number }> = {
  green: { bg: COLOURS.green, fg: COLOURS.white },
  red: { bg: COLOURS.red, fg: COLOURS.white },
  amber: { bg: COLOURS.amber, fg: COLOURS.black },
  blue: { bg: COLOURS.blue, fg: COLOURS.white },
  neutral: { bg: COLOURS.neutral, fg: COLOURS.white },
};

/** One symbol per screen icon: the headline never relies on the banner colour alone. */
const SYMBOL: Record<ScreenState['icon'], string> = {
  tick: '✔ ',
  cross: '✖ ',
  warning: '⚠ ',
  mismatch: '≠ ',
  incomplete: '? ',
  rescan: '↻ ',
  'not-a-code': '∅ ',
  none: '',
};

/** Regions, shared with tests that check the framebuffer. */
export const REGIONS = {
  banner: { x: 0, y: 0, w: 240, h: 56 },
  photo: { x: 8, y: 112, w: 96, h: 120 },
} as const;

const MARGIN = 8;
const FAMILY = 'Noto Sans, DejaVu Sans';

/** The signals that go with a screen: LEDs and a beep (docs/bridge-protocol.md pattern numbers). */
export interface Signals {
  green: number;
  red: number;
  /** null = no beep (idle, or a redraw of the same check). */
  buzzer: number | null;
}

export interface ScreenPlan {
  /** Verdict first: everything but the photo pixels. */
  verdict: DrawOp[];
  /** Photo rows, sent after the verdict (empty when there is no photo to draw). */
  photo: DrawOp[];
  signals: Signals;
}

function signalsFor(state: ScreenState): Signals {
  if (state.kind === 'idle') return { green: LedPattern.OFF, red: LedPattern.OFF, buzzer: null };
  if (state.kind === 'scan-again' || state.kind === 'not-a-code')
    return { green: LedPattern.OFF, red: LedPattern.FLASH, buzzer: BuzzerPattern.LONG };
  // By what the desk may do (the outcome), not the code's verdict alone: a photo that does not match is red.
  switch (state.outcome) {
    case 'PHOTO_PENDING':
    case 'CONFIRMED':
      return { green: LedPattern.ON, red: LedPattern.OFF, buzzer: BuzzerPattern.OK };
    case 'NOT_VALID':
    case 'PHOTO_MISMATCH':
      return { green: LedPattern.OFF, red: LedPattern.ON, buzzer: BuzzerPattern.ERROR };
    default:
      return { green: LedPattern.OFF, red: LedPattern.SLOW, buzzer: BuzzerPattern.ATTENTION };
  }
}

/**
 * A bitmap → BITMAP1 ops, cropped to its ink (the area around it already has the background colour, so blank margins
 * need not cross the link) and split by rows so each payload fits (12-byte header + bits ≤ MAX_PAYLOAD).
 */
function bitmapOps(bitmap: Bitmap1, x: number, y: number, fg: number, bg: number, maxHeight = bitmap.height): DrawOp[] {
  const height = Math.min(bitmap.height, maxHeight, PANEL.height - y);
  const width = Math.min(bitmap.width, PANEL.width - x);
  const box = inkBox(bitmap, width, height);
  if (!box) return [];
  const rowBytes = Math.ceil(box.w / 8);
  const rowsPerOp = Math.max(1, Math.floor((MAX_PAYLOAD - 12) / rowBytes));
  const ops: DrawOp[] = [];
  for (let row = 0; row < box.h; row += rowsPerOp) {
    const h = Math.min(rowsPerOp, box.h - row);
    const bits = cropBits(bitmap, box.x, box.y + row, box.w, h);
    ops.push({ type: 'BITMAP1', x: x + box.x, y: y + box.y + row, w: box.w, h, fg, bg, bits });
  }
  return ops;
}

/** The smallest rectangle holding every ink pixel of the bitmap's first `width` × `height`, or null if none. */
function inkBox(bitmap: Bitmap1, width: number, height: number): { x: number; y: number; w: number; h: number } | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!bitAt(bitmap, x, y)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** A w × h window of a bitmap at (x0, y0), re-packed MSB first with rows padded to a byte. */
function cropBits(bitmap: Bitmap1, x0: number, y0: number, w: number, h: number): Buffer {
  const rowBytes = Math.ceil(w / 8);
  const out = Buffer.alloc(rowBytes * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) if (bitAt(bitmap, x0 + x, y0 + y)) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return out;
}

/** Grey pixels → IMAGE_GREY8 ops of whole rows (8-byte header + w·h ≤ MAX_PAYLOAD). */
function greyOps(image: Grey8, x: number, y: number): DrawOp[] {
  const rowsPerOp = Math.max(1, Math.floor((MAX_PAYLOAD - 8) / image.width));
  const ops: DrawOp[] = [];
  for (let row = 0; row < image.height; row += rowsPerOp) {
    const h = Math.min(rowsPerOp, image.height - row);
    const pixels = Buffer.from(image.pixels.subarray(row * image.width, (row + h) * image.width));
    ops.push({ type: 'IMAGE_GREY8', x, y: y + row, w: image.width, h, pixels });
  }
  return ops;
}

/** Whether the first strong letter of `text` belongs to a right-to-left script (the Unicode bidi rule P2, simplified). */
export function startsRightToLeft(text: string): boolean {
  const first = /\p{L}/u.exec(text)?.[0];
  return first !== undefined && /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(first);
}

class Column {
  readonly ops: DrawOp[] = [];
  constructor(
    private readonly x: number,
    public y: number,
    private readonly width: number,
    public bottom: number,
  ) {}

  /** Draw wrapped text; lines that would fall below `bottom` are cut off (the clerk has the web screen for all). */
  /** `whole`: draw the paragraph only if all of it fits (a half sentence of advice reads worse than none). */
  async text(
    text: string,
    size: number,
    opts: { bold?: boolean; fg?: number; bg?: number; maxLines?: number; whole?: boolean } = {},
  ): Promise<void> {
    if (this.y >= this.bottom) return;
    const bitmap = await renderText(text, { family: FAMILY, size, bold: opts.bold ?? false, maxWidth: this.width });
    if (!bitmap) return;
    // Cut at a whole line: a half-drawn line of text reads worse than a missing one.
    const lines = Math.max(1, Math.round(bitmap.height / (size * 1.36)));
    const lineHeight = bitmap.height / lines;
    const room = this.bottom - this.y;
    const fit = Math.min(lines, Math.floor(room / lineHeight), opts.maxLines ?? lines);
    if (fit < 1 || (opts.whole && fit < lines)) return;
    const limit = Math.round(fit * lineHeight);
    // A right-to-left paragraph (an Arabic or Hebrew name) starts at the right edge, as it is read.
    const x = startsRightToLeft(text) ? this.x + Math.max(0, this.width - bitmap.width) : this.x;
    this.ops.push(...bitmapOps(bitmap, x, this.y, opts.fg ?? COLOURS.black, opts.bg ?? COLOURS.white, limit));
    this.y += Math.min(bitmap.height, limit) + 4;
  }
}

function likenessLine(state: ScreenState): string | null {
  switch (state.likeness) {
    case 'ask':
      return 'Photo matches? Press YES or NO';
    case 'yes':
      return 'Photo: matches (answered YES)';
    case 'no':
      return 'Photo: NOT this person (answered NO)';
    case 'not-asked':
      return state.outcome === 'PHOTO_NOT_CHECKED' ? 'Photo: not checked — incomplete' : null;
    default:
      return null;
  }
}

/** RGB565 pixels → IMAGE_RGB565 ops of whole rows (8-byte header + 2·w·h ≤ MAX_PAYLOAD). */
function rgb565Ops(image: Rgb565Image, x: number, y: number): DrawOp[] {
  const rowsPerOp = Math.max(1, Math.floor((MAX_PAYLOAD - 8) / (2 * image.width)));
  const ops: DrawOp[] = [];
  for (let row = 0; row < image.height; row += rowsPerOp) {
    const h = Math.min(rowsPerOp, image.height - row);
    const pixels = Buffer.from(image.pixels.subarray(row * image.width * 2, (row + h) * image.width * 2));
    ops.push({ type: 'IMAGE_RGB565', x, y: y + row, w: image.width, h, pixels });
  }
  return ops;
}

/** Decode the photo (the signed image bytes, as screen/photo.ts passed them) for the panel, centred in `box`; null if unreadable. */
async function photoOps(
  state: ScreenState,
  format: PhotoFormat,
  box: { x: number; y: number; w: number; h: number },
): Promise<DrawOp[] | null> {
  const photo = state.person?.photo;
  if (!photo || !('base64' in photo) || format === 'none') return null;
  const bytes = Buffer.from(photo.base64, 'base64');
  const size = { width: box.w, height: box.h };
  const image: Grey8 | Rgb565Image | null = format === 'rgb565' ? await renderPhotoRgb565(bytes, size) : await renderPhoto(bytes, size);
  if (!image) return null;
  const x = box.x + Math.floor((box.w - image.width) / 2);
  const y = box.y + Math.floor((box.h - image.height) / 2);
  return format === 'rgb565' ? rgb565Ops(image, x, y) : greyOps(image, x, y);
}

/** The largest of `sizes` at which `text` fits on one line (the last size, wrapped, if none does). */
async function fitOneLine(text: string, width: number, sizes: number[]): Promise<Bitmap1 | null> {
  let bitmap: Bitmap1 | null = null;
  for (const size of sizes) {
    bitmap = await renderText(text, { family: FAMILY, size, bold: true, maxWidth: width });
    if (!bitmap || bitmap.height < size * 1.8) return bitmap;
  }
  return bitmap;
}

export async function layoutScreen(shown: ScreenState, options: { photoFormat?: PhotoFormat } = {}): Promise<ScreenPlan> {
  // The same sanitised text every display shows (src/text/safe.ts): a NUL would end Pango's C string early, a bidi
  // control reorder the line.
  const state = safeDeep(shown);
  const verdict: DrawOp[] = [];
  const look = BANNER[state.colour];
  const { banner } = REGIONS;
  verdict.push({ type: 'FILL_RECT', ...banner, colour: look.bg });
  verdict.push({ type: 'FILL_RECT', x: 0, y: banner.h, w: PANEL.width, h: PANEL.height - banner.h, colour: COLOURS.white });
  const headline = await fitOneLine(`${SYMBOL[state.icon]}${state.headline}`, banner.w - 2 * MARGIN, [26, 22, 19, 16]);
  if (headline) {
    const top = Math.max(0, Math.floor((banner.h - Math.min(headline.height, banner.h)) / 2));
    verdict.push(...bitmapOps(headline, MARGIN, top, look.fg, look.bg, banner.h - top));
  }

  const full = new Column(MARGIN, banner.h + 4, PANEL.width - 2 * MARGIN, PANEL.height - 2);
  if (state.demo) {
    verdict.push({ type: 'FILL_RECT', x: 0, y: banner.h, w: PANEL.width, h: 20, colour: COLOURS.amber });
    await full.text('DEMO KEYS — NOT A REAL CHECK', 13, { bold: true, bg: COLOURS.amber });
    full.y = banner.h + 24;
  }
  // The desk's own problems (a scanner not connected) stay on every screen until they are fixed.
  for (const alert of state.alerts.slice(0, 2)) {
    const top = full.y;
    verdict.push({ type: 'FILL_RECT', x: 0, y: top - 2, w: PANEL.width, h: 20, colour: COLOURS.red });
    await full.text(alert.text, 12, { bold: true, fg: COLOURS.white, bg: COLOURS.red, maxLines: 1 });
    full.y = top + 20;
  }

  let photo: DrawOp[] = [];
  const person = state.person;
  if (person) {
    await full.text(person.name, 18, { bold: true, maxLines: 2 });
    const top = Math.max(full.y, REGIONS.photo.y);
    const box = { ...REGIONS.photo, y: top };
    verdict.push(...full.ops.splice(0));
    verdict.push({ type: 'FILL_RECT', ...box, colour: COLOURS.photoBox });
    const side = new Column(box.x + box.w + MARGIN, top, PANEL.width - (box.x + box.w + 2 * MARGIN), top + box.h);
    await side.text(`Born ${person.dateOfBirth ?? 'not given'}`, 13);
    if (state.status) {
      await side.text(state.status.label, 13, { bold: true, maxLines: 3 });
      await side.text(`Permission ends: ${state.status.permissionEndsText}`, 12, { maxLines: 2 });
    }
    verdict.push(...side.ops);
    const rows = await photoOps(state, options.photoFormat ?? 'grey8', box);
    if (rows) {
      photo = rows;
    } else {
      // Say why there is no picture: none in the code, a format this desk cannot decode, or a panel without images.
      const why =
        person.photo === null
          ? 'No photo in the code.'
          : 'unsupported' in person.photo || options.photoFormat !== 'none'
            ? 'Photo cannot be shown: compare with their ID document.'
            : 'Photo on the desk screen only.';
      const inBox = new Column(box.x + 4, box.y + 4, box.w - 8, box.y + box.h - 4);
      await inBox.text(why, 12, { bg: COLOURS.photoBox });
      verdict.push(...inBox.ops);
    }
    full.y = box.y + box.h + 6;
  }

  // The question the YES/NO keys answer has a strip of its own at the bottom, so it is never cut off.
  const prompt = likenessLine(state);
  const strip = new Column(MARGIN, PANEL.height - 20, PANEL.width - 2 * MARGIN, PANEL.height);
  if (prompt) {
    full.bottom = PANEL.height - 22;
    verdict.push({ type: 'FILL_RECT', x: 0, y: PANEL.height - 21, w: PANEL.width, h: 21, colour: COLOURS.prompt });
    await strip.text(prompt, 13, { bold: true, bg: COLOURS.prompt, maxLines: 1 });
  }
  await full.text(state.message, person ? 12 : 16, { bold: !person });
  if (state.nextStep) await full.text(state.nextStep, person ? 12 : 13, { whole: true });
  verdict.push(...full.ops, ...strip.ops);
  return { verdict, photo, signals: signalsFor(state) };
}
