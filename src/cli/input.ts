/**
 * Where a command's code text comes from: a TEXT argument (the code itself, or a file holding it), `-` (stdin),
 * or `--image FILE` (a PNG/JPEG picture, even a photo of the printed card: image.ts, zxing-wasm, offline).
 * Also the one place that turns library errors about files into a UsageError (exit 2, one line).
 */
import { stat } from 'node:fs/promises';
import { readBoundedSync } from '../storage/bounded-read.js';
import { decodeQrBytes } from './image.js';
import { UsageError } from './usage-error.js';

/** A QR code holds at most QR_MAX_CHARS (src/scan/types.ts); input far beyond that is refused before it is looked at. */
const MAX_INPUT_BYTES = 1 << 20;
const MAX_IMAGE_BYTES = 32 << 20;

export interface CodeSourceOptions {
  image?: string;
}

/** Scanners and editors end lines with CR/LF; the code itself never has surrounding whitespace. */
function stripLineEnd(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/[\r\n\t ]+$/, '')
    .replace(/^[\r\n\t ]+/, '');
}

function readBounded(path: string, maxBytes: number, what: string): Buffer {
  return readBoundedSync(path, maxBytes, what, (r) => new UsageError(r.message));
}

async function readStdin(maxBytes = MAX_INPUT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > maxBytes) throw new UsageError(`standard input holds more than ${maxBytes} bytes; a QR code is far smaller`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** True when TEXT names a file to read rather than being the code: it exists, or it looks like a file name. */
async function namesFile(arg: string): Promise<boolean> {
  if (arg.length > 4096) return false;
  try {
    const info = await stat(arg);
    if (info.isFile()) return true;
    // A folder (or device) by mistake: say so, rather than check its name as a code.
    throw new UsageError(`${arg} is ${info.isDirectory() ? 'a folder' : 'not a regular file'}, not a code or a file holding one`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    /* not a file */
  }
  // Base45 has no lower-case letters, so "codes/x.txt" cannot be a code: say "cannot read", not "not a code".
  return /\.(txt|b45)$/i.test(arg) && /[a-z]/.test(arg);
}

/** Resolves TEXT | - | --image FILE to the code text (line ends trimmed). */
export async function readCodeText(arg: string | undefined, opts: CodeSourceOptions): Promise<string> {
  if (opts.image !== undefined && arg !== undefined) throw new UsageError('give the code as TEXT, - or --image FILE, not more than one');
  if (opts.image !== undefined) return decodeQrImage(opts.image);
  if (arg === undefined)
    throw new UsageError('no code given: pass TEXT (the code or a file holding it), - (read standard input) or --image FILE');
  if (arg === '-') return stripLineEnd(await readStdin());
  if (await namesFile(arg)) return stripLineEnd(readBounded(arg, MAX_INPUT_BYTES, 'code file').toString('utf8'));
  return stripLineEnd(arg);
}

/**
 * Decodes the QR code in a picture file: a clean PNG, or a photo of the printed card (image.ts tries a few prepared
 * versions). No code, codes with different texts, or an unreadable image → UsageError.
 */
export async function decodeQrImage(path: string): Promise<string> {
  const bytes = readBounded(path, MAX_IMAGE_BYTES, 'image');
  if (!looksLikeImage(bytes)) throw new UsageError(`image ${path} is not a PNG or JPEG picture`);
  return stripLineEnd(await decodeQrBytes(new Uint8Array(bytes), path));
}

/** PNG or JPEG by their magic bytes (zxing's image loader would also take BMP and GIF: accepted, not advertised). */
function looksLikeImage(bytes: Buffer): boolean {
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const other = bytes.subarray(0, 2).toString('latin1') === 'BM' || bytes.subarray(0, 4).toString('latin1') === 'GIF8';
  return png || jpeg || other;
}

/**
 * `--at` values: an ISO 8601 date (midnight UTC) or date-time with Z or an offset. A date-time without a zone is
 * refused: it would silently mean the machine's local time.
 */
export function parseIsoTime(value: string, option = '--at'): Date {
  const bad = (): never => {
    throw new UsageError(`${option} ${value} is not an ISO 8601 time (e.g. 2027-01-15 or 2027-01-15T09:30:00Z)`);
  };
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value) ?? bad();
  const [, y, mo, d, h, mi, s, zone] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) bad();
  if (h === undefined) return day;
  if (zone === undefined) throw new UsageError(`${option} ${value}: add a time zone (Z or an offset such as +01:00)`);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) bad();
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? bad() : date;
}
