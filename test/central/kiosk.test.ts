/**
 * A kiosk with `records.central`, in-process, against a real server: its checks ship, /health shows the backlog, a
 * status list published centrally revokes a code on the running desk (and `central recheck` finds the check made
 * before it), a desk pinned to the root alone gets its bundle from the server, and with the server away the screens
 * are exactly those of a desk without central.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base45Encode } from '../../src/credential/base45.js';
import type { CentralPool } from '../../src/central/connect.js';
import { publishTrustFile, recheck } from '../../src/central/officer.js';
import type { KioskConfig } from '../../src/kiosk/config.js';
import type { ScreenState } from '../../src/screen/state.js';
import { STATUS_INVALID } from '../../src/trust/status-list.js';
import { importTrustBytes, initStore } from '../../src/trust/store.js';
import { request, SseClient, startTestKiosk, type TestKiosk } from '../kiosk/helpers.js';
import { bundleOf, credential, makeKeyPair, statusListOf, type KeyPair } from '../trust/helpers.js';
import { centralEntries, deskRole, freshDatabase, localEntries, tempDir, until } from './helpers.js';
import { guardPostgres, startPostgres, type PgServer } from './pg-server.js';

const missing = guardPostgres();
const LIST_URI = 'https://issuer.example/status/1';

describe.skipIf(missing !== null)(`a kiosk with records.central${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let pg: PgServer;
  let owner: CentralPool;
  let dbName: string;
  let deskUrl: string;
  let root: KeyPair;
  let issuer: KeyPair;
  const tmp = tempDir('central-kiosk');
  const kiosks: TestKiosk[] = [];
  const clients: SseClient[] = [];

  const nowS = () => Math.floor(Date.now() / 1000);

  async function adminStore(name: string, withBundle: boolean): Promise<string> {
    const dir = path.join(tmp.dir, name);
    await initStore(dir, root.publicJwk);
    if (withBundle) {
      await importTrustBytes(dir, Buffer.from(await bundleOf(root, [issuer.publicJwk], 1)), { now: nowS() });
      await importTrustBytes(dir, await statusListOf(issuer, LIST_URI, 64, {}, nowS() - 120), { now: nowS() });
    }
    return dir;
  }

  function config(store: string, central: Partial<NonNullable<KioskConfig['records']['central']>> | null, deskId = 'desk-k'): KioskConfig {
    return {
      desk: { id: deskId, purpose: 'any', askFor: [] },
      trust: { store, skewSeconds: 300, maxStatusAgeDays: 7 },
      scanners: { stdin: true, discover: false, devices: [], duplicateWindowMs: 0 },
      bridges: [],
      displays: { web: { enabled: true, port: 7169 }, terminal: 'off' },
      screen: { clearAfterSeconds: 30 },
      records: { retentionDays: 30, ...(central ? { central: { url: deskUrl, trustPollSeconds: 1, ...central } } : {}) },
    };
  }

  async function start(cfg: KioskConfig): Promise<{ k: TestKiosk; sse: SseClient }> {
    const k = await startTestKiosk({ config: cfg });
    kiosks.push(k);
    const sse = await SseClient.open(k.kiosk.port, k.token);
    clients.push(sse);
    await sse.waitFor(() => true);
    return { k, sse };
  }

  async function scan(k: TestKiosk, sse: SseClient, text: string): Promise<ScreenState> {
    const from = sse.states.length;
    k.scan(text);
    return sse.waitFor((s) => s.kind === 'result', from);
  }

  async function health(k: TestKiosk): Promise<{
    central?: {
      server: string;
      records: { backlog: number; state: string; oldestUnshippedSeconds: number | null; error: { code: string } | null };
      trust: { state: string; lastImported: unknown } | null;
    };
  }> {
    return JSON.parse((await request(k.kiosk.port, '/health')).body) as never;
  }

  beforeAll(async () => {
    pg = await startPostgres();
    ({ name: dbName, owner } = await freshDatabase(pg));
    (await deskRole(pg, owner, dbName, 'desk-k', 'desk_k', 'desk-k-password')).close();
    (await deskRole(pg, owner, dbName, 'desk-fresh', 'desk_fresh', 'desk-f-password')).close();
    deskUrl = pg.tcpUrl('desk_k', 'desk-k-password', dbName);
    root = makeKeyPair('root', 'EdDSA');
    issuer = makeKeyPair('issuer-1');
  }, 120_000);

  afterEach(async () => {
    clients.splice(0).forEach((c) => {
      c.close();
    });
    for (const k of kiosks.splice(0)) await k.stop();
  });

  afterAll(async () => {
    await owner?.close();
    await pg?.remove();
    tmp.remove();
  });

  it('ships its checks, shows the backlog on /health, and takes a status list published centrally on the next scan', async () => {
    const store = await adminStore('admin-a', true);
    const { k, sse } = await start(config(store, {}));
    const code = credential(issuer, { statusList: { uri: LIST_URI, idx: 5 } });
    expect(await scan(k, sse, code)).toMatchObject({ verdict: 'VALID' });
    const records = path.join(k.dir, 'records');
    await until(
      'the check shipped',
      async () => (await health(k)).central?.records.backlog === 0 && (await centralEntries(owner, 'desk-k')).length > 0,
    );
    const h = await health(k);
    expect(h.central).toMatchObject({
      server: `desk_k@127.0.0.1:${pg.port}/${dbName}`,
      records: { state: 'up-to-date', backlog: 0, oldestUnshippedSeconds: null, error: null },
      trust: { state: 'ok' },
    });
    expect(JSON.stringify(h)).not.toContain('desk-k-password');
    const firstCheck = localEntries(records)[0]!.checkId;
    const line = JSON.parse(fs.readFileSync(path.join(records, 'checks.jsonl'), 'utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ statusListUri: LIST_URI, statusListIdx: 5, seq: 1 });

    // The organisation revokes the code and publishes the list (after the bundle its key is in); the running desk
    // takes it within its poll.
    await expect(
      publishTrustFile(owner, await statusListOf(issuer, LIST_URI, 64, {}, nowS() - 60), { root: root.publicJwk }),
    ).rejects.toMatchObject({ code: 'TRUST_REFUSED', message: expect.stringContaining('publish the root-signed bundle first') });
    expect(await publishTrustFile(owner, Buffer.from(await bundleOf(root, [issuer.publicJwk], 1)))).toMatchObject({
      kind: 'bundle',
      seq: 1,
    });
    const revoked = await statusListOf(issuer, LIST_URI, 64, { 5: STATUS_INVALID }, nowS());
    const published = await publishTrustFile(owner, revoked, { root: root.publicJwk });
    expect(published).toMatchObject({ kind: 'status-list', uri: LIST_URI, alreadyPublished: false });
    await until(
      'the desk to reload its trust',
      () => k.logs.some((l) => l.includes('"event":"fleet-trust-imported"')) && k.logs.some((l) => l.includes('"event":"trust-reloaded"')),
    );
    expect(await scan(k, sse, code)).toMatchObject({ verdict: 'NOT VALID', reason: 'REVOKED' });
    expect((await health(k)).central?.trust?.lastImported).toMatchObject({ kind: 'status-list', uri: LIST_URI });

    // …and the records officer finds the check that accepted it before the revocation was known.
    await until('both checks shipped', async () => (await centralEntries(owner, 'desk-k')).filter((e) => e.type === 'check').length === 2);
    const { hits } = await recheck(owner);
    expect(hits).toEqual([
      expect.objectContaining({ status: 'REVOKED', deskId: 'desk-k', checkId: firstCheck, verdict: 'VALID', statusListIdx: 5 }),
    ]);
    // the check the desk refused itself needs no action: listed only when asked for all
    expect((await recheck(owner, { all: true })).hits.map((h) => h.verdict)).toEqual(['VALID', 'NOT VALID']);
    // publishing the same file again changes nothing
    expect(await publishTrustFile(owner, revoked)).toMatchObject({ alreadyPublished: true, id: published.id });
  }, 120_000);

  it('a desk pinned to the root alone gets its first bundle from the server', async () => {
    // The bundle (seq 2) is published centrally; this desk's store has only the root.
    await publishTrustFile(owner, Buffer.from(await bundleOf(root, [issuer.publicJwk], 2)), { root: root.publicJwk });
    const store = await adminStore('admin-root-only', false);
    deskUrl = pg.tcpUrl('desk_fresh', 'desk-f-password', dbName);
    try {
      const { k, sse } = await start(config(store, {}, 'desk-fresh'));
      expect(await scan(k, sse, credential(issuer, { statusList: { uri: LIST_URI, idx: 6 } }))).toMatchObject({ verdict: 'VALID' });
      expect(fs.existsSync(path.join(k.dir, 'records', 'fleet-trust', 'bundle.jws'))).toBe(true);
      expect(fs.readdirSync(store)).not.toContain('bundle.jws'); // the administrator's store is not written to
    } finally {
      deskUrl = pg.tcpUrl('desk_k', 'desk-k-password', dbName);
    }
  }, 120_000);

  it('with the server away, scanning goes on and every screen is the one a desk without central shows', async () => {
    const store = await adminStore('admin-b', true);
    // a damaged code (Base45 of zlib, but no COSE inside) is a recorded NOT VALID check; a text that is no code at
    // all makes no record, so it is not used here
    const damaged = base45Encode(deflateSync(Buffer.from('damaged code')));
    const codes = [credential(issuer), credential(issuer, { iat: 1_790_000_100 }), damaged, credential(makeKeyPair('stranger'))];
    const shown = async (cfg: KioskConfig): Promise<{ states: unknown[]; k: TestKiosk }> => {
      const { k, sse } = await start(cfg);
      const states: unknown[] = [];
      for (const c of codes) {
        const s = await scan(k, sse, c);
        // what differs by nature between two runs: the check id, the clock and the desk's name
        states.push(
          JSON.parse(JSON.stringify(s), (key, v) =>
            ['checkId', 'checkedAt', 'checkedAtText', 'at', 'time', 'clearsAt', 'deskId'].includes(key) ? '…' : v,
          ),
        );
      }
      return { states, k };
    };
    const plain = await shown(config(store, null, 'desk-plain'));
    // a port nobody listens on: the server is away
    const away = await shown(config(store, { url: 'postgresql://desk_k:x@127.0.0.1:1/nowhere' }, 'desk-away'));
    expect(away.states).toEqual(plain.states);
    const h = await until('the backlog on /health', async () => {
      const v = await health(away.k);
      return v.central?.records.state === 'retrying' && v.central.records.backlog >= codes.length ? v : null;
    });
    expect(h.central!.records.error!.code).toBe('UNREACHABLE');
    expect(h.central!.records.oldestUnshippedSeconds).toBeGreaterThanOrEqual(0);
    expect(localEntries(path.join(away.k.dir, 'records')).filter((e) => e.type === 'check')).toHaveLength(codes.length);
  }, 120_000);
});
