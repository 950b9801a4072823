/**
 * The holder's paper card: one A4 page (pdf-lib, Noto Sans embedded from assets/fonts, no network) with an ID-1
 * card (ISO/IEC 7810: 85.60 × 53.98 mm), front and back side by side on a fold line with cut marks, the same code
 * larger on the page, and a plain-English note for the holder (words: card-text.ts).
 *
 * The card prints only what its code says: the facts, the photo and the dates are read back from the code text
 * (decoded, not verified), so the paper can never disagree with the code. QR codes are drawn as vector modules.
 */
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, degrees, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import type { Identity, StatusClaim } from '../credential/types.js';
import { inspect } from '../verify/inspect.js';
import { cardWords, formatDay, type CardWords } from './card-text.js';
import { IssueError } from './errors.js';
import { londonDate } from './issue.js';
import { qrInfo, type EccLevel } from './qr.js';

const MM = 72 / 25.4;
/** ISO/IEC 7810 ID-1, in mm. */
export const ID1 = { width: 85.6, height: 53.98 } as const;
export const A4_MM = { width: 210, height: 297 } as const;

/**
 * The card's QR: symbol side in mm (without the quiet zone) and error correction. Chosen with bench/print.mjs
 * (BENCHMARKS.md, "Paper card: print robustness"): the module size decides whether a printed, copied, photographed
 * code still reads.
 */
export const CARD_QR_MM = 36;
export const CARD_ECC: EccLevel = 'M';
/** Below this module size a card's code no longer reads reliably after a home print and a photocopy (bench/print.mjs). */
const MIN_CARD_MODULE_MM = 0.3;
/** The large copy on the page. */
const PAGE_QR_MM = 64;

const FONT_FILES = {
  regular: new URL('../../assets/fonts/NotoSans-Regular.ttf', import.meta.url),
  bold: new URL('../../assets/fonts/NotoSans-Bold.ttf', import.meta.url),
} as const;

export interface CardQrFit {
  version: number;
  modules: number;
  sizeMm: number;
  moduleMm: number;
}

/** The card QR's version and module size for `text`; CODE_TOO_LONG_FOR_CARD when its modules would be too small. */
export function cardQrFit(text: string, ecc: EccLevel = CARD_ECC, sizeMm = CARD_QR_MM): CardQrFit {
  const qr = qrInfo(text, ecc);
  const fit = { version: qr.version, modules: qr.modules, sizeMm, moduleMm: sizeMm / qr.modules };
  if (fit.moduleMm < MIN_CARD_MODULE_MM) {
    throw new IssueError(
      'CODE_TOO_LONG_FOR_CARD',
      `the code is ${text.length} characters (QR version ${fit.version} at ECC ${ecc}): on the card its modules would be ${fit.moduleMm.toFixed(2)} mm, below the ${MIN_CARD_MODULE_MM} mm that still scans after printing and copying; use a smaller --photo-bytes, leave optional holder fields out, or a lower --ecc`,
    );
  }
  return fit;
}

export interface CardOptions {
  /** Error correction of both QR codes (default CARD_ECC). */
  ecc?: EccLevel;
  /** The card QR's side in mm (default CARD_QR_MM). */
  cardQrMm?: number;
  /** true when the signing key is a DEMO key: DEMO on both sides and on the page. */
  demo: boolean;
  /** When the card is made (the PDF's creation date); default now. */
  now?: Date;
  lang?: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where things are on the page, in mm from the page's top-left corner (tests and bench/print.mjs use it). */
export interface CardGeometry {
  page: { width: number; height: number };
  front: Box;
  back: Box;
  /** The QR symbols, without their quiet zones. */
  cardQr: Box;
  pageQr: Box;
}

export function cardGeometry(cardQrMm = CARD_QR_MM): CardGeometry {
  const stripX = (A4_MM.width - 2 * ID1.width) / 2;
  const stripY = 52;
  const front = { x: stripX, y: stripY, width: ID1.width, height: ID1.height };
  const back = { ...front, x: stripX + ID1.width };
  const band = BAND_MM;
  const cardQr = {
    x: front.x + ID1.width - 2.6 - cardQrMm,
    y: front.y + band + (ID1.height - band - cardQrMm) / 2,
    width: cardQrMm,
    height: cardQrMm,
  };
  const pageQr = { x: 20, y: 128, width: PAGE_QR_MM, height: PAGE_QR_MM };
  return { page: { ...A4_MM }, front, back, cardQr, pageQr };
}

const BAND_MM = 7;
const INK = rgb(0.1, 0.1, 0.12);
const GREY = rgb(0.35, 0.35, 0.38);
const BAND = rgb(0.12, 0.23, 0.37);
const DEMO_RED = rgb(0.72, 0.05, 0.1);
const WHITE = rgb(1, 1, 1);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  printable: Set<number>;
}

