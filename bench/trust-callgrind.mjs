#!/usr/bin/env node
/**
 * Revocation check on vs off, counted in CPU instructions under valgrind's callgrind — repeatable on a busy shared
 * machine, where timings are not. Three runs of the same process (setup: a real store with a 1,000,000-entry CWT
 * status list, 10,000 set), each V8 run single-threaded and predictable (compilation and GC on the main thread):
 *   A: 2,000 verifies without the trust context;  B: 1,000 without + 1,000 with it;  C: setup only.
 * Per verify (off) = (A − C) / 2000; revocation's extra cost per verify = (B − A) / 1000.
 *   npm run build && node bench/trust-callgrind.mjs        (needs valgrind; ~3 min, the three runs in parallel)
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]), Number(process.argv[4]));
} else {
  const self = fileURLToPath(import.meta.url);
  const runs = { A: [2000, 0], B: [1000, 1000], C: [0, 0] };
  const counts = {};
  const { mkdtempSync, rmSync } = await import('node:fs');
  const out = mkdtempSync('/tmp/proofdesk-trust-callgrind-');
  await Promise.all(
    Object.entries(runs).map(
      ([name, [off, on]]) =>
        new Promise((resolve, reject) => {
          execFile(
            'valgrind',
            [
              '--tool=callgrind',
              `--callgrind-out-file=${out}/cg.%p`,
              process.execPath,
              '--single-threaded',
              '--predictable',
              self,
              '--child',
              String(off),
              String(on),
            ],
            { maxBuffer: 1 << 24 },
            (err, _out, stderr) => {
              if (err) return reject(new Error(`valgrind run ${name} failed: ${err.message}`));
              const m = /Collected : (\d+)/.exec(stderr);
              if (!m) return reject(new Error(`no callgrind total in run ${name}`));
              counts[name] = Number(m[1]);
              resolve();
            },
          );
        }),
    ),
  );
  rmSync(out, { recursive: true, force: true });
  const perVerify = (counts.A - counts.C) / 2000;
  const extra = (counts.B - counts.A) / 1000;
  console.log(
    JSON.stringify({
      instructions: counts,
      perVerifyOff: Math.round(perVerify),
      revocationExtraPerVerify: Math.round(extra),
      slowdown: +(extra / perVerify).toFixed(5),
    }),
  );
}

async function child(offN, onN) {
  const { generateKeyPairSync } = await import('node:crypto');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { encodeCredential, verify } = await import('../dist/index.js');
  const { buildBundle, buildStatusListToken, importTrustBytes, initStore, loadTrustState, signingKeyFromJwk, StatusList } = await import(
    '../dist/trust/index.js'
  );

  const NOW_S = 1_790_000_000;
  function pair(kid) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return {
      privateKey,
      publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' },
      privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cg-trust-'));
  const r = pair('root'),
    iss = pair('iss');
  await initStore(dir, r.publicJwk);
  await importTrustBytes(
    dir,
    new TextEncoder().encode(
      await buildBundle({ rootPrivateJwk: r.privateJwk, issuers: { keys: [iss.publicJwk] }, seq: 1, iat: NOW_S - 3600 }),
    ),
    { now: NOW_S },
  );
  const list = StatusList.empty(2, 1_000_000);
  let x = 7;
  for (let i = 0; i < 10_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    list.set(x % 1_000_000, 1);
  }
  await importTrustBytes(
    dir,
    await buildStatusListToken({ uri: 'u:1', list, signer: await signingKeyFromJwk(iss.privateJwk), iat: NOW_S - 600, format: 'cwt' }),
    { now: NOW_S },
  );
  const state = await loadTrustState({ storeDir: dir, now: NOW_S * 1000 });
  let idx = 48213;
  while (list.get(idx) !== 0) idx++;
  const photo = new Uint8Array(600).map((_, i) => (i * 7919) & 0xff);
  const text = encodeCredential(
    {
      identity: { fullName: 'Amara Okafor', dateOfBirth: '19910412', photo, photoFormat: 3 },
      status: {
        scheme: 'points-based',
        statusType: 'limited',
        validFrom: '2025-01-10',
        validUntil: '2028-01-09',
        work: { kind: 'restricted', condition: 'Skilled Worker' },
        rent: true,
        publicFunds: false,
        purpose: 'all',
      },
      statusList: { uri: 'u:1', idx },
      cwt: { iss: 'x', iat: NOW_S - 86400, exp: NOW_S + 180 * 86400 },
    },
    { key: iss.privateKey, alg: 'EdDSA', kid: 'iss' },
  );
  const now = NOW_S * 1000;
  const off = { keys: state.keys, now, purpose: 'rent' };
  const on = { keys: state.keys, now, purpose: 'rent', trust: state.context };
  if (!verify(text, on).valid || !verify(text, off).valid) throw new Error(`not valid: ${verify(text, on).reason}`);
  let ok = 0;
  for (let i = 0; i < offN; i++) ok += verify(text, off).valid ? 1 : 0;
  for (let i = 0; i < onN; i++) ok += verify(text, on).valid ? 1 : 0;
  rmSync(dir, { recursive: true, force: true });
  console.log(ok);
}
