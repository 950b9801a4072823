#!/usr/bin/env node
/**
 * Kiosk benchmark: the real `proofdesk run` process (dist), DEMO keys, real photos, real records (fsync per entry).
 *
 *   node bench/kiosk.mjs cold [--n 7]        cold start: spawn → ready line on stdout (ms)
 *   node bench/kiosk.mjs latency [--n 1000] [--gap MS]
 *                                            scan-to-screen: last byte of a scan written to the kiosk's stdin →
 *                                            that check's SSE event received by a client (ms, p50/p99), and the
 *                                            kiosk's CPU time per scan (cpuMsPerScan: steadier than wall times on a
 *                                            shared machine). --gap waits between scans (0 = back to back)
 *   node bench/kiosk.mjs rss [--n 10000] [--every 1000] [--rounds 1] [--from 20000]
 *                                            RSS at ready, then every --every scans (MB); each round a fresh
 *                                            kiosk; per round and as medians over rounds: the level once warm
 *                                            (median of the samples in [from, from + 10,000]), the level at the end
 *                                            (median of the last 10,000 scans' samples), their difference, the
 *                                            Theil–Sen slope from `from` on in bytes per scan (the record store's
 *                                            keep-until index alone is ≈ 100), the maximum
 *   --env unit (default) | none: the kiosk's environment as the systemd unit sets it (its Environment= lines:
 *   NODE_OPTIONS and the MALLOC_ tunables), or plain `node` with none of them.
 *   --node-flag F (repeatable): pass F to node (e.g. --node-flag --max-semi-space-size=2) to measure V8 settings.
 *   --probe / --probe-gc (rss): where the memory is at each sample (bench/kiosk-probe.mjs: V8 spaces, smaps by kind).
 *   rss samples: total VmRSS, and its anonymous part (RssAnon: heap, malloc) vs file-backed part (RssFile: the
 *   node binary and shared libraries such as libvips, shared with other processes and reclaimable).
 *   --pty (latency, cold): stdin and stdout are a pseudo-terminal (script(1)), so scans take the typed path (the
 *   likeness-key filter) and the terminal display draws every screen; script relays the bytes (one more hop).
 *   --bridge: a firmware bridge box (the posix port) on the desk too; each scan also waits for its TFT screen.
 *
 * Scans are distinct codes (the duplicate window would fold repeats), each signed with the DEMO key and carrying
 * the DEMO holder's 600-byte AVIF photo, so each one runs verify + photo (headers read; the page gets the bytes) +
 * record. One scan in flight at a time. The kiosk runs pinned to one core (--cpu N, default 0; -1 = not pinned)
 * when taskset exists. Prints one JSON line.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCredential } from '../dist/credential/encode.js';
import { loadKeySet } from '../dist/trust/keyset.js';
import { verify } from '../dist/verify/verify.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(root, 'dist/cli/main.js');
const [mode = 'latency', ...rest] = process.argv.slice(2);
const opt = (name, dflt) => (rest.includes(name) ? Number(rest[rest.indexOf(name) + 1]) : dflt);

function hasTaskset() {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}
/** The core the kiosk is pinned to (--cpu N; default 0), or no pinning with --cpu -1. */
const cpu = opt('--cpu', 0);
const pin = cpu >= 0 && hasTaskset();
/** --no-photo: codes without a photo (isolates the photo step's cost and memory). */
const withPhoto = !rest.includes('--no-photo');

/** --pty: the kiosk's stdin and stdout are a terminal (script(1)): the typed-scan path, with the terminal display on. */
const viaPty = rest.includes('--pty');

/**
 * --env unit (default): the kiosk gets the environment the systemd unit gives it (its Environment= lines:
 * NODE_OPTIONS and the MALLOC_ tunables), as a desk runs it. --env none: plain `node`, none of them.
 */
const envName = rest.includes('--env') ? rest[rest.indexOf('--env') + 1] : 'unit';
if (envName !== 'unit' && envName !== 'none') throw new Error(`--env unit | none, not ${envName}`);
const UNIT = path.join(root, 'hardware/systemd/proofdesk.service');
const kioskEnv =
  envName === 'unit'
    ? Object.fromEntries(
        readFileSync(UNIT, 'utf8')
          .split('\n')
          .flatMap((l) => {
            const m = /^Environment=([A-Z_]+)=(.*)$/.exec(l.trim());
            return m ? [[m[1], m[2]]] : [];
          }),
      )
    : {};
function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  for (const k of Object.keys(env)) if (k.startsWith('MALLOC_')) delete env[k];
  return { ...env, ...kioskEnv };
}

