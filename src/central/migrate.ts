/**
 * The central schema as versioned migrations: sql/central/NNNN-name.sql, applied in order, each once, all in one
 * transaction under an advisory lock (two `central init` at once: one waits, then finds nothing to do). A
 * migration already applied is checked by hash: a changed file is refused, never re-run.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { PoolClient } from 'pg';
import { CentralError } from './errors.js';

const MIGRATIONS_DIR = new URL('../../sql/central/', import.meta.url);
/** pg_advisory_xact_lock key: "prfd" */
const LOCK_KEY = 0x70726664;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

function migrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8');
      return { version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql, sha256: createHash('sha256').update(sql).digest('hex') };
    });
}

export interface MigrateResult {
  applied: Array<{ version: number; name: string }>;
  version: number;
  orgId: string;
}

/** Run inside a transaction the caller opened (openPool's `transaction`). */
export async function migrate(client: PoolClient): Promise<MigrateResult> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
  await client.query('CREATE SCHEMA IF NOT EXISTS proofdesk');
  await client.query(`CREATE TABLE IF NOT EXISTS proofdesk.schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Map(
    (
      await client.query<{ version: number; name: string; sha256: string }>('SELECT version, name, sha256 FROM proofdesk.schema_migrations')
    ).rows.map((r) => [r.version, r]),
  );
  const ours = migrations();
  const newest = Math.max(...ours.map((m) => m.version));
  const beyond = [...done.keys()].filter((v) => v > newest);
  if (beyond.length > 0) {
    throw new CentralError(
      'SCHEMA_TOO_NEW',
      `the database has schema version ${Math.max(...beyond)}; this proofdesk knows up to ${newest}: use the newer proofdesk`,
    );
  }
  const applied: MigrateResult['applied'] = [];
  for (const m of ours) {
    const had = done.get(m.version);
    if (had) {
      if (had.sha256 !== m.sha256) {
        throw new CentralError(
          'MIGRATION_CHANGED',
          `migration ${m.version} (${had.name}) in the database differs from the one this proofdesk ships (${m.name}): refusing to guess`,
        );
      }
      continue;
    }
    await client.query(m.sql);
    await client.query('INSERT INTO proofdesk.schema_migrations (version, name, sha256) VALUES ($1, $2, $3)', [
      m.version,
      m.name,
      m.sha256,
    ]);
    applied.push({ version: m.version, name: m.name });
  }
  const org = await client.query<{ org_id: string }>('SELECT org_id FROM proofdesk.organisation');
  return { applied, version: newest, orgId: org.rows[0]!.org_id };
}
