/**
 * `proofdesk trust …`: pin the root (init), accept bundles and status lists (import), show what is in force
 * (status), and, issuer side, sign a bundle (build). Every refusal: exit 2, one line on stderr, store untouched.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildBundle, isoOf } from '../trust/bundle.js';
import { writeFileAtomic } from '../storage/files.js';
import { DEFAULT_MAX_STATUS_AGE_SECONDS, MAX_BUNDLE_FILE_BYTES, MAX_ROOT_FILE_BYTES } from '../trust/limits.js';
import { readFileCapped } from '../trust/files.js';
import { parseTrustJson } from '../trust/json.js';
import { defaultStoreDir, importTrustFile, initStore, readStore, type ImportKind } from '../trust/store.js';
import { summarize, type TrustSummary } from '../trust/state.js';
import { safeDeep, safeJson, safeText } from '../text/safe.js';
import { UsageError } from './usage-error.js';

export const STORE_HELP = `trust store folder (default ${defaultStoreDir()}; the system service uses /var/lib/proofdesk)`;

/** Reads a small JSON file (a JWK or JWKS) with a one-line error. */
export function readJson(path: string, maxBytes: number, what: string): unknown {
  return parseTrustJson(readFileCapped(path, maxBytes, what).toString('utf8'), `${what} ${path}`);
}

export function positiveInt(value: string, option: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1)
    throw new UsageError(`${option} must be a positive whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** --store, else the per-user default; always absolute, so messages name the real place. */
export function storeDir(opts: { store?: string }): string {
  return resolve(opts.store ?? defaultStoreDir());
}

/** Shared by `trust import` and `status-list import`. */
export async function importCommand(file: string, opts: { store?: string }, expect?: ImportKind): Promise<void> {
  const dir = storeDir(opts);
  const result = await importTrustFile(dir, file, { now: nowSeconds(), ...(expect ? { expect } : {}) });
  if (result.kind === 'bundle') {
    process.stdout.write(
      `imported trust bundle seq ${result.seq} (replacing ${result.previousSeq ? `seq ${result.previousSeq}` : 'none'}) into ${dir}\n`,
    );
  } else {
    process.stdout.write(
      `imported status list ${safeText(result.uri ?? '')} issued ${isoOf(result.iat!)} (${result.entries!.toLocaleString('en-GB')} entries) into ${dir}\n`,
    );
  }
}

export function register(program: Command): void {
  const trust = program
    .command('trust')
    .description('trusted issuer keys: pin the root, import signed bundles and status lists, show status');

  trust
    .command('init')
    .description('pin the root public key on a fresh install (refuses to replace one without --force)')
    .requiredOption('--root <file>', 'the root PUBLIC key (ROOT.public.jwk); a private key or an issuer key is refused')
    .option('--force', 'replace an existing root (drops the active bundle and status lists)')
    .option('--store <path>', STORE_HELP)
    .action(async (opts: { root: string; force?: boolean; store?: string }) => {
      const dir = storeDir(opts);
      const root = await initStore(dir, readJson(opts.root, MAX_ROOT_FILE_BYTES, 'root key'), {
        force: opts.force === true,
        where: `root key ${opts.root}`,
      });
      process.stdout.write(`pinned root ${root.alg} ${root.thumbprint} in ${dir}\n`);
    });

  trust
    .command('import')
    .description('verify and activate a trust bundle (.jws) or a status list (.jws / .cwt)')
    .argument('<file>')
    .option('--store <path>', STORE_HELP)
    .action((file: string, opts: { store?: string }) => importCommand(file, opts));

  trust
    .command('status')
    .description('show the pinned root, the active bundle and its keys, status lists and the clock check')
    .option('--json', 'print one JSON document')
    .option('--max-status-age-days <n>', 'the desk staleness limit for status lists', String(DEFAULT_MAX_STATUS_AGE_SECONDS / 86400))
    .option('--store <path>', STORE_HELP)
    .action(async (opts: { json?: boolean; store?: string; maxStatusAgeDays: string }) => {
      const dir = storeDir(opts);
      const maxStatusAgeSeconds = positiveInt(opts.maxStatusAgeDays, '--max-status-age-days') * 86400;
      const snap = await readStore(dir, { now: nowSeconds() });
      const summary = await summarize(snap, { maxStatusAgeSeconds });
      process.stdout.write(opts.json ? `${safeJson(summary, 2)}\n` : humanStatus(summary));
    });

  trust
    .command('build')
    .description('issuer side: sign the issuer keys into a trust bundle with the root private key')
    .requiredOption('--root <file>', 'the root PRIVATE key (root.private.jwk)')
    .requiredOption(
      '--keys <file>',
      'issuer public keys: a JWKS ({"keys": [...]}) or one public JWK; each may carry notBefore / notAfter (NumericDate) and purposes',
    )
    .requiredOption('--seq <n>', 'sequence number, higher than every bundle before it')
    .option('--expires-days <n>', 'suggested expiry of the bundle, in days from now')
    .requiredOption('--out <file>', 'where to write the one-line bundle (.jws)')
    .action(async (opts: { root: string; keys: string; seq: string; expiresDays?: string; out: string }) => {
      const seq = positiveInt(opts.seq, '--seq');
      const iat = nowSeconds();
      const exp = opts.expiresDays === undefined ? undefined : iat + positiveInt(opts.expiresDays, '--expires-days') * 86400;
      const text = await buildBundle({
        rootPrivateJwk: readJson(opts.root, MAX_ROOT_FILE_BYTES, 'root private key'),
        issuers: readJson(opts.keys, MAX_BUNDLE_FILE_BYTES, 'issuer keys'),
        rootWhere: `root private key ${opts.root}`,
        issuersWhere: `issuer keys ${opts.keys}`,
        seq,
        iat,
        ...(exp !== undefined ? { exp } : {}),
      });
      writeFileAtomic(opts.out, `${text}\n`);
      process.stdout.write(`wrote trust bundle seq ${seq} (${text.length} bytes) to ${opts.out}\n`);
    });
}

function ago(seconds: number): string {
  const s = Math.abs(seconds);
  const text = s < 3600 ? `${Math.floor(s / 60)} min` : s < 2 * 86400 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86400)} days`;
  return seconds >= 0 ? `${text} ago` : `${text} in the future`;
}

