/**
 * What the organisation's records officer does with the central database (`proofdesk central …`): set it up, give
 * desks their roles, list and export checks across desks, see which follow-up checks fall due, make a check's
 * evidence PDF, purge by retention, publish trust data and find checks whose credential was revoked later.
 *
 * Every query reads the reporting views or the tables as the officer's role (or the owner); dates and times are
 * formatted by the server in UTC so no client time zone can shift a day.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome } from '../check/outcome.js';
import type { Revocation } from '../check/revocation.js';
import type { FoldedCheck, Likeness } from '../records/entries.js';
import { isoOf, verifyBundle, type TrustBundle } from '../trust/bundle.js';
import { TrustError } from '../trust/errors.js';
import { rootFromJwk, type RootKey } from '../trust/jwk.js';
import { issuerKeyRefs, STATUS_SUSPENDED, STATUS_VALID, verifyStatusListToken, type StatusListToken } from '../trust/status-list.js';
import { detectKind, importTrustBytes, initStore, type ImportResult } from '../trust/store.js';
import type { CentralPool } from './connect.js';
import { CentralError } from './errors.js';
import { migrate, type MigrateResult } from './migrate.js';

const DESK_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;
const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export function initDatabase(db: CentralPool): Promise<MigrateResult> {
  return db.transaction((client) => migrate(client));
}

/* ------------------------------------------------------------------ desks */

export interface DeskRow {
  deskId: string;
  role: string;
  addedAt: string;
  entries: number;
  lastReceivedAt: string | null;
}

/**
 * A SCRAM-SHA-256 verifier for a password (RFC 5802 / RFC 7677, as PostgreSQL stores it), so the password itself is
 * never sent to the server nor seen in its statement log. ASCII passwords only (no SASLprep needed).
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Give a desk id to a login role (made a member of proofdesk_desk, and created when absent — which needs CREATEROLE).
 * `password`: set it (as a SCRAM verifier); omitted, an existing role keeps its own and a new one gets none.
 */
export async function addDesk(db: CentralPool, deskId: string, role: string, password?: string): Promise<{ created: boolean }> {
  if (!DESK_ID.test(deskId))
    throw new CentralError('CONFIG_INVALID', `desk id must be 1-64 printable ASCII characters, got ${JSON.stringify(deskId)}`);
  if (!ROLE.test(role))
    throw new CentralError(
      'CONFIG_INVALID',
      `role names here are lower-case letters, digits and _ (at most 63), starting with a letter or _: got ${JSON.stringify(role)}`,
    );
  if (password !== undefined && !/^[\x21-\x7e]{8,200}$/.test(password)) {
    throw new CentralError('CONFIG_INVALID', 'the password must be 8-200 printable ASCII characters without spaces');
  }
  return db.transaction(async (client) => {
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
    const ident = `"${role}"`; // checked against ROLE above: no quoting needed beyond this
    if (!exists) await client.query(`CREATE ROLE ${ident} LOGIN`);
    if (password !== undefined) {
      await client.query(`ALTER ROLE ${ident} PASSWORD '${scramVerifier(password)}'`); // a verifier: base64 and $ : only
    }
    await client.query(`GRANT proofdesk_desk TO ${ident}`);
    await client.query(
      `INSERT INTO proofdesk.desks (desk_id, role_name) VALUES ($1, $2)
       ON CONFLICT (desk_id) DO UPDATE SET role_name = EXCLUDED.role_name`,
      [deskId, role],
    );
    return { created: !exists };
  });
}

export async function listDesks(db: CentralPool): Promise<DeskRow[]> {
  const rows = await db.query<{ desk_id: string; role_name: string; added_at: string; entries: string; last: string | null }>(
    `SELECT d.desk_id, d.role_name, to_char(d.added_at AT TIME ZONE 'UTC', ${ISO}) AS added_at, count(e.*) AS entries,
       to_char(max(e.received_at) AT TIME ZONE 'UTC', ${ISO}) AS last
     FROM proofdesk.desks d LEFT JOIN proofdesk.entries e ON e.desk_id = d.desk_id
     GROUP BY d.desk_id, d.role_name, d.added_at ORDER BY d.desk_id`,
  );
  return rows.map((r) => ({
    deskId: r.desk_id,
    role: r.role_name,
    addedAt: r.added_at,
    entries: Number(r.entries),
    lastReceivedAt: r.last,
  }));
}

