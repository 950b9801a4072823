/**
 * `proofdesk run` as a real process (the built dist/cli/main.js): the ready line, config failures (exit 2, never
 * DEMO), graceful shutdown with clients connected, no personal data in logs, and no outbound connection — proved
 * from outside the process (a network namespace with only loopback, and strace of every connect).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../../src/kiosk/config.js';
import { photoBytes, preparePhoto } from '../../src/screen/photo.js';
import { loadKeySet } from '../../src/trust/keyset.js';
import { importTrustBytes, initStore } from '../../src/trust/store.js';
import { verify } from '../../src/verify/verify.js';
import { bundleOf, credential, makeKeyPair } from '../trust/helpers.js';
import { demoCode, EXAMPLES, parseReady, ROOT, SseClient, tempDir } from './helpers.js';
import { guardTool, parseConnects } from './tools.js';

const MAIN = path.join(ROOT, 'dist/cli/main.js');
const DEMO_NAMES = ['demo-valid', 'demo-rent-only', 'demo-pre-settled', 'demo-pending', 'demo-student', 'demo-expired', 'demo-tampered'];

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` first (npm test does)`);
});

interface Proc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const procs: Proc[] = [];
const temps: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  for (const t of temps.splice(0)) t.remove();
});

function tmp(prefix: string): string {
  const t = tempDir(prefix);
  temps.push(t);
  return t.dir;
}

/** Each kiosk gets its own empty per-user data folder, so a trust store in the tester's home never changes a run. */
function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, XDG_DATA_HOME: tmp('xdg'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const p: Proc = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (c: Buffer) => (p.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (p.stderr += c.toString()));
  procs.push(p);
  return p;
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function ready(p: Proc): Promise<{ url: string; port: number; token: string; linkFile: string }> {
  return until('the ready line', () =>
    p.child.exitCode !== null
      ? (() => {
          throw new Error(`exited ${p.child.exitCode}: ${p.stderr}`);
        })()
      : parseReady(p.stdout),
  );
}

/**
 * Exit 0 alone proves nothing about a clean stop: run's shutdown deadline exits 0 too when close() hangs (e.g. on
 * open SSE responses). The kiosk must have finished closing by itself.
 */
function expectClosedByItself(p: Proc): void {
  const events = p.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { event?: string }).event);
  expect(events).toContain('stopped');
  expect(events).not.toContain('stop-deadline');
}

function checkCount(store: string): number {
  const file = path.join(store, 'checks.jsonl');
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"check"')).length;
}