/** What the card shows, read from the code. */
interface CardFacts {
  identity: Identity;
  status: StatusClaim | null;
  /** London day on which the code stops being current (its exp, 1 s earlier: exp is the end of a day). */
  codeExpires: string;
  issuer: string;
  revocable: boolean;
  photo: Uint8Array | null;
  /** London day the code was signed (iat). */
  made: string;
}

function factsOf(text: string, words: CardWords, demo: boolean): CardFacts {
  const d = inspect(text);
  if (!d.decoded || !d.identity)
    throw new IssueError('OUTPUT_FAILED', `cannot make a card: the code does not decode (${d.reason ?? 'no identity'})`);
  if (d.cwt?.exp === undefined) throw new IssueError('OUTPUT_FAILED', 'cannot make a card: the code has no expiry (exp)');
  const issuer = demo ? words.demoIssuer : (d.cwt.iss ?? words.keyIssuer(d.kid ?? 'without a kid'));
  const photo = d.identity.photo && d.identity.photo.length > 0 ? d.identity.photo : (d.identity.face?.[0]?.data ?? null);
  return {
    identity: d.identity,
    status: d.status,
    issuer,
    revocable: d.statusList !== null,
    photo,
    codeExpires: londonDate(d.cwt.exp - 1),
    made: londonDate(d.cwt.iat ?? d.cwt.nbf ?? d.cwt.exp),
  };
}

async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  doc.registerFontkit(fontkit);
  const [r, b] = await Promise.all([readFile(FONT_FILES.regular), readFile(FONT_FILES.bold)]);
  const regular = await doc.embedFont(r, { subset: true });
  const bold = await doc.embedFont(b, { subset: true });
  const inBold = new Set(bold.getCharacterSet());
  return { regular, bold, printable: new Set(regular.getCharacterSet().filter((cp) => inBold.has(cp))) };
}

/** Refuses text the font cannot print (a name in boxes would be worse than no card). Names the field, never the value. */
function checkPrintable(fonts: Fonts, text: string, field: string): string {
  const nfc = text.normalize('NFC');
  for (const ch of nfc) {
    if (!fonts.printable.has(ch.codePointAt(0)!)) {
      throw new IssueError(
        'CARD_UNPRINTABLE',
        `cannot make a card: the holder's ${field} has characters the card font (Noto Sans: Latin, Greek, Cyrillic) cannot print`,
      );
    }
  }
  return nfc;
}

/** Greedy word wrap to `width` points. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Largest size from `max` down to `min` (0.25 pt steps) at which `text` wraps into `maxLines`; else `min`. */
function fitLines(
  text: string,
  font: PDFFont,
  max: number,
  min: number,
  width: number,
  maxLines: number,
): { size: number; lines: string[] } {
  for (let size = max; size >= min; size -= 0.25) {
    const lines = wrap(text, font, size, width);
    if (lines.length <= maxLines && lines.every((l) => font.widthOfTextAtSize(l, size) <= width)) return { size, lines };
  }
  return { size: min, lines: wrap(text, font, min, width) };
}

/** `lines` cut to `maxLines`, the last ending in "…" where something was cut (the A4 page below the card has it all). */
function clampLines(lines: string[], maxLines: number, font: PDFFont, size: number, width: number): string[] {
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(1, maxLines));
  let last = kept[kept.length - 1]!;
  while (font.widthOfTextAtSize(`${last} …`, size) > width && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '));
  kept[kept.length - 1] = `${last} …`;
  return kept;
}

/**
 * Largest size from `max` down to `min` at which `text` fits `heightMm` (lines of `leading` × size); at `min`, the
 * lines that fit, cut with "…".
 */
