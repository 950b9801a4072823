/** Central test fixtures: an initialised database per test file, desk roles, desks writing real record stores. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pino, type Logger } from 'pino';
import { openPool, type CentralPool } from '../../src/central/connect.js';
import { addDesk, initDatabase } from '../../src/central/officer.js';
import { Shipper, type ShipperOptions } from '../../src/central/shipper.js';
import { RecordStore, credentialSha256, type NewCheck, type PersonalCopy } from '../../src/records/index.js';
import type { PgServer } from './pg-server.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `proofdesk-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const quietLog = (): Logger => pino({ level: 'silent' });

/** A log that keeps its lines (JSON objects), to look at what was logged. */
export function memoryLog(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

let dbCount = 0;
/** A fresh database, initialised (`central init`) by its owner, the superuser. Returns its name and an owner pool. */
export async function freshDatabase(pg: PgServer): Promise<{ name: string; owner: CentralPool }> {
  const name = `org_${process.pid}_${++dbCount}`;
  await pg.createDatabase(name);
  const owner = await openPool({ url: pg.superUrl(name) }, { max: 2, applicationName: 'test owner' });
  await initDatabase(owner);
  return { name, owner };
}

/** A desk role with a password, given `deskId`; returns a pool as that role (over TCP, so the password counts). */
export async function deskRole(
  pg: PgServer,
  owner: CentralPool,
  database: string,
  deskId: string,
  role: string,
  password = `pw-${role}-secret`,
): Promise<CentralPool> {
  await addDesk(owner, deskId, role, password);
  return openPool(
    { url: pg.tcpUrl(role, password, database) },
    { max: 1, applicationName: `test ${role}`, connectTimeoutMs: 5000, queryTimeoutMs: 10_000 },
  );
}

let checkCount = 0;
export function newCheck(at = new Date(), text = `code-${++checkCount}-${Math.random()}`): NewCheck {
  const checkId = `${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${String(++checkCount).padStart(6, '0')}`;
  return {
    checkId,
    at: at.toISOString(),
    purpose: 'work',
    verdict: 'VALID',
    reason: null,
    kid: 'k1',
    credentialSha256: credentialSha256(text),
    followUpDate: null,
  };
}

export function personalCopy(text: string, photo: Uint8Array): PersonalCopy {
  return {
    credentialText: text,
    fullName: 'Zofia Kowalczyk-Brennan',
    dateOfBirth: '1988-04-17',
    photo: { data: photo, subFormat: 1 },
    statusSummary: 'EU Settlement Scheme: settled status',
    rightChecked: 'Right to work: unrestricted',
  };
}

export interface TestDesk {
  store: RecordStore;
  shipper: Shipper;
  dir: string;
  close(): Promise<void>;
}

export async function startDesk(
  dir: string,
  deskId: string,
  db: CentralPool,
  extra: Partial<ShipperOptions> & { keyFile?: string } = {},
): Promise<TestDesk> {
  const { keyFile, ...shipperOpts } = extra;
  const store = await RecordStore.open({
    dir,
    deskId,
    retentionDays: 365,
    requestPollMs: 0,
    ...(keyFile ? { personalCopy: { keyFile } } : {}),
  });
  const shipper = new Shipper({
    store,
    deskId,
    db,
    recordsKey: null,
    log: quietLog(),
    retry: { firstMs: 50, maxMs: 500 },
    pollMs: 200,
    ...shipperOpts,
  });
  shipper.start();
  return {
    store,
    shipper,
    dir,
    async close() {
      await shipper.close();
      store.close();
    },
  };
}

/** (check id, seq, kind) of every entry in a local log, in order. */
export function localEntries(dir: string): Array<{ checkId: string; seq: number; type: string }> {
  const text = fs.readFileSync(path.join(dir, 'checks.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const e = JSON.parse(l) as { checkId: string; seq: number; type: string };
      return { checkId: e.checkId, seq: e.seq, type: e.type };
    });
}

/** (check id, seq, kind) of every central entry of a desk, by seq. */
export async function centralEntries(owner: CentralPool, deskId: string): Promise<Array<{ checkId: string; seq: number; type: string }>> {
  const rows = await owner.query<{ check_id: string; entry_seq: string; kind: string }>(
    'SELECT check_id, entry_seq, kind FROM proofdesk.entries WHERE desk_id = $1 ORDER BY entry_seq',
    [deskId],
  );
  return rows.map((r) => ({ checkId: r.check_id, seq: Number(r.entry_seq), type: r.kind }));
}

/** Poll a condition (the database is another process: there is no event to wait on), bounded. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The child processes run the compiled code: rebuild dist when it is missing or older than the sources.
 */
export function ensureBuilt(): void {
  const out = path.join(ROOT, 'dist/central/shipper.js');
  const srcDirs = ['src/central', 'src/records', 'src/cli', 'src/kiosk'].map((d) => path.join(ROOT, d));
  const newest = Math.max(...srcDirs.flatMap((d) => fs.readdirSync(d).map((f) => fs.statSync(path.join(d, f)).mtimeMs)));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest) return;
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  if (!fs.existsSync(out)) throw new Error('build did not produce dist/central/shipper.js; run npm run build and read its errors');
}