describe('proofdesk run (process)', () => {
  it('prints exactly one ready line on the fixed default port, and stops on SIGTERM with exit 0 while SSE clients are connected', async () => {
    const store = tmp('run');
    const p = launch('node', [MAIN, 'run', '--records', store]);
    const { port, token, linkFile } = await ready(p);
    expect(port).toBe(DEFAULT_PORT);
    // The token lasts, so it is never printed where a journal keeps it, nor in the kiosk's command line (ps).
    expect(p.stdout).not.toContain(token);
    expect(p.stderr).not.toContain(token);
    expect(readFileSync(`/proc/${p.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    expect(linkFile).toBe(path.join(store, 'status-page-link.html'));
    const clients = [await SseClient.open(port, token), await SseClient.open(port, token), await SseClient.open(port, token)];
    await Promise.all(clients.map((c) => c.waitFor((s) => s.kind === 'idle')));
    p.child.kill('SIGTERM');
    const { code } = await p.exit;
    for (const c of clients) c.close();
    expect(code).toBe(0);
    expectClosedByItself(p);
    expect(p.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(p.stderr).toContain('DEMO mode');
  });

  it('with standard input on /dev/null it reads no scans (no garbage from a reused fd 0) and still serves the screen', async () => {
    const store = tmp('devnull');
    const child = spawn('node', [MAIN, 'run', '--port', '0', '--records', store], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const p: Proc = {
      child,
      stdout: '',
      stderr: '',
      exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    };
    child.stdout!.on('data', (c: Buffer) => (p.stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (p.stderr += c.toString()));
    procs.push(p);
    const { port } = await ready(p);
    // The screen is served, and says (as /health does) that no scanner can be read.
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, problems: [expect.stringMatching(/No scanner is set up/)], scanners: [] });
    expect(p.stderr).toMatch(/"event":"desk-alert".*No scanner is set up/);
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    expect(p.stderr).toContain('"event":"stdin-not-read"');
    expect(p.stderr).not.toMatch(/"event":"(check|dropped)"/);
    expect(checkCount(store)).toBe(0);
  });

  it('SIGINT also stops it with exit 0', async () => {
    const p = launch('node', [MAIN, 'run', '--port', '0', '--records', tmp('int')]);
    const { port, token } = await ready(p);
    const c = await SseClient.open(port, token);
    await c.waitFor(() => true);
    p.child.kill('SIGINT');
    expect((await p.exit).code).toBe(0);
    c.close();
    expectClosedByItself(p);
  });

  it('a config that fails to load is exit 2 naming the field — never a fallback to DEMO', async () => {
    const dir = tmp('cfg');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'desk:\n  purpose: shop\ntrust:\n  keys: ./keys.jwks\n');
    let r = spawnSync('node', [MAIN, 'run', '--config', bad, '--port', '0', '--records', path.join(dir, 's')], {
      encoding: 'utf8',
      input: '',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/desk\.purpose: .*"work"\|"rent"\|"housing"\|"any"/);
    expect(r.stderr).not.toContain('DEMO mode');

    const noKeys = path.join(dir, 'nokeys.yaml');
    writeFileSync(noKeys, 'desk:\n  purpose: work\ntrust:\n  keys: ./missing.jwks\n');
    r = spawnSync('node', [MAIN, 'run', '--config', noKeys, '--port', '0', '--records', path.join(dir, 's')], {
      encoding: 'utf8',
      input: '',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no trusted keys \(keys file\): cannot read key file .*missing\.jwks \(ENOENT\)/);
    // The file is named once.
    expect(r.stderr.match(/missing\.jwks/g)).toHaveLength(1);

    r = spawnSync('node', [MAIN, 'run', '--config', path.join(dir, 'absent.yaml')], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read config/);
  });

  it('--store names the trust store (as on verify and trust): its keys only, no DEMO; an unusable store is exit 2', async () => {
    const dir = tmp('store');
    const trustStore = path.join(dir, 'trust');
    const root = makeKeyPair('root');
    const issuer = makeKeyPair('issuer-a');
    const now = Math.floor(Date.now() / 1000);
    await initStore(trustStore, root.publicJwk);
    await importTrustBytes(trustStore, new TextEncoder().encode(await bundleOf(root, [issuer.publicJwk], 1, now - 60)), { now });

    // A folder that is no trust store: exit 2, never the DEMO keys.
    const r = spawnSync('node', [MAIN, 'run', '--port', '0', '--store', path.join(dir, 'empty'), '--records', path.join(dir, 'r0')], {
      encoding: 'utf8',
      input: '',
      env: { ...process.env, XDG_DATA_HOME: tmp('xdg') },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no trusted keys \(trust store\): no root is pinned in .*empty/);
    expect(r.stderr).not.toContain('DEMO mode');

    const records = path.join(dir, 'records');
    const p = launch('node', [MAIN, 'run', '--port', '0', '--store', trustStore, '--records', records]);
    const { port, token } = await ready(p);
    const sse = await SseClient.open(port, token);
    p.child.stdin!.write(`${demoCode('demo-valid')}\n`);
    const demo = await sse.waitFor((s) => s.kind === 'result');
    expect(demo).toMatchObject({ verdict: 'NOT VALID', reason: 'KEY_UNKNOWN', demo: false });
    p.child.stdin!.write(`${credential(issuer, { iat: now - 30 })}\n`);
    expect(await sse.waitFor((s) => s.kind === 'result' && s.checkId !== demo.checkId)).toMatchObject({ verdict: 'VALID', demo: false });
    await until('both checks recorded in the --records folder', () => checkCount(records) === 2);
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    sse.close();
    expect(p.stderr).not.toContain('DEMO mode');
    expect(p.stderr).toContain(`trusting the trust store ${trustStore}`);
  });

  it('without a config, a bundle imported into the per-user trust store replaces the DEMO keys', async () => {
    const xdg = tmp('xdg-store');
    const trustStore = path.join(xdg, 'proofdesk');
    mkdirSync(trustStore);
    const root = makeKeyPair('root');
    const now = Math.floor(Date.now() / 1000);
    await initStore(trustStore, root.publicJwk);
    await importTrustBytes(trustStore, new TextEncoder().encode(await bundleOf(root, [makeKeyPair('issuer-b').publicJwk], 1, now - 60)), {
      now,
    });
    const p = launch('node', [MAIN, 'run', '--port', '0', '--records', tmp('rec')], { XDG_DATA_HOME: xdg });
    const { port, token } = await ready(p);
    const sse = await SseClient.open(port, token);
    p.child.stdin!.write(`${demoCode('demo-valid')}\n`);
    expect(await sse.waitFor((s) => s.kind === 'result')).toMatchObject({ reason: 'KEY_UNKNOWN', demo: false });
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    sse.close();
    expect(p.stderr).not.toContain('DEMO mode');
    expect(p.stderr).toContain(`trusting the trust store ${trustStore}`);
  });

  it("with a config naming trust.keys, a bundle imported into the per-user trust store comes first (docs/trust.md's order)", async () => {
    const xdg = tmp('xdg-store');
    const trustStore = path.join(xdg, 'proofdesk');
    mkdirSync(trustStore);
    const root = makeKeyPair('root');
    const fromStore = makeKeyPair('issuer-store');
    const fromConfig = makeKeyPair('issuer-config');
    const now = Math.floor(Date.now() / 1000);
    await initStore(trustStore, root.publicJwk);
    await importTrustBytes(trustStore, new TextEncoder().encode(await bundleOf(root, [fromStore.publicJwk], 1, now - 60)), { now });
    const dir = tmp('cfg');
    writeFileSync(path.join(dir, 'keys.jwks'), JSON.stringify({ keys: [fromConfig.publicJwk] }));
    writeFileSync(path.join(dir, 'kiosk.yaml'), 'desk:\n  purpose: work\ntrust:\n  keys: ./keys.jwks\n');
    const p = launch('node', [MAIN, 'run', '--port', '0', '--config', path.join(dir, 'kiosk.yaml'), '--records', tmp('rec')], {
      XDG_DATA_HOME: xdg,
    });
    const { port, token } = await ready(p);
    const sse = await SseClient.open(port, token);
    p.child.stdin!.write(`${credential(fromConfig, { iat: now - 30 })}\n`);
    const first = await sse.waitFor((s) => s.kind === 'result');
    expect(first).toMatchObject({ reason: 'KEY_UNKNOWN', demo: false });
    p.child.stdin!.write(`${credential(fromStore, { iat: now - 29 })}\n`);
    expect(await sse.waitFor((s) => s.kind === 'result' && s.checkId !== first.checkId)).toMatchObject({ verdict: 'VALID', demo: false });
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    sse.close();
    expect(p.stderr).toContain(`trusting the trust store ${trustStore}`);
  });

  it('a desk without a bridge decodes no photo: the page gets the signed bytes, and libvips is never loaded', async () => {
    const p = launch('node', [MAIN, 'run', '--port', '0', '--records', path.join(tmp('records'), 'r')]);
    const { port, token } = await ready(p);
    const sse = await SseClient.open(port, token);
    p.child.stdin!.write(`${demoCode('demo-valid')}\n`);
    const shown = await sse.waitFor((s) => s.kind === 'result');
    const keys = await loadKeySet(path.join(EXAMPLES, 'demo-issuer.jwks'));
    const signed = photoBytes(verify(demoCode('demo-valid'), { keys }).identity)!;
    expect(shown.person?.photo).toMatchObject({ mime: 'image/avif', base64: Buffer.from(signed).toString('base64') });
    // The process's own memory map: the native image library (sharp's libvips, ~30 MB with what it holds) is absent.
    const maps = readFileSync(`/proc/${p.child.pid}/maps`, 'utf8');
    expect(maps).toMatch(/\/node\b/); // the check reads the right process
    expect(maps).not.toMatch(/libvips/);
    sse.close();
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
  });

  it('logs carry no personal data: names, dates of birth, document numbers, holder ids, photos, code text', async () => {
    const keys = await loadKeySet(path.join(EXAMPLES, 'demo-issuer.jwks'));
    const secrets = new Set<string>();
    const codes = DEMO_NAMES.map(demoCode);
    for (const code of codes) {
      secrets.add(code.slice(0, 40));
      const v = verify(code, { keys });
      const id = v.identity;
      if (!id) continue;
      for (const s of [id.fullName, id.firstName, id.lastName, id.dateOfBirth, id.id, v.status?.holderRef, v.status?.document?.reference])
        if (s) secrets.add(s);
      if (id.dateOfBirth && /^\d{8}$/.test(id.dateOfBirth))
        secrets.add(`${id.dateOfBirth.slice(0, 4)}-${id.dateOfBirth.slice(4, 6)}-${id.dateOfBirth.slice(6)}`);
      const photo = photoBytes(id);
      if (photo) {
        secrets.add(Buffer.from(photo).toString('base64').slice(0, 32));
        const view = preparePhoto(photo);
        if ('base64' in view) secrets.add(view.base64.slice(100, 132));
      }
    }
    expect(secrets.size).toBeGreaterThan(20); // the check below is only as good as this list
    const store = tmp('logs');
    const p = launch('node', [MAIN, 'run', '--port', '0', '--records', store, '--purpose', 'work'], { PROOFDESK_LOG_LEVEL: 'debug' });
    const { port, token } = await ready(p);
    const sse = await SseClient.open(port, token);
    p.child.stdin!.write(`${codes.join('\n')}\nnot a code at all\n${'Z'.repeat(5000)}\n`);
    // The codes are checks; "not a code at all" is NOT A STATUS CODE and the over-long read SCAN AGAIN: neither is recorded.
    await sse.waitFor((s) => s.kind === 'scan-again');
    // The records file can be written before the last screens reach this client (another channel): wait for both.
    await until('every check on screen', () => sse.states.filter((s) => s.kind === 'result').length === codes.length);
    await until('every check recorded', () => checkCount(store) === codes.length);
    expect(sse.states.some((s) => s.kind === 'not-a-code')).toBe(true);
    // The screen did show the personal data (so it was in the process), yet none of it reached the log.
    expect(JSON.stringify(sse.states)).toContain('Jordan Specimen');
    await fetch(`http://127.0.0.1:${port}/likeness?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ checkId: 'nope', answer: 'yes' }),
    });
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    sse.close();
    const logs = p.stderr;
    expect(logs).toMatch(/"event":"check"/);
    for (const s of secrets) expect(logs, `log leaks ${s}`).not.toContain(s);
    expect(logs.toLowerCase()).not.toContain('specimen');
  });
});