export function humanStatus(summary: TrustSummary): string {
  const s = safeDeep(summary); // kids, URIs and problems come from files
  const out: string[] = [`store:      ${s.store}`];
  out.push(
    s.root
      ? `root:       ${s.root.alg} ${s.root.thumbprint} (pinned)`
      : 'root:       none pinned — run `proofdesk trust init --root ROOT.public.jwk`',
  );
  if (s.active) {
    const a = s.active;
    const exp = a.expiresAt === null ? 'no suggested expiry' : `${a.expired ? 'EXPIRED' : 'expires'} ${isoOf(a.expiresAt)}`;
    out.push(`bundle:     seq ${a.seq}, issued ${isoOf(a.issuedAt)} (${ago(a.ageSeconds)}), ${exp}`);
    out.push(`keys:       ${a.keys.length}`);
    for (const k of a.keys) {
      const from = k.notBefore === null ? '(open)' : isoOf(k.notBefore);
      const to = k.notAfter === null ? '(open)' : isoOf(k.notAfter);
      out.push(
        `  ${k.kid ?? k.thumbprint}  ${k.alg}  window ${from} → ${to}  purposes ${k.purposes?.join(',') ?? 'any'}  status lists ${k.statusLists?.join(' ') ?? '(its own codes only)'}`,
      );
    }
  } else {
    out.push('bundle:     none active — `proofdesk verify` needs --keys until a bundle is imported');
  }
  const r = s.revocation;
  if (r.mode === 'off') out.push('revocation: off (no status list imported): revoked codes cannot be detected');
  else {
    out.push(`revocation: on, ${r.lists.length} list(s), stale after ${Math.round(r.maxAgeSeconds / 86400)} days`);
    for (const l of r.lists) {
      const flags = [
        l.expired
          ? ` EXPIRED at ${isoOf(l.expiresAt!)} — STALE: would-be VALID codes are CHECK MANUALLY`
          : l.stale
            ? ` STALE (older than ${Math.round(r.maxAgeSeconds / 86400)} days): would-be VALID codes are CHECK MANUALLY`
            : '',
        l.refreshDue ? ` refresh due (the issuer's ttl of ${ago(l.ttl!).replace(' ago', '')} has passed)` : '',
        l.fromFuture ? ' FROM THE FUTURE (issued after this clock): check the clock' : '',
      ].join('');
      out.push(
        `  ${l.uri}  issued ${isoOf(l.issuedAt)} (${ago(l.ageSeconds)})${flags}  ${l.entries.toLocaleString('en-GB')} entries, ${l.revoked} revoked, ${l.suspended} suspended  [${l.format}, key ${l.signer}]`,
      );
    }
  }
  for (const uri of r.unavailable)
    out.push(
      `  ${uri}  UNAVAILABLE: accepted before, but no usable copy is in the store — its codes are CHECK MANUALLY until a current list is imported`,
    );
  const c = s.clock;
  if (c.floor === null) out.push('clock:      not checked (no bundle accepted yet)');
  else if (c.suspect)
    out.push(
      `clock:      SUSPECT — this clock (${isoOf(c.now)}) is ${ago(c.behindSeconds).replace(' ago', '')} behind the newest bundle or status list (${isoOf(c.floor)}): verdicts are CHECK MANUALLY until it is fixed`,
    );
  else out.push(`clock:      ok (not before the newest bundle or status list, ${isoOf(c.floor)})`);
  for (const p of s.rollbacks) out.push(`ROLLBACK:   ${p} — verify and the kiosk refuse this store until it is fixed`);
  for (const p of s.problems) out.push(`problem:    ${p}`);
  return `${out.join('\n')}\n`;
}
