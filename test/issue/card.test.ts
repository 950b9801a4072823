/**
 * The holder's paper card, read back as a printer, a landlord with a photocopier and a checker with a phone would:
 * made by the built CLI, rendered by pdftoppm at 300 dpi, measured in pixels, every QR decoded by zxing-wasm and
 * verified by the CLI with the DEMO key set, and a degraded JPEG of the render read by `verify --image`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readBarcodes } from 'zxing-wasm/reader';
import { statusLine } from '../../src/check/words.js';
import type { StatusClaim } from '../../src/credential/types.js';
import { A4_MM, cardGeometry, ID1 } from '../../src/issue/card.js';
import { cardWords } from '../../src/issue/card-text.js';
import { DEMO_KEYS, DEMO_PRIVATE, EXAMPLES, expectUsageError, requireBuiltCli, runCli, tempDir } from '../cli/run-cli.js';
import { prepareQrReader, requirePdfTools } from '../records/pdf-tools.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
const tmp = tempDir('proofdesk-card-');
const HOLDER = join(EXAMPLES, 'holder.json');
const FACE = join(EXAMPLES, 'demo-face.jpg');
const DPI = 300;
const PX = DPI / 25.4;
const AT = '2026-12-01T10:00:00Z';
const CHECK_AT = '2027-01-10T12:00:00Z';
let pdfPath: string;
let render: { data: Buffer; width: number; height: number };
let issued: { code: string; stderr: string };

/** Renders page 1 at `dpi` as 8-bit grey pixels. */
function renderGrey(pdf: string, dpi = DPI): { png: string } {
  const base = `${pdf}-${dpi}`;
  const r = spawnSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', pdf, base]);
  expect(r.status, r.stderr.toString()).toBe(0);
  return { png: `${base}.png` };
}

async function greyPixels(png: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The PDF's words in reading order (pdftotext without -layout, which would interleave the card's two sides), whitespace folded. */
function pdfText(pdf: string): string {
  const r = spawnSync('pdftotext', [pdf, '-']);
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString().replace(/\s+/g, ' ');
}

const dark = (img: { data: Buffer; width: number }, x: number, y: number) => img.data[Math.round(y) * img.width + Math.round(x)]! < 128;

/** Runs of dark pixels along a row (or column): their centres, in px. */
function darkRuns(img: { data: Buffer; width: number; height: number }, fixed: number, along: 'row' | 'column'): number[] {
  const n = along === 'row' ? img.width : img.height;
  const runs: number[] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const d = i < n && (along === 'row' ? dark(img, i, fixed) : dark(img, fixed, i));
    if (d && start < 0) start = i;
    if (!d && start >= 0) {
      runs.push((start + i - 1) / 2);
      start = -1;
    }
  }
  return runs;
}

