#!/usr/bin/env node
/**
 * The long fuzz run (`npm run fuzz`): scripts/fuzz-engine.mjs against dist/, seeded from test/corpus/.
 *   node scripts/fuzz.mjs [--decoder 1000000] [--trust 50000] [--bridge 100000] [--minutes 60] [--seed N]
 * Each target runs in a worker thread; the main thread is the watchdog: a worker that reports no progress for
 * --stall-seconds (default 60; progress comes every 1,000 inputs) is a hang — it is stopped and counted, and the run
 * goes on with the next target. A crash is an invariant the engine found broken (see the engine's header); each is
 * written to test/corpus/found/ (the kept corpus: add the input to a regression test, then to the seeds).
 * Prints one JSON summary line per target and a total; exit 1 when anything crashed, hung or was VALID without the key.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The names the engine drives, from dist/ (the same ones test/fuzz/fuzz.test.ts takes from src/). */
async function api() {
  const {
    base45Decode,
    base45Encode,
    CborTag,
    CredentialError,
    decodeCbor,
    decodePayload,
    encodeCbor,
    normaliseCodeText,
    parseSign1,
    readClaims,
    readCwtMeta,
    sigStructure,
    zlibCompress,
    zlibInflate,
  } = await import('../dist/credential/index.js');
  const { issuerKeyRefs, keySetFromJwks, rootFromJwk, TrustError, verifyBundle, verifyStatusListToken } = await import(
    '../dist/trust/index.js'
  );
  const { decodedToJson, inspect, REASON_CODES, verify } = await import('../dist/verify/index.js');
  const { FrameDecoder, NakCode, T } = await import('../dist/bridge/codec.js');
  const { decodeMessage, encodeMessage } = await import('../dist/bridge/messages.js');
  return {
    base45Decode,
    base45Encode,
    CborTag,
    CredentialError,
    decodeCbor,
    decodePayload,
    encodeCbor,
    normaliseCodeText,
    parseSign1,
    readClaims,
    readCwtMeta,
    sigStructure,
    zlibCompress,
    zlibInflate,
    issuerKeyRefs,
    keySetFromJwks,
    rootFromJwk,
    TrustError,
    verifyBundle,
    verifyStatusListToken,
    decodedToJson,
    inspect,
    REASON_CODES,
    verify,
    FrameDecoder,
    NakCode,
    T,
    decodeMessage,
    encodeMessage,
  };
}

if (!isMainThread) {
  const { target, inputs, timeLimitMs, seed } = workerData;
  const engine = await import('./fuzz-engine.mjs');
  const a = await api();
  const corpus = engine.loadCorpus(ROOT);
  const prepared =
    target === 'decoder'
      ? await engine.prepareDecoder(a, corpus)
      : target === 'trust'
        ? await engine.prepareTrust(a, corpus)
        : engine.prepareBridge(a, corpus);
  const report = await engine.runTarget(target, prepared, {
    inputs,
    timeLimitMs,
    seed,
    onProgress: (n) => parentPort.postMessage({ progress: n }),
  });
  parentPort.postMessage({ report });
} else {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const plan = { decoder: arg('decoder', 1_000_000), trust: arg('trust', 50_000), bridge: arg('bridge', 100_000) };
  const minutes = arg('minutes', 60);
  const stallMs = arg('stall-seconds', 60) * 1000;
  const seed = arg('seed', Date.now() % 2 ** 31);
  const started = new Date();
  const found = join(ROOT, 'test', 'corpus', 'found');
  const summaries = [];

  for (const [target, inputs] of Object.entries(plan)) {
    if (!inputs) continue;
    const summary = await new Promise((resolve) => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { target, inputs, timeLimitMs: minutes * 60_000, seed } });
      let last = 0;
      let lastAt = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - lastAt < stallMs) return;
        clearInterval(watchdog);
        void worker.terminate();
        resolve({
          target,
          inputs: last,
          hangs: 1,
          crashes: 0,
          validWithoutKey: 0,
          note: `no progress for ${stallMs / 1000} s after ${last} inputs (seed ${seed})`,
        });
      }, 1000);
      worker.on('message', (msg) => {
        lastAt = Date.now();
        if (msg.progress) {
          last = msg.progress;
          if (last % 100_000 === 0) process.stderr.write(`fuzz ${target}: ${last} inputs\n`);
          return;
        }
        clearInterval(watchdog);
        const r = msg.report;
        const validWithoutKey = r.violations.filter((v) => v.what.includes('VALID')).length;
        resolve({
          target,
          inputs: r.inputs,
          seconds: Math.round(r.ms / 100) / 10,
          inputsPerSecond: Math.round(r.inputs / (r.ms / 1000)),
          crashes: r.violations.length - validWithoutKey,
          hangs: 0,
          validWithoutKey,
          slowestInputMs: r.slowest.ms,
          slowestLayer: r.slowest.layer,
          byLayer: r.byLayer,
          violations: r.violations,
        });
      });
      worker.on('error', (err) => {
        clearInterval(watchdog);
        resolve({ target, inputs: last, hangs: 0, crashes: 1, validWithoutKey: 0, note: `worker died: ${err?.stack ?? err}` });
      });
    });
    if (summary.violations?.length) {
      mkdirSync(found, { recursive: true });
      summary.violations.forEach((v, i) => {
        writeFileSync(join(found, `${target}-${seed}-${i}.json`), `${JSON.stringify(v, null, 1)}\n`);
      });
    }
    delete summary.violations;
    summaries.push(summary);
    console.log(JSON.stringify(summary));
  }
  const total = {
    total: true,
    seed,
    date: started.toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    inputs: summaries.reduce((n, s) => n + s.inputs, 0),
    crashes: summaries.reduce((n, s) => n + s.crashes, 0),
    hangs: summaries.reduce((n, s) => n + s.hangs, 0),
    validWithoutKey: summaries.reduce((n, s) => n + s.validWithoutKey, 0),
    minutes: Math.round((Date.now() - started.getTime()) / 6000) / 10,
  };
  console.log(JSON.stringify(total));
  process.exit(total.crashes + total.hangs + total.validWithoutKey > 0 ? 1 : 0);
}