function fitHeight(
  text: string,
  font: PDFFont,
  max: number,
  min: number,
  width: number,
  heightMm: number,
  leading: number,
): { size: number; lines: string[] } {
  const linesIn = (size: number) => Math.floor((heightMm * MM) / (leading * size) + 1e-9);
  for (let size = max; size >= min; size -= 0.25) {
    const lines = wrap(text, font, size, width);
    if (lines.length <= linesIn(size)) return { size, lines };
  }
  return { size: min, lines: clampLines(wrap(text, font, min, width), linesIn(min), font, min, width) };
}

class Sheet {
  constructor(
    readonly page: PDFPage,
    readonly fonts: Fonts,
  ) {}

  /** Text with its top at `yTop` mm from the page top; returns the mm below its last line. */
  text(
    lines: string | string[],
    xMm: number,
    yTopMm: number,
    size: number,
    opts: { bold?: boolean; color?: RGB; leading?: number; maxWidthMm?: number } = {},
  ): number {
    const font = opts.bold ? this.fonts.bold : this.fonts.regular;
    const list = typeof lines === 'string' ? (opts.maxWidthMm ? wrap(lines, font, size, opts.maxWidthMm * MM) : [lines]) : lines;
    const leading = (opts.leading ?? 1.25) * size;
    const h = this.page.getHeight();
    list.forEach((line, i) => {
      this.page.drawText(line, { x: xMm * MM, y: h - yTopMm * MM - size * 0.8 - i * leading, size, font, color: opts.color ?? INK });
    });
    return yTopMm + (list.length * leading) / MM;
  }

  rect(b: Box, color: RGB): void {
    this.page.drawRectangle({
      x: b.x * MM,
      y: this.page.getHeight() - (b.y + b.height) * MM,
      width: b.width * MM,
      height: b.height * MM,
      color,
    });
  }

  line(x1: number, y1: number, x2: number, y2: number, opts: { width?: number; dash?: number[]; color?: RGB } = {}): void {
    const h = this.page.getHeight();
    this.page.drawLine({
      start: { x: x1 * MM, y: h - y1 * MM },
      end: { x: x2 * MM, y: h - y2 * MM },
      thickness: opts.width ?? 0.5,
      color: opts.color ?? INK,
      ...(opts.dash ? { dashArray: opts.dash } : {}),
    });
  }

  /** A QR symbol as vector modules filling `box` (its quiet zone must be left white around it by the caller). */
  qr(text: string, ecc: EccLevel, box: Box): void {
    const qr = QRCode.create(text, { errorCorrectionLevel: ecc });
    const n = qr.modules.size;
    let path = '';
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < n) {
        if (!qr.modules.get(r, c)) {
          c++;
          continue;
        }
        const start = c;
        while (c < n && qr.modules.get(r, c)) c++;
        path += `M${start} ${r}h${c - start}v1h${start - c}z`;
      }
    }
    const scale = (box.width * MM) / n;
    this.page.drawSvgPath(path, { x: box.x * MM, y: this.page.getHeight() - box.y * MM, scale, color: rgb(0, 0, 0), borderWidth: 0 });
  }

  image(img: PDFImage, b: Box): void {
    this.page.drawImage(img, { x: b.x * MM, y: this.page.getHeight() - (b.y + b.height) * MM, width: b.width * MM, height: b.height * MM });
  }
}

/** The code's photo, enlarged smoothly for print (what every desk shows, not a sharper original). */
async function photoImage(doc: PDFDocument, photo: Uint8Array | null): Promise<PDFImage | null> {
  if (!photo) return null;
  try {
    const jpeg = await sharp(photo, { limitInputPixels: 4096 * 4096, failOn: 'error' })
      .resize(240, 300, { fit: 'cover', kernel: 'lanczos3' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 92 })
      .toBuffer();
    return await doc.embedJpg(jpeg);
  } catch {
    return null; // e.g. JPEG 2000: no decoder here; the card says "no photo shown"
  }
}

