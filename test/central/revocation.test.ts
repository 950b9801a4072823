/**
 * The check line's `revocation` centrally (schema version 2, sql/central/0002-revocation.sql): a desk that trusts a
 * keys file (no status lists) ships `not-checked`, the proofdesk_checks view and `central export` show it, and the
 * evidence PDF made centrally (`proofdesk central pdf`) has the "Revocation (status list)" row the desk's own has.
 * A database still at version 1 takes a newer desk's entries without the column, and `central init` upgrades it
 * once (again: nothing to do).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralPool } from '../../src/central/connect.js';
import { openPool } from '../../src/central/connect.js';
import { initDatabase } from '../../src/central/officer.js';
import { generateOrgKey, writeOrgKeyPair } from '../../src/central/seal.js';
import type { KioskConfig } from '../../src/kiosk/config.js';
import { SseClient, startTestKiosk, type TestKiosk } from '../kiosk/helpers.js';
import { pdfSkipNote, pdfText, pdfToolsPresent, requirePdfTools } from '../records/pdf-tools.js';
import { credential, makeKeyPair } from '../trust/helpers.js';
import { deskRole, ensureBuilt, freshDatabase, newCheck, ROOT, startDesk, tempDir, until } from './helpers.js';
import { guardPostgres, startPostgres, type PgServer } from './pg-server.js';

const missing = guardPostgres();

describe.skipIf(missing !== null)(`revocation in the central records${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let pg: PgServer;
  let owner: CentralPool;
  let dbName: string;
  const tmp = tempDir('central-revocation');

  beforeAll(async () => {
    ensureBuilt();
    pg = await startPostgres();
    ({ name: dbName, owner } = await freshDatabase(pg));
    (await deskRole(pg, owner, dbName, 'desk-r', 'desk_r', 'desk-r-password')).close();
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await pg?.remove();
    tmp.remove();
  });

  function proofdesk(args: string[]) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, HOME: tmp.dir, XDG_DATA_HOME: '', XDG_CONFIG_HOME: '' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it(`a keys-only desk's check says not-checked centrally, in the view, the export and the central evidence PDF${pdfSkipNote}`, async () => {
    const issuer = makeKeyPair('issuer-r');
    const keys = path.join(tmp.dir, 'keys.jwks');
    fs.writeFileSync(keys, JSON.stringify({ keys: [issuer.publicJwk] }));
    writeOrgKeyPair(path.join(tmp.dir, 'org'), await generateOrgKey('X25519'));
    const config: KioskConfig = {
      desk: { id: 'desk-r', purpose: 'any', askFor: [] },
      trust: { keys, skewSeconds: 300, maxStatusAgeDays: 7 },
      scanners: { stdin: true, discover: false, devices: [], duplicateWindowMs: 0 },
      bridges: [],
      displays: { web: { enabled: true, port: 7169 }, terminal: 'off' },
      screen: { clearAfterSeconds: 30 },
      records: {
        retentionDays: 30,
        personalCopy: { keyFile: path.join(tmp.dir, 'personal.key') },
        central: {
          url: pg.tcpUrl('desk_r', 'desk-r-password', dbName),
          recordsKey: path.join(tmp.dir, 'org.public.jwk'),
          trustPollSeconds: 30,
        },
      },
    };
    let k: TestKiosk | null = null;
    let sse: SseClient | null = null;
    try {
      k = await startTestKiosk({ config });
      sse = await SseClient.open(k.kiosk.port, k.token);
      await sse.waitFor(() => true);
      const scan = async (text: string) => {
        const from = sse!.states.length;
        k!.scan(text);
        return sse!.waitFor((s) => s.kind === 'result', from);
      };
      // a code naming a status list: the desk holds none, so revocation was not checked; one naming none: nothing to say
      const named = await scan(credential(issuer, { statusList: { uri: 'https://issuer.example/status/1', idx: 3 } }));
      expect(named).toMatchObject({ verdict: 'VALID' });
      const unnamed = await scan(credential(issuer, { iat: 1_790_000_100 }));
      expect(unnamed).toMatchObject({ verdict: 'VALID' });
      const rows = await until('both checks and their copies shipped', async () => {
        const r = await owner.query<{ check_id: string; revocation: string | null; has_personal_copy: boolean }>(
          'SELECT check_id, revocation, has_personal_copy FROM public.proofdesk_checks ORDER BY checked_at, entry_seq',
        );
        return r.length === 2 && r.every((x) => x.has_personal_copy) ? r : null;
      });
      expect(rows.map((r) => r.revocation)).toEqual(['not-checked', null]);
      const checkId = rows[0]!.check_id;

      const exported = proofdesk(['central', 'export', '--format', 'csv', '--db', pg.superUrl(dbName)]);
      expect(exported.code, exported.stderr).toBe(0);
      const [header, first] = exported.stdout.split('\r\n');
      expect(header!.split(',').at(-1)).toBe('revocation');
      expect(first!.split(',').at(-1)).toBe('not-checked');
      // demo as the desk's own export writes it: DEMO or nothing (these keys are not the DEMO keys)
      expect(first!.split(',')[header!.split(',').indexOf('demo')]).toBe('');
      const json = proofdesk(['central', 'export', '--format', 'json', '--db', pg.superUrl(dbName)]);
      expect((JSON.parse(json.stdout) as Array<{ revocation: unknown }>).map((c) => c.revocation)).toEqual(['not-checked', null]);

      requirePdfTools();
      if (!pdfToolsPresent) return;
      const out = path.join(tmp.dir, 'central.pdf');
      const r = proofdesk([
        'central',
        'pdf',
        checkId,
        '--org-key',
        path.join(tmp.dir, 'org.private.jwk'),
        '--out',
        out,
        '--db',
        pg.superUrl(dbName),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const text = pdfText(out);
      expect(text).toContain('Revocation (status list)');
      expect(text).toContain('NOT CHECKED: this desk holds the issuer');
      // the check that named no list prints no revocation row, as on the desk
      const silent = path.join(tmp.dir, 'silent.pdf');
      const s = proofdesk([
        'central',
        'pdf',
        rows[1]!.check_id,
        '--org-key',
        path.join(tmp.dir, 'org.private.jwk'),
        '--out',
        silent,
        '--db',
        pg.superUrl(dbName),
      ]);
      expect(s.code, s.stderr).toBe(0);
      expect(pdfText(silent)).not.toContain('Revocation (status list)');
    } finally {
      sse?.close();
      await k?.stop();
    }
  }, 120_000);

  it("a version-1 database takes a newer desk's entries without the column; central init then applies 0002 once", async () => {
    const name = `org_v1_${process.pid}`;
    await pg.createDatabase(name);
    // version 1 as a deployed database has it: 0001 applied and recorded, nothing after
    const v1 = fs.readFileSync(path.join(ROOT, 'sql/central/0001-records-and-trust.sql'), 'utf8');
    const v1Owner = await openPool({ url: pg.superUrl(name) }, { max: 2, applicationName: 'test v1 owner' });
    try {
      await v1Owner.transaction(async (client) => {
        await client.query('CREATE SCHEMA proofdesk');
        await client.query(`CREATE TABLE proofdesk.schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
        await client.query(v1);
        const { createHash } = await import('node:crypto');
        await client.query(`INSERT INTO proofdesk.schema_migrations (version, name, sha256) VALUES (1, 'records-and-trust', $1)`, [
          createHash('sha256').update(v1).digest('hex'),
        ]);
      });
      const desk = await deskRole(pg, v1Owner, name, 'desk-old', 'desk_old', 'desk-old-password');
      const d = await startDesk(path.join(tmp.dir, 'v1-records'), 'desk-old', desk);
      d.store.appendCheck({ ...newCheck(), statusListUri: 'https://issuer.example/status/1', statusListIdx: 1, revocation: 'not-checked' });
      await d.shipper.shipped();
      expect(d.shipper.health().error).toBeNull();
      const cols = async () =>
        (
          await v1Owner.query<{ column_name: string }>(
            `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'proofdesk_checks' ORDER BY ordinal_position`,
          )
        ).map((c) => c.column_name);
      expect(await cols()).not.toContain('revocation');

      const up = await initDatabase(v1Owner);
      expect(up).toMatchObject({ applied: [{ version: 2, name: 'revocation' }], version: 2 });
      expect(await cols()).toEqual(expect.arrayContaining(['received_at', 'revocation']));
      expect((await cols()).at(-1)).toBe('revocation');
      expect(await initDatabase(v1Owner)).toMatchObject({ applied: [], version: 2 });
      // the entry shipped before the upgrade says nothing; the next one says what its line says
      d.store.appendCheck({ ...newCheck(), statusListUri: 'https://issuer.example/status/1', statusListIdx: 2, revocation: 'not-checked' });
      await d.shipper.shipped();
      expect(
        (await v1Owner.query<{ revocation: string | null }>('SELECT revocation FROM public.proofdesk_checks ORDER BY entry_seq')).map(
          (r) => r.revocation,
        ),
      ).toEqual([null, 'not-checked']);
      // the reader role still reads the replaced view (CREATE OR REPLACE keeps its grants)
      expect(pg.psql(`SELECT has_table_privilege('proofdesk_reader', 'public.proofdesk_checks', 'SELECT')`, name)).toBe('t');
      await d.close();
      await desk.close();
    } finally {
      await v1Owner.close();
    }
  }, 120_000);
});