/* ------------------------------------------------------------------ checks */

/** A check as the central views show it: the desk's record fields plus outcome and the likeness answers over time. */
export interface CentralCheck extends Omit<FoldedCheck, 'type' | 'seq' | 'credentialId' | 'demo'> {
  likenessHistory: string | null;
  credentialId: string | null;
  demo: boolean;
  hasPersonalCopy: boolean;
  receivedAt: string;
}

interface CheckRowSql {
  desk_id: string;
  check_id: string;
  at: string;
  purpose: FoldedCheck['purpose'];
  verdict: FoldedCheck['verdict'];
  outcome: Outcome;
  reason: FoldedCheck['reason'];
  kid: string | null;
  likeness: Likeness | null;
  likeness_history: string | null;
  follow_up_due: string | null;
  keep_until: string;
  credential_sha256: string;
  credential_id: string | null;
  status_list_uri: string | null;
  status_list_idx: string | null;
  demo: boolean;
  has_personal_copy: boolean;
  received_at: string;
  revocation: Revocation | null;
}

const CHECK_COLUMNS = `desk_id, check_id, to_char(checked_at AT TIME ZONE 'UTC', ${ISO}) AS at, purpose, verdict, outcome, reason, kid,
  likeness, likeness_history, follow_up_due::text AS follow_up_due, keep_until::text AS keep_until, credential_sha256, credential_id,
  status_list_uri, status_list_idx, demo, has_personal_copy, to_char(received_at AT TIME ZONE 'UTC', ${ISO}) AS received_at, revocation`;

function checkOf(r: CheckRowSql): CentralCheck {
  return {
    checkId: r.check_id,
    at: r.at,
    deskId: r.desk_id,
    purpose: r.purpose,
    verdict: r.verdict,
    reason: r.reason,
    kid: r.kid,
    credentialSha256: r.credential_sha256,
    followUpDate: r.follow_up_due,
    keepUntil: r.keep_until,
    ...(r.status_list_uri !== null && r.status_list_idx !== null
      ? { statusListUri: r.status_list_uri, statusListIdx: Number(r.status_list_idx) }
      : {}),
    ...(r.likeness !== null ? { likeness: r.likeness } : {}),
    ...(r.revocation !== null ? { revocation: r.revocation } : {}),
    outcome: r.outcome,
    likenessHistory: r.likeness_history,
    credentialId: r.credential_id,
    demo: r.demo,
    hasPersonalCopy: r.has_personal_copy,
    receivedAt: r.received_at,
  };
}

export interface CheckFilter {
  desk?: string;
  /** Epoch ms: checks at or after it. */
  since?: number;
}

export async function listChecks(db: CentralPool, f: CheckFilter = {}): Promise<CentralCheck[]> {
  const rows = await db.query<CheckRowSql>(
    `SELECT ${CHECK_COLUMNS} FROM public.proofdesk_checks
     WHERE ($1::text IS NULL OR desk_id = $1) AND ($2::timestamptz IS NULL OR checked_at >= $2)
     ORDER BY checked_at, desk_id, check_id`,
    [f.desk ?? null, f.since === undefined ? null : new Date(f.since).toISOString()],
  );
  return rows.map(checkOf);
}

