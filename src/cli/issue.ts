/**
 * `proofdesk issue`: the reference issuer. Holder file + optional photo + private key → a signed code as text
 * (stdout or .txt), as a QR image (.png / .svg, error correction Q by default), and/or as the holder's paper card
 * (`--card FILE.pdf`: an A4 page with an ID-1 card to cut out and fold). Sizes and warnings go to stderr.
 */
import { type Command, Option } from 'commander';
import type { CodePurpose, StatusListRef } from '../credential/types.js';
import { readFileBounded, MAX_PHOTO_FILE_BYTES } from '../issue/files.js';
import { readHolder } from '../issue/holder.js';
import { cardPdf, cardQrFit, CARD_ECC } from '../issue/card.js';
import { codeTimes, DEFAULT_CARD_VALID_DAYS, DEFAULT_VALID_DAYS, issueCredential, londonDate, MAX_VALID_DAYS } from '../issue/issue.js';
import { createPublicKey } from 'node:crypto';
import type { CredentialSigner } from '../credential/encode.js';
import { IssueError } from '../issue/errors.js';
import { readSigner, writeNewFile } from '../issue/keys.js';
import { thumbprintOf } from '../trust/jwk.js';
import { defaultStoreDir, readRoot, SYSTEM_STORE_DIR } from '../trust/store.js';
import { DEFAULT_PHOTO_BYTES, shrinkPhoto, type ShrunkPhoto } from '../issue/photo.js';
import { checkCardPath, checkOutputPath, DEFAULT_ECC, qrInfo, writeCode, type EccLevel } from '../issue/qr.js';
import { parseIsoTime } from './input.js';
import { UsageError } from './usage-error.js';
import { DEMO_KID_PREFIX } from './verify.js';

export interface IssueOptions {
  holder: string;
  photo?: string;
  key: string;
  purpose: CodePurpose;
  validDays?: string;
  statusIdx?: string;
  statusUri?: string;
  out?: string;
  card?: string;
  at?: string;
  iss?: string;
  photoBytes: string;
  ecc?: EccLevel;
}

export function register(program: Command): void {
  program
    .command('issue')
    .description('issue a signed status code for a holder (reference issuer)')
    .requiredOption('--holder <file>', 'holder file (JSON; see docs/holder-file.md)')
    .option('--photo <file>', 'face photo (JPEG, PNG, WebP or AVIF), made QR-sized')
    .requiredOption('--key <file>', 'issuer private key (PREFIX.private.jwk)')
    .addOption(new Option('--purpose <purpose>', 'what this code is for').choices(['work', 'rent', 'other', 'all']).default('all'))
    .option(
      '--valid-days <n>',
      `days until this code expires (1–${MAX_VALID_DAYS}; default ${DEFAULT_VALID_DAYS}, with --card ${DEFAULT_CARD_VALID_DAYS}); never past the permission's validUntil`,
    )
    .option('--status-idx <n>', "index in the issuer's status list (with --status-uri)")
    .option('--status-uri <uri>', "URI of the issuer's status list (with --status-idx)")
    .option('--out <file>', 'write FILE.txt, FILE.png or FILE.svg (default: the code text on stdout, unless --card)')
    .option('--card <file>', "write the holder's paper card: FILE.pdf, A4, an ID-1 card to cut out and fold, the code larger, a note")
    .option('--at <iso-time>', 'issue time (default now); for making test and demo codes')
    .option('--iss <issuer>', 'issuer name or URI for the CWT iss claim')
    .option('--photo-bytes <n>', 'photo size budget in bytes', String(DEFAULT_PHOTO_BYTES))
    .addOption(
      new Option('--ecc <level>', `QR error correction level (default ${DEFAULT_ECC}; on a card ${CARD_ECC})`).choices([
        'L',
        'M',
        'Q',
        'H',
      ]),
    )
    .action(issue);
}

/**
 * A signer whose public key is the root pinned in a trust store this machine can read (the per-user one, the
 * system one) is a root, whatever its file says: codes are signed by issuer keys only.
 */
