/**
 * The evidence PDF's text fitting: wrapping does work linear in the text (counted in characters measured, not
 * timed), every line fits, nothing is lost or reordered; a long field is capped and says so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import fc from 'fast-check';
import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FONT_CANDIDATES } from '../../src/records/evidence-pdf.js';
import { evidencePdf, RecordStore } from '../../src/records/index.js';
import { capField, MAX_FIELD_CHARS, wrap, type MeasuringFont } from '../../src/records/pdf-text.js';
import { newCheck, personalCopy, tempDir } from './helpers.js';
import { pdfSkipNote, pdfText, pdfToolsPresent, requirePdfTools } from './pdf-tools.js';

requirePdfTools();

let fonts: PDFFont[] = [];
beforeAll(async () => {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  fonts = [await doc.embedFont(StandardFonts.HelveticaBold)];
  const unicode = FONT_CANDIDATES.find((f) => fs.existsSync(f.bold));
  if (unicode) fonts.push(await doc.embedFont(fs.readFileSync(unicode.bold), { subset: true }));
});

/** The font, counting how many characters it was asked to measure. */
function counting(font: PDFFont): MeasuringFont & { measured: number } {
  const c = {
    measured: 0,
    widthOfTextAtSize(text: string, size: number): number {
      c.measured += text.length;
      return font.widthOfTextAtSize(text, size);
    },
  };
  return c;
}

const WIDTH = 330;

describe('wrap', () => {
  it('measures each character a bounded number of times: a one-word name of 10,000 characters costs ~3 × 10,000', () => {
    for (const font of fonts) {
      for (const n of [1_600, 10_000]) {
        const word = 'Abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(n / 26)).slice(0, n);
        const f = counting(font);
        const lines = wrap(word, f, 11, WIDTH);
        expect(f.measured, `${n} chars`).toBeLessThanOrEqual(3 * n + 100);
        expect(lines.join('')).toBe(word);
        for (const line of lines) expect(font.widthOfTextAtSize(line, 11)).toBeLessThanOrEqual(WIDTH);
      }
    }
  });

  it('every line fits, and the words come back in order with nothing lost (property)', () => {
    const word = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcWMiI.-1Åé') }),
      fc.string({ minLength: 40, maxLength: 200, unit: fc.constantFrom(...'WMmw') }),
    );
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 30 }),
        fc.constantFrom(' ', '  ', '\t'),
        fc.integer({ min: 40, max: 400 }),
        (words, gap, width) => {
          for (const font of fonts) {
            const lines = wrap(words.join(gap), font, 11, width);
            for (const line of lines) if ([...line].length > 1) expect(font.widthOfTextAtSize(line, 11)).toBeLessThanOrEqual(width);
            expect(lines.join('').replace(/\s+/g, '')).toBe(words.join(''));
            // Words that fit a line are not broken.
            for (const w of words)
              if (font.widthOfTextAtSize(w, 11) <= width) expect(lines.some((l) => l.split(' ').includes(w))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('capField', () => {
  it('keeps a field that fits; shortens a longer one at a whole character and says how much was printed', () => {
    expect(capField('Ada Lovelace')).toEqual({ text: 'Ada Lovelace', shortened: false });
    const emoji = '😀'.repeat(MAX_FIELD_CHARS); // 400 UTF-16 units, 200 characters: fits
    expect(capField(emoji).shortened).toBe(false);
    const long = capField(`${'😀'.repeat(MAX_FIELD_CHARS + 1)}`);
    expect(long.shortened).toBe(true);
    expect(long.text.startsWith(`${'😀'.repeat(MAX_FIELD_CHARS)}…`)).toBe(true);
    expect(long.text).toContain(`first ${MAX_FIELD_CHARS} of ${MAX_FIELD_CHARS + 1} characters`);
  });
});

describe.runIf(pdfToolsPresent)(`evidence PDF with a 10,000-character one-word name${pdfSkipNote}`, () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('is made (the name printed in part) and says the name was shortened', async () => {
    const copy = { ...(await personalCopy()), fullName: 'W'.repeat(10_000) };
    const dir = path.join(tmp.dir, 'store');
    const store = await RecordStore.open({ dir, deskId: 'desk-1', retentionDays: 30, personalCopy: { keyFile: path.join(tmp.dir, 'k') } });
    store.appendCheck(newCheck('chk-1', '2026-11-23T14:05:09Z', copy.credentialText), copy);
    const check = store.get('chk-1')!;
    const stored = store.readPersonal('chk-1');
    store.close();
    const out = path.join(tmp.dir, 'evidence.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored));
    const text = pdfText(out);
    expect(text).toContain('shortened: the first 200 of 10,000 characters; the QR code holds the whole text');
    expect(text).toContain('W'.repeat(20));
    expect(text).not.toContain('W'.repeat(201));
  });
});
