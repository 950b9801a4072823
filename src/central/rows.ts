/**
 * A record log line as a central row: the fields an audit needs, none that names a person (docs/central.md, "What
 * is stored centrally"). One function per direction so the mapping is read in one place: `rowOf` (desk → table) and
 * the batch insert that ships many rows in one statement.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { LogEntry } from '../records/entries.js';

export interface EntryRow {
  check_id: string;
  entry_seq: number | null;
  kind: LogEntry['type'];
  at: string;
  line_sha256: string;
  purpose: string | null;
  verdict: string | null;
  outcome: string | null;
  reason: string | null;
  kid: string | null;
  credential_sha256: string | null;
  credential_id: string | null;
  follow_up_due: string | null;
  status_list_uri: string | null;
  status_list_idx: number | null;
  demo: boolean | null;
  keep_until: string | null;
  likeness: string | null;
  /** Whether the check looked the code up in a status list (schema version 2; null: nothing to say, or not a check). */
  revocation: string | null;
}

/** An optional field other stages add to log lines (outcome, demo, credentialId): taken when it has the right type. */
function optionalText(entry: LogEntry, field: string, max: number): string | null {
  const v = (entry as unknown as Record<string, unknown>)[field];
  return typeof v === 'string' && v.length <= max ? v : null;
}

function lineSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function rowOf(entry: LogEntry, lineText: string): EntryRow {
  const row: EntryRow = {
    check_id: entry.checkId,
    entry_seq: entry.seq ?? null,
    kind: entry.type,
    at: entry.at,
    line_sha256: lineSha256(lineText),
    purpose: null,
    verdict: null,
    outcome: optionalText(entry, 'outcome', 64),
    reason: null,
    kid: null,
    credential_sha256: null,
    credential_id: null,
    follow_up_due: null,
    status_list_uri: null,
    status_list_idx: null,
    demo: null,
    keep_until: null,
    likeness: null,
    revocation: null,
  };
  if (entry.type === 'check') {
    row.purpose = entry.purpose;
    row.verdict = entry.verdict;
    row.reason = entry.reason;
    row.kid = entry.kid;
    row.credential_sha256 = entry.credentialSha256;
    row.credential_id = optionalText(entry, 'credentialId', 256);
    row.follow_up_due = entry.followUpDate;
    row.keep_until = entry.keepUntil;
    if (entry.statusListUri !== undefined && entry.statusListIdx !== undefined) {
      row.status_list_uri = entry.statusListUri;
      row.status_list_idx = entry.statusListIdx;
    }
    const demo = (entry as unknown as Record<string, unknown>).demo;
    row.demo = demo === true ? true : null;
    row.revocation = entry.revocation === 'checked' || entry.revocation === 'not-checked' ? entry.revocation : null;
  } else if (entry.type === 'likeness') {
    row.likeness = entry.likeness;
  } else {
    row.keep_until = entry.until;
  }
  return row;
}

/** Column, its SQL type, and the schema version (sql/central/NNNN-….sql) that added it when later than 1. */
const COLUMNS: Array<[keyof EntryRow, string, number?]> = [
  ['check_id', 'text'],
  ['entry_seq', 'bigint'],
  ['kind', 'text'],
  ['at', 'timestamptz'],
  ['line_sha256', 'text'],
  ['purpose', 'text'],
  ['verdict', 'text'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['kid', 'text'],
  ['credential_sha256', 'text'],
  ['credential_id', 'text'],
  ['follow_up_due', 'date'],
  ['status_list_uri', 'text'],
  ['status_list_idx', 'bigint'],
  ['demo', 'boolean'],
  ['keep_until', 'date'],
  ['likeness', 'text'],
  ['revocation', 'text', 2],
];

/**
 * One statement for a whole batch (unnest of one array per column). An entry already there — shipped before a
 * crash, a lost answer, a restart — is left as it is (ON CONFLICT DO NOTHING needs no right to read or update).
 * `schemaVersion`: the database's (a desk upgraded before the server was leaves out the columns it lacks, and keeps
 * shipping; `central init` adds them). Returns how many rows were new.
 */
export async function insertEntries(
  client: PoolClient,
  deskId: string,
  rows: readonly EntryRow[],
  schemaVersion = Number.POSITIVE_INFINITY,
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = COLUMNS.filter(([, , since = 1]) => since <= schemaVersion);
  const params: unknown[] = [deskId, ...columns.map(([col]) => rows.map((r) => r[col]))];
  const sql = `INSERT INTO proofdesk.entries (desk_id, ${columns.map(([c]) => c).join(', ')})
    SELECT $1, * FROM unnest(${columns.map(([, t], i) => `$${i + 2}::${t}[]`).join(', ')})
    ON CONFLICT DO NOTHING`;
  return (await client.query(sql, params)).rowCount ?? 0;
}

export interface CopyRow {
  check_id: string;
  jwe: string;
  key_id: string;
}

export async function insertCopies(client: PoolClient, deskId: string, rows: readonly CopyRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await client.query(
    `INSERT INTO proofdesk.personal_copies (desk_id, check_id, jwe, key_id)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [deskId, rows.map((r) => r.check_id), rows.map((r) => r.jwe), rows.map((r) => r.key_id)],
  );
  return res.rowCount ?? 0;
}
