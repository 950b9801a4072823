/**
 * QR output for issued codes. Base45 uses exactly the QR alphanumeric alphabet, so the whole code is one
 * alphanumeric segment (5.5 bits a character). Error correction Q by default: codes get printed, folded and copied.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
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

/** The QR symbol `text` needs at `ecc`; CODE_TOO_LONG when no QR version (up to 40) holds it. */
export function qrInfo(text: string, ecc: EccLevel = DEFAULT_ECC): QrInfo {
  let qr: ReturnType<typeof QRCode.create>;
  try {
    qr = QRCode.create(text, { errorCorrectionLevel: ecc });
  } catch {
    throw new IssueError(
      'CODE_TOO_LONG',
      `the code is ${text.length} characters: too long for a QR code at ECC ${ecc}; use a smaller --photo-bytes or a lower --ecc`,
    );
  }
  return { version: qr.version, ecc, modules: qr.modules.size };
}

function outputKind(path: string): OutputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.txt') return 'txt';
  if (ext === '.png') return 'png';
  if (ext === '.svg') return 'svg';
  throw new IssueError('OUTPUT_UNSUPPORTED', `--out ${path}: the file name must end in .txt, .png or .svg`);
}

/**
 * Checks `--out` before any work (so a typo does not cost a photo shrink and leave progress lines before the error):
 * a supported name, in a folder that exists and is writable, and not itself a folder.
 */
export async function checkOutputPath(path: string): Promise<OutputKind> {
  const kind = outputKind(path);
  await checkWritable(path);
  return kind;
}

/** The same checks for `--card FILE.pdf`. */
export async function checkCardPath(path: string): Promise<void> {
  if (extname(path).toLowerCase() !== '.pdf') throw new IssueError('OUTPUT_UNSUPPORTED', `--card ${path}: the file name must end in .pdf`);
  await checkWritable(path);
}

async function checkWritable(path: string): Promise<void> {
  const dir = dirname(resolve(path));
  const fail = (why: string): never => {
    throw new IssueError('OUTPUT_FAILED', `cannot write ${path}: ${why}`);
  };
  try {
    if (!(await stat(dir)).isDirectory()) fail(`${dir} is not a folder`);
    await access(dir, constants.W_OK);
  } catch (err) {
    if (err instanceof IssueError) throw err;
    fail(`folder ${dir} ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not writable'}`);
  }
  try {
    if ((await stat(path)).isDirectory()) fail('it is a folder');
  } catch (err) {
    if (err instanceof IssueError) throw err; // otherwise: does not exist yet, fine
  }
}

export async function qrPng(text: string, ecc: EccLevel = DEFAULT_ECC): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: ecc, margin: 4, scale: 4 });
}

async function qrSvg(text: string, ecc: EccLevel = DEFAULT_ECC): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ecc, margin: 4 });
}

/** Writes the code as text (one line), PNG or SVG according to the file name; replaces an existing file. */
export async function writeCode(path: string, text: string, ecc: EccLevel = DEFAULT_ECC): Promise<OutputKind> {
  const kind = outputKind(path);
  let body: string | Buffer;
  try {
    body = kind === 'txt' ? `${text}\n` : kind === 'png' ? await qrPng(text, ecc) : await qrSvg(text, ecc);
  } catch (err) {
    throw new IssueError(
      'OUTPUT_FAILED',
      `cannot make a QR code for ${path} (${err instanceof Error ? err.message.split('\n')[0] : 'error'})`,
    );
  }
  await writeNewFile(path, body, 0o644, true);
  return kind;
}
