#!/usr/bin/env node
/**
 * Kiosk benchmark: the real `proofdesk run` process (dist), DEMO keys, real photos, real records (fsync per entry).
 *
 *   node bench/kiosk.mjs cold [--n 7]        cold start: spawn → ready line on stdout (ms)
 *   node bench/kiosk.mjs latency [--n 1000] [--gap MS]
 *                                            scan-to-screen: last byte of a scan written to the kiosk's stdin →
 *                                            that check's SSE event received by a client (ms, p50/p99). --gap waits
 *                                            between scans (a desk scans a person every few seconds; 0 = back to
 *                                            back, so the previous check's record fsync can delay the next scan)
 *   node bench/kiosk.mjs rss [--n 10000]     RSS at ready, then after every 1,000 scans (MB)
 *   --node-flag F (repeatable): pass F to node (e.g. --node-flag --max-semi-space-size=2) to measure V8 settings.
 *   rss samples: total VmRSS, and its anonymous part (RssAnon: heap, malloc) vs file-backed part (RssFile: the
 *   node binary and shared libraries such as libvips, shared with other processes and reclaimable).
 *   --pty (latency, cold): stdin and stdout are a pseudo-terminal (script(1)), so scans take the typed path (the
 *   likeness-key filter) and the terminal display draws every screen; script relays the bytes (one more hop).
 *
 * Scans are distinct codes (the duplicate window would fold repeats), each signed with the DEMO key and carrying
 * the DEMO holder's photo, so each one runs verify + sharp photo + record. One scan in flight at a time.
 * The kiosk runs pinned to one core (taskset -c 0) when taskset exists. Prints one JSON line.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** --node-flag F (repeatable): extra node options for the kiosk process. */
const nodeFlags = rest.flatMap((a, i) => (a === '--node-flag' && rest[i + 1] ? [rest[i + 1]] : []));
/** --probe (rss): load bench/kiosk-probe.mjs into the kiosk and record, at each sample, where its memory is. */
const probe = rest.includes('--probe');
const probeFlags = probe ? ['--expose-gc', `--import=${path.join(root, 'bench/kiosk-probe.mjs')}`] : [];

function startKiosk(store) {
  // An empty per-user data folder: a trust store in the bencher's home must not replace the DEMO keys.
  process.env.XDG_DATA_HOME = store;
  const args = [...nodeFlags, ...probeFlags, MAIN, 'run', '--port', '0', '--records', path.join(store, 'records')];
  const t0 = performance.now();
  const argv = pin ? ['taskset', '-c', String(cpu), process.execPath, ...args] : [process.execPath, ...args];
  const child = viaPty
    ? spawn('script', ['-qfec', `exec ${argv.map((a) => `'${a}'`).join(' ')} 2>/dev/null`, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] })
    : spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const probes = [];
    child.stdout.on('data', (c) => {
      out += c;
      const m = /proofdesk ready: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\r?\n/.exec(out);
      if (m) resolve({ child, port: Number(m[2]), token: m[3], readyMs: performance.now() - t0, probes });
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

function stop(child) {
  return new Promise((resolve) => {
    child.on('exit', resolve);
    if (viaPty) {
      // script(1) execs into the kiosk's shell; the kiosk is its child.
      const kid = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0];
      process.kill(Number(kid), 'SIGTERM');
    } else child.kill('SIGTERM');
  });
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

async function makeCodes(n) {
  const keys = await loadKeySet(path.join(root, 'examples/demo-issuer.jwks'));
  const demo = verify(readFileSync(path.join(root, 'examples/demo-valid.txt'), 'utf8').trim(), { keys });
  const jwk = JSON.parse(readFileSync(path.join(root, 'examples/demo-issuer.private.jwk'), 'utf8'));
  const signer = { key: createPrivateKey({ key: jwk, format: 'jwk' }), alg: 'EdDSA', kid: jwk.kid };
  const now = Math.floor(Date.now() / 1000);
  const codes = [];
  for (let i = 0; i < n; i++) {
    codes.push({ name: `Bench Person ${i}`, code: encodeCredential({
      identity: { ...demo.identity, ...(withPhoto ? {} : { photo: undefined, photoFormat: undefined }), fullName: `Bench Person ${i}` },
      status: demo.status,
      cwt: { iss: 'DEMO', iat: now - 60, nbf: now - 60, exp: now + 86_400 },
    }, signer) });
  }
  return codes;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r3 = (x) => Math.round(x * 1000) / 1000;

/** Sends each code, waits for its screen; returns per-scan latencies (ms). `every(i)` runs after scan i. */
async function drive(k, codes, every = () => {}, gapMs = 0) {
  let waiting = null;
  const req = await sse(k.port, k.token, (s, at) => {
    if (waiting && s.kind === 'result' && s.person?.name === waiting.name) {
      const w = waiting;
      waiting = null;
      w.resolve(at);
    }
  });
  const lat = [];
  for (let i = 0; i < codes.length; i++) {
    const { name, code } = codes[i];
    const seen = new Promise((resolve) => (waiting = { name, resolve }));
    const line = `${code}\n`;
    const sent = await new Promise((resolve) => k.child.stdin.write(line, () => resolve(performance.now())));
    const at = await seen;
    lat.push(at - sent);
    await every(i);
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  req.destroy();
  return lat;
}

const store = mkdtempSync(path.join(tmpdir(), 'proofdesk-bench-'));
try {
  if (mode === 'cold') {
    const n = opt('--n', 7);
    const times = [];
    for (let i = 0; i < n; i++) {
      const k = await startKiosk(path.join(store, `c${i}`));
      times.push(k.readyMs);
      await stop(k.child);
    }
    console.log(JSON.stringify({ mode, n, p50: r3(pct(times, 50)), min: r3(Math.min(...times)), max: r3(Math.max(...times)), pinned: pin ? cpu : null }));
  } else if (mode === 'latency') {
    const n = opt('--n', 1000);
    const codes = await makeCodes(n + 50);
    const k = await startKiosk(path.join(store, 'lat'));
    await drive(k, codes.slice(n)); // warm-up: JIT, sharp, page cache
    const gap = opt('--gap', 0);
    const lat = await drive(k, codes.slice(0, n), () => {}, gap);
    await stop(k.child);
    console.log(JSON.stringify({ mode, n, photo: withPhoto, pty: viaPty, gapMs: gap, nodeFlags, p50: r3(pct(lat, 50)), p90: r3(pct(lat, 90)), p99: r3(pct(lat, 99)), max: r3(Math.max(...lat)), pinned: pin ? cpu : null }));
  } else if (mode === 'rss') {
    const n = opt('--n', 10_000);
    const codes = await makeCodes(n);
    const k = await startKiosk(path.join(store, 'rss'));
    await new Promise((r) => setTimeout(r, 500));
    const sample = async (scans) => {
      const s = { scans, ...rssMb(k.child.pid) };
      if (probe) {
        s.probe = await new Promise((resolve) => {
          k.probes.push(resolve);
          process.kill(k.child.pid, 'SIGUSR2');
        });
      }
      return s;
    };
    const samples = [await sample(0)];
    await drive(k, codes, async (i) => {
      if ((i + 1) % 1000 === 0) samples.push(await sample(i + 1));
    });
    await stop(k.child);
    console.log(JSON.stringify({ mode, n, photo: withPhoto, nodeFlags, samples, pinned: pin ? cpu : null }));
  } else {
    throw new Error(`unknown mode ${mode}: cold | latency | rss`);
  }
} finally {
  rmSync(store, { recursive: true, force: true });
}
