/**
 * The evidence PDF for one check with a personal copy: what the checker saw, what they answered, and the
 * credential itself as a QR, so anyone can re-verify it later (`proofdesk verify --image`).
 */
import * as fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { REASON_TEXT, VALID_TEXT } from '../verify/messages.js';
import type { FoldedCheck, Likeness } from './entries.js';
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

const LIKENESS_TEXT: Record<Likeness, string> = {
  yes: 'Yes - the checker confirmed the photo is of the person present.',
  no: 'NO - the checker said the photo is NOT of the person present.',
  'not-asked': 'Not asked - the photo was not compared with the person.',
};

const A4: [number, number] = [595.28, 841.89];
/** The deployment's statement is boxed at the top: room for about twenty lines. */
const MAX_STATEMENT_CHARS = 1200;
const MARGIN = 48;

export async function evidencePdf(check: FoldedCheck, copy: PersonalCopy, opts: EvidencePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Check ${check.checkId} - supporting evidence`);
  doc.setProducer('proofdesk');
  doc.setCreator('proofdesk records pdf');
  if (opts.now) doc.setCreationDate(opts.now);
  const page = doc.addPage(A4);
  const { regular, bold } = await embedFonts(doc, opts.fonts === undefined ? FONT_CANDIDATES.find((f) => fs.existsSync(f.regular) && fs.existsSync(f.bold)) : opts.fonts);
  const width = A4[0] - 2 * MARGIN;
  const inBold = new Set(bold.getCharacterSet());
  const printable = new Set(regular.getCharacterSet().filter((cp) => inBold.has(cp)));
  let simplified = false;
  const text = (s: string): string => {
    const out = toPrintable(s, printable);
    if (out !== s) simplified = true;
    return out;
  };

  let y = A4[1] - MARGIN;
  page.drawText('Immigration status check - record', { x: MARGIN, y: y - 18, size: 18, font: bold });
  y -= 30;
  page.drawText(text(`Check ${check.checkId} at desk ${check.deskId}`), { x: MARGIN, y: y - 11, size: 11, font: regular, color: rgb(0.3, 0.3, 0.3) });
  y -= 26;

  // What the check is worth, boxed, before anything else.
  const statementLines = wrap(text(capField(opts.statement ?? DEFAULT_WORTH_STATEMENT, MAX_STATEMENT_CHARS).text), bold, 10.5, width - 20);
  const boxHeight = statementLines.length * 14 + 16;
  page.drawRectangle({ x: MARGIN, y: y - boxHeight, width, height: boxHeight, borderColor: rgb(0.1, 0.1, 0.1), borderWidth: 1.2, color: rgb(0.96, 0.96, 0.9) });
  statementLines.forEach((line, i) => page.drawText(line, { x: MARGIN + 10, y: y - 20 - i * 14, size: 10.5, font: bold }));
  y -= boxHeight + 18;

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
    lines.forEach((line, i) => page.drawText(line, { x: MARGIN, y: photoTop - 12 - i * 13, size: 10, font: regular }));
  }

  const verdictText = check.reason ? `${check.verdict}: ${REASON_TEXT[check.reason].message}` : `${check.verdict}: ${VALID_TEXT.message}`;
  const facts: Array<[string, string]> = [
    ['Name', copy.fullName ?? '(not in the credential)'],
    ['Date of birth', copy.dateOfBirth ?? '(not in the credential)'],
    ['Status', copy.statusSummary ?? '(not shown)'],
    ['Right checked', copy.rightChecked || (check.purpose ? `purpose: ${check.purpose}` : '(not recorded)')],
    ['Result shown', verdictText],
    ...(check.reason ? [['What the checker was told to do', REASON_TEXT[check.reason].nextStep] as [string, string]] : []),
    ['Date and time', checkTime(check.at, opts.timeZone ?? 'Europe/London')],
    ['Photo matches person', check.likeness ? LIKENESS_TEXT[check.likeness] : 'No answer recorded.'],
    ['Desk', check.deskId],
    ['Follow-up check due', check.followUpDate ?? 'none recorded (permission not time-limited)'],
    ['Signing key (kid)', check.kid ?? '(none)'],
    ['Keep this record until', check.keepUntil],
  ];
  const factsX = MARGIN + photoWidth + 20;
  const factsWidth = A4[0] - MARGIN - factsX;
  let fy = photoTop;
  for (const [label, value] of facts) {
    page.drawText(label, { x: factsX, y: fy - 9, size: 8.5, font: regular, color: rgb(0.35, 0.35, 0.35) });
    fy -= 11;
    // A field longer than MAX_FIELD_CHARS is printed in part, and says so (capField).
    for (const line of wrap(text(capField(value).text), bold, 11, factsWidth)) {
      page.drawText(line, { x: factsX, y: fy - 11, size: 11, font: bold });
      fy -= 14;
    }
    fy -= 5;
  }
  y = Math.min(fy, photoTop - 210) - 10;

  await drawQr(page, doc, copy.credentialText, y, regular, text, check.checkId);

  const footer = `Credential SHA-256: ${check.credentialSha256}` + (opts.now ? `   PDF made ${opts.now.toISOString()}` : '');
  page.drawText(footer, { x: MARGIN, y: MARGIN - 20, size: 7, font: regular, color: rgb(0.4, 0.4, 0.4) });
  if (simplified) {
    page.drawText('Some characters could not be printed in this PDF\'s font and were simplified; the QR code holds the exact text.', {
      x: MARGIN, y: MARGIN - 10, size: 7, font: regular, color: rgb(0.4, 0.4, 0.4),
    });
  }
  return doc.save();
}

/** Smallest printed module: 2 pt (0.7 mm) reads reliably with phone cameras and desk scanners. */
const MIN_MODULE_PT = 2;

/** Draw the credential as a QR below `top`, or on a page of its own when the space left would print it too small. */
async function drawQr(page: PDFPage, doc: PDFDocument, credentialText: string, top: number, font: PDFFont, text: (s: string) => string, checkId: string): Promise<void> {
  let png: Buffer;
  let modules: number;
  try {
    modules = QRCode.create(credentialText, { errorCorrectionLevel: 'M' }).modules.size + 8; // + 4-module quiet zone each side
    png = await QRCode.toBuffer(credentialText, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 });
  } catch (err) {
    page.drawText(text(`The credential could not be drawn as a QR code (${err instanceof Error ? err.message : String(err)}).`), { x: MARGIN, y: top - 12, size: 10, font });
    return;
  }
  const wanted = Math.min(Math.max(modules * MIN_MODULE_PT, 220), A4[0] - 2 * MARGIN - 160);
  if (top - MARGIN < wanted) {
    page.drawText('The credential QR code is on the next page.', { x: MARGIN, y: top - 12, size: 10, font });
    page = doc.addPage(A4);
    top = A4[1] - MARGIN;
    page.drawText(text(`Check ${checkId} - the credential as scanned`), { x: MARGIN, y: top - 14, size: 14, font });
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
    const png = await sharp(Buffer.from(data), { limitInputPixels: 4096 * 4096 }).resize({ height: 400, withoutEnlargement: true }).png().toBuffer();
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

async function embedFonts(doc: PDFDocument, files: { regular: string; bold: string } | null | undefined): Promise<{ regular: PDFFont; bold: PDFFont }> {
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