/** Four L-shaped corner marks outside `b`, and fold ticks at `foldX` (mm). */
function cutMarks(s: Sheet, b: Box, foldX: number): void {
  const gap = 2;
  const len = 6;
  const corners: Array<[number, number, number, number]> = [
    [b.x, b.y, -1, -1],
    [b.x + b.width, b.y, 1, -1],
    [b.x, b.y + b.height, -1, 1],
    [b.x + b.width, b.y + b.height, 1, 1],
  ];
  for (const [x, y, dx, dy] of corners) {
    s.line(x + dx * gap, y, x + dx * (gap + len), y, { width: 0.4 });
    s.line(x, y + dy * gap, x, y + dy * (gap + len), { width: 0.4 });
  }
  s.line(foldX, b.y - gap - len, foldX, b.y - gap, { width: 0.4, dash: [2, 1.5] });
  s.line(foldX, b.y + b.height + gap, foldX, b.y + b.height + gap + len, { width: 0.4, dash: [2, 1.5] });
}

function demoWatermark(s: Sheet, words: CardWords, xMm: number, yMm: number, size: number): void {
  s.page.drawText(words.demoWatermark, {
    x: xMm * MM,
    y: s.page.getHeight() - yMm * MM,
    size,
    font: s.fonts.bold,
    color: DEMO_RED,
    opacity: 0.13,
    rotate: degrees(24),
  });
}

function band(s: Sheet, side: Box, title: string, demo: boolean, words: CardWords): void {
  s.rect({ x: side.x, y: side.y, width: side.width, height: BAND_MM }, demo ? DEMO_RED : BAND);
  const label = demo ? `${words.demoBand}` : title;
  s.text(label, side.x + 3, side.y + 1.9, 7.5, { bold: true, color: WHITE });
  if (demo) {
    const w = s.fonts.regular.widthOfTextAtSize(title, 5.5) / MM;
    s.text(title, side.x + side.width - 3 - w, side.y + 2.6, 5.5, { color: WHITE });
  }
}

function drawFront(
  s: Sheet,
  g: CardGeometry,
  f: CardFacts,
  code: string,
  ecc: EccLevel,
  photo: PDFImage | null,
  words: CardWords,
  demo: boolean,
): void {
  const c = g.front;
  band(s, c, words.title, demo, words);
  const left = c.x + 3;
  const textRight = g.cardQr.x - 2;
  const name = checkPrintable(
    s.fonts,
    f.identity.fullName ?? [f.identity.firstName, f.identity.lastName].filter(Boolean).join(' '),
    'fullName',
  );
  // Everything on the front fits above its footer: a long name, a three-line status and long rights shrink, and
  // past their smallest size are cut with "…" (the A4 page below the card prints each in full).
  const foot = fitLines(`${words.issuedBy(f.issuer)} · ${words.notHomeOffice}`, s.fonts.regular, 5.5, 4.5, (textRight - left) * MM, 2);
  const footTop = c.y + c.height - 1.6 - (foot.lines.length * foot.size * 1.15) / MM;
  // A name is what a checker compares with an ID document: it takes a third, smaller line before anything is cut.
  let fitted = fitLines(name, s.fonts.bold, 10.5, 7, (textRight - left) * MM, 2);
  if (fitted.lines.length > 2) fitted = fitLines(name, s.fonts.bold, 8, 6.5, (textRight - left) * MM, 3);
  const nameLines = clampLines(fitted.lines, 3, s.fonts.bold, fitted.size, (textRight - left) * MM);
  let y = s.text(nameLines, left, c.y + BAND_MM + 1.6, fitted.size, { bold: true, leading: 1.12 });
  const photoBox = { x: left, y: y + 0.8, width: 15, height: 18.75 };
  if (photo) s.image(photo, photoBox);
  else {
    s.page.drawRectangle({
      x: photoBox.x * MM,
      y: s.page.getHeight() - (photoBox.y + photoBox.height) * MM,
      width: photoBox.width * MM,
      height: photoBox.height * MM,
      borderColor: GREY,
      borderWidth: 0.5,
    });
    s.text(['No photo', 'in this code'], photoBox.x + 1.2, photoBox.y + 7, 5.5, { color: GREY });
  }
  const fx = photoBox.x + photoBox.width + 2;
  const fw = textRight - fx;
  let fy = photoBox.y;
  const statusText = f.status ? words.status(f.status) : words.identityOnly;
  const st = fitLines(statusText, s.fonts.bold, 7, 5.5, fw * MM, 3);
  fy = s.text(clampLines(st.lines, 3, s.fonts.bold, st.size, fw * MM), fx, fy, st.size, { bold: true, leading: 1.1 }) + 0.9;
  fy = s.text(words.permissionEnds, fx, fy, 5.5, { color: GREY });
  fy = s.text(f.status?.validUntil ? formatDay(f.status.validUntil, words, 'short') : words.noEndDate, fx, fy, 8, { bold: true }) + 0.5;
  fy = s.text(words.codeExpires, fx, fy, 5.5, { color: GREY });
  const factsBottom = s.text(formatDay(f.codeExpires, words, 'short'), fx, fy, 8, { bold: true });
  const dob =
    f.identity.dateOfBirth && /^\d{8}$/.test(f.identity.dateOfBirth)
      ? `${f.identity.dateOfBirth.slice(0, 4)}-${f.identity.dateOfBirth.slice(4, 6)}-${f.identity.dateOfBirth.slice(6, 8)}`
      : null;
  // Below the photo and below the facts beside it: a three-line status pushes the facts past the photo's foot.
  y = Math.max(photoBox.y + photoBox.height, factsBottom) + 0.9;
  if (dob) y = s.text(`${words.born} ${formatDay(dob, words, 'short')}`, left, y, 6.5);
  if (f.status) {
    const room = footTop - 0.5 - (y + 0.4);
    const fit = (text: string) => fitHeight(text, s.fonts.regular, 6, 4.5, (textRight - left) * MM, room, 1.15);
    // Cut nothing that matters: a work condition too long for the room is named, not spelled out (the code has it).
    let rights = fit(words.rights(f.status));
    if (rights.lines.at(-1)?.endsWith(' …')) rights = fit(words.rights(f.status, true));
    s.text(rights.lines, left, y + 0.4, rights.size, { leading: 1.15 });
  }
  s.text(foot.lines, left, footTop, foot.size, { color: GREY, leading: 1.15 });
  if (demo) demoWatermark(s, words, c.x + 17, c.y + 50.5, 20);
  s.qr(code, ecc, g.cardQr);
}

