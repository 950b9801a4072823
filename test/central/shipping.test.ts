/**
 * Shipping record entries to a real PostgreSQL server: two desks into one database, the server stopped in the middle
 * of a stream and started again, a network that silently stops answering, a purge on the desk, a database that is
 * re-created — every entry arrives exactly once, and the desk never waits.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPool } from '../../src/central/connect.js';
import { CURSOR_FILE } from '../../src/central/cursor.js';
import {
  centralEntries,
  deskRole,
  freshDatabase,
  localEntries,
  memoryLog,
  newCheck,
  startDesk,
  tempDir,
  until,
  type TestDesk,
} from './helpers.js';
import { guardPostgres, startPostgres, type PgServer } from './pg-server.js';

const missing = guardPostgres();
let pg: PgServer;
const temps: Array<{ remove(): void }> = [];
const desks: TestDesk[] = [];
const closers: Array<() => Promise<void>> = [];

function tmp(prefix: string): string {
  const t = tempDir(prefix);
  temps.push(t);
  return t.dir;
}

afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
  for (const c of closers.splice(0)) await c();
  for (const t of temps.splice(0)) t.remove();
});

describe.skipIf(missing !== null)(`shipping to PostgreSQL${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.remove();
  });

  it("two desks into one database: each desk's entries arrive, under its own desk id, exactly as its log has them", async () => {
    const { name, owner } = await freshDatabase(pg);
    closers.push(() => owner.close());
    const a = await startDesk(path.join(tmp('a'), 'records'), 'front-desk-1', await deskRole(pg, owner, name, 'front-desk-1', 'desk_a'));
    const b = await startDesk(path.join(tmp('b'), 'records'), 'branch 2 desk', await deskRole(pg, owner, name, 'branch 2 desk', 'desk_b'));
    desks.push(a, b);
    for (let i = 0; i < 40; i++) {
      for (const d of [a, b]) {
        const c = d.store.appendCheck(newCheck());
        if (i % 3 === 0) d.store.appendLikeness(c.checkId, i % 2 === 0 ? 'yes' : 'not-asked');
        if (i % 10 === 0) d.store.keep(c.checkId, '2030-01-01');
      }
    }
    await Promise.all([a.shipper.shipped(), b.shipper.shipped()]);
    expect(await centralEntries(owner, 'front-desk-1')).toEqual(localEntries(a.dir));
    expect(await centralEntries(owner, 'branch 2 desk')).toEqual(localEntries(b.dir));
    expect(localEntries(a.dir)).toHaveLength(40 + 14 + 4);
    // the reporting view folds them: one row per check, the latest likeness, the extended keep-until
    const view = await owner.query<{ n: string; kept: string; liked: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE keep_until = '2030-01-01') AS kept, count(*) FILTER (WHERE likeness = 'yes') AS liked
       FROM proofdesk_checks WHERE desk_id = 'front-desk-1'`,
    );
    expect(view[0]).toEqual({ n: '40', kept: '4', liked: '7' });
    expect(a.shipper.health()).toMatchObject({ state: 'up-to-date', backlog: 0, oldestUnshippedSeconds: null, error: null });
  });

  it('the server stopped in the middle of a stream of checks and started again: every entry arrives once', async () => {
    const { name, owner } = await freshDatabase(pg);
    closers.push(() => owner.close());
    const d = await startDesk(
      path.join(tmp('s'), 'records'),
      'desk-restart',
      await deskRole(pg, owner, name, 'desk-restart', 'desk_restart'),
    );
    desks.push(d);
    const write = (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = d.store.appendCheck(newCheck());
        d.store.appendLikeness(c.checkId, 'yes');
      }
    };
    write(30);
    await d.shipper.shipped();
    await owner.close();
    await pg.stop('fast');
    try {
      // The desk goes on: each write is the local log's alone (synchronous, no network in it); the backlog grows.
      write(30);
      await until('the shipper to notice', () => d.shipper.health().state === 'retrying');
      const h = d.shipper.health();
      expect(h.backlog).toBe(60);
      expect(h.error?.code).toBe('UNREACHABLE');
      expect(h.oldestUnshippedSeconds).not.toBeNull();
      write(10);
    } finally {
      await pg.start();
    }
    await d.shipper.shipped();
    const back = await openPool({ url: pg.superUrl(name) }, { max: 1, applicationName: 'test' });
    closers.push(() => back.close());
    expect(await centralEntries(back, 'desk-restart')).toEqual(localEntries(d.dir));
    expect(localEntries(d.dir)).toHaveLength(140);
    expect(d.shipper.health()).toMatchObject({ state: 'up-to-date', backlog: 0, error: null });
  }, 120_000);

  it('a network that silently stops answering: the query times out, the shipper backs off, and all arrives once it answers again', async () => {
    const { name, owner } = await freshDatabase(pg);
    closers.push(() => owner.close());
    await deskRole(pg, owner, name, 'desk-net', 'desk_net', 'net-password-1');
    // A TCP relay that can be frozen: it stops passing bytes without closing anything, as a cut cable does.
    let frozen = false;
    const held: net.Socket[] = [];
    const relay = net.createServer((client) => {
      const upstream = net.connect(pg.port, '127.0.0.1');
      held.push(client, upstream);
      client.on('data', (c) => void (!frozen && upstream.write(c)));
      upstream.on('data', (c) => void (!frozen && client.write(c)));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
    closers.push(async () => {
      for (const s of held) s.destroy();
      await new Promise((r) => relay.close(r));
    });
    const port = (relay.address() as net.AddressInfo).port;
    const db = await openPool(
      { url: `postgresql://desk_net:net-password-1@127.0.0.1:${port}/${name}` },
      { max: 1, applicationName: 'test', connectTimeoutMs: 1500, queryTimeoutMs: 1500 },
    );
    const d = await startDesk(path.join(tmp('n'), 'records'), 'desk-net', db, { retry: { firstMs: 100, maxMs: 1000 } });
    desks.push(d);
    d.store.appendCheck(newCheck());
    await d.shipper.shipped();
    frozen = true;
    for (let i = 0; i < 5; i++) d.store.appendCheck(newCheck());
    await until('a timeout', () => d.shipper.health().state === 'retrying');
    expect(['TIMEOUT', 'UNREACHABLE']).toContain(d.shipper.health().error?.code);
    frozen = false;
    for (const s of held.splice(0)) s.destroy(); // the stuck connections go; new ones pass
    await d.shipper.shipped();
    expect(await centralEntries(owner, 'desk-net')).toEqual(localEntries(d.dir));
  }, 120_000);

  it('numbers survive a purge on the desk, the cursor resumes from its hint, and a re-created database gets the whole log again', async () => {
    const first = await freshDatabase(pg);
    closers.push(() => first.owner.close());
    const dir = path.join(tmp('p'), 'records');
    let d = await startDesk(dir, 'desk-purge', await deskRole(pg, first.owner, first.name, 'desk-purge', 'desk_purge'));
    const old = d.store.appendCheck({ ...newCheck(new Date('2020-01-01T10:00:00Z')), keepUntil: '2020-02-01' });
    d.store.appendLikeness(old.checkId, 'yes');
    for (let i = 0; i < 5; i++) d.store.appendCheck(newCheck());
    await d.shipper.shipped();
    expect(d.store.purge().removed).toBe(1);
    d.store.appendCheck(newCheck());
    await d.shipper.shipped();
    await d.close();
    const cursor = JSON.parse(fs.readFileSync(path.join(dir, CURSOR_FILE), 'utf8')) as { shippedSeq: number; hint: { offset: number } };
    expect(cursor.shippedSeq).toBe(8);
    expect(cursor.hint.offset).toBe(fs.statSync(path.join(dir, 'checks.jsonl')).size);
    // central keeps what the desk purged (its own purge decides there); numbers are never reused
    expect((await centralEntries(first.owner, 'desk-purge')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    // the same desk pointed at a re-created database: its org id differs, so the whole log goes there
    const second = await freshDatabase(pg);
    closers.push(() => second.owner.close());
    const { log, lines } = memoryLog();
    d = await startDesk(dir, 'desk-purge', await deskRole(pg, second.owner, second.name, 'desk-purge', 'desk_purge'), { log });
    desks.push(d);
    d.store.appendCheck(newCheck());
    await until(
      'the whole log shipped again',
      async () => (await centralEntries(second.owner, 'desk-purge')).length === localEntries(dir).length,
    );
    expect(await centralEntries(second.owner, 'desk-purge')).toEqual(localEntries(dir));
    expect(lines.some((l) => l.event === 'central-org-changed')).toBe(true);
  }, 120_000);

  it('lines written before entries were numbered ship once, by their hash', async () => {
    const { name, owner } = await freshDatabase(pg);
    closers.push(() => owner.close());
    const dir = path.join(tmp('legacy'), 'records');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const legacy = [
      '{"type":"check","checkId":"legacy-1","at":"2025-11-23T19:49:20.123Z","deskId":"desk-legacy","purpose":"rent","verdict":"VALID","reason":null,"kid":"demo-2026","credentialSha256":"16d3000000000000000000000000000000000000000000000000000000000000","followUpDate":null,"keepUntil":"2031-11-23"}',
      '{"type":"likeness","checkId":"legacy-1","at":"2025-11-23T19:49:31.002Z","likeness":"yes"}',
    ];
    fs.writeFileSync(path.join(dir, 'checks.jsonl'), `${legacy.join('\n')}\n`, { mode: 0o600 });
    const db = await deskRole(pg, owner, name, 'desk-legacy', 'desk_legacy');
    let d = await startDesk(dir, 'desk-legacy', db);
    d.store.appendCheck(newCheck());
    await d.shipper.shipped();
    await d.close();
    d = await startDesk(dir, 'desk-legacy', db); // a restart reads the log again from its hint
    desks.push(d);
    d.store.appendLikeness('legacy-1', 'no');
    await d.shipper.shipped();
    const rows = await owner.query<{ check_id: string; entry_seq: string | null; kind: string }>(
      'SELECT check_id, entry_seq, kind FROM proofdesk.entries ORDER BY entry_seq NULLS FIRST, kind',
    );
    expect(rows).toEqual([
      { check_id: 'legacy-1', entry_seq: null, kind: 'check' },
      { check_id: 'legacy-1', entry_seq: null, kind: 'likeness' },
      expect.objectContaining({ entry_seq: '1', kind: 'check' }),
      { check_id: 'legacy-1', entry_seq: '2', kind: 'likeness' },
    ]);
    // a later answer is kept beside the first and shown as a change
    const view = await owner.query<{ likeness: string; likeness_history: string; likeness_answers: string; outcome: string }>(
      `SELECT likeness, likeness_history, likeness_answers, outcome FROM proofdesk_checks WHERE check_id = 'legacy-1'`,
    );
    expect(view[0]).toEqual({ likeness: 'no', likeness_history: 'yes -> no', likeness_answers: '2', outcome: 'PHOTO_MISMATCH' });
  }, 120_000);
});
