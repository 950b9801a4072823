/**
 * `proofdesk issue`: the reference issuer. Holder file + optional photo + private key → a signed code as text
 * (stdout or .txt), or as a QR image (.png / .svg, error correction Q by default). Sizes go to stderr.
 */
import { Command, Option } from 'commander';
import type { CodePurpose, StatusListRef } from '../credential/types.js';
import { readFileBounded, MAX_PHOTO_FILE_BYTES } from '../issue/files.js';
import { readHolder } from '../issue/holder.js';
import { codeTimes, DEFAULT_VALID_DAYS, issueCredential, MAX_VALID_DAYS } from '../issue/issue.js';
import { readSigner } from '../issue/keys.js';
import { DEFAULT_PHOTO_BYTES, shrinkPhoto, type ShrunkPhoto } from '../issue/photo.js';
import { checkOutputPath, DEFAULT_ECC, qrInfo, writeCode, type EccLevel } from '../issue/qr.js';
import { action, parseIsoTime } from './input.js';
import { UsageError } from './usage-error.js';

export interface IssueOptions {
  holder: string;
  photo?: string;
  key: string;
  purpose: CodePurpose;
  validDays: string;
  statusIdx?: string;
  statusUri?: string;
  out?: string;
  at?: string;
  iss?: string;
  photoBytes: string;
  ecc: EccLevel;
}

export function register(program: Command): void {
  program
    .command('issue')
    .description('issue a signed status code for a holder (reference issuer)')
    .requiredOption('--holder <file>', 'holder file (JSON; see docs/holder-file.md)')
    .option('--photo <file>', 'face photo (JPEG, PNG, WebP or AVIF), made QR-sized')
    .requiredOption('--key <file>', 'issuer private key (PREFIX.private.jwk)')
    .addOption(new Option('--purpose <purpose>', 'what this code is for').choices(['work', 'rent', 'other', 'all']).default('all'))
    .option('--valid-days <n>', `days until this code expires (1–${MAX_VALID_DAYS}); never past the permission's validUntil`, String(DEFAULT_VALID_DAYS))
    .option('--status-idx <n>', 'index in the issuer\'s status list (with --status-uri)')
    .option('--status-uri <uri>', 'URI of the issuer\'s status list (with --status-idx)')
    .option('--out <file>', 'write FILE.txt, FILE.png or FILE.svg (default: the code text on stdout)')
    .option('--at <iso-time>', 'issue time (default now); for making test and demo codes')
    .option('--iss <issuer>', 'issuer name or URI for the CWT iss claim')
    .option('--photo-bytes <n>', 'photo size budget in bytes', String(DEFAULT_PHOTO_BYTES))
    .addOption(new Option('--ecc <level>', 'QR error correction level').choices(['L', 'M', 'Q', 'H']).default(DEFAULT_ECC))
    .action(action(issue));
}

function wholeNumber(value: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

function statusListOf(opts: IssueOptions): StatusListRef | undefined {
  if (opts.statusIdx === undefined && opts.statusUri === undefined) return undefined;
  if (opts.statusIdx === undefined || opts.statusUri === undefined) throw new UsageError('--status-idx and --status-uri go together');
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(opts.statusUri)) throw new UsageError(`--status-uri ${opts.statusUri} is not a URI`);
  return { idx: wholeNumber(opts.statusIdx, '--status-idx', 0, Number.MAX_SAFE_INTEGER), uri: opts.statusUri };
}

async function issue(opts: IssueOptions): Promise<void> {
  if (opts.out !== undefined) await checkOutputPath(opts.out); // refuse a bad name or folder before any work
  const validDays = wholeNumber(opts.validDays, '--valid-days', 1, MAX_VALID_DAYS);
  const photoBytes = wholeNumber(opts.photoBytes, '--photo-bytes', 100, 32768);
  const statusList = statusListOf(opts);
  const issuedAt = opts.at === undefined ? new Date() : parseIsoTime(opts.at);
  const holder = await readHolder(opts.holder);
  // Before any photo work: a permission already ended is refused; otherwise exp may be capped at its end.
  const times = codeTimes(issuedAt, validDays, holder.status?.validUntil);
  const signer = await readSigner(opts.key);
  let photo: ShrunkPhoto | undefined;
  if (opts.photo !== undefined) {
    photo = await shrinkPhoto(await readFileBounded(opts.photo, MAX_PHOTO_FILE_BYTES, 'photo'), photoBytes, `photo ${opts.photo}`);
    process.stderr.write(`photo: ${photo.width}x${photo.height} ${photo.encoding.toUpperCase()} quality ${photo.quality}, ${photo.data.length} bytes\n`);
  }
  const text = issueCredential({
    holder, signer, purpose: opts.purpose, validDays, issuedAt,
    ...(photo ? { photo } : {}), ...(statusList ? { statusList } : {}), ...(opts.iss !== undefined ? { iss: opts.iss } : {}),
  });
  const qr = qrInfo(text, opts.ecc);
  process.stderr.write(`code: ${text.length} Base45 characters, QR version ${qr.version} (${qr.modules}x${qr.modules} modules) at ECC ${qr.ecc}\n`);
  const expires = new Date(times.exp * 1000).toISOString().replace('.000Z', 'Z');
  process.stderr.write(`code expires ${expires}${times.capped ? ` (before --valid-days ${validDays}: a code never outlives the permission, status.validUntil)` : ''}\n`);
  if (opts.out === undefined) {
    process.stdout.write(`${text}\n`);
    return;
  }
  const kind = await writeCode(opts.out, text, opts.ecc);
  process.stderr.write(`wrote ${opts.out} (${kind})\n`);
}
