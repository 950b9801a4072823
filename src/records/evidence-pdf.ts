/**
 * The evidence PDF for one check with a personal copy: what the checker saw, what they answered, and the
 * credential itself as a QR, so anyone can re-verify it later (`proofdesk verify --image`).
 */
import * as fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describeCheck, longDate, type CheckDescription } from '../check/index.js';
import { inspect } from '../verify/inspect.js';
import type { FoldedCheck } from './entries.js';
import type { PersonalCopy } from './personal-copy.js';
import { capField, wrap } from './pdf-text.js';
import { DEFAULT_WORTH_STATEMENT } from './worth.js';

export interface EvidencePdfOptions {
  /** Replaces DEFAULT_WORTH_STATEMENT (e.g. for a deployment where the law says otherwise). */
  statement?: string;
  /** Time zone for the local time of check (default Europe/London); UTC is always printed too. */
  timeZone?: string;
  /** When the PDF is made (printed in the footer). */
  now?: Date;
  /**
   * TrueType fonts to print names in every script they cover. Default: the first of FONT_CANDIDATES present;
   * with none, the built-in Helvetica (Western European letters only) — see toPrintable.
   */
  fonts?: { regular: string; bold: string } | null;
}

/** Unicode fonts looked for on the machine (Debian/Ubuntu paths: fonts-dejavu-core, fonts-noto-core). */
export const FONT_CANDIDATES: ReadonlyArray<{ regular: string; bold: string }> = [
  { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' },
  { regular: '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf', bold: '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf' },
];

/**
 * The check as described at the desk (src/check/), from the record and the personal copy: the holder's facts come
 * from the sealed credential text itself (a copy is kept only for a code whose signature verified), the verdict,
 * purpose and the clerk's answer from the record. The screen, the CSV and this PDF therefore say the same thing.
 */
export function describeRecordedCheck(check: FoldedCheck, copy: PersonalCopy): CheckDescription {
  const decoded = inspect(copy.credentialText);
  return describeCheck({
    verdict: check.verdict,
    reason: check.reason,
    ...(copy.message !== undefined ? { message: copy.message } : {}),
    trusted: decoded.decoded,
    identity: decoded.identity,
    status: decoded.status,
    purpose: check.purpose ?? 'other',
    checkedAt: new Date(check.at),
    likeness: check.likeness ?? 'ask',
    demo: check.demo === true,
    revocation: check.revocation ?? null,
  });
}

const A4: [number, number] = [595.28, 841.89];
/** The deployment's statement is boxed at the top: room for about twenty lines. */
const MAX_STATEMENT_CHARS = 1200;
const MARGIN = 48;
/** Nothing but the footer below this line. */
const FOOTER_TOP = MARGIN + 4;

export async function evidencePdf(check: FoldedCheck, copy: PersonalCopy, opts: EvidencePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Check ${check.checkId} - supporting evidence`);
  doc.setProducer('proofdesk');
  doc.setCreator('proofdesk records pdf');
  if (opts.now) doc.setCreationDate(opts.now);
  const first = doc.addPage(A4);
  let page = first;
  const { regular, bold } = await embedFonts(
    doc,
    opts.fonts === undefined ? FONT_CANDIDATES.find((f) => fs.existsSync(f.regular) && fs.existsSync(f.bold)) : opts.fonts,
  );
  const width = A4[0] - 2 * MARGIN;
  const inBold = new Set(bold.getCharacterSet());
  const printable = new Set(regular.getCharacterSet().filter((cp) => inBold.has(cp)));
  let simplified = false;
  const text = (s: string): string => {
    const out = toPrintable(s, printable);
    if (out !== s) simplified = true;
    return out;
  };

  const d = describeRecordedCheck(check, copy);
  let y = A4[1] - MARGIN;
  if (check.demo) {
    page.drawRectangle({ x: MARGIN, y: y - 24, width, height: 24, color: rgb(0.13, 0.13, 0.13) });
    page.drawText('DEMO - made with demonstration keys: this is not a real check', {
      x: MARGIN + 8,
      y: y - 17,
      size: 12,
      font: bold,
      color: rgb(1, 0.92, 0.23),
    });
    y -= 32;
  }
  page.drawText('Immigration status check - record', { x: MARGIN, y: y - 18, size: 18, font: bold });
  y -= 30;
  const idHeading = text(`Check ${check.checkId} at desk ${check.deskId}`);
  page.drawText(idHeading, {
    x: MARGIN,
    y: y - 11,
    size: fitSize(idHeading, regular, 11, width),
    font: regular,
    color: rgb(0.3, 0.3, 0.3),
  });
  y -= 26;

  // What the check is worth, boxed, before anything else.
  const statementLines = wrap(text(capField(opts.statement ?? DEFAULT_WORTH_STATEMENT, MAX_STATEMENT_CHARS).text), bold, 10.5, width - 20);
  const boxHeight = statementLines.length * 14 + 16;
  page.drawRectangle({
    x: MARGIN,
    y: y - boxHeight,
    width,
    height: boxHeight,
    borderColor: rgb(0.1, 0.1, 0.1),
    borderWidth: 1.2,
    color: rgb(0.96, 0.96, 0.9),
  });
  statementLines.forEach((line, i) => {
    page.drawText(line, { x: MARGIN + 10, y: y - 20 - i * 14, size: 10.5, font: bold });
  });
  y -= boxHeight + 14;

  // The result as the desk showed it, in its own words (not by colour alone).
  const resultColour = d.colour === 'green' ? rgb(0.1, 0.43, 0.13) : d.colour === 'red' ? rgb(0.72, 0.11, 0.11) : rgb(0.55, 0.36, 0);
  page.drawText(text(d.headline), { x: MARGIN, y: y - 16, size: 16, font: bold, color: resultColour });
  y -= 26;

  // Photo on the left, the facts on the right.
  const photoWidth = 150;
  const photoTop = y;
  const photo = await photoPng(copy.photo?.data);
  if (photo.png) {
    const img = await doc.embedPng(photo.png);
    const h = Math.min(200, (img.height / img.width) * photoWidth);
    const w = (img.width / img.height) * h;
    page.drawImage(img, { x: MARGIN, y: photoTop - h, width: w, height: h });
    page.drawRectangle({ x: MARGIN, y: photoTop - h, width: w, height: h, borderColor: rgb(0.4, 0.4, 0.4), borderWidth: 0.5 });
  } else {
    const lines = wrap(photo.note, regular, 10, photoWidth);
    lines.forEach((line, i) => {
      page.drawText(line, { x: MARGIN, y: photoTop - 12 - i * 13, size: 10, font: regular });
    });
  }

  const facts: Array<[string, string]> = [
    // As the desk showed them (the copy keeps the words shown); the credential itself when an older copy lacks them.
    ['Name', copy.fullName ?? d.person?.name ?? '(not in the credential)'],
    ['Date of birth', longDate(copy.dateOfBirth ?? d.person?.dateOfBirth ?? '(not in the credential)')],
    ...(d.status?.document
      ? [['Identity document named in the code', `${d.status.document.type} ${d.status.document.reference}`] as [string, string]]
      : []),
    ['Status, as the signed code states it', d.status?.label ?? 'Not established by this check'],
    ...(d.status ? [['Permission ends', d.status.permissionEndsText] as [string, string]] : []),
    ['Right checked', d.rightChecked],
    ['Result shown', `${d.headline}: ${d.message}`],
    ["The code's verdict", `${d.verdict}${d.reason ? ` (${d.reason})` : ''}`],
    ...(d.revocationText !== null ? [['Revocation (status list)', d.revocationText] as [string, string]] : []),
    ['What the checker was told to do', d.nextStep],
    ['Date and time', checkTime(check.at, opts.timeZone ?? 'Europe/London')],
    [
      'Photo matches person',
      check.likeness === undefined || d.likenessText === null
        ? check.verdict === 'NOT VALID'
          ? 'Not asked: the code did not pass its check.'
          : 'No answer recorded.'
        : d.likenessText,
    ],
    ...(copy.checkerName ? [['Checked by', copy.checkerName] as [string, string]] : []),
    ...(copy.reference ? [[copy.referenceLabel ?? 'Reference', copy.reference] as [string, string]] : []),
    ['Desk', check.deskId],
    ['Follow-up check due', d.followUp.text],
    ['Signing key (kid)', check.kid ?? '(none)'],
    ['Keep this record until', check.keepUntil],
  ];
  // The facts beside the photo, then across the page below it, and on to another page when they need it.
  const photoBottom = photoTop - (photo.png ? 200 : 60);
  let fx = MARGIN + photoWidth + 20;
  let fy = photoTop;
  for (const [label, value] of facts) {
    if (fx !== MARGIN && fy < photoBottom - 6) fx = MARGIN;
    // A field longer than MAX_FIELD_CHARS is printed in part, and says so (capField).
    const lines = wrap(text(capField(value).text), bold, 11, A4[0] - MARGIN - fx);
    if (fy - 16 - lines.length * 14 < FOOTER_TOP) {
      page = doc.addPage(A4);
      fy = A4[1] - MARGIN;
      fx = MARGIN;
      const continued = text(`Check ${check.checkId} - continued`);
      page.drawText(continued, { x: MARGIN, y: fy - 12, size: fitSize(continued, bold, 12, width), font: bold });
      fy -= 26;
    }
    page.drawText(label, { x: fx, y: fy - 9, size: 8.5, font: regular, color: rgb(0.35, 0.35, 0.35) });
    fy -= 11;
    for (const line of lines) {
      page.drawText(line, { x: fx, y: fy - 11, size: 11, font: bold });
      fy -= 14;
    }
    fy -= 5;
  }
  y = Math.min(fy, page === first ? photoBottom : fy) - 10;

  await drawQr(page, doc, copy.credentialText, y, regular, text, check.checkId);

  // Every page names the check, the credential's hash and (a DEMO check) that it is not a real check.
  const pages = doc.getPages();
  // Two short lines, so the time and the page number stay on the page (one line ran past the right edge).
  const idLine = (i: number) =>
    `${check.demo ? 'DEMO - not a real check.   ' : ''}Check ${check.checkId}   Page ${i + 1} of ${pages.length}`;
  const hashLine = `Credential SHA-256: ${check.credentialSha256}${opts.now ? `   PDF made ${opts.now.toISOString()}` : ''}`;
  pages.forEach((p, i) => {
    const grey = rgb(0.4, 0.4, 0.4);
    p.drawText(text(idLine(i)), { x: MARGIN, y: MARGIN - 20, size: 6.5, font: regular, color: grey });
    p.drawText(text(hashLine), { x: MARGIN, y: MARGIN - 29, size: 6.5, font: regular, color: grey });
    if (simplified) {
      p.drawText("Some characters could not be printed in this PDF's font and were simplified; the QR code holds the exact text.", {
        x: MARGIN,
        y: MARGIN - 10,
        size: 7,
        font: regular,
        color: grey,
      });
    }
  });
  return doc.save();
}

/** The font size, at most `size`, at which one line of `s` fits in `maxWidth` (a long check or desk id shrinks, never clips). */
function fitSize(s: string, font: PDFFont, size: number, maxWidth: number): number {
  const w = font.widthOfTextAtSize(s, size);
  return w <= maxWidth ? size : Math.max(5, Math.floor(((size * maxWidth) / w) * 10) / 10);
}

/** Smallest printed module: 2 pt (0.7 mm) reads reliably with phone cameras and desk scanners. */
const MIN_MODULE_PT = 2;

/** Draw the credential as a QR below `top`, or on a page of its own when the space left would print it too small. */
async function drawQr(
  page: PDFPage,
  doc: PDFDocument,
  credentialText: string,
  top: number,
  font: PDFFont,
  text: (s: string) => string,
  checkId: string,
): Promise<void> {
  let png: Buffer;
  let modules: number;
  try {
    modules = QRCode.create(credentialText, { errorCorrectionLevel: 'M' }).modules.size + 8; // + 4-module quiet zone each side
    png = await QRCode.toBuffer(credentialText, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 });
  } catch (err) {
    page.drawText(text(`The credential could not be drawn as a QR code (${err instanceof Error ? err.message : String(err)}).`), {
      x: MARGIN,
      y: top - 12,
      size: 10,
      font,
    });
    return;
  }
  const wanted = Math.min(Math.max(modules * MIN_MODULE_PT, 220), A4[0] - 2 * MARGIN - 160);
  if (top - MARGIN < wanted) {
    page.drawText('The credential QR code is on the next page.', { x: MARGIN, y: top - 12, size: 10, font });
    page = doc.addPage(A4);
    top = A4[1] - MARGIN;
    const heading = text(`Check ${checkId} - the credential as scanned`);
    page.drawText(heading, { x: MARGIN, y: top - 14, size: fitSize(heading, font, 14, A4[0] - 2 * MARGIN), font });
    top -= 30;
  }
  const size = Math.min(top - MARGIN, Math.max(wanted, 300), A4[0] - 2 * MARGIN - 160);
  const img = await doc.embedPng(png);
  page.drawImage(img, { x: MARGIN, y: top - size, width: size, height: size });
  const caption = [
    'The credential as scanned.',
    'To re-check it later, scan this code with any desk, or run:',
    'proofdesk verify --image <picture of this code>',
    'A later check uses the trust list of that day: an expired or revoked code will then say so.',
  ];
  let cy = top - 12;
  for (const para of caption) {
    for (const line of wrap(para, font, 9.5, A4[0] - 2 * MARGIN - size - 16)) {
      page.drawText(line, { x: MARGIN + size + 16, y: cy, size: 9.5, font });
      cy -= 12.5;
    }
    cy -= 4;
  }
}

/** The photo as PNG for embedding, or a line saying why it cannot be shown (e.g. JPEG 2000: sharp has no decoder). */
async function photoPng(data: Uint8Array | undefined): Promise<{ png: Buffer; note?: never } | { png: null; note: string }> {
  if (!data || data.length === 0) return { png: null, note: 'No photo in the credential.' };
  try {
    const png = await sharp(Buffer.from(data), { limitInputPixels: 4096 * 4096 })
      .resize({ height: 400, withoutEnlargement: true })
      .png()
      .toBuffer();
    return { png };
  } catch {
    return { png: null, note: 'Photo format not supported: the photo cannot be shown here (it is kept in the QR code).' };
  }
}

function checkTime(at: string, timeZone: string): string {
  const d = new Date(at);
  let local: string;
  try {
    local = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'long', timeStyle: 'long' }).format(d);
  } catch {
    local = d.toUTCString();
  }
  return `${local} (${d.toISOString().replace('.000Z', 'Z')})`;
}

async function embedFonts(
  doc: PDFDocument,
  files: { regular: string; bold: string } | null | undefined,
): Promise<{ regular: PDFFont; bold: PDFFont }> {
  if (files) {
    doc.registerFontkit(fontkit);
    // Subset: only the glyphs used go into the file (a whole DejaVu Sans is ~700 kB).
    return {
      regular: await doc.embedFont(fs.readFileSync(files.regular), { subset: true }),
      bold: await doc.embedFont(fs.readFileSync(files.bold), { subset: true }),
    };
  }
  return { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
}

/**
 * Keep what the fonts can print. A letter they lack loses its accents (Ł -> L, ș -> s) rather than print as an
 * empty box; anything else becomes '?'. The footer then says so, and the QR keeps the exact spelling.
 */
function toPrintable(s: string, printable: ReadonlySet<number>): string {
  const ok = (c: string) => printable.has(c.codePointAt(0) ?? -1);
  let out = '';
  for (const ch of s.replace(/[\r\n\t]+/g, ' ')) {
    if (ok(ch)) out += ch;
    else {
      const plain = FOLD[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += plain !== '' && [...plain].every(ok) ? plain : '?';
    }
  }
  return out;
}

const FOLD: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', ĸ: 'k', Ŧ: 'T', ŧ: 't', '‐': '-', '‑': '-' };
