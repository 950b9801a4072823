/**
 * `proofdesk status-list …`, issuer side: a state file holds the list's bits (init / revoke / suspend /
 * reinstate), `build` signs the current list as a status-list token; verifier side: `import` (same as
 * `trust import`, but only status lists). Revocation is permanent; suspension can be lifted (reinstate).
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
import { TrustError } from '../trust/errors.js';
import { readFileCapped } from '../trust/files.js';
import { parseTrustJson } from '../trust/json.js';
import { writeFileAtomic } from '../storage/files.js';
import { signingKeyFromJwk } from '../trust/jwk.js';
import { MAX_LIST_STATE_FILE_BYTES, MAX_ROOT_FILE_BYTES, MAX_STATUS_LIST_BYTES } from '../trust/limits.js';
import { buildStatusListToken, StatusList, STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../trust/status-list.js';
import { importCommand, positiveInt, readJson, STORE_HELP } from './trust.js';
import { safeText } from '../text/safe.js';
import { UsageError } from './usage-error.js';

const STATE_TYPE = 'proofdesk-status-list-state';

/** The issuer's list state file (JSON). `lst` is the zlib-compressed list, base64url, exactly as it will be signed. */
interface ListStateFile {
  type: typeof STATE_TYPE;
  v: 1;
  uri: string;
  bits: 1 | 2;
  size: number;
  lst: string;
  /** Entries handed out by `allocate` (1 bit each, zlib, base64url): indexes are random, never reused. */
  allocated: string;
  updatedAt: number;
}

interface ListState {
  uri: string;
  list: StatusList;
  allocated: StatusList;
}

function readListState(path: string): ListState {
  const raw = readFileCapped(path, MAX_LIST_STATE_FILE_BYTES, 'list state');
  let f: Partial<ListStateFile>;
  try {
    f = parseTrustJson(raw.toString('utf8'), `list state ${path}`) as Partial<ListStateFile>;
  } catch (err) {
    throw new TrustError('LIST_STATE_INVALID', (err as Error).message);
  }
  if (f.type !== STATE_TYPE || f.v !== 1)
    throw new TrustError('LIST_STATE_INVALID', `${path} is not a status-list state file (make one with \`proofdesk status-list init\`)`);
  if (
    typeof f.uri !== 'string' ||
    (f.bits !== 1 && f.bits !== 2) ||
    !Number.isSafeInteger(f.size) ||
    typeof f.lst !== 'string' ||
    typeof f.allocated !== 'string'
  ) {
    throw new TrustError('LIST_STATE_INVALID', `list state ${path} is damaged`);
  }
  const list = StatusList.decompress(f.bits, Buffer.from(f.lst, 'base64url'));
  const allocated = StatusList.decompress(1, Buffer.from(f.allocated, 'base64url'));
  if (list.bytes.length !== Math.ceil((f.size! * f.bits) / 8) || allocated.bytes.length !== Math.ceil(f.size! / 8)) {
    throw new TrustError('LIST_STATE_INVALID', `list state ${path} is damaged (length does not match size ${f.size})`);
  }
  return { uri: f.uri, list: new StatusList(f.bits, list.bytes, f.size!), allocated: new StatusList(1, allocated.bytes, f.size!) };
}

function writeListState(path: string, s: ListState): void {
  const file: ListStateFile = {
    type: STATE_TYPE,
    v: 1,
    uri: s.uri,
    bits: s.list.bits,
    size: s.list.size,
    lst: Buffer.from(s.list.compress()).toString('base64url'),
    allocated: Buffer.from(s.allocated.compress()).toString('base64url'),
    updatedAt: Math.floor(Date.now() / 1000),
  };
  writeFileAtomic(path, `${JSON.stringify(file)}\n`);
}

function indexes(positional: string[], flagged: string[], size: number): number[] {
  const all = [...positional, ...flagged];
  if (all.length === 0) throw new UsageError('name at least one index (e.g. `revoke --list list.json 17 523`)');
  return all.map((v) => {
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`index ${JSON.stringify(v)} is not a whole number`);
    const idx = Number(v);
    if (idx >= size) throw new TrustError('INDEX_OUT_OF_RANGE', `index ${idx} is outside the list (0–${size - 1})`);
    return idx;
  });
}

type Change = 'revoke' | 'suspend' | 'reinstate';
const TARGET: Record<Change, number> = { revoke: STATUS_INVALID, suspend: STATUS_SUSPENDED, reinstate: STATUS_VALID };
const DONE: Record<Change, string> = { revoke: 'revoked', suspend: 'suspended', reinstate: 'reinstated' };