function drawBack(s: Sheet, g: CardGeometry, f: CardFacts, words: CardWords, demo: boolean): void {
  const c = g.back;
  band(s, c, words.back.title, demo, words);
  let y = c.y + BAND_MM + 1.8;
  if (demo) y = s.text(words.back.title, c.x + 3, y, 7.5, { bold: true }) + 0.6;
  for (const [i, para] of words.back.lines.entries()) {
    y = s.text(para, c.x + 3, y, 7.2, { bold: i === 1, maxWidthMm: c.width - 6, leading: 1.2 }) + 1.3;
  }
  const foot = `${words.issuedBy(f.issuer)} · ${words.made(formatDay(f.made, words, 'short'))} · ${words.notHomeOffice}`;
  const lines = wrap(foot, s.fonts.regular, 5.5, (c.width - 6) * MM);
  s.text(lines, c.x + 3, c.y + c.height - 1.6 - (lines.length * 5.5 * 1.25) / MM, 5.5, { color: GREY });
  if (demo) demoWatermark(s, words, c.x + 48, c.y + 50, 26);
}

function drawPage(
  s: Sheet,
  g: CardGeometry,
  f: CardFacts,
  code: string,
  ecc: EccLevel,
  photo: PDFImage | null,
  words: CardWords,
  demo: boolean,
): void {
  const W = g.page.width;
  const left = 15;
  let y = s.text(words.page.title, left, 14, 20, { bold: true });
  y = s.text(words.page.subtitle(f.issuer), left, y + 1, 11.5, { maxWidthMm: W - 30 });
  if (demo) y = s.text(words.page.demoNotice, left, y + 1, 11.5, { bold: true, color: DEMO_RED, maxWidthMm: W - 30 });
  // Print-size check: a 5 cm bar with end ticks.
  const barY = Math.max(38, y + 4.5);
  s.text(words.page.printHint, left, barY - 3.2, 10);
  const barX = W - 15 - 50;
  s.line(barX, barY + 1.5, barX + 50, barY + 1.5, { width: 1 });
  s.line(barX, barY, barX, barY + 3, { width: 1 });
  s.line(barX + 50, barY, barX + 50, barY + 3, { width: 1 });
  s.text(words.page.scaleLabel, barX, barY + 3.4, 8, { color: GREY });

  // The card strip: cut marks at the corners, fold ticks and a light fold line.
  const strip = { x: g.front.x, y: g.front.y, width: 2 * ID1.width, height: ID1.height };
  cutMarks(s, strip, g.back.x);
  s.text(words.page.fold, g.back.x + 1.2, strip.y - 7.5, 7, { color: GREY });
  drawFront(s, g, f, code, ecc, photo, words, demo);
  drawBack(s, g, f, words, demo);
  s.line(g.back.x, strip.y + BAND_MM, g.back.x, strip.y + strip.height, { width: 0.25, dash: [1.5, 1.5], color: GREY });
  y = s.text(words.page.cutHint, left, strip.y + strip.height + 9, 10.5, { maxWidthMm: W - 30 });

  // The large code and the facts beside it, in large type.
  const q = g.pageQr;
  s.qr(code, ecc, q);
  s.text(wrap(words.page.largeCodeCaption, s.fonts.regular, 9, (q.width + 8) * MM), q.x - 4, q.y + q.height + 3.5, 9, { color: GREY });
  const fx = q.x + q.width + 12;
  const fw = W - 15 - fx;
  let fy = s.text(words.page.factsHeading, fx, q.y - 2, 14, { bold: true }) + 2;
  const fact = (label: string, value: string, size = 16): void => {
    fy = s.text(label, fx, fy, 11, { color: GREY });
    fy = s.text(value, fx, fy + 0.3, size, { bold: true, maxWidthMm: fw, leading: 1.15 }) + 2.5;
  };
  fact(words.page.name, checkPrintable(s.fonts, f.identity.fullName ?? '', 'fullName'));
  fact(words.page.status, f.status ? words.status(f.status) : words.identityOnly, 14);
  if (f.status) fy = s.text(words.rights(f.status), fx, fy - 1.5, 11.5, { maxWidthMm: fw }) + 2.5;
  fact(words.page.permissionEnds, f.status?.validUntil ? formatDay(f.status.validUntil, words) : words.noEndDate);
  fact(words.page.codeExpires, words.page.codeExpiresValue(formatDay(f.codeExpires, words)), 14);

  // The holder's note, in large type.
  y = Math.max(q.y + q.height + 15, fy + 2);
  y = s.text(words.page.noteHeading, left, y, 14, { bold: true }) + 1.5;
  for (const para of words.page.note({ codeExpires: formatDay(f.codeExpires, words), revocable: f.revocable })) {
    y = s.text(para, left, y, 12, { maxWidthMm: W - 30, leading: 1.3 }) + 2.2;
  }
  const worth = wrap(words.page.worth, s.fonts.bold, 10, (W - 36) * MM);
  const boxH = worth.length * 4.6 + 4;
  const boxY = Math.max(y + 2, g.page.height - 14 - boxH);
  s.page.drawRectangle({
    x: left * MM,
    y: s.page.getHeight() - (boxY + boxH) * MM,
    width: (W - 30) * MM,
    height: boxH * MM,
    borderColor: INK,
    borderWidth: 0.8,
    color: rgb(0.96, 0.96, 0.92),
  });
  s.text(worth, left + 3, boxY + 2.2, 10, { bold: true });
}

/** The card PDF for a code. The code's claims are decoded here (not verified: the issuer just signed it). */
export async function cardPdf(code: string, opts: CardOptions): Promise<Uint8Array> {
  const words = cardWords(opts.lang);
  const ecc = opts.ecc ?? CARD_ECC;
  const g = cardGeometry(opts.cardQrMm ?? CARD_QR_MM);
  const facts = factsOf(code, words, opts.demo);
  const doc = await PDFDocument.create();
  doc.setTitle(`${words.title}${opts.demo ? ' (DEMO)' : ''}`);
  doc.setLanguage(words.lang);
  doc.setProducer('proofdesk');
  doc.setCreator('proofdesk issue --card');
  const now = opts.now ?? new Date();
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  const page = doc.addPage([A4_MM.width * MM, A4_MM.height * MM]);
  const sheet = new Sheet(page, await embedFonts(doc));
  const photo = await photoImage(doc, facts.photo);
  drawPage(sheet, g, facts, code, ecc, photo, words, opts.demo);
  return doc.save({ useObjectStreams: false });
}
