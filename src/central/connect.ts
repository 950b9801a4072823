/**
 * Reaching the central PostgreSQL server with `pg` (node-postgres), loaded on first use: only a desk with
 * `records.central` and the `central` commands pay for it.
 *
 * Where the connection comes from, as libpq users expect: a `postgres://` / `postgresql://` URL, else (and for
 * whatever the URL leaves out) libpq's PG* environment (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGPASSFILE,
 * PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY), and a password file holding the password alone. TLS follows
 * libpq's `sslmode` words (disable, require, verify-ca, verify-full) from the settings, the URL or PGSSLMODE; with
 * none given, a server on this machine (a socket or loopback) is reached in plain text and any other with
 * verify-full. proofdesk never falls back from TLS to plain text, so `prefer` and `allow` are refused.
 */
import * as fs from 'node:fs';
import type { ClientConfig, Pool, PoolClient } from 'pg';
import { CentralError } from './errors.js';

import { TLS_MODES, type TlsMode } from './settings.js';

export { TLS_MODES, type TlsMode } from './settings.js';

export interface ConnectionSettings {
  /** `postgres://` or `postgresql://`; libpq URL parameters sslmode, sslrootcert, sslcert, sslkey are honoured. */
  url?: string;
  /** A file holding only the password (a trailing newline is ignored); must not be readable by others. */
  passwordFile?: string;
  tls?: { mode?: TlsMode; ca?: string; cert?: string; key?: string };
}

export interface PoolOptions {
  /** Connections at most (a desk uses 1). */
  max: number;
  /** Shown in pg_stat_activity: which desk or tool this is. */
  applicationName: string;
  connectTimeoutMs?: number;
  /** Client-side limit on one query, so a network that silently drops packets cannot hang the shipper. */
  queryTimeoutMs?: number;
  /** A connection unused this long is closed (0 = kept). */
  idleTimeoutMs?: number;
}

/** Where a connection goes, for messages: role@host:port/database, never a password. */
export interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
  describe: string;
}

const URL_TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'] as const;
const NO_HOST = 'no-host.invalid';

interface Resolved {
  config: ClientConfig;
  target: Target;
}