/** Applies a change to every index, or to none: all are checked before any is written. */
function change(path: string, kind: Change, positional: string[], flagged: string[]): void {
  const s = readListState(path);
  const idx = indexes(positional, flagged, s.list.size);
  for (const i of idx) {
    if (s.list.get(i) === STATUS_INVALID && kind !== 'revoke') {
      throw new TrustError('STATUS_CHANGE_NOT_ALLOWED', `index ${i} is revoked, and revocation is permanent: it cannot be ${DONE[kind]}`);
    }
  }
  for (const i of idx) s.list.set(i, TARGET[kind]);
  writeListState(path, s);
  process.stdout.write(
    `${DONE[kind]} ${idx.length} entr${idx.length === 1 ? 'y' : 'ies'} in ${safeText(s.uri)} (${path}); run \`proofdesk status-list build\` to sign and publish\n`,
  );
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  const sl = program.command('status-list').description('revocation lists (IETF Token Status List): issuer state, signing, import');
  const listOpt = () => new Option('--list <file>', 'the issuer list state file (JSON)').makeOptionMandatory();

  sl.command('init')
    .description('start a list: every entry VALID')
    .addOption(listOpt())
    .requiredOption('--uri <uri>', 'the list URI credentials carry in their status claim (issue --status-uri)')
    .requiredOption('--size <n>', 'number of entries (credentials) the list can hold')
    .addOption(new Option('--bits <n>', 'bits per entry (2 lets SUSPENDED fit)').choices(['1', '2']).default('2'))
    .option('--force', 'replace an existing state file')
    .action(async (opts: { list: string; uri: string; size: string; bits: string; force?: boolean }) => {
      if (existsSync(opts.list) && !opts.force) throw new UsageError(`${opts.list} already exists (use --force to start over)`);
      const size = positiveInt(opts.size, '--size');
      const bits = Number(opts.bits) as 1 | 2;
      if (size > (MAX_STATUS_LIST_BYTES * 8) / bits)
        throw new UsageError(`--size ${size} exceeds the limit of ${(MAX_STATUS_LIST_BYTES * 8) / bits} entries`);
      if (opts.uri.length === 0 || opts.uri.length > 2048) throw new UsageError('--uri must be 1–2048 characters');
      writeListState(opts.list, { uri: opts.uri, list: StatusList.empty(bits, size), allocated: StatusList.empty(1, size) });
      process.stdout.write(
        `new list ${safeText(opts.uri)}: ${size.toLocaleString('en-GB')} entries of ${bits} bit(s), all VALID (${opts.list})\n`,
      );
    });

  for (const kind of ['revoke', 'suspend', 'reinstate'] as const) {
    sl.command(kind)
      .description(
        kind === 'revoke'
          ? 'mark entries INVALID (permanent)'
          : kind === 'suspend'
            ? 'mark entries SUSPENDED'
            : 'lift a suspension (back to VALID)',
      )
      .addOption(listOpt())
      .argument('[idx...]', 'entry indexes')
      .option('--idx <n>', 'an entry index (repeatable)', collect, [] as string[])
      .action(async (positional: string[], opts: { list: string; idx: string[] }) => change(opts.list, kind, positional, opts.idx));
  }

  sl.command('allocate')
    .description('hand out an unused index at random (so an index reveals nothing about when a code was issued)')
    .addOption(listOpt())
    .action(async (opts: { list: string }) => {
      const s = readListState(opts.list);
      const size = s.allocated.size;
      let idx = -1;
      // Random probes first; a nearly full list falls back to a scan from a random start.
      for (let tries = 0; tries < 64 && idx < 0; tries++) {
        const i = randomInt(size);
        if (s.allocated.get(i) === 0) idx = i;
      }
      for (let n = 0, start = randomInt(size); idx < 0 && n < size; n++)
        if (s.allocated.get((start + n) % size) === 0) idx = (start + n) % size;
      if (idx < 0) throw new TrustError('INDEX_OUT_OF_RANGE', `list ${s.uri} is full (${size} entries): start a new list`);
      s.allocated.set(idx, 1);
      writeListState(opts.list, s);
      process.stdout.write(`${idx}\n`);
    });

  sl.command('build')
    .description('sign the current list: --out list.jws (JWS statuslist+jwt) or list.cwt (CWT)')
    .addOption(listOpt())
    .requiredOption('--key <file>', 'the issuer PRIVATE key (ISSUER.private.jwk); its public key must be in the trust bundle')
    .requiredOption('--out <file>', 'output file; .cwt gives the CWT form, anything else the JWS form')
    .addOption(new Option('--format <format>', 'override the form chosen by the file name').choices(['jwt', 'cwt']))
    .option('--ttl <seconds>', 'how long a verifier may cache it (the draft ttl claim)')
    .option('--expires-days <n>', 'hard expiry (exp) in days from now')
    .action(async (opts: { list: string; key: string; out: string; format?: 'jwt' | 'cwt'; ttl?: string; expiresDays?: string }) => {
      const s = readListState(opts.list);
      const signer = await signingKeyFromJwk(
        readJson(opts.key, MAX_ROOT_FILE_BYTES, 'issuer private key'),
        `issuer private key ${opts.key}`,
        'issuer',
      );
      const format = opts.format ?? (extname(opts.out).toLowerCase() === '.cwt' ? 'cwt' : 'jwt');
      const iat = Math.floor(Date.now() / 1000);
      const bytes = await buildStatusListToken({
        uri: s.uri,
        list: new StatusList(s.list.bits, s.list.bytes),
        signer,
        iat,
        format,
        ...(opts.ttl !== undefined ? { ttl: positiveInt(opts.ttl, '--ttl') } : {}),
        ...(opts.expiresDays !== undefined ? { exp: iat + positiveInt(opts.expiresDays, '--expires-days') * 86400 } : {}),
      });
      writeFileAtomic(opts.out, bytes);
      process.stdout.write(
        `wrote ${format === 'cwt' ? 'CWT' : 'JWS'} status list ${safeText(s.uri)} (${s.list.size.toLocaleString('en-GB')} entries, ${bytes.length} bytes) signed by ${safeText(signer.kid ?? signer.thumbprint)} to ${opts.out}\n`,
      );
    });

  sl.command('import')
    .description('verify and activate a status list (same as `trust import`, status lists only)')
    .argument('<file>')
    .option('--store <path>', STORE_HELP)
    .action((file: string, opts: { store?: string }) => importCommand(file, opts, 'status-list'));
}
