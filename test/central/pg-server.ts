/**
 * A real PostgreSQL server per test file: Debian's binaries (/usr/lib/postgresql/<major>/bin, the newest), `initdb`
 * into a temp folder, run as the `postgres` user when the tests run as root (the server refuses root), listening
 * on a socket in the temp folder and on 127.0.0.1 at a port free when it starts. Local (socket) connections are
 * trusted; TCP connections need a password (scram-sha-256), so password files are tested for real.
 *
 * Without the binaries a test file skips with the reason; with CI=true it fails loudly instead.
 * The server is fast rather than crash-proof (fsync off): the tests kill the kiosk and restart the server, never the
 * machine. The benchmark (bench/central.mjs) runs with the defaults.
 */
import { execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'vitest';

const PG_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed, or null. */
export function pgBin(): string | null {
  if (process.env.PROOFDESK_PG_BIN) return process.env.PROOFDESK_PG_BIN;
  let majors: string[];
  try {
    majors = fs
      .readdirSync(PG_ROOT)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return null;
  }
  for (const m of majors) {
    const bin = path.join(PG_ROOT, m, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
  }
  return null;
}

/** Why no server can be started here, or null. */
export function pgMissing(): string | null {
  const bin = pgBin();
  if (bin === null) return `no PostgreSQL server binaries under ${PG_ROOT}/*/bin (npm run setup installs postgresql)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root and there is no postgres user to run the server as';
  return null;
}

/**
 * null when a server can be started. Otherwise, under CI=true, registers a test that fails with the reason (loud);
 * without CI the caller skips with the reason in its title.
 */
export function guardPostgres(): string | null {
  const why = pgMissing();
  if (why !== null && process.env.CI === 'true') {
    it('PostgreSQL is required (CI=true)', () => {
      throw new Error(`CI=true and PostgreSQL is missing: ${why}`);
    });
  }
  return why;
}

function idOf(flag: '-u' | '-g', user: string): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  /** The temp folder: data/, the socket, the server log. */
  readonly dir: string;
  readonly socketDir: string;
  readonly port: number;
  readonly bin: string;
  /** The superuser, through the socket (trusted). */
  superUrl(database?: string): string;
  /** A role through TCP on 127.0.0.1 (needs its password). */
  tcpUrl(user: string, password: string, database?: string): string;
  /** A role through the socket (trusted: no password). */
  socketUrl(user: string, database?: string): string;
  /** Create a database owned by `owner` (default the superuser). */
  createDatabase(name: string, owner?: string): Promise<void>;
  /** Run SQL as the superuser in a database (psql, so the test shares no client code with the product). */
  psql(sql: string, database?: string): string;
  start(): Promise<void>;
  /** `fast` (clean) or `immediate` (as a crash: the next start replays the log). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  readonly running: boolean;
  /** Stop and remove everything. */
  remove(): Promise<void>;
  /** Listen on another address too (the offline test's namespace). */
  readonly listenAddresses: string;
  /**
   * Cuts the lifeline as this process's death would (the kernel closes the pipe): the watchdog stops the server and
   * removes its folder, and this resolves when it has. For the watchdog's own test.
   */
  cutLifeline(): Promise<void>;
}

export interface StartOptions {
  /** Addresses to listen on (default 127.0.0.1; '' = socket only). */
  listen?: string;
  port?: number;
  /**
   * Run the server inside the network namespace of this process id (the offline test's: only loopback there, and
   * nothing from outside reaches its 127.0.0.1). Needs root (nsenter). Its socket, a file, is reachable from here.
   */
  netns?: number;
}

export async function startPostgres(opts: StartOptions = {}): Promise<PgServer> {
  const bin = pgBin();
  if (bin === null) throw new Error(pgMissing() ?? 'no PostgreSQL');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofdesk-pg-'));
  const socketDir = path.join(dir, 'sock');
  const data = path.join(dir, 'data');
  fs.mkdirSync(socketDir);
  const asRoot = process.getuid?.() === 0;
  const run: SpawnOptions = {};
  if (asRoot) {
    const uid = idOf('-u', 'postgres');
    const gid = idOf('-g', 'postgres');
    fs.chmodSync(dir, 0o755);
    fs.chownSync(dir, uid, gid);
    fs.chownSync(socketDir, uid, gid);
    Object.assign(run, { uid, gid });
  }
  const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', PGTZ: 'UTC' };
  // pg_ctl (the postmaster it starts stays there) through nsenter, which enters the namespace as root, then drops to
  // the postgres user itself.
  const ctl = (args: string[]): [string, string[], SpawnOptions] =>
    opts.netns === undefined
      ? [path.join(bin, 'pg_ctl'), args, run]
      : [
          'nsenter',
          [
            '-t',
            String(opts.netns),
            '-n',
            ...(run.uid !== undefined ? ['-S', String(run.uid), '-G', String(run.gid)] : []),
            '--',
            path.join(bin, 'pg_ctl'),
            ...args,
          ],
          {},
        ];
  const exec = (cmd: string, args: string[]): string => {
    const [file, argv, as] = cmd === 'pg_ctl' ? ctl(args) : [path.join(bin, cmd), args, run];
    const r = spawnSync(file, argv, { ...as, env, cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  const listen = opts.listen ?? '127.0.0.1';
  let port = opts.port ?? (listen === '' ? 5432 : await freePort());
  let running = false;
  const log = path.join(dir, 'server.log');
  // A test run killed from outside (a timeout, ^C) never reaches its afterAll: the server must not outlive it. The
  // watchdog's stdin is a pipe from this process, so its `read` returns once this process is gone, however it went;
  // it then stops the server (immediate: nothing here is kept) and removes the folder.
  const watchdog = spawn(
    'sh',
    ['-c', 'read _ ; "$0" -D "$1" -m immediate -w stop >/dev/null 2>&1 ; rm -rf "$2"', path.join(bin, 'pg_ctl'), data, dir],
    { ...run, env, stdio: ['pipe', 'ignore', 'ignore'], detached: true },
  );
  const watchdogGone = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();

  const server: PgServer = {
    dir,
    socketDir,
    bin,
    listenAddresses: listen,
    get port() {
      return port;
    },
    get running() {
      return running;
    },
    superUrl: (database = 'postgres') => `postgresql://postgres@/${database}?host=${encodeURIComponent(socketDir)}&port=${port}`,
    socketUrl: (user, database = 'postgres') =>
      `postgresql://${encodeURIComponent(user)}@/${database}?host=${encodeURIComponent(socketDir)}&port=${port}`,
    tcpUrl: (user, password, database = 'postgres') =>
      `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async createDatabase(name, owner = 'postgres') {
      server.psql(`CREATE DATABASE "${name}" OWNER "${owner}"`);
    },
    psql(sql, database = 'postgres') {
      const r = spawnSync(
        path.join(bin, 'psql'),
        ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-c', sql],
        { env, encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    async start() {
      for (let attempt = 0; ; attempt++) {
        const settings = [
          `-c listen_addresses='${listen}'`,
          `-c port=${port}`,
          `-c unix_socket_directories='${socketDir}'`,
          '-c fsync=off',
          '-c synchronous_commit=off',
          '-c full_page_writes=off',
          '-c max_connections=100',
          // Wait for statements, not for pages: keep the server's own memory small on a shared machine.
          '-c shared_buffers=16MB',
        ].join(' ');
        const [file, argv, as] = ctl(['-D', data, '-l', log, '-w', '-t', '120', '-o', settings, 'start']);
        const r = spawnSync(file, argv, {
          ...as,
          env,
          cwd: dir,
          encoding: 'utf8',
        });
        if (r.status === 0) break;
        const why = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : r.stderr;
        // The port was free when picked; another process may have taken it since.
        if (attempt < 3 && opts.port === undefined && listen !== '' && /could not bind|Address already in use/.test(why)) {
          port = await freePort();
          continue;
        }
        throw new Error(`pg_ctl start failed: ${r.stderr}\n${why.slice(-2000)}`);
      }
      running = true;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      exec('pg_ctl', ['-D', data, '-w', '-t', '120', '-m', mode, 'stop']);
      running = false;
    },
    async remove() {
      try {
        await server.stop('immediate');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        watchdog.stdin?.end();
        await watchdogGone;
      }
    },
    async cutLifeline() {
      watchdog.stdin?.destroy();
      await watchdogGone;
      running = false;
    },
  };
  await server.start();
  return server;
}

/** A child process's exit, for tests that run pg_dump and the like. */
export function runTool(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}
