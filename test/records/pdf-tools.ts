/** Reading a PDF back as a person or a phone would: poppler renders/extracts it, zxing decodes the QR. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);
const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
export const pdfToolsPresent = hasTool('pdftoppm') && hasTool('pdftotext');
/** Appended to the name of a test that needs poppler, so a skip says why in the report. */
export const pdfSkipNote = pdfToolsPresent ? '' : ' (SKIPPED: pdftoppm/pdftotext from poppler-utils not installed)';

/** With CI=true a missing poppler fails loudly; elsewhere the PDF tests skip with a visible reason. */
export function requirePdfTools(): void {
  if (pdfToolsPresent) return;
  if (process.env.CI === 'true') throw new Error('pdftoppm/pdftotext (poppler-utils) missing: the evidence PDF cannot be checked');
  console.warn('SKIPPED evidence PDF checks: pdftoppm/pdftotext (poppler-utils) not installed');
}

export async function prepareQrReader(): Promise<void> {
  await prepareZXingModule({
    overrides: { wasmBinary: fs.readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer },
    fireImmediately: true,
  });
}

/** Render every page at `dpi` with poppler and decode every QR code on them with zxing. */
export async function qrTextsOnPage(pdfFile: string, dpi = 150): Promise<string[]> {
  const prefix = `${pdfFile}.page`;
  const r = spawnSync('pdftoppm', ['-r', String(dpi), '-png', pdfFile, prefix]);
  expect(r.status, r.stderr.toString()).toBe(0);
  const dir = path.dirname(pdfFile);
  const pages = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.png'))
    .sort();
  expect(pages.length).toBeGreaterThan(0);
  const texts: string[] = [];
  for (const page of pages) {
    const results = await readBarcodes(new Uint8Array(fs.readFileSync(path.join(dir, page))), {
      formats: ['QRCode'],
      tryHarder: true,
      maxNumberOfSymbols: 4,
    });
    texts.push(...results.filter((res) => res.isValid).map((res) => res.text));
    fs.rmSync(path.join(dir, page));
  }
  return texts;
}

/** The PDF's text as pdftotext extracts it, whitespace folded. */
export function pdfText(pdfFile: string): string {
  const r = spawnSync('pdftotext', ['-layout', pdfFile, '-']);
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString().replace(/\s+/g, ' ');
}

/** Words (pdftotext -bbox) whose right end lies closer than `margin` points to the right edge of their page, or past it. */
export function wordsPastRightEdge(pdfFile: string, margin: number): string[] {
  const r = spawnSync('pdftotext', ['-bbox', pdfFile, '-']);
  expect(r.status, r.stderr.toString()).toBe(0);
  const past: string[] = [];
  for (const page of r.stdout.toString().split('<page ').slice(1)) {
    const width = Number(/width="([\d.]+)"/.exec(page)?.[1]);
    expect(width).toBeGreaterThan(0);
    for (const m of page.matchAll(/<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
      if (Number(m[1]) > width - margin) past.push(m[2]!);
    }
  }
  return past;
}