async function refusePinnedRoot(signer: CredentialSigner, file: string): Promise<void> {
  const thumbprint = await thumbprintOf(
    createPublicKey(signer.key).export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y?: string },
  );
  for (const dir of new Set([defaultStoreDir(), SYSTEM_STORE_DIR])) {
    const root = await readRoot(dir).catch(() => null);
    if (root?.thumbprint === thumbprint) {
      throw new IssueError(
        'ROOT_KEY_AS_ISSUER',
        `key file ${file} is the root pinned in the trust store ${dir}: the root only signs trust bundles; sign codes with an issuer key`,
      );
    }
  }
}

function wholeNumber(value: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}`);
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
  if (opts.card !== undefined) await checkCardPath(opts.card);
  const card = opts.card !== undefined;
  const validDays = wholeNumber(
    opts.validDays ?? String(card ? DEFAULT_CARD_VALID_DAYS : DEFAULT_VALID_DAYS),
    '--valid-days',
    1,
    MAX_VALID_DAYS,
  );
  const photoBytes = wholeNumber(opts.photoBytes, '--photo-bytes', 100, 32768);
  const statusList = statusListOf(opts);
  const issuedAt = opts.at === undefined ? new Date() : parseIsoTime(opts.at);
  const holder = await readHolder(opts.holder);
  // Before any photo work: a permission already ended is refused; otherwise exp may be capped at its end.
  const times = codeTimes(issuedAt, validDays, holder.status?.validUntil, { endOfDay: card });
  const signer = await readSigner(opts.key);
  await refusePinnedRoot(signer, opts.key);
  let photo: ShrunkPhoto | undefined;
  if (opts.photo !== undefined) {
    photo = await shrinkPhoto(await readFileBounded(opts.photo, MAX_PHOTO_FILE_BYTES, 'photo'), photoBytes, `photo ${opts.photo}`);
    process.stderr.write(
      `photo: ${photo.width}x${photo.height} ${photo.encoding.toUpperCase()} quality ${photo.quality}, ${photo.data.length} bytes (${photo.codeBytes} in the code)\n`,
    );
  }
  const text = issueCredential({
    holder,
    signer,
    purpose: opts.purpose,
    validDays,
    issuedAt,
    endOfDay: card,
    ...(photo ? { photo } : {}),
    ...(statusList ? { statusList } : {}),
    ...(opts.iss !== undefined ? { iss: opts.iss } : {}),
  });
  // The line reports the QR the command writes: the --out image's, else the card's.
  const ecc = opts.ecc ?? (card && opts.out === undefined ? CARD_ECC : DEFAULT_ECC);
  const qr = qrInfo(text, ecc);
  process.stderr.write(
    `code: ${text.length} Base45 characters, QR version ${qr.version} (${qr.modules}x${qr.modules} modules) at ECC ${qr.ecc}\n`,
  );
  const expires = new Date(times.exp * 1000).toISOString().replace('.000Z', 'Z');
  process.stderr.write(
    `code expires ${expires}${times.capped ? ` (before --valid-days ${validDays}: a code never outlives the permission, status.validUntil)` : ''}\n`,
  );
  if (card) await writeCard(opts.card!, text, opts.ecc ?? CARD_ECC, signer.kid, statusList === undefined, times.exp, issuedAt);
  if (opts.out !== undefined) {
    const kind = await writeCode(opts.out, text, ecc);
    process.stderr.write(`wrote ${opts.out} (${kind})\n`);
  } else if (!card) process.stdout.write(`${text}\n`);
}

async function writeCard(
  path: string,
  text: string,
  ecc: EccLevel,
  kid: string | undefined,
  noStatusList: boolean,
  exp: number,
  issuedAt: Date,
): Promise<void> {
  const fit = cardQrFit(text, ecc); // refuses a code too long to scan reliably at the card's printed size
  const demo = kid?.toUpperCase().startsWith(DEMO_KID_PREFIX) ?? false;
  if (noStatusList) {
    process.stderr.write(
      `warning: the card has no status-list reference (--status-idx, --status-uri): the issuer cannot withdraw it before its code expires (${londonDate(exp - 1)})\n`,
    );
  }
  const pdf = await cardPdf(text, { ecc, demo, now: issuedAt });
  await writeNewFile(path, pdf, 0o644, true);
  process.stderr.write(
    `wrote ${path} (A4 card: QR version ${fit.version} at ECC ${ecc}, ${fit.sizeMm} mm, modules ${fit.moduleMm.toFixed(2)} mm${demo ? '; DEMO key: the card says DEMO' : ''})\n`,
  );
}