function isLocalHost(host: string): boolean {
  return host.startsWith('/') || host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A secret file (password, TLS key): readable, and by this user only, as ssh insists for its keys. */
function readSecretFile(file: string, what: string): string {
  let st: fs.Stats;
  let text: string;
  try {
    st = fs.statSync(file);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CentralError(
      'CONFIG_INVALID',
      `cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new CentralError(
      'INSECURE_PERMISSIONS',
      `the ${what} ${file} can be read by other users (mode ${(st.mode & 0o777).toString(8)}): chmod 600 ${file}`,
    );
  }
  return text;
}

function readPublicFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CentralError(
      'CONFIG_INVALID',
      `cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** Turn settings + environment into a pg config. Throws CONFIG_INVALID / INSECURE_PERMISSIONS with the reason. */
export function resolveConnection(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env): Resolved {
  const config: ClientConfig = {};
  const urlTls: { mode?: string; ca?: string; cert?: string; key?: string } = {};
  let urlHost = '';
  let urlPort = '';
  let urlDb = '';
  let urlUser = '';
  if (settings.url !== undefined) {
    let u: URL;
    // libpq allows ROLE@ with no host (then ?host= names a socket folder); WHATWG URL does not: parse with a
    // stand-in host and put the empty host back.
    const noHost = /^[a-z]+:\/\/[^/@]*@\//i.test(settings.url);
    try {
      u = new URL(noHost ? settings.url.replace('@/', `@${NO_HOST}/`) : settings.url);
    } catch {
      throw new CentralError('CONFIG_INVALID', 'the central database URL is not a URL (expected postgres://ROLE@HOST:PORT/DATABASE)');
    }
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
      throw new CentralError(
        'CONFIG_INVALID',
        `the central database URL must start with postgres:// or postgresql://, not ${u.protocol}//`,
      );
    }
    if (u.searchParams.has('ssl'))
      throw new CentralError(
        'CONFIG_INVALID',
        'the URL parameter "ssl" is not used here: say sslmode=require or sslmode=verify-full (or set records.central.tls)',
      );
    urlTls.mode = u.searchParams.get('sslmode') ?? undefined;
    urlTls.ca = u.searchParams.get('sslrootcert') ?? undefined;
    urlTls.cert = u.searchParams.get('sslcert') ?? undefined;
    urlTls.key = u.searchParams.get('sslkey') ?? undefined;
    for (const p of URL_TLS_PARAMS) u.searchParams.delete(p);
    urlHost = u.searchParams.get('host') ?? (noHost ? '' : decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1'));
    urlPort = u.searchParams.get('port') ?? u.port;
    urlDb = decodeURIComponent(u.pathname.replace(/^\//, ''));
    urlUser = decodeURIComponent(u.username);
    config.connectionString = noHost ? u.toString().replace(`@${NO_HOST}/`, '@/') : u.toString();
  }
  const host = urlHost || env.PGHOST || 'localhost';
  const port = Number(urlPort || env.PGPORT || 5432);
  const user = urlUser || env.PGUSER || env.USER || 'postgres';
  const database = urlDb || env.PGDATABASE || user;
  if (settings.passwordFile !== undefined) {
    config.password = readSecretFile(settings.passwordFile, 'password file').replace(/\r?\n$/, '');
    if (config.password === '' || config.password.includes('\n'))
      throw new CentralError('CONFIG_INVALID', `the password file ${settings.passwordFile} must hold the password alone, on one line`);
  }

  const given = settings.tls ?? {};
  const rawMode = given.mode ?? urlTls.mode ?? env.PGSSLMODE ?? (isLocalHost(host) ? 'disable' : 'verify-full');
  if (rawMode === 'prefer' || rawMode === 'allow') {
    throw new CentralError(
      'CONFIG_INVALID',
      `sslmode ${rawMode} may fall back to plain text; proofdesk does not: use require or verify-full (or disable for a server on this machine)`,
    );
  }
  if (!(TLS_MODES as readonly string[]).includes(rawMode))
    throw new CentralError('CONFIG_INVALID', `sslmode must be one of ${TLS_MODES.join(', ')}, not ${JSON.stringify(rawMode)}`);
  const mode = rawMode as TlsMode;
  const ca = given.ca ?? urlTls.ca ?? env.PGSSLROOTCERT;
  const cert = given.cert ?? urlTls.cert ?? env.PGSSLCERT;
  const key = given.key ?? urlTls.key ?? env.PGSSLKEY;
  if ((cert === undefined) !== (key === undefined))
    throw new CentralError('CONFIG_INVALID', 'a client certificate needs both tls.cert and tls.key');
  if (mode === 'disable') {
    config.ssl = false;
  } else {
    const tls: NonNullable<Exclude<ClientConfig['ssl'], boolean>> = { rejectUnauthorized: mode !== 'require' };
    if (ca !== undefined) tls.ca = readPublicFile(ca, 'TLS root certificate');
    if (cert !== undefined && key !== undefined) {
      tls.cert = readPublicFile(cert, 'TLS client certificate');
      tls.key = readSecretFile(key, 'TLS client key');
    }
    // verify-ca: the chain, not the name (libpq's meaning).
    if (mode === 'verify-ca') tls.checkServerIdentity = () => undefined;
    config.ssl = tls;
  }
  const where = host.startsWith('/') ? `socket ${host}` : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { config, target: { host, port, database, user, describe: `${user}@${where}/${database}` } };
}

type Pg = typeof import('pg').default;
let pgModule: Promise<Pg> | null = null;
/** node-postgres (a CommonJS package: its exports are the default), loaded once, on first use. */
export function loadPg(): Promise<Pg> {
  pgModule ??= import('pg').then((m) => m.default);
  return pgModule;
}

/** Thrown by a transaction's own code to roll it back: passed to the caller as it is, not taken for a server error. */
// Plain Error, not ProofdeskError: a control-flow signal inside central/ (caught by its own callers), never reported.
export class TransactionAbort extends Error {}

export interface CentralPool {
  readonly pool: Pool;
  readonly target: Target;
  /** One transaction: BEGIN, fn, COMMIT (ROLLBACK on a throw). Errors become CentralError. */
  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>;
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function openPool(settings: ConnectionSettings, opts: PoolOptions): Promise<CentralPool> {
  const { config, target } = resolveConnection(settings);
  const pg = await loadPg();
  const pool = new pg.Pool({
    ...config,
    max: opts.max,
    application_name: opts.applicationName,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    query_timeout: opts.queryTimeoutMs ?? 30_000,
    statement_timeout: opts.queryTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: 60_000,
    idleTimeoutMillis: opts.idleTimeoutMs ?? 0,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection that the server or the network drops emits here; without a listener it would crash the
  // process. The next query opens a new connection.
  pool.on('error', () => {});
  let closed = false;
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw err instanceof TransactionAbort ? err : centralErrorOf(err, target);
    }
  };
  return {
    pool,
    target,
    transaction: (fn) =>
      run(async () => {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query('BEGIN');
          const out = await fn(client);
          await client.query('COMMIT');
          return out;
        } catch (err) {
          broken = true;
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          // A connection that failed mid-transaction may be half-dead (a timeout): never hand it out again.
          client.release(broken ? true : undefined);
        }
      }),
    query: <R extends object>(sql: string, params: unknown[] = []) => run(async () => (await pool.query(sql, params)).rows as R[]),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => {});
    },
  };
}

/** SQLSTATE classes and codes we name; everything else is SERVER_ERROR with the server's words. */
const SQLSTATE: Record<string, [CentralError['code'], string]> = {
  '28P01': ['AUTH_FAILED', 'password authentication failed'],
  '28000': ['AUTH_FAILED', 'the server refused this role or address (pg_hba.conf)'],
  '3D000': ['NO_DATABASE', 'the database does not exist'],
  '42501': ['NOT_ALLOWED', 'permission denied'],
  '3F000': ['NOT_INITIALISED', 'no proofdesk schema: run `proofdesk central init` as the database owner'],
  '42P01': ['NOT_INITIALISED', 'the proofdesk tables are missing: run `proofdesk central init` as the database owner'],
  '57014': ['TIMEOUT', 'the server cancelled a statement that ran too long'],
  '57P01': ['UNREACHABLE', 'the server is shutting down'],
  '57P02': ['UNREACHABLE', 'the server is restarting'],
  '57P03': ['UNREACHABLE', 'the server is starting up or shutting down'],
  '53300': ['UNREACHABLE', 'the server has too many connections'],
};

/** A pg / network error as a CentralError naming the target (never the password). */
export function centralErrorOf(err: unknown, target: Target): CentralError {
  if (err instanceof CentralError) return err;
  const e = err as Error & { code?: string; errno?: number };
  const code = typeof e.code === 'string' ? e.code : '';
  const named = SQLSTATE[code];
  if (named) {
    // Permission and timeout messages name the table or statement: the server's own words say more.
    const words = code === '42501' || code === '57014' ? e.message : named[1];
    return new CentralError(named[0], `${target.describe}: ${words}`);
  }
  if (/^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|ENOENT)$/.test(code)) {
    const why =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'host name not found'
        : code === 'ENOENT'
          ? 'no server socket there'
          : code.toLowerCase().replace(/^e/, '');
    return new CentralError('UNREACHABLE', `${target.describe}: cannot connect (${why})`);
  }
  if (
    /certificate|self[- ]signed|SSL|TLS|altname/i.test(e.message ?? '') ||
    code.startsWith('ERR_TLS') ||
    code.startsWith('CERT_') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  ) {
    return new CentralError('TLS_FAILED', `${target.describe}: TLS failed: ${e.message}`);
  }
  if (/timeout/i.test(e.message ?? '')) return new CentralError('TIMEOUT', `${target.describe}: no answer in time (${e.message})`);
  if (/terminated|Connection ended|not queryable|ended unexpectedly/i.test(e.message ?? '')) {
    return new CentralError('UNREACHABLE', `${target.describe}: the connection was lost (${e.message})`);
  }
  return new CentralError('SERVER_ERROR', `${target.describe}: ${e.message ?? String(err)}`);
}
