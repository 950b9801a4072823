/**
 * QR output for issued codes. Base45 uses exactly the QR alphanumeric alphabet, so the whole code is one
 * alphanumeric segment (5.5 bits a character). Error correction Q by default: codes get printed, folded and copied.
 */
import { extname } from 'node:path';
import QRCode from 'qrcode';
import { IssueError } from './errors.js';
import { writeNewFile } from './keys.js';

export type EccLevel = 'L' | 'M' | 'Q' | 'H';
export const DEFAULT_ECC: EccLevel = 'Q';
export type OutputKind = 'txt' | 'png' | 'svg';

export interface QrInfo {
  version: number;
  ecc: EccLevel;
  /** Modules per side, without the quiet zone. */
  modules: number;
}

export function qrInfo(text: string, ecc: EccLevel = DEFAULT_ECC): QrInfo {
  const qr = QRCode.create(text, { errorCorrectionLevel: ecc });
  return { version: qr.version, ecc, modules: qr.modules.size };
}

export function outputKind(path: string): OutputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.txt') return 'txt';
  if (ext === '.png') return 'png';
  if (ext === '.svg') return 'svg';
  throw new IssueError('OUTPUT_UNSUPPORTED', `--out ${path}: the file name must end in .txt, .png or .svg`);
}

export async function qrPng(text: string, ecc: EccLevel = DEFAULT_ECC): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: ecc, margin: 4, scale: 4 });
}

export async function qrSvg(text: string, ecc: EccLevel = DEFAULT_ECC): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ecc, margin: 4 });
}

/** Writes the code as text (one line), PNG or SVG according to the file name; replaces an existing file. */
export async function writeCode(path: string, text: string, ecc: EccLevel = DEFAULT_ECC): Promise<OutputKind> {
  const kind = outputKind(path);
  let body: string | Buffer;
  try {
    body = kind === 'txt' ? `${text}\n` : kind === 'png' ? await qrPng(text, ecc) : await qrSvg(text, ecc);
  } catch (err) {
    throw new IssueError('OUTPUT_FAILED', `cannot make a QR code for ${path} (${err instanceof Error ? err.message.split('\n')[0] : 'error'})`);
  }
  await writeNewFile(path, body, 0o644, true);
  return kind;
}
