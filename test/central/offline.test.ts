/**
 * Offline, with records.central configured, proved from outside the process: the kiosk runs in a network namespace
 * with only loopback, under strace, beside the organisation's PostgreSQL server (started inside that namespace,
 * listening on its 127.0.0.1 TCP port, so every connect to it is an AF_INET one). Its checks ship, it polls for
 * trust data, and every connect() it makes is to exactly that server's host:port — nothing else leaves it.
 * The sibling of test/kiosk/process.test.ts's offline test, which runs the kiosk without central.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralPool } from '../../src/central/connect.js';
import { addDesk } from '../../src/central/officer.js';
import { importTrustBytes, initStore } from '../../src/trust/store.js';
import { parseReady } from '../kiosk/helpers.js';
import { guardTool, parseConnects } from '../kiosk/tools.js';
import { bundleOf, credential, makeKeyPair, statusListOf } from '../trust/helpers.js';
import { ensureBuilt, freshDatabase, ROOT, tempDir, until } from './helpers.js';
import { guardPostgres, startPostgres, type PgServer } from './pg-server.js';

const MAIN = path.join(ROOT, 'dist/cli/main.js');
const LIST_URI = 'https://issuer.example/status/1';

const pgWhy = guardPostgres();
const toolWhy = guardTool('strace') ?? guardTool('unshare');
const rootWhy = process.getuid?.() === 0 ? null : 'needs root (nsenter into the namespace the server runs in)';
if (rootWhy !== null && process.env.CI === 'true') {
  it('root is required (CI=true)', () => {
    throw new Error(`CI=true and ${rootWhy}`);
  });
}
const why = pgWhy ?? toolWhy ?? rootWhy;

/**
 * The connect() lines that go anywhere but the one PostgreSQL server: any AF_INET or AF_INET6 connect that is not to
 * 127.0.0.1:`port`, and whatever parseConnects calls non-local (so a Unix socket, netlink or a UDP disconnect passes).
 */
function notToServer(trace: string, port: number): { inet: string[]; offending: string[] } {
  const { lines, offending } = parseConnects(trace);
  const inet = lines.filter((l) => /sa_family=AF_INET6?\b/.test(l));
  const server = new RegExp(`sin_port=htons\\(${port}\\), sin_addr=inet_addr\\("127\\.0\\.0\\.1"\\)`);
  return { inet, offending: [...new Set([...offending, ...inet.filter((l) => !server.test(l))])] };
}

