#!/usr/bin/env node
/**
 * One benchmark case per process (the runner, verify-run.mjs, pins each to one core and repeats).
 *   node bench/verify.mjs <case> [--ms 1500]   → one JSON line: { case, ops (per CPU second), opsWall, usPerOp, rssMB }
 *   node bench/verify.mjs sizes                → credential sizes (bytes, Base45 chars, QR version at ECC M)
 * Runs against dist/ (npm run build first). The credential is made here with real keys and the real encoder.
 */
import { createRequire } from 'node:module';
import { generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { encodeCredential, loadKeySet, verify } from '../dist/index.js';
import { base45Decode, zlibInflate, parseSign1, sigStructure, decodePayload, readCwtMeta, readClaims } from '../dist/credential/index.js';

const require = createRequire(import.meta.url);
const [, , caseName = 'full', ...rest] = process.argv;
const budgetMs = Number(rest[rest.indexOf('--ms') + 1] ?? 1500) || 1500;

const NOW_S = Math.floor(Date.now() / 1000);
/** A deterministic stand-in for a ~600-byte AVIF face: incompressible like a real image. */
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

const STATUS = {
  scheme: 'points-based',
  statusType: 'limited',
  validFrom: '2025-01-10',
  validUntil: '2028-01-09',
  work: { kind: 'restricted', condition: 'Skilled Worker: sponsor only' },
  rent: true,
  publicFunds: false,
  purpose: 'all',
};
const CWT = { iss: 'https://issuer.example', iat: NOW_S - 86400, nbf: NOW_S - 86400, exp: NOW_S + 180 * 86400 };

export const CREDENTIALS = {
  minimal: { identity: { id: 'GB-7Q2-88A-31', fullName: 'Amara Okafor', dateOfBirth: '19910412' }, status: STATUS, cwt: CWT },
  photo: {
    identity: {
      id: 'GB-7Q2-88A-31',
      fullName: 'Amara Okafor',
      dateOfBirth: '19910412',
      gender: 2,
      nationality: 'NGA',
      photo: photoBytes(600),
      photoFormat: 3,
    },
    status: STATUS,
    cwt: CWT,
  },
  full: {
    identity: {
      id: 'GB-7Q2-88A-31',
      version: '1.0',
      language: 'eng',
      fullName: 'Amara Chidinma Okafor',
      firstName: 'Amara',
      middleName: 'Chidinma',
      lastName: 'Okafor',
      dateOfBirth: '19910412',
      gender: 2,
      address: 'Flat 4, 12 Albion Road, Leeds LS6 1AB',
      email: 'amara@example.org',
      phone: '+44 7700 900123',
      nationality: 'NGA',
      maritalStatus: 1,
      photo: photoBytes(600),
      photoFormat: 3,
      secondaryFullName: 'Amara Okafor',
      secondaryLanguage: 'ibo',
      locationCode: 'GB-LDS',
      legalStatus: 'Skilled Worker',
      countryOfIssuance: 'GB',
    },
    status: { ...STATUS, holderRef: 'HO-7Q2-88A-31', document: { type: 'passport', reference: 'A1234567' } },
    statusList: { idx: 48213, uri: 'https://status.example.gov.uk/lists/7' },
    cwt: { ...CWT, sub: 'GB-7Q2-88A-31' },
  },
};

function makeKey(alg) {
  const pair = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { alg, ...pair, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid: `bench-${alg}` } };
}

/** CPU microseconds (user + system) this process has used: unlike wall time, not inflated by other processes. */
function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * Runs fn until budgetMs of wall time has passed (after a warm-up). Returns ops per wall second and ops per CPU
 * second; async fns are awaited one at a time.
 */
async function measure(fn) {
  const isAsync = fn() instanceof Promise;
  const warmEnd = performance.now() + Math.min(300, budgetMs / 4);
  while (performance.now() < warmEnd) isAsync ? await fn() : fn();
  let ops = 0;
  const start = performance.now();
  const cpuStart = cpuMicros();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 50; i++) isAsync ? await fn() : fn();
    ops += 50;
    elapsed = performance.now() - start;
  }
  return { wall: (ops * 1000) / elapsed, cpu: (ops * 1e6) / (cpuMicros() - cpuStart) };
}