/** --node-flag F (repeatable): extra node options for the kiosk process. */
const nodeFlags = rest.flatMap((a, i) => (a === '--node-flag' && rest[i + 1] ? [rest[i + 1]] : []));
/**
 * --probe (rss): load bench/kiosk-probe.mjs into the kiosk and record, at each sample, where its memory is.
 * --probe-gc: the same after two full GCs at each sample (live memory only; changes what V8 keeps, so the RSS
 * figures of such a run are not the kiosk's own).
 */
const probeGc = rest.includes('--probe-gc');
const probe = rest.includes('--probe') || probeGc;
const probeFlags = probe ? [...(probeGc ? ['--expose-gc'] : []), `--import=${path.join(root, 'bench/kiosk-probe.mjs')}`] : [];

/**
 * --bridge: a firmware bridge box on the desk too (the posix port of firmware-bridge, over ptys): the kiosk runs
 * with a config naming its host link, lays out every screen for the TFT (text and the photo rastered by sharp) and
 * sends it; each scan then also waits for that screen to be drawn on the bridge's panel.
 */
const withBridge = rest.includes('--bridge');

async function startBridge(dir) {
  const bin = path.join(root, 'firmware-bridge/build/posix/proofdesk-bridge');
  const fw = spawn(
    bin,
    ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', path.join(dir, 'panel.raw'), '--quiet'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const paths = await new Promise((resolve, reject) => {
    let out = '';
    fw.stdout.on('data', (d) => {
      out += d;
      if (/^ready pid/m.test(out))
        resolve(
          Object.fromEntries(
            out
              .trim()
              .split('\n')
              .map((l) => l.split(' ')),
          ),
        );
    });
    fw.on('exit', (c) => reject(new Error(`posix port exited ${c} (build it: make -C firmware-bridge posix)`)));
  });
  const config = path.join(dir, 'kiosk.json');
  writeFileSync(
    config,
    JSON.stringify({
      desk: { id: 'bench', purpose: 'work' },
      trust: { keys: path.join(root, 'examples/demo-issuer.jwks') },
      scanners: { stdin: true, discover: false },
      bridges: [{ path: paths['host-link'] }],
      displays: { terminal: 'off' },
      screen: { clearAfterSeconds: 3600 },
    }),
  );
  return { fw, config };
}

async function startKiosk(store) {
  // An empty per-user data folder: a trust store in the bencher's home must not replace the DEMO keys.
  process.env.XDG_DATA_HOME = store;
  mkdirSync(store, { recursive: true });
  const bridge = withBridge ? await startBridge(store) : null;
  const args = [
    ...nodeFlags,
    ...probeFlags,
    MAIN,
    'run',
    '--port',
    '0',
    '--records',
    path.join(store, 'records'),
    ...(bridge ? ['--config', bridge.config] : []),
  ];
  const t0 = performance.now();
  const argv = pin ? ['taskset', '-c', String(cpu), process.execPath, ...args] : [process.execPath, ...args];
  const child = viaPty
    ? spawn('script', ['-qfec', `exec ${argv.map((a) => `'${a}'`).join(' ')} 2>/dev/null`, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'ignore'],
        env: childEnv(),
      })
    : spawn(argv[0], argv.slice(1), {
        stdio: ['pipe', 'pipe', bridge ? 'pipe' : 'ignore'],
        env: childEnv(bridge ? { PROOFDESK_LOG_LEVEL: 'debug' } : {}),
      });
  // --bridge: count the screens the bridge has drawn (the kiosk's debug log event), so a scan can wait for its own.
  const drawn = { count: 0, waiters: [] };
  if (bridge) {
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
      let nl;
      while ((nl = err.indexOf('\n')) >= 0) {
        const line = err.slice(0, nl);
        err = err.slice(nl + 1);
        if (!line.includes('"bridge-screen-drawn"')) continue;
        drawn.count++;
        drawn.waiters = drawn.waiters.filter((w) => (drawn.count >= w.count ? (w.resolve(), false) : true));
      }
    });
  }
  const drawnAtLeast = (count) =>
    drawn.count >= count ? Promise.resolve() : new Promise((resolve) => drawn.waiters.push({ count, resolve }));
  return new Promise((resolve, reject) => {
    let out = '';
    const probes = [];
    child.stdout.on('data', (c) => {
      out += c;
      // On a terminal the ready line is the link itself; on a pipe (here, unless --pty) it names the owner-only file
      // that holds the link, and the token is read from there.
      const tty = /proofdesk ready: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)\r?\n/.exec(out);
      const piped = /proofdesk ready: http:\/\/127\.0\.0\.1:(\d+)\/ — the page's link \(with its token\) is in (.+)\n/.exec(out);
      const token = tty ? tty[2] : piped ? /[?&]token=([A-Za-z0-9_-]+)/.exec(readFileSync(piped[2], 'utf8'))?.[1] : undefined;
      const m = tty ?? piped;
      if (m && token) resolve({ child, port: Number(m[1]), token, readyMs: performance.now() - t0, probes, drawn, drawnAtLeast, bridge });
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith('probe: ')) probes.shift()?.(JSON.parse(line.slice(7)));
      }
    });
    child.on('exit', (code) => reject(new Error(`kiosk exited ${code} before ready`)));
  });
}