async function qrTexts(input: Uint8Array | { data: Uint8ClampedArray; width: number; height: number }): Promise<string[]> {
  const found = await readBarcodes(input as Uint8Array, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return found.filter((r) => r.isValid).map((r) => r.text);
}

beforeAll(async () => {
  requireBuiltCli();
  requirePdfTools();
  await prepareQrReader();
  pdfPath = join(tmp.dir, 'card.pdf');
  // The command of the "done when", with --at so the dates are fixed.
  const r = await runCli(['issue', '--holder', HOLDER, '--photo', FACE, '--key', DEMO_PRIVATE, '--card', pdfPath, '--at', AT]);
  expect(r.code, r.stderr).toBe(0);
  const chars = /code: (\d+) Base45 characters/.exec(r.stderr);
  expect(chars).not.toBeNull();
  render = await greyPixels(renderGrey(pdfPath).png);
  const texts = await qrTexts(new Uint8Array(readFileSync(`${pdfPath}-${DPI}.png`)));
  issued = { code: texts[0] ?? '', stderr: r.stderr };
  expect(issued.code.length).toBe(Number(chars![1]));
});
afterAll(tmp.cleanup);

describe('issue --card: the PDF', () => {
  it('is one A4 page (210 × 297 mm), and renders at 300 dpi to 2480 × 3508 pixels', async () => {
    const doc = await PDFDocument.load(readFileSync(pdfPath));
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(width / (72 / 25.4)).toBeCloseTo(A4_MM.width, 1);
    expect(height / (72 / 25.4)).toBeCloseTo(A4_MM.height, 1);
    expect(Math.abs(render.width - 2480)).toBeLessThanOrEqual(1);
    expect(Math.abs(render.height - 3508)).toBeLessThanOrEqual(1);
  });

  it('prints an ID-1 card (85.60 × 53.98 mm) front and back side by side: cut marks measured on the render', () => {
    const g = cardGeometry();
    // A row through the corner marks' vertical arms, 5 mm above the strip: left edge, fold, right edge.
    const cols = darkRuns(render, (g.front.y - 5) * PX, 'row');
    expect(cols).toHaveLength(3);
    const [l, fold, r] = cols.map((c) => c / PX) as [number, number, number];
    expect(fold - l).toBeCloseTo(ID1.width, 0);
    expect(Math.abs(fold - l - ID1.width)).toBeLessThan(0.25);
    expect(Math.abs(r - fold - ID1.width)).toBeLessThan(0.25);
    // A column through the horizontal arms, 5 mm left of the strip: top and bottom edges.
    const rows = darkRuns(render, (g.front.x - 5) * PX, 'column');
    expect(rows).toHaveLength(2);
    expect(Math.abs((rows[1]! - rows[0]!) / PX - ID1.height)).toBeLessThan(0.25);
    // The marks sit where the geometry says.
    expect(Math.abs(l - g.front.x)).toBeLessThan(0.25);
    expect(Math.abs(rows[0]! / PX - g.front.y)).toBeLessThan(0.25);
  });

  it('embeds its fonts (pdffonts: every font embedded) and opens no network resource', () => {
    const r = spawnSync('pdffonts', [pdfPath]);
    expect(r.status).toBe(0);
    const rows = r.stdout.toString().trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatch(/\byes\b/); // emb column
    expect(readFileSync(pdfPath).toString('latin1')).not.toMatch(/\/URI|https?:\/\//);
  });

  it('every QR on the page decodes from the 300-dpi render, each on its own, to a code the CLI calls VALID with the DEMO keys', async () => {
    const g = cardGeometry();
    for (const box of [g.cardQr, g.pageQr]) {
      const m = 4;
      const { data, info } = await sharp(`${pdfPath}-${DPI}.png`)
        .extract({
          left: Math.round((box.x - m) * PX),
          top: Math.round((box.y - m) * PX),
          width: Math.round((box.width + 2 * m) * PX),
          height: Math.round((box.height + 2 * m) * PX),
        })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const texts = await qrTexts({ data: new Uint8ClampedArray(data), width: info.width, height: info.height });
      expect(texts).toEqual([issued.code]);
    }
    const whole = await qrTexts(new Uint8Array(readFileSync(`${pdfPath}-${DPI}.png`)));
    expect(whole).toEqual([issued.code, issued.code]);
    const v = await runCli(['verify', '--keys', DEMO_KEYS, '--at', CHECK_AT, issued.code]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^VALID/);
  });

  it('the code is ≤ 1,000 Base45 characters with a photo of at least 48 × 48 pixels', async () => {
    expect(issued.code.length).toBeLessThanOrEqual(1000);
    const j = await runCli(['inspect', '--json', issued.code]);
    const photo = Buffer.from(JSON.parse(j.stdout).identity.photo, 'base64');
    const meta = await sharp(photo).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(48);
    expect(meta.height).toBeGreaterThanOrEqual(48);
  });

  it('verify --image reads a degraded phone-style JPEG of the printed page: blurred, rotated, unevenly lit, noisy, JPEG q 40', async () => {
    const page = `${pdfPath}-${DPI}.png`;
    const { data, info } = await sharp(page)
      .blur(1.0)
      .rotate(5, { background: '#f4f1ea' })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    let x = 12345;
    for (let y = 0; y < info.height; y++) {
      for (let c = 0; c < info.width; c++) {
        x = (x * 1103515245 + 12345) >>> 0;
        const i = y * info.width + c;
        data[i] = Math.max(0, Math.min(255, Math.round(data[i]! * (1 - 0.35 * (c / info.width)) + ((x >>> 16) % 25) - 12)));
      }
    }
    const jpeg = join(tmp.dir, 'phone-photo.jpg');
    // A phone photo of the whole sheet lying on a table: a border of other content around it, smaller than 300 dpi.
    const sheet = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
      .resize(Math.round(info.width * 0.8))
      .png()
      .toBuffer();
    const meta = await sharp(sheet).metadata();
    await sharp({ create: { width: meta.width! + 400, height: meta.height! + 300, channels: 3, background: '#6b5a48' } })
      .composite([{ input: sheet, left: 180, top: 120 }])
      .jpeg({ quality: 40 })
      .toFile(jpeg);
    const v = await runCli(['verify', '--keys', DEMO_KEYS, '--at', CHECK_AT, '--image', jpeg]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^VALID/);
  });

  it('verify --image reads a photo of the cut-out card alone (a photocopy: 150 dpi, harsh contrast, rotated −4°, JPEG q 35)', async () => {
    const g = cardGeometry();
    const card = await sharp(`${pdfPath}-${DPI}.png`)
      .extract({
        left: Math.round((g.front.x - 3) * PX),
        top: Math.round((g.front.y - 3) * PX),
        width: Math.round((ID1.width + 6) * PX),
        height: Math.round((ID1.height + 6) * PX),
      })
      .resize({ width: Math.round(((ID1.width + 6) * 150) / 25.4) })
      .linear(1.4, -60)
      .blur(0.6)
      .resize({ width: Math.round((ID1.width + 6) * PX) })
      .rotate(-4, { background: '#ffffff' })
      .jpeg({ quality: 35 })
      .toBuffer();
    const file = join(tmp.dir, 'copied-card.jpg');
    writeFileSync(file, card);
    const v = await runCli(['verify', '--keys', DEMO_KEYS, '--at', CHECK_AT, '--image', file]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});

describe('issue --card: the words', () => {
  it('says DEMO on both sides, labels the dates without verdict words, and says what it is (not) worth', () => {
    const text = pdfText(pdfPath);
    expect(text).toMatch(/Code expires/);
    expect(text).toMatch(/Permission ends/);
    expect(text).not.toMatch(/\bVALID\b|\bvalid\b|\bverified\b/i);
    expect(text).toMatch(/Not a Home Office document/);
    expect(text).toMatch(/printed words prove nothing on their own/);
    expect(text).toMatch(/share-code check with the Home Office online service/);
    expect(text).toMatch(/statutory excuse/);
    // DEMO on both sides: pdftotext -bbox gives each word's box; one DEMO band word inside the front, one inside the back.
    const r = spawnSync('pdftotext', ['-bbox', pdfPath, '-']);
    const g = cardGeometry();
    const demoWords = [...r.stdout.toString().matchAll(/xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>DEMO</g)].map((m) => ({
      x: Number(m[1]) / (72 / 25.4),
      y: Number(m[2]) / (72 / 25.4),
    }));
    const inside = (b: { x: number; y: number; width: number; height: number }) =>
      demoWords.some((w) => w.x >= b.x && w.x <= b.x + b.width && w.y >= b.y && w.y <= b.y + b.height);
    expect(inside(g.front)).toBe(true);
    expect(inside(g.back)).toBe(true);
  });

  it('warns on stderr when the card has no status-list reference, and not when it has one', async () => {
    expect(issued.stderr).toMatch(/warning: the card has no status-list reference .*cannot withdraw it/);
    const withList = join(tmp.dir, 'listed.pdf');
    const r = await runCli([
      'issue',
      '--holder',
      HOLDER,
      '--key',
      DEMO_PRIVATE,
      '--card',
      withList,
      '--status-idx',
      '7',
      '--status-uri',
      'https://status.example/1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    expect(pdfText(withList)).toMatch(/they can cancel this code/);
  });

  it('a card made with a non-DEMO key never says DEMO', async () => {
    const prefix = join(tmp.dir, 'real');
    expect((await runCli(['keys', 'generate', '--kid', 'council-2026', '--out', prefix])).code).toBe(0);
    const out = join(tmp.dir, 'real.pdf');
    const r = await runCli([
      'issue',
      '--holder',
      HOLDER,
      '--photo',
      FACE,
      '--key',
      `${prefix}.private.jwk`,
      '--card',
      out,
      '--iss',
      'Example Council',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const text = pdfText(out);
    expect(text).not.toMatch(/DEMO/);
    expect(text).toMatch(/Issued by Example Council/);
  });

  it('words each status as the desk does (one set of words for the card, the screens, the records and the PDF)', () => {
    const schemes = ['EUSS', 'points-based', 'family', 'protection', 'BNO', 'other'] as const;
    const types = ['indefinite', 'limited', 'pending', 'protection'] as const;
    for (const scheme of schemes)
      for (const statusType of types) {
        const s = { scheme, statusType } as StatusClaim;
        expect(cardWords('en').status(s), `${scheme} ${statusType}`).toBe(statusLine(s));
      }
  });

  it('a crowded front (a three-line name, a three-line status, a long work condition) keeps every line above its footer', async () => {
    const holder = JSON.parse(readFileSync(HOLDER, 'utf8'));
    holder.fullName = 'Maria-Fernanda Alexandrina Konstantinopoulou-Vasquez de la Cruz';
    holder.status = {
      ...holder.status,
      statusType: 'limited',
      validUntil: '2028-05-31',
      publicFunds: false,
      work: { restricted: 'Max 20 hours a week in term time; no self-employment; no work as a professional sportsperson or coach' },
    };
    const file = join(tmp.dir, 'crowded.json');
    const out = join(tmp.dir, 'crowded.pdf');
    writeFileSync(file, JSON.stringify(holder));
    const r = await runCli(['issue', '--holder', file, '--photo', FACE, '--key', DEMO_PRIVATE, '--card', out, '--at', AT]);
    expect(r.code, r.stderr).toBe(0);
    // Each word's box on the page (pdftotext -bbox, points from the top left) → millimetres.
    const k = 72 / 25.4;
    const bbox = spawnSync('pdftotext', ['-bbox', out, '-']).stdout.toString();
    const words = [...bbox.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)].map((m) => ({
      x: Number(m[1]) / k,
      top: Number(m[2]) / k,
      bottom: Number(m[4]) / k,
      text: m[5]!,
    }));
    const front = cardGeometry().front;
    const onFront = words.filter(
      (w) => w.x >= front.x && w.x <= front.x + front.width && w.top >= front.y && w.bottom <= front.y + front.height,
    );
    const footer = onFront.find((w) => w.text === 'Issued');
    expect(footer, 'the footer is on the front').toBeDefined();
    // the DEMO watermark lies across the front on purpose (pdftotext reads its rotated letters as words)
    const text = onFront.filter((w) => w.x < cardGeometry().cardQr.x && w.top < footer!.top && !/^[DEMO]{1,4}$/.test(w.text));
    for (const w of text) expect(w.bottom, `"${w.text}" runs into the footer`).toBeLessThanOrEqual(footer!.top);
    const said = text.map((w) => w.text).join(' ');
    expect(said).toContain('Maria-Fernanda Alexandrina Konstantinopoulou-Vasquez de la Cruz'); // the name whole
    expect(said).toMatch(/Work: restricted · Rent: yes · Public funds: no/); // every right, the condition named
    expect(said).not.toContain('…');
    // the A4 page below the card spells the condition out
    expect(pdfText(out)).toMatch(/no\s+self-employment/);
  });

  it('card validity: 730 days by default, ending at the end of a London day, and never after the permission', async () => {
    const j = JSON.parse((await runCli(['inspect', '--json', issued.code])).stdout);
    expect(j.cwt.exp - j.cwt.iat).toBeGreaterThan(730 * 86400 - 86400);
    expect(j.cwt.exp - j.cwt.iat).toBeLessThanOrEqual(731 * 86400);
    expect(new Date(j.cwt.exp * 1000).toISOString()).toBe('2028-12-01T00:00:00.000Z'); // 2028-11-30 ends at London midnight (GMT)
    const text = pdfText(pdfPath);
    expect(text).toMatch(/The code expires at the end of 30 November 2028\./);
    expect(text).toContain('30 Nov 2028'); // the card's own line
    // A permission ending before the card would: the code expires with it, and the card says so.
    const holder = JSON.parse(readFileSync(join(EXAMPLES, 'holders', 'pre-settled.json'), 'utf8'));
    holder.status.validUntil = '2027-06-30';
    const file = join(tmp.dir, 'ends-2027.json');
    writeFileSync(file, JSON.stringify(holder));
    const limited = join(tmp.dir, 'ends-2027.pdf');
    const r = await runCli(['issue', '--holder', file, '--key', DEMO_PRIVATE, '--card', limited, '--at', AT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/code expires 2027-06-30T23:00:00Z \(before --valid-days 730: a code never outlives the permission/);
    const capped = pdfText(limited);
    expect(capped).toMatch(/Permission ends .*30 Jun 2027/);
    expect(capped).toMatch(/The code expires at the end of 30 June 2027\./);
    expect(capped).toMatch(/Permission ends 30 June 2027/); // the page's large facts
  });
});

describe('issue --card: refusals (exit 2, one line, no card)', () => {
  it('a file name that is not .pdf', async () => {
    expectUsageError(
      await runCli(['issue', '--holder', HOLDER, '--key', DEMO_PRIVATE, '--card', join(tmp.dir, 'card.png')]),
      /--card .*must end in \.pdf/,
    );
  });

  it('a code too long to scan at the card size (a 1,000-byte photo), or for any QR code at all', async () => {
    const out = join(tmp.dir, 'big.pdf');
    const r = await runCli(['issue', '--holder', HOLDER, '--photo', FACE, '--key', DEMO_PRIVATE, '--card', out, '--photo-bytes', '1000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/on the card its modules would be 0\.\d+ mm, below the 0\.\d+ mm that still scans/);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^proofdesk: /);
    expect(existsSync(out)).toBe(false);
    const huge = await runCli(['issue', '--holder', HOLDER, '--photo', FACE, '--key', DEMO_PRIVATE, '--photo-bytes', '3000', '--ecc', 'H']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/too long for a QR code at ECC H/);
    expect(huge.stderr).not.toMatch(/unexpected error/);
  });

  it('a name the card font cannot print (CJK) is refused, naming the field but not the value', async () => {
    const holder = JSON.parse(readFileSync(HOLDER, 'utf8'));
    holder.fullName = '山田 太郎';
    const file = join(tmp.dir, 'cjk.json');
    writeFileSync(file, JSON.stringify(holder));
    const r = await runCli(['issue', '--holder', file, '--key', DEMO_PRIVATE, '--card', join(tmp.dir, 'cjk.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fullName has characters the card font .* cannot print/);
    expect(r.stderr).not.toContain('山田');
  });
});

describe('examples/demo-card.pdf (committed)', () => {
  it('renders, and both its QR codes decode to a code that verifies VALID with the DEMO keys (at its issue time)', async () => {
    const pdf = join(tmp.dir, 'demo-card.pdf');
    writeFileSync(pdf, readFileSync(join(EXAMPLES, 'demo-card.pdf')));
    const texts = await qrTexts(new Uint8Array(readFileSync(renderGrey(pdf).png)));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]!.length).toBeLessThanOrEqual(1000);
    expect(texts[0]).toBe(readFileSync(join(EXAMPLES, 'demo-card.txt'), 'utf8').trim());
    const j = JSON.parse((await runCli(['inspect', '--json', texts[0]!])).stdout);
    const at = new Date((j.cwt.iat + 3600) * 1000).toISOString();
    const v = await runCli(['verify', '--keys', DEMO_KEYS, '--at', at, texts[0]!]);
    expect(v.code, v.stdout).toBe(0);
  });
});