async function main() {
  if (caseName === 'sizes') return sizes();
  const alg = caseName.endsWith('-es256') ? 'ES256' : 'EdDSA';
  const key = makeKey(alg);
  const keys = await loadKeySet({ keys: [key.jwk] });
  const text = encodeCredential(CREDENTIALS.photo, { key: key.privateKey, alg, kid: key.jwk.kid });
  const compressed = base45Decode(text);
  const coseBytes = zlibInflate(compressed);
  const cose = parseSign1(coseBytes);
  const toBeSigned = sigStructure(cose.protectedBytes, cose.payload);
  const opts = { keys, now: Date.now(), purpose: 'rent' };
  if (!verify(text, opts).valid) throw new Error('benchmark credential does not verify');
  const publicKey = key.publicKey;
  const es = { key: publicKey, dsaEncoding: 'ieee-p1363' };
  let sink = 0;

  const cases = {
    full: () => {
      sink ^= verify(text, opts).valid ? 1 : 0;
    },
    'full-es256': () => {
      sink ^= verify(text, opts).valid ? 1 : 0;
    },
    floor: () => {
      sink ^= cryptoVerify(null, toBeSigned, publicKey, cose.signature) ? 1 : 0;
    },
    'floor-es256': () => {
      sink ^= cryptoVerify('sha256', toBeSigned, es, cose.signature) ? 1 : 0;
    },
    'stage-base45': () => {
      sink ^= base45Decode(text).length;
    },
    'stage-inflate': () => {
      sink ^= zlibInflate(compressed).length;
    },
    'stage-cose': () => {
      sink ^= parseSign1(coseBytes).payload.length;
    },
    'stage-sigstructure': () => {
      sink ^= sigStructure(cose.protectedBytes, cose.payload).length;
    },
    'stage-claims': () => {
      const m = decodePayload(cose.payload);
      sink ^= readCwtMeta(m).exp + (readClaims(m).identity ? 1 : 0);
    },
    // Peers load only in their own process (@auth0/cose changes cbor-x's tag 18 for everyone in the process).
    auth0: caseName === 'auth0' ? await auth0Case(text, publicKey, () => sink++) : undefined,
    'cosejs-es256': caseName === 'cosejs-es256' ? await coseJsCase(text, key.jwk, () => sink++) : undefined,
  };
  if (caseName === 'interleaved' || caseName === 'interleaved-es256') {
    // Floor and full verify alternate in short slices in one process, so load from elsewhere hits both alike.
    const pair = caseName === 'interleaved' ? [cases.floor, cases.full] : [cases['floor-es256'], cases['full-es256']];
    const ratios = [];
    for (let i = 0; i < 2000; i++) {
      pair[0]();
      pair[1]();
    }
    const end = performance.now() + budgetMs;
    while (performance.now() < end || ratios.length < 5) {
      const t = [0, 0];
      for (let k = 0; k < 2; k++) {
        const a = cpuMicros();
        for (let j = 0; j < 200; j++) pair[k]();
        t[k] = cpuMicros() - a;
      }
      ratios.push(t[0] / t[1]); // full ops/s ÷ floor ops/s = floor time ÷ full time
    }
    ratios.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        case: caseName,
        ops: 0,
        ratio: +ratios[ratios.length >> 1].toFixed(3),
        slices: ratios.length,
        rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
        sink: sink & 1,
      }),
    );
    return;
  }
  const fn = cases[caseName];
  if (!fn) throw new Error(`unknown case ${caseName}: ${Object.keys(cases).join(', ')}, sizes`);
  const { wall, cpu } = await measure(fn);
  console.log(
    JSON.stringify({
      case: caseName,
      ops: Math.round(cpu),
      opsWall: Math.round(wall),
      usPerOp: +(1e6 / cpu).toFixed(2),
      rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
      base45Chars: text.length,
      sink: sink & 1,
    }),
  );
}

/** @auth0/cose as its README shows (Sign1.decode, verify with a KeyObject), with npm base45 and cbor. */
async function auth0Case(text, publicKey, touch) {
  const { Sign1 } = await import('@auth0/cose');
  const base45 = require('base45');
  const cbor = require('cbor');
  const run = async () => {
    const cose = Sign1.decode(inflateSync(base45.decode(text)));
    await cose.verify(publicKey);
    const claims = cbor.decode(cose.payload);
    if (!(claims instanceof Map) || !claims.has(169)) throw new Error('auth0 peer: no claim 169');
    touch();
  };
  await run();
  return run;
}

/** cose-js (ES256 only: it has no EdDSA). */
async function coseJsCase(text, jwk, touch) {
  const cose = require('cose-js');
  const base45 = require('base45');
  const cbor = require('cbor');
  const verifier = { key: { x: Buffer.from(jwk.x, 'base64url'), y: Buffer.from(jwk.y, 'base64url') } };
  const run = async () => {
    const payload = await cose.sign.verify(inflateSync(base45.decode(text)), verifier);
    const claims = cbor.decode(payload);
    if (!(claims instanceof Map) || !claims.has(169)) throw new Error('cose-js peer: no claim 169');
    touch();
  };
  await run();
  return run;
}

async function sizes() {
  const QRCode = require('qrcode');
  const key = makeKey('EdDSA');
  const rows = [];
  for (const [name, claims] of Object.entries(CREDENTIALS)) {
    const text = encodeCredential(claims, { key: key.privateKey, alg: 'EdDSA', kid: 'k1' });
    const cose = zlibInflate(base45Decode(text));
    rows.push({
      credential: name,
      coseBytes: cose.length,
      compressedBytes: base45Decode(text).length,
      base45Chars: text.length,
      qrVersionM: QRCode.create(text, { errorCorrectionLevel: 'M' }).version,
    });
  }
  console.log(JSON.stringify(rows));
}

await main();
