/**
 * `proofdesk verify`: check one code against pinned issuer keys. Exit 0 VALID, 1 NOT VALID, 3 CHECK MANUALLY,
 * 2 usage or configuration error. Keys come only from src/trust/source.ts: never from the message, and never the
 * bundled DEMO keys unless the operator names them.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { DeskPurpose } from '../credential/types.js';
import { chooseTrust, describeTrust, openTrust, type TrustSource } from '../trust/source.js';
import { defaultStoreDir } from '../trust/store.js';
import { isoOf } from '../trust/bundle.js';
import { describeCheck, factsFromVerdict, nonAnswerOf, NON_ANSWER_TEXT, HEADLINE } from '../check/index.js';
import { normaliseCodeText } from '../credential/text.js';
import { toJson } from '../verify/json.js';
import type { TrustContext } from '../verify/options.js';
import type { Verdict, VerdictKind } from '../verify/verdict.js';
import { verify } from '../verify/verify.js';
import { checkRows, rows } from './describe.js';
import { parseIsoTime, readCodeText } from './input.js';
import { safeDeep, safeJson, safeText } from '../text/safe.js';
import { UsageError } from './usage-error.js';

export const EXIT_CODE: Record<VerdictKind, number> = { VALID: 0, 'NOT VALID': 1, 'CHECK MANUALLY': 3 };

export interface VerifyCliOptions {
  keys?: string;
  /** Trust store folder (default: the per-user store). */
  store?: string;
  at?: string;
  purpose?: DeskPurpose;
  json?: boolean;
  image?: string;
}

/** Kids of the bundled example keys start with this; such keys get a loud warning. */
export const DEMO_KID_PREFIX = 'DEMO';

/**
 * The keys (and revocation data) a verification uses, by the one rule of src/trust/source.ts: `--keys FILE` (only
 * those keys: revocation not checked), else `--store DIR`, else the per-user trust store once a bundle is imported
 * into it. With none of them this refuses ("no trusted keys"); the DEMO keys are never a fallback here.
 */
async function verifyTrust(opts: Pick<VerifyCliOptions, 'keys' | 'store'>): Promise<TrustSource> {
  const perUser = defaultStoreDir();
  const choice = chooseTrust({
    ...(opts.keys !== undefined ? { keysFile: opts.keys } : {}),
    ...(opts.store !== undefined ? { store: opts.store } : {}),
    perUserStore: perUser,
  });
  if (choice === null)
    throw new UsageError(
      `no trusted keys: pass --keys FILE (a JWKS or a public JWK of the issuer), or import a trust bundle (proofdesk trust import; store ${resolve(perUser)})`,
    );
  try {
    return await openTrust(choice);
  } catch (err) {
    if (choice.kind === 'store') throw new UsageError(`${describeTrust(choice)}: ${(err as Error).message}`);
    throw err;
  }
}

function withoutClockFloor(trust: TrustContext): TrustContext {
  const { clockFloor: _ignored, ...rest } = trust;
  return rest;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('verify a status code against pinned issuer keys (exit 0 VALID, 1 NOT VALID, 3 CHECK MANUALLY, 2 usage)')
    .argument('[text]', 'the code text, a file holding it, or - to read standard input')
    .option(
      '--keys <file>',
      'trusted issuer keys: a JWKS ({"keys": [...]}) or one public JWK (instead of the trust store; a private key is refused; revocation is then not checked)',
    )
    .option('--store <path>', `trust store folder whose active bundle is used without --keys (default ${defaultStoreDir()})`)
    .option('--at <iso-time>', 'check as of this time instead of now (e.g. 2027-01-15T09:30:00Z)')
    .addOption(new Option('--purpose <purpose>', 'the check this desk makes').choices(['work', 'rent', 'housing', 'other']))
    .option('--json', 'print one JSON document on stdout')
    .option('--image <file>', 'read the QR code from a PNG or JPEG picture')
    .action(run);
}

async function run(text: string | undefined, opts: VerifyCliOptions): Promise<void> {
  const now = opts.at === undefined ? undefined : parseIsoTime(opts.at).getTime();
  const resolved = await verifyTrust(opts);
  const code = await readCodeText(text, opts);
  const demo = resolved.keys.keys.filter((k) => k.kid?.toUpperCase().startsWith(DEMO_KID_PREFIX));
  if (demo.length > 0)
    process.stderr.write(
      `warning: ${resolved.choice.kind === 'keys' ? resolved.choice.file : resolved.describe} holds DEMO keys (${safeText(demo.map((k) => k.kid).join(', '))}): for trying proofdesk only, never for real checks\n`,
    );
  const verdict = verify(code, {
    keys: resolved.keys,
    ...(now !== undefined ? { now } : {}),
    ...(opts.purpose !== undefined ? { purpose: opts.purpose } : {}),
    // With --at the operator picks the time on purpose: the kiosk-clock check (clock floor) does not apply.
    ...(resolved.context !== undefined ? { trust: now === undefined ? resolved.context : withoutClockFloor(resolved.context) } : {}),
  });
  const revocation = revocationOf(verdict, resolved, opts.keys !== undefined);
  process.stdout.write(
    opts.json
      ? `${safeJson({ ...toJson(verdict), revocation }, 2)}\n`
      : humanVerdict(verdict, opts.purpose, code, now === undefined ? new Date() : new Date(now), revocation),
  );
  process.exitCode = EXIT_CODE[verdict.verdict];
}