describe.skipIf(why !== null)(`offline with records.central, proved from outside the process${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  const tmp = tempDir('central-offline');
  let holder: ChildProcess;
  let pg: PgServer;
  let owner: CentralPool;
  let dbName: string;

  beforeAll(async () => {
    ensureBuilt();
    // A network namespace with only loopback, held open by a sleeping shell, and the server inside it.
    holder = spawn('unshare', ['-n', '--', 'sh', '-c', 'ip link set lo up && exec sleep 3600'], { stdio: 'ignore' });
    await until('the namespace with loopback up', () => {
      try {
        return readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').startsWith('sleep');
      } catch {
        return false;
      }
    });
    pg = await startPostgres({ netns: holder.pid! });
    ({ name: dbName, owner } = await freshDatabase(pg));
    await addDesk(owner, 'desk-offline', 'desk_offline', 'desk-offline-password');
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await pg?.remove();
    holder?.kill('SIGKILL');
    tmp.remove();
  });

  it('the server check itself flags a connect to another loopback port and to another host (so it can fail)', () => {
    const trace = [
      'connect(21, {sa_family=AF_INET, sin_port=htons(5999), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS',
      'connect(22, {sa_family=AF_INET, sin_port=htons(5433), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS',
      'connect(23, {sa_family=AF_INET6, sin6_port=htons(5999), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
      'connect(24, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.1")}, 16) = -1 ENETUNREACH',
      'connect(25, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
    ].join('\n');
    const { inet, offending } = notToServer(trace, 5999);
    expect(inet).toHaveLength(4);
    expect(offending.map((l) => /^connect\((\d+)/.exec(l)![1])).toEqual(['24', '22', '23']);
  });

  it('in a network namespace with only loopback, under strace: checks ship, trust is polled, and every connect is to the server', async () => {
    const root = makeKeyPair('root', 'EdDSA');
    const issuer = makeKeyPair('issuer-1');
    const now = Math.floor(Date.now() / 1000);
    const store = path.join(tmp.dir, 'trust');
    await initStore(store, root.publicJwk);
    await importTrustBytes(store, Buffer.from(await bundleOf(root, [issuer.publicJwk], 1, now - 60)), { now });
    await importTrustBytes(store, await statusListOf(issuer, LIST_URI, 64, {}, now - 30), { now });
    const config = path.join(tmp.dir, 'desk.json');
    writeFileSync(
      config,
      JSON.stringify({
        desk: { id: 'desk-offline', purpose: 'any' },
        trust: { store },
        scanners: { stdin: true, discover: false },
        displays: { terminal: 'off' },
        records: {
          central: { url: `postgresql://desk_offline:desk-offline-password@127.0.0.1:${pg.port}/${dbName}`, trustPollSeconds: 1 },
        },
      }),
    );
    const records = path.join(tmp.dir, 'records');
    const trace = path.join(tmp.dir, 'trace');
    const child = spawn(
      'nsenter',
      [
        '-t',
        String(holder.pid),
        '-n',
        '--',
        'strace',
        '-f',
        '-qq',
        '-e',
        'trace=connect,bind',
        '-o',
        trace,
        process.execPath,
        MAIN,
        'run',
        '--config',
        config,
        '--port',
        '0',
        '--records',
        records,
      ],
      { cwd: ROOT, env: { ...process.env, XDG_DATA_HOME: path.join(tmp.dir, 'xdg') }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const { port } = await until('the ready line', () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
        return parseReady(stdout);
      });
      const codes = [1, 2, 3, 4, 5].map((i) => credential(issuer, { iat: now - 100 + i, statusList: { uri: LIST_URI, idx: i } }));
      child.stdin!.write(`${codes.join('\n')}\n`);
      const shipped = await until('every check shipped', async () => {
        const r = await owner.query<{ revocation: string | null; verdict: string }>(
          `SELECT verdict, revocation FROM public.proofdesk_checks WHERE desk_id = 'desk-offline' ORDER BY entry_seq`,
        );
        return r.length === codes.length ? r : null;
      });
      expect(
        shipped.every((r) => r.verdict === 'VALID' && r.revocation === 'checked'),
        JSON.stringify(shipped),
      ).toBe(true);
      // /health from inside the namespace (the test's own network cannot reach the page: that is the point)
      const health = spawnSync(
        'nsenter',
        [
          '-t',
          String(holder.pid),
          '-n',
          process.execPath,
          '-e',
          `fetch('http://127.0.0.1:${port}/health').then((r) => r.text()).then((t) => process.stdout.write(t))`,
        ],
        { encoding: 'utf8', timeout: 20_000 },
      );
      expect(JSON.parse(health.stdout)).toMatchObject({
        ok: true,
        central: { records: { backlog: 0, error: null }, trust: { state: 'ok' } },
      });
      // a few trust polls (every second) on top of the shipping
      await new Promise((r) => setTimeout(r, 2500));
      const kioskPid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      expect(kioskPid).toBeGreaterThan(0);
      process.kill(kioskPid, 'SIGTERM');
      expect(await exit, stderr.slice(-2000)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const text = readFileSync(trace, 'utf8');
    const { binds } = parseConnects(text);
    expect(
      binds.some((l) => /inet_addr\("127\.0\.0\.1"\)/.test(l)),
      'strace saw the kiosk bind its page (the trace is live)',
    ).toBe(true);
    const { inet, offending } = notToServer(text, pg.port);
    expect(inet.length, 'strace saw the kiosk connect to the server').toBeGreaterThan(0);
    expect(offending, `connects to anything but 127.0.0.1:${pg.port}:\n${offending.join('\n')}`).toEqual([]);
  }, 120_000);
});
