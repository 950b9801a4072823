/**
 * The evidence PDF, loaded on first use: pdf-lib, fontkit, sharp and qrcode cost the kiosk ~100 MB and
 * half a second at start-up, and only `records pdf` needs them.
 */
import type { FoldedCheck } from './entries.js';
import type { EvidencePdfOptions } from './evidence-pdf.js';
import type { PersonalCopy } from './personal-copy.js';

export type { EvidencePdfOptions } from './evidence-pdf.js';

export async function evidencePdf(check: FoldedCheck, copy: PersonalCopy, opts: EvidencePdfOptions = {}): Promise<Uint8Array> {
  const pdf = await import('./evidence-pdf.js');
  return pdf.evidencePdf(check, copy, opts);
}
