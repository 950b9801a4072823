#!/usr/bin/env node
/**
 * Trust benchmark: one case per process (bench/trust-run.mjs pins each to one core and repeats).
 *   node bench/trust.mjs <off|on|lookup|ab> [--ms 1500]  → one JSON line { case, ops, usPerOp, rssMB }
 *   node bench/trust.mjs sizes                         → 1,000,000-entry lists (0.1 %…10 % set, worst case), both
 *                                                        forms: file size, load, lookup; cost of refusing a zlib bomb
 * "off": verify of a realistic credential (photo, status-list reference) with the trust store's keys only.
 * "on":  the same verify with the store's TrustContext: a 1,000,000-entry status list (revocation lookup),
 *        staleness limit and clock floor — loaded through the real store (import, re-verify, inflate).
 * Runs against dist/ (npm run build first).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCredential, verify } from '../dist/index.js';
import {
  buildBundle,
  buildStatusListToken,
  importTrustBytes,
  initStore,
  issuerKeyRefs,
  checkIssuerJwk,
  loadTrustState,
  signingKeyFromJwk,
  StatusList,
  verifyStatusListToken,
} from '../dist/trust/index.js';

const [, , caseName = 'on', ...rest] = process.argv;
const budgetMs = Number(rest[rest.indexOf('--ms') + 1] ?? 1500) || 1500;
const NOW_S = Math.floor(Date.now() / 1000);
const ENTRIES = 1_000_000;
const URI = 'https://status.example.gov.uk/lists/7';

/** The "photo" credential of bench/verify.mjs (a ~600-byte incompressible face stand-in), ~1.3 k Base45 chars. */
function photoBytes(n) {
  const out = new Uint8Array(n);
  let x = 0x12345678;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
const PHOTO_CREDENTIAL = {
  identity: {
    id: 'GB-7Q2-88A-31',
    fullName: 'Amara Okafor',
    dateOfBirth: '19910412',
    gender: 2,
    nationality: 'NGA',
    photo: photoBytes(600),
    photoFormat: 3,
  },
  status: {
    scheme: 'points-based',
    statusType: 'limited',
    validFrom: '2025-01-10',
    validUntil: '2028-01-09',
    work: { kind: 'restricted', condition: 'Skilled Worker: sponsor only' },
    rent: true,
    publicFunds: false,
    purpose: 'all',
  },
  cwt: { iss: 'https://issuer.example', iat: NOW_S - 86400, nbf: NOW_S - 86400, exp: NOW_S + 180 * 86400 },
};

function pair(kid) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' },
  };
}

/** Deterministic pseudo-random indexes (issuers allocate indexes at random). */
function* indexes(n, seed = 7) {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    yield x % ENTRIES;
  }
}

function listWith(revoked) {
  const list = StatusList.empty(2, ENTRIES);
  let i = 0;
  for (const idx of indexes(revoked)) list.set(idx, i++ % 10 === 0 ? 2 : 1);
  return list;
}

/** A real store: pinned root, bundle with the issuer key, and a 1,000,000-entry status list (or the token given). */
async function makeStore(revoked, given = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'proofdesk-bench-trust-'));
  const root = pair('bench-root');
  const issuer = given.issuer ?? pair('bench-issuer');
  await initStore(dir, root.publicJwk);
  const bundle = await buildBundle({ rootPrivateJwk: root.privateJwk, issuers: { keys: [issuer.publicJwk] }, seq: 1, iat: NOW_S - 3600 });
  await importTrustBytes(dir, new TextEncoder().encode(bundle), { now: NOW_S });
  const signer = await signingKeyFromJwk(issuer.privateJwk);
  const token =
    given.token ?? (await buildStatusListToken({ uri: URI, list: listWith(revoked), signer, iat: NOW_S - 600, ttl: 86400, format: 'jwt' }));
  await importTrustBytes(dir, token, { now: NOW_S });
  return { dir, issuer };
}

/** CPU time of this process in ms (user + system): time spent descheduled on a busy machine does not count. */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs fn for budgetMs of wall time after a warm-up; returns ops per second of wall time and of CPU time. */
async function measure(fn) {
  const warmEnd = performance.now() + Math.min(300, budgetMs / 4);
  while (performance.now() < warmEnd) fn();
  let ops = 0;
  const start = performance.now();
  const cpu0 = cpuMs();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 50; i++) fn();
    ops += 50;
    elapsed = performance.now() - start;
  }
  return { wall: (ops * 1000) / elapsed, cpu: (ops * 1000) / (cpuMs() - cpu0) };
}