/** Follow-up checks falling due by `until` (YYYY-MM-DD, inclusive), overdue ones first. Checks not accepted are left out. */
export async function dueChecks(db: CentralPool, until: string, f: Pick<CheckFilter, 'desk'> = {}): Promise<CentralCheck[]> {
  const rows = await db.query<CheckRowSql>(
    `SELECT ${CHECK_COLUMNS} FROM public.proofdesk_checks
     WHERE follow_up_due IS NOT NULL AND follow_up_due <= $1::date AND outcome NOT IN ('NOT_VALID', 'PHOTO_MISMATCH')
       AND ($2::text IS NULL OR desk_id = $2)
     ORDER BY follow_up_due, desk_id, checked_at`,
    [until, f.desk ?? null],
  );
  return rows.map(checkOf);
}

/** One check and its sealed personal copy (null when none shipped). AMBIGUOUS_CHECK when two desks have the id. */
export async function getCheck(db: CentralPool, checkId: string, desk?: string): Promise<{ check: CentralCheck; jwe: string | null }> {
  const rows = await db.query<CheckRowSql & { jwe: string | null }>(
    `SELECT c.*, p.jwe FROM (
       SELECT ${CHECK_COLUMNS} FROM public.proofdesk_checks WHERE check_id = $1 AND ($2::text IS NULL OR desk_id = $2)
     ) c LEFT JOIN proofdesk.personal_copies p ON p.desk_id = c.desk_id AND p.check_id = c.check_id`,
    [checkId, desk ?? null],
  );
  if (rows.length === 0)
    throw new CentralError('UNKNOWN_CHECK', `no check ${checkId}${desk ? ` from desk ${desk}` : ''} in the central database`);
  if (rows.length > 1)
    throw new CentralError(
      'AMBIGUOUS_CHECK',
      `check id ${checkId} was recorded by ${rows.length} desks (${rows.map((r) => r.desk_id).join(', ')}): name one with --desk`,
    );
  return { check: checkOf(rows[0]!), jwe: rows[0]!.jwe };
}

/**
 * Retention across desks: every check whose keep-until (the latest known centrally) is before `today`
 * (YYYY-MM-DD, UTC) goes, with all its entries and its sealed personal copy. Entries for a check that is not there
 * (follow-ups of a check purged earlier) go too.
 */
export async function purgeExpired(db: CentralPool, today: string): Promise<{ checks: number; entries: number; copies: number }> {
  return db.transaction(async (client) => {
    const r = await client.query<{ checks: string; entries: string; copies: string }>(
      `WITH expired AS (
         SELECT desk_id, check_id FROM public.proofdesk_checks WHERE keep_until < $1::date
       ), orphans AS (
         SELECT DISTINCT e.desk_id, e.check_id FROM proofdesk.entries e
         WHERE e.kind <> 'check' AND NOT EXISTS (
           SELECT 1 FROM proofdesk.entries c WHERE c.desk_id = e.desk_id AND c.check_id = e.check_id AND c.kind = 'check')
       ), doomed AS (SELECT * FROM expired UNION SELECT * FROM orphans),
       gone_copies AS (
         DELETE FROM proofdesk.personal_copies p USING doomed d WHERE p.desk_id = d.desk_id AND p.check_id = d.check_id RETURNING 1
       ), gone AS (
         DELETE FROM proofdesk.entries x USING doomed d WHERE x.desk_id = d.desk_id AND x.check_id = d.check_id RETURNING 1
       )
       SELECT (SELECT count(*) FROM expired) AS checks, (SELECT count(*) FROM gone) AS entries, (SELECT count(*) FROM gone_copies) AS copies`,
      [today],
    );
    const row = r.rows[0]!;
    return { checks: Number(row.checks), entries: Number(row.entries), copies: Number(row.copies) };
  });
}

/* ------------------------------------------------------------------ trust data */

interface TrustFileRow {
  id: string;
  kind: 'bundle' | 'status-list';
  uri: string | null;
  seq: string | null;
  body: Buffer;
}

async function storedRoot(db: CentralPool): Promise<unknown> {
  return (await db.query<{ trust_root: unknown }>('SELECT trust_root FROM proofdesk.organisation'))[0]?.trust_root ?? null;
}

