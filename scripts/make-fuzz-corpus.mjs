#!/usr/bin/env node
/**
 * Regenerates test/corpus/, the seeds the fuzzers mutate (test/fuzz/, scripts/fuzz.mjs):
 *   codes.json    the demo codes (examples/*.txt), the third-party Claim 169 vectors (test/vectors, valid and not),
 *                 and edge cases around them (prefixes, case, whitespace, truncation, empty)
 *   keys.json     the public keys the valid codes verify against (DEMO issuer + the vectors' published test keys)
 *   trust.json    the DEMO bundle, status lists signed by the DEMO issuer in both forms (statuslist+jwt, CWT), the root
 *   bridge.json   every frame of firmware-bridge/protocol/golden.json (good and bad), as wire hex
 * Everything is synthetic or already published (DEMO keys, RFC 8032 test key); no real person's data.
 * Run after `npm run build`: node scripts/make-fuzz-corpus.mjs. `at` in codes.json is the instant the fuzzers check at.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'corpus');
const { verify, keySetFromJwks } = await import(join(root, 'dist', 'index.js'));
const { StatusList, buildStatusListToken, signingKeyFromJwk } = await import(join(root, 'dist', 'trust', 'index.js'));

/** The fuzzers' clock: after the DEMO bundle's iat, before the vectors expire (2027-01-15). */
const AT_MS = Date.UTC(2026, 11, 3, 12, 0, 0);
const read = (...p) => readFileSync(join(root, ...p), 'utf8');
const b64u = (hex) => Buffer.from(hex, 'hex').toString('base64url');

// ---- keys ---------------------------------------------------------------------------------------------------
const keys = [...JSON.parse(read('examples', 'demo-issuer.jwks')).keys];
const vectorDir = join(root, 'test', 'vectors', 'claim169');
const vectors = ['valid', 'edge', 'invalid'].flatMap((cat) =>
  readdirSync(join(vectorDir, cat))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ cat, ...JSON.parse(readFileSync(join(vectorDir, cat, f), 'utf8')) })),
);
const seenKeys = new Set();
for (const v of vectors) {
  const k = v.signing_key;
  if (!k?.public_key_hex || seenKeys.has(k.public_key_hex)) continue;
  seenKeys.add(k.public_key_hex);
  const hex = k.public_key_hex;
  if (k.algorithm === 'EdDSA') keys.push({ kty: 'OKP', crv: 'Ed25519', x: b64u(hex), alg: 'EdDSA' });
  else if (k.algorithm === 'ES256')
    keys.push({ kty: 'EC', crv: 'P-256', x: b64u(hex.slice(2, 66)), y: b64u(hex.slice(66, 130)), alg: 'ES256' });
}
const keySet = await keySetFromJwks({ keys });

// ---- codes --------------------------------------------------------------------------------------------------
const codes = [];
const add = (name, text) => {
  if (codes.some((c) => c.text === text)) return;
  const v = verify(text, { keys: keySet, now: AT_MS });
  codes.push({ name, text, verdict: v.valid ? 'VALID' : v.reason });
};
for (const f of readdirSync(join(root, 'examples'))
  .filter((n) => n.endsWith('.txt'))
  .sort())
  add(`examples/${f}`, read('examples', f).trim());
for (const v of vectors) if (typeof v.qr_data === 'string') add(`vectors/${v.cat}/${v.name}`, v.qr_data);
const demo = read('examples', 'demo-valid.txt').trim();
add('edge/hc1-prefix', `HC1:${demo}`);
add('edge/lowercase', demo.toLowerCase());
add('edge/trailing-newline', `${demo}\r\n`);
add('edge/spaces-around', `  ${demo}  `);
add('edge/twice', `${demo}${demo}`);
add('edge/first-half', demo.slice(0, demo.length >> 1));
add('edge/minus-one', demo.slice(0, -1));
add('edge/empty', '');
add('edge/one-char', 'A');
add('edge/url', `https://example.invalid/?c=${encodeURIComponent(demo)}`);

// ---- trust files --------------------------------------------------------------------------------------------
const issuer = await signingKeyFromJwk(JSON.parse(read('examples', 'demo-issuer.private.jwk')));
const list = StatusList.empty(1, 1024);
list.set(3, 1);
const iat = Math.floor(AT_MS / 1000) - 3600;
const uri = 'https://issuer.example/status/1';
const jwt = Buffer.from(
  await buildStatusListToken({ uri, list, signer: issuer, iat, exp: iat + 86400 * 30, ttl: 3600, format: 'jwt' }),
).toString('utf8');
const list2 = StatusList.empty(2, 512);
list2.set(7, 2);
const cwt = Buffer.from(await buildStatusListToken({ uri, list: list2, signer: issuer, iat, format: 'cwt' })).toString('hex');
const trust = {
  at: Math.floor(AT_MS / 1000),
  root: JSON.parse(read('examples', 'demo-root.public.jwk')),
  bundle: read('examples', 'demo-bundle.jws').trim(),
  statusListJwt: jwt.trim(),
  statusListCwtHex: cwt,
};

// ---- bridge frames ------------------------------------------------------------------------------------------
const golden = JSON.parse(read('firmware-bridge', 'protocol', 'golden.json'));
const bridge = { frames: golden.vectors.map((v) => ({ name: v.name, hex: v.frameHex })) };

mkdirSync(out, { recursive: true });
const json = (v) => `${JSON.stringify(v, null, 1)}\n`;
writeFileSync(join(out, 'codes.json'), json({ at: AT_MS, codes }));
writeFileSync(join(out, 'keys.json'), json({ keys }));
writeFileSync(join(out, 'trust.json'), json(trust));
writeFileSync(join(out, 'bridge.json'), json(bridge));
console.log(
  `test/corpus: ${codes.length} codes (${codes.filter((c) => c.verdict === 'VALID').length} VALID), ${keys.length} keys, 3 trust files, ${bridge.frames.length} bridge frames`,
);