async function main() {
  if (caseName === 'sizes') return sizes();
  const { dir, issuer } = await makeStore(1000);
  try {
    const state = await loadTrustState({ storeDir: dir });
    // An index the list leaves VALID, so the whole pipeline runs to a VALID verdict in both cases.
    let idx = 48213;
    while (state.context.statusOf({ uri: URI, idx }, state.keys.keys[0]).status !== 'VALID') idx++;
    const text = encodeCredential(
      { ...PHOTO_CREDENTIAL, statusList: { uri: URI, idx } },
      { key: issuer.privateKey, alg: 'EdDSA', kid: 'bench-issuer' },
    );
    const now = Date.now();
    const off = { keys: state.keys, now, purpose: 'rent' };
    const on = { keys: state.keys, now, purpose: 'rent', trust: state.context };
    for (const o of [off, on])
      if (!verify(text, o).valid) throw new Error(`benchmark credential does not verify: ${verify(text, o).reason}`);
    let sink = 0;
    const probes = [...indexes(4096, 99)];
    let p = 0;
    const signer = state.keys.keys[0]; // the key that signed the list (a list answers for its issuer's codes)
    const cases = {
      off: () => {
        sink ^= verify(text, off).valid ? 1 : 0;
      },
      on: () => {
        sink ^= verify(text, on).valid ? 1 : 0;
      },
      lookup: () => {
        sink ^= state.context.statusOf({ uri: URI, idx: probes[p++ & 4095] }, signer).listIssuedAt & 1;
      },
    };
    if (caseName === 'ab') return ab(cases.off, cases.on, () => sink);
    if (caseName === 'aa') return ab(cases.off, cases.off, () => sink); // calibration: the same function twice
    const fn = cases[caseName];
    if (!fn) throw new Error(`unknown case ${caseName}: ${Object.keys(cases).join(', ')}, sizes`);
    const { wall, cpu } = await measure(fn);
    console.log(
      JSON.stringify({
        case: caseName,
        ops: Math.round(cpu),
        opsWall: Math.round(wall),
        usPerOp: +(1e6 / cpu).toFixed(3),
        rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
        sink: sink & 1,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * "ab": off and on interleaved in the same process in slices of 20 verifies, CPU time summed per variant. On a
 * shared, noisy machine this is the steadier comparison: whatever slows the core slows both alike.
 * "aa" runs the same function as both halves: its "slowdown" is the method's own noise floor.
 */
async function ab(off, on, sinkOf) {
  const slice = 20;
  for (let i = 0; i < 200; i++) {
    off();
    on();
  }
  const t = { off: 0, on: 0 };
  const n = { off: 0, on: 0 };
  const end = performance.now() + budgetMs * 2;
  let flip = false;
  while (performance.now() < end) {
    for (const [name, fn] of flip
      ? [
          ['on', on],
          ['off', off],
        ]
      : [
          ['off', off],
          ['on', on],
        ]) {
      const t0 = cpuMs();
      for (let i = 0; i < slice; i++) fn();
      t[name] += cpuMs() - t0;
      n[name] += slice;
    }
    flip = !flip;
  }
  const opsOff = (n.off * 1000) / t.off;
  const opsOn = (n.on * 1000) / t.on;
  console.log(
    JSON.stringify({
      case: 'ab',
      ops: Math.round(opsOn),
      opsOff: Math.round(opsOff),
      opsOn: Math.round(opsOn),
      slowdown: +(1 - opsOn / opsOff).toFixed(4),
      rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
      sink: sinkOf() & 1,
    }),
  );
}

/**
 * 1,000,000-entry lists at several fill levels — 0.1 %, 1 % and 10 % set at random indexes, and the worst case
 * (every entry a random status: nothing to compress) — in both signed forms: file size, import into a real store,
 * load (read + re-verify + inflate), and lookup cost. Then the cost of refusing a signed zlib bomb.
 */
async function sizes() {
  const issuer = pair('bench-issuer');
  const signer = await signingKeyFromJwk(issuer.privateJwk);
  const keys = await issuerKeyRefs([checkIssuerJwk(issuer.publicJwk, 'issuer')]);
  const rows = [];
  for (const fill of [0, 1000, 10_000, 100_000, 'worst']) {
    const list = fill === 'worst' ? worstList() : listWith(fill);
    const lst = list.compress();
    const row = {
      entries: ENTRIES,
      set: fill === 'worst' ? 'every entry random' : fill,
      rawBytes: list.bytes.length,
      lstBytes: lst.length,
    };
    for (const format of ['jwt', 'cwt']) {
      const token = await buildStatusListToken({ uri: URI, list, signer, iat: NOW_S - 600, format });
      const { dir } = await makeStore(0, { issuer, token });
      try {
        const t0 = performance.now();
        const state = await loadTrustState({ storeDir: dir });
        const loadMs = performance.now() - t0;
        // Lookup: random indexes, timed in bulk.
        const probes = [...indexes(4096, 99)];
        let sink = 0;
        const n = 4_000_000;
        const t1 = performance.now();
        for (let i = 0; i < n; i++)
          sink ^= state.context.statusOf({ uri: URI, idx: probes[i & 4095] }, state.keys.keys[0]).listIssuedAt & 1;
        const lookupNs = ((performance.now() - t1) * 1e6) / n;
        row[format] = { fileBytes: token.length, loadMs: +loadMs.toFixed(1), lookupNs: +lookupNs.toFixed(1), sink: sink & 1 };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push(row);
  }
  // A zlib bomb signed by a trusted issuer key (lists are inflated only after the signature verifies): what refusing it costs.
  const bombList = new StatusList(2, new Uint8Array(64 * 1024 * 1024));
  const bomb = [];
  for (const format of ['jwt', 'cwt']) {
    const token = await buildStatusListToken({ uri: URI, list: bombList, signer, iat: NOW_S, format });
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const code = await verifyStatusListToken(token, keys, { now: NOW_S }).then(
      () => 'ACCEPTED',
      (e) => e.code,
    );
    bomb.push({
      format,
      fileBytes: token.length,
      inflatesTo: bombList.bytes.length,
      refused: code,
      ms: +(performance.now() - t0).toFixed(1),
      rssGrowthMB: +((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(1),
    });
  }
  console.log(JSON.stringify({ rows, bomb, rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1) }));
}

/** The worst case for size: every entry VALID, INVALID or SUSPENDED at random (~log2(3) bits each after zlib). */
function worstList() {
  const list = StatusList.empty(2, ENTRIES);
  let x = 11;
  for (let i = 0; i < ENTRIES; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    list.set(i, (x >>> 8) % 3);
  }
  return list;
}

await main();