/**
 * Whether this verification looked the code up in a status list (`revocation` in `verify --json`, the "Revocation"
 * row in its text). `--keys` gives keys only: a revoked code still verifies, so the output says it was not checked.
 */
export interface RevocationCheck {
  checked: boolean;
  /**
   * LIST_CHECKED: looked up in the issuer's list (status, listUri, listIssuedAt). Not checked: NO_STATUS_LISTS (keys
   * only, or a store holding no list), NO_LIST_FOR_CODE (no usable list of this code's issuer for its URI),
   * CODE_NAMES_NO_LIST (the code carries no status-list reference), NOT_REACHED (the signature did not verify).
   */
  reason: 'LIST_CHECKED' | 'NO_STATUS_LISTS' | 'NO_LIST_FOR_CODE' | 'CODE_NAMES_NO_LIST' | 'NOT_REACHED';
  status?: 'VALID' | 'INVALID' | 'SUSPENDED';
  listUri?: string;
  /** When the list consulted was issued (ISO 8601, UTC). */
  listIssuedAt?: string;
  message: string;
}

const LIST_ANSWER: Record<'VALID' | 'INVALID' | 'SUSPENDED', string> = { VALID: 'not revoked', INVALID: 'REVOKED', SUSPENDED: 'SUSPENDED' };

export function revocationOf(
  verdict: Verdict,
  resolved: Pick<TrustSource, 'keys' | 'context' | 'describe'>,
  keysOnly: boolean,
): RevocationCheck {
  if (verdict.verifiedBy === null)
    return { checked: false, reason: 'NOT_REACHED', message: 'not checked: the signature did not verify against a trusted key' };
  const statusOf = resolved.context?.statusOf;
  if (statusOf === undefined) {
    const why = keysOnly
      ? "--keys gives keys only, no status lists: a revoked code would still show VALID here. Verify against the trust store, with the issuer's status lists imported, to check revocation"
      : `${resolved.describe} holds no status list (proofdesk status-list import): a revoked code would still show VALID here`;
    return { checked: false, reason: 'NO_STATUS_LISTS', message: `NOT CHECKED: ${why}` };
  }
  const ref = verdict.statusList;
  if (ref === null)
    return {
      checked: false,
      reason: 'CODE_NAMES_NO_LIST',
      message: 'not applicable: this code names no status list, so its issuer cannot revoke it by list',
    };
  const key = resolved.keys.keys.find((k) => (k.kid ?? k.thumbprint) === verdict.verifiedBy);
  let entry: ReturnType<typeof statusOf>;
  try {
    entry = key === undefined ? undefined : statusOf(ref, key);
  } catch {
    entry = undefined;
  }
  if (entry === undefined) {
    return {
      checked: false,
      reason: 'NO_LIST_FOR_CODE',
      listUri: ref.uri,
      message: `NOT CHECKED: no usable status list of this code's issuer is held for ${ref.uri}`,
    };
  }
  const issued = isoOf(entry.listIssuedAt);
  return {
    checked: true,
    reason: 'LIST_CHECKED',
    status: entry.status,
    listUri: ref.uri,
    listIssuedAt: issued,
    message: `checked: ${LIST_ANSWER[entry.status]} (status list ${ref.uri}, issued ${issued})`,
  };
}

/**
 * The check in words: its one description (src/check/), as the desk would show it. A text that is not a code at
 * all, or a damaged scan, says so instead (the exit code stays 1: nothing was verified).
 */
export function humanVerdict(
  verdict: Verdict,
  purpose: DeskPurpose | undefined,
  text = '',
  now: Date = new Date(),
  revocation?: RevocationCheck,
): string {
  const v = safeDeep(verdict); // names and kids come from the code: nothing in them may drive the terminal
  const nonAnswer = nonAnswerOf(normaliseCodeText(text), v.reason);
  if (nonAnswer !== null) {
    const words = NON_ANSWER_TEXT[nonAnswer];
    const headline = nonAnswer === 'SCAN_AGAIN' ? HEADLINE.SCAN_AGAIN : HEADLINE.NOT_A_STATUS_CODE;
    return `${headline}: ${words.message}\n${rows([
      ['Reason', v.reason ?? undefined],
      ['Next step', words.nextStep],
    ])}`;
  }
  const d = describeCheck(factsFromVerdict(v, { purpose: purpose ?? 'other', checkedAt: now, likeness: 'ask', demo: false }));
  const entries = [...checkRows(d, v.identity, purpose !== undefined)];
  entries.push(['Reason', v.reason ?? undefined]);
  entries.push(['Next step', d.nextStep]);
  entries.push(['Signed by key', v.verifiedBy === null ? undefined : `${v.verifiedBy}${v.alg ? ` (${v.alg})` : ''}`]);
  entries.push(['Revocation', revocation === undefined ? undefined : safeText(revocation.message)]);
  return `${d.headline}: ${d.message}\n${rows(entries)}`;
}