const strace = guardTool('strace');
const unshare = guardTool('unshare');
const offlineWhy = strace ?? unshare;

describe.skipIf(offlineWhy !== null)(`offline, proved from outside the process${offlineWhy ? ` (SKIPPED: ${offlineWhy})` : ''}`, () => {
  it('the trace check itself flags an outbound connect (so it can fail)', () => {
    const dir = tmp('neg');
    const trace = path.join(dir, 'trace');
    const r = spawnSync(
      'unshare',
      [
        '-n',
        '--',
        'strace',
        '-f',
        '-qq',
        '-e',
        'trace=connect',
        '-o',
        trace,
        'node',
        '-e',
        "require('net').connect(80, '192.0.2.1').on('error', () => {})",
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(0);
    const { offending } = parseConnects(readFileSync(trace, 'utf8'));
    expect(offending.join('\n')).toContain('192.0.2.1');
  });

  it('in a network namespace with only loopback, under strace: full service, and every connect is local', async () => {
    const dir = tmp('offline');
    const store = path.join(dir, 'records');
    const trace = path.join(dir, 'trace');
    const p = launch('unshare', [
      '-n',
      '--',
      'sh',
      '-c',
      `ip link set lo up && exec strace -f -qq -e trace=connect,bind -o '${trace}' node '${MAIN}' run --port 0 --records '${store}'`,
    ]);
    const { port, token } = await ready(p);
    const codes = DEMO_NAMES.map(demoCode);
    p.child.stdin!.write(`${codes.join('\n')}\n`);
    await until('every check recorded', () => checkCount(store) === codes.length);
    // A screen client inside the kiosk's namespace (the test's own network cannot reach it: that is the point).
    // unshare and sh exec, so the child's pid is strace's; the kiosk (node) is strace's child.
    const pid = String(p.child.pid);
    const kioskPid = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    expect(kioskPid).toBeGreaterThan(0);
    const inside = (script: string) =>
      spawnSync('nsenter', ['-t', pid, '-n', process.execPath, '-e', script], { encoding: 'utf8', timeout: 20_000 });
    const health = inside(`fetch('http://127.0.0.1:${port}/health').then((r) => r.text()).then((t) => process.stdout.write(t))`);
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
    const events = inside(`const http = require('http');
      http.get({ host: '127.0.0.1', port: ${port}, path: '/events?token=${token}' }, (res) => {
        res.setEncoding('utf8'); let all = '';
        res.on('data', (c) => { all += c; if (/^data: .*\\n\\n/m.test(all)) { process.stdout.write(all); process.exit(0); } });
      });`);
    expect(events.stdout).toMatch(/^data: \{"kind":"result"/m);
    process.kill(kioskPid, 'SIGTERM');
    expect((await p.exit).code).toBe(0);
    const { offending, binds } = parseConnects(readFileSync(trace, 'utf8'));
    expect(
      binds.some((l) => /inet_addr\("127\.0\.0\.1"\)/.test(l)),
      'strace saw the kiosk bind its page (the trace is live)',
    ).toBe(true);
    expect(offending, `non-local connects:\n${offending.join('\n')}`).toEqual([]);
  });
});