async function stop(k) {
  const { child } = k;
  await new Promise((resolve) => {
    child.on('exit', resolve);
    if (viaPty) {
      // script(1) execs into the kiosk's shell; the kiosk is its child.
      const kid = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0];
      process.kill(Number(kid), 'SIGTERM');
    } else child.kill('SIGTERM');
  });
  if (k.bridge) {
    const { fw } = k.bridge;
    await new Promise((resolve) => {
      fw.on('exit', resolve);
      fw.kill('SIGTERM');
    });
  }
}

/** CPU time (user + system) the process has used so far, ms (/proc/PID/stat, clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15 of proc(5))
}

function rssMb(pid) {
  // taskset execs node, so the child's pid is the kiosk's.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => Math.round((Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]) / 1024) * 10) / 10;
  return { rssMb: mb('VmRSS'), anonMb: mb('RssAnon'), fileMb: mb('RssFile') };
}

function sse(port, token, onState) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/events?token=${token}` }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          for (const line of block.split('\n')) if (line.startsWith('data: ')) onState(JSON.parse(line.slice(6)), performance.now());
        }
      });
      resolve(req);
    });
  });
}

/** `codeAt(i)`: the i-th distinct code (made when asked, so 100,000 of them need not sit in this process). */
async function makeCodes() {
  const keys = await loadKeySet(path.join(root, 'examples/demo-issuer.jwks'));
  const demo = verify(readFileSync(path.join(root, 'examples/demo-valid.txt'), 'utf8').trim(), { keys });
  const jwk = JSON.parse(readFileSync(path.join(root, 'examples/demo-issuer.private.jwk'), 'utf8'));
  const signer = { key: createPrivateKey({ key: jwk, format: 'jwk' }), alg: 'EdDSA', kid: jwk.kid };
  const now = Math.floor(Date.now() / 1000);
  return (i) => ({
    name: `Bench Person ${i}`,
    code: encodeCredential(
      {
        identity: { ...demo.identity, ...(withPhoto ? {} : { photo: undefined, photoFormat: undefined }), fullName: `Bench Person ${i}` },
        status: demo.status,
        cwt: { iss: 'DEMO', iat: now - 60, nbf: now - 60, exp: now + 86_400 },
      },
      signer,
    ),
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r3 = (x) => Math.round(x * 1000) / 1000;

/** Sends codes `from`..`to`-1, each after the last one's screen; returns per-scan latencies (ms). `every(i)` runs after scan i. */
async function drive(k, codeAt, from, to, every = () => {}, gapMs = 0) {
  let waiting = null;
  const req = await sse(k.port, k.token, (s, at) => {
    if (waiting && s.kind === 'result' && s.person?.name === waiting.name) {
      const w = waiting;
      waiting = null;
      w.resolve(at);
    }
  });
  const lat = [];
  if (withBridge) await k.drawnAtLeast(1); // the idle screen
  const drawnBefore = k.drawn.count;
  for (let i = from; i < to; i++) {
    const { name, code } = codeAt(i);
    const seen = new Promise((resolve) => (waiting = { name, resolve }));
    const line = `${code}\n`;
    const sent = await new Promise((resolve) => k.child.stdin.write(line, () => resolve(performance.now())));
    const at = await seen;
    lat.push(at - sent);
    if (withBridge) await k.drawnAtLeast(drawnBefore + i - from + 1);
    await every(i);
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  req.destroy();
  return lat;
}

/**
 * One run's memory figures (MB), robust to V8's and malloc's saw-tooth: levels are medians of the samples in a
 * window of scans, the trend is the Theil–Sen slope (median of all pairwise slopes) of the samples from `from` on.
 *   readyMb       RSS at ready (no scan yet)
 *   startMb       median RSS over the samples in [from, from + 10,000]   (the level once warm)
 *   endMb         median RSS over the last 10,000 scans' samples          (the level at the end)
 *   maxMb         the largest sample
 *   growthMb      endMb − startMb
 *   slopeBPerScan Theil–Sen slope of RSS from `from` on, bytes per scan (the record index alone is ≈ 100)
 *   anonStartMb / anonEndMb: the same levels for RssAnon (heap, malloc: what can grow)
 */
function rssSummary(samples, from) {
  const last = samples.at(-1).scans;
  const med = (xs) => pct(xs, 50);
  const window = (lo, hi, key) => med(samples.filter((x) => x.scans >= lo && x.scans <= hi).map((x) => x[key]));
  const tail = samples.filter((x) => x.scans >= from);
  const slopes = [];
  for (let i = 0; i < tail.length; i++) {
    for (let j = i + 1; j < tail.length; j++) slopes.push(((tail[j].rssMb - tail[i].rssMb) * 1048576) / (tail[j].scans - tail[i].scans));
  }
  const startMb = window(from, from + 10_000, 'rssMb');
  const endMb = window(Math.max(from, last - 10_000), last, 'rssMb');
  return {
    readyMb: samples[0].rssMb,
    startMb,
    endMb,
    maxMb: Math.max(...samples.map((x) => x.rssMb)),
    growthMb: Math.round((endMb - startMb) * 10) / 10,
    slopeBPerScan: slopes.length ? Math.round(med(slopes)) : 0,
    anonStartMb: window(from, from + 10_000, 'anonMb'),
    anonEndMb: window(Math.max(from, last - 10_000), last, 'anonMb'),
  };
}

const store = mkdtempSync(path.join(tmpdir(), 'proofdesk-bench-'));
try {
  if (mode === 'cold') {
    const n = opt('--n', 7);
    const times = [];
    for (let i = 0; i < n; i++) {
      const k = await startKiosk(path.join(store, `c${i}`));
      times.push(k.readyMs);
      await stop(k);
    }
    console.log(
      JSON.stringify({
        mode,
        n,
        env: envName,
        kioskEnv,
        p50: r3(pct(times, 50)),
        min: r3(Math.min(...times)),
        max: r3(Math.max(...times)),
        pinned: pin ? cpu : null,
      }),
    );
  } else if (mode === 'latency') {
    const n = opt('--n', 1000);
    const codeAt = await makeCodes();
    const k = await startKiosk(path.join(store, 'lat'));
    await drive(k, codeAt, n, n + 50); // warm-up: JIT, page cache (and sharp, with --bridge)
    const gap = opt('--gap', 0);
    const cpu0 = cpuMs(k.child.pid);
    const lat = await drive(k, codeAt, 0, n, () => {}, gap);
    // The kiosk's CPU time per scan: what the work costs, whatever else the machine is doing (unlike wall times).
    const cpuPerScan = (cpuMs(k.child.pid) - cpu0) / n;
    await stop(k);
    console.log(
      JSON.stringify({
        mode,
        n,
        photo: withPhoto,
        pty: viaPty,
        bridge: withBridge,
        gapMs: gap,
        env: envName,
        kioskEnv,
        nodeFlags,
        p50: r3(pct(lat, 50)),
        p90: r3(pct(lat, 90)),
        p99: r3(pct(lat, 99)),
        max: r3(Math.max(...lat)),
        cpuMsPerScan: r3(cpuPerScan),
        pinned: pin ? cpu : null,
      }),
    );
  } else if (mode === 'rss') {
    const n = opt('--n', 10_000);
    const every = opt('--every', 1000);
    const rounds = opt('--rounds', 1);
    const from = opt('--from', Math.min(20_000, Math.floor(n / 2)));
    const codeAt = await makeCodes();
    const runs = [];
    for (let r = 0; r < rounds; r++) {
      const k = await startKiosk(path.join(store, `rss${r}`));
      await new Promise((res) => setTimeout(res, 500));
      const sample = async (scans) => {
        const x = { scans, ...rssMb(k.child.pid) };
        if (probe) {
          x.probe = await new Promise((resolve) => {
            k.probes.push(resolve);
            process.kill(k.child.pid, 'SIGUSR2');
          });
        }
        return x;
      };
      const samples = [await sample(0)];
      await drive(k, codeAt, 0, n, async (i) => {
        if ((i + 1) % every === 0) samples.push(await sample(i + 1));
      });
      await stop(k);
      runs.push({ summary: rssSummary(samples, from), samples });
      process.stderr.write(`round ${r + 1}/${rounds}: ${JSON.stringify(runs.at(-1).summary)}\n`);
    }
    // Each figure: the median over rounds (each round is a fresh kiosk).
    const keys = Object.keys(runs[0].summary);
    const median = Object.fromEntries(
      keys.map((key) => [
        key,
        r3(
          pct(
            runs.map((x) => x.summary[key]),
            50,
          ),
        ),
      ]),
    );
    console.log(
      JSON.stringify({
        mode,
        n,
        every,
        from,
        rounds,
        photo: withPhoto,
        bridge: withBridge,
        env: envName,
        kioskEnv,
        nodeFlags,
        median,
        runs,
        pinned: pin ? cpu : null,
      }),
    );
  } else {
    throw new Error(`unknown mode ${mode}: cold | latency | rss`);
  }
} finally {
  rmSync(store, { recursive: true, force: true });
}