/** The root publish and recheck verify against: the one given (remembered the first time), else the remembered one. */
async function trustRoot(db: CentralPool, given: unknown | undefined): Promise<RootKey> {
  const stored = await storedRoot(db);
  if (given === undefined) {
    if (stored === null)
      throw new CentralError(
        'NO_TRUST_ROOT',
        'the central database does not know the trust root yet: give --root ROOT.public.jwk (it is remembered)',
      );
    return rootFromJwk(stored, 'trust root remembered by the central database');
  }
  const root = await rootFromJwk(given, 'root key');
  if (stored === null) {
    await db.query('UPDATE proofdesk.organisation SET trust_root = $1', [JSON.stringify(root.jwk)]);
    return root;
  }
  const known = await rootFromJwk(stored, 'trust root remembered by the central database');
  if (known.thumbprint !== root.thumbprint) {
    throw new CentralError(
      'TRUST_REFUSED',
      `the central database remembers root ${known.thumbprint.slice(0, 12)}…, not ${root.thumbprint.slice(0, 12)}…: desks pin one root, and publishing under another would reach none of them`,
    );
  }
  return known;
}

/** Newest published bundle and newest list per URI, as stored. */
async function newestPublished(db: CentralPool): Promise<TrustFileRow[]> {
  return db.query<TrustFileRow>(
    `SELECT DISTINCT ON (kind, coalesce(uri, '')) id, kind, uri, seq, body FROM proofdesk.trust_files
     ORDER BY kind, coalesce(uri, ''), seq DESC NULLS LAST, issued_at DESC, id DESC`,
  );
}

export interface PublishResult extends ImportResult {
  id: number;
  alreadyPublished: boolean;
}

/**
 * Store a root-signed bundle or a status list for the desks, after the same checks `trust import` makes (root
 * signature, newer than what is published, issuer key in the newest published bundle): a file a desk would refuse is
 * refused here, with trust import's words, and nothing is stored.
 */
export async function publishTrustFile(
  db: CentralPool,
  bytes: Uint8Array,
  opts: { root?: unknown; now?: number } = {},
): Promise<PublishResult> {
  const kind = detectKind(bytes);
  if (kind === null)
    throw new CentralError('TRUST_REFUSED', 'not a trust bundle or status list (expected a one-line JWS or a status-list CWT)');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const root = await trustRoot(db, opts.root);
  const same = await db.query<{ id: string }>('SELECT id FROM proofdesk.trust_files WHERE sha256 = $1', [sha256]);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  // A scratch trust store: the newest published bundle (and list for the same URI), then this file — trust import's
  // own code decides.
  const scratch = mkdtempSync(join(tmpdir(), 'proofdesk-publish-'));
  let result: ImportResult;
  try {
    await initStore(scratch, root.jwk);
    const newest = await newestPublished(db);
    const bundle = newest.find((r) => r.kind === 'bundle');
    if (kind === 'status-list' && !bundle) {
      throw new CentralError(
        'TRUST_REFUSED',
        'no trust bundle is published yet: publish the root-signed bundle first (a status list is checked against its issuer keys)',
      );
    }
    if (bundle) await importTrustBytes(scratch, bundle.body, { now, expect: 'bundle' }).catch(() => {});
    if (same.length === 0) {
      if (kind === 'status-list') {
        for (const r of newest.filter((n) => n.kind === 'status-list'))
          await importTrustBytes(scratch, r.body, { now, expect: 'status-list' }).catch(() => {});
      }
      result = await importTrustBytes(scratch, bytes, { now, expect: kind });
    } else {
      result = { kind };
    }
  } catch (err) {
    if (err instanceof TrustError) throw new CentralError('TRUST_REFUSED', `${err.message} (${err.code}): not published`);
    throw err;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (same.length > 0) return { ...result, id: Number(same[0]!.id), alreadyPublished: true };
  const issuedAt = result.kind === 'bundle' ? await bundleIat(bytes, root, now) : result.iat!;
  const rows = await db.query<{ id: string }>(
    `INSERT INTO proofdesk.trust_files (kind, uri, seq, issued_at, sha256, body) VALUES ($1, $2, $3, to_timestamp($4), $5, $6) RETURNING id`,
    [result.kind, result.uri ?? null, result.seq ?? null, issuedAt, sha256, Buffer.from(bytes)],
  );
  return { ...result, id: Number(rows[0]!.id), alreadyPublished: false };
}

async function bundleIat(bytes: Uint8Array, root: RootKey, now: number): Promise<number> {
  return (await verifyBundle(bytes, root, { now, timeChecks: false })).iat;
}

export interface RecheckHit {
  status: 'REVOKED' | 'SUSPENDED';
  deskId: string;
  checkId: string;
  at: string;
  purpose: FoldedCheck['purpose'];
  verdict: FoldedCheck['verdict'];
  outcome: string;
  statusListUri: string;
  statusListIdx: number;
  /** When the list that says so was issued (ISO). */
  listIssuedAt: string;
}

/**
 * Checks whose credential the newest published status list marks revoked or suspended: what a desk that was offline,
 * or on an older list, could not know. Checks the desk already found NOT VALID need no action and are left out
 * unless `all`. Each published list is verified again here (root → newest bundle → list).
 */
export async function recheck(
  db: CentralPool,
  opts: { since?: number; root?: unknown; now?: number; all?: boolean } = {},
): Promise<{ hits: RecheckHit[]; lists: number; problems: string[] }> {
  const root = await trustRoot(db, opts.root);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const newest = await newestPublished(db);
  const bundleRow = newest.find((r) => r.kind === 'bundle');
  if (!bundleRow)
    throw new CentralError(
      'TRUST_REFUSED',
      'no trust bundle is published, so no status list can be verified: publish one first (proofdesk central publish)',
    );
  let bundle: TrustBundle;
  try {
    bundle = await verifyBundle(bundleRow.body, root, { now, timeChecks: false });
  } catch (err) {
    throw new CentralError(
      'TRUST_REFUSED',
      `the newest published bundle does not verify against the trust root: ${(err as Error).message}`,
    );
  }
  const keys = await issuerKeyRefs(bundle.keys);
  const hits: RecheckHit[] = [];
  const problems: string[] = [];
  let lists = 0;
  for (const row of newest.filter((r) => r.kind === 'status-list')) {
    let token: StatusListToken;
    try {
      token = await verifyStatusListToken(row.body, keys, { now, timeChecks: false });
    } catch (err) {
      problems.push(`published status list ${row.uri} (id ${row.id}) ignored: ${(err as Error).message}`);
      continue;
    }
    lists++;
    const flagged: number[] = [];
    for (let i = 0; i < token.list.size; i++) if (token.list.get(i) !== STATUS_VALID) flagged.push(i);
    if (flagged.length === 0) continue;
    const rows = await db.query<CheckRowSql>(
      `SELECT ${CHECK_COLUMNS} FROM public.proofdesk_checks
       WHERE status_list_uri = $1 AND status_list_idx = ANY($2::bigint[]) AND ($3::timestamptz IS NULL OR checked_at >= $3)
         AND ($4 OR verdict <> 'NOT VALID')
       ORDER BY checked_at, desk_id`,
      [token.uri, flagged, opts.since === undefined ? null : new Date(opts.since).toISOString(), opts.all === true],
    );
    for (const r of rows) {
      const idx = Number(r.status_list_idx);
      hits.push({
        status: token.list.get(idx) === STATUS_SUSPENDED ? 'SUSPENDED' : 'REVOKED',
        deskId: r.desk_id,
        checkId: r.check_id,
        at: r.at,
        purpose: r.purpose,
        verdict: r.verdict,
        outcome: r.outcome,
        statusListUri: token.uri,
        statusListIdx: idx,
        listIssuedAt: isoOf(token.iat),
      });
    }
  }
  hits.sort((a, b) => a.at.localeCompare(b.at) || a.deskId.localeCompare(b.deskId));
  return { hits, lists, problems };
}
