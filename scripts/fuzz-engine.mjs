/**
 * Corpus-seeded mutation fuzzing with fast-check, shared by the short run in `npm test` (test/fuzz/fuzz.test.ts,
 * against src/) and the long run (`npm run fuzz`, scripts/fuzz.mjs, against dist/). The product's functions come in
 * as `api`, so both runs drive the same code paths; the seeds are test/corpus/ (scripts/make-fuzz-corpus.mjs).
 *
 * Targets and what each input must satisfy (a broken invariant is a "violation", kept with its input):
 *   decoder  a corpus code mutated at one layer — text, Base45 bytes, zlib stream (re-deflated in other ways), COSE
 *            structure, or the claims (re-signed with the DEMO key, to reach the decoders behind the signature):
 *            verify() never throws and names a stable reason; the layer decoders throw only CredentialError with a
 *            reason code; inspect() never throws; VALID only when the signed parts (protected header, payload, and
 *            signature up to ES256 low-S) are those of a corpus code or the input was re-signed with a trusted key;
 *            never VALID against keys with the same kids but other key material.
 *   trust    the DEMO bundle and status lists (statuslist+jwt and CWT), mutated as bytes or re-signed after a
 *            JSON / CBOR mutation: verifyBundle / verifyStatusListToken throw only TrustError with a code, and a
 *            mutated file that was not re-signed is accepted only with the original's contents.
 *   bridge   golden frames, mutated and fed to FrameDecoder in random chunks, then decodeMessage; arbitrary payloads
 *            for every frame type: nothing throws; a message that decodes re-encodes to one that decodes the same.
 * A hang cannot be caught inside one synchronous call; the long run watches each target from another thread.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';

/** Reads test/corpus/ and the DEMO private keys the re-signing mutations sign with (examples/, published on purpose). */
export function loadCorpus(repoRoot) {
  const read = (...p) => JSON.parse(readFileSync(join(repoRoot, ...p), 'utf8'));
  return {
    codes: read('test', 'corpus', 'codes.json'),
    keys: read('test', 'corpus', 'keys.json'),
    trust: read('test', 'corpus', 'trust.json'),
    bridge: read('test', 'corpus', 'bridge.json'),
    issuerPrivate: read('examples', 'demo-issuer.private.jwk'),
    rootPrivate: read('examples', 'demo-root.private.jwk'),
  };
}

// ---- generic mutations ----------------------------------------------------------------------------------------
const INTERESTING = [
  0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x3f, 0x40, 0x57, 0x58, 0x5b, 0x5f, 0x60, 0x78, 0x7b, 0x7f, 0x80, 0x98, 0x9b,
  0x9f, 0xa0, 0xb8, 0xbb, 0xbf, 0xc0, 0xc2, 0xd2, 0xd8, 0x3d, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff,
];

const byteEdit = fc.oneof(
  fc.record({ op: fc.constant('flip'), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set'), at: fc.nat(), v: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat(255)) }),
  fc.record({ op: fc.constant('insert'), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete'), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('copy'), at: fc.nat(), from: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ op: fc.constant('append'), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);
const byteEdits = fc.array(byteEdit, { minLength: 1, maxLength: 4 });

function applyByteEdits(input, edits) {
  let b = Buffer.from(input);
  for (const e of edits) {
    const n = b.length;
    const at = n === 0 ? 0 : e.at % (n + (e.op === 'insert' ? 1 : 0));
    switch (e.op) {
      case 'flip':
        if (n) b[at] ^= 1 << e.bit;
        break;
      case 'set':
        if (n) b[at] = e.v;
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), e.bytes, b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.n)]);
        break;
      case 'copy':
        if (n) {
          const from = e.from % n;
          b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + e.n), b.subarray(at)]);
        }
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'append':
        b = Buffer.concat([b, e.bytes]);
        break;
    }
  }
  return b;
}

const TEXT_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:abcxyz\n\r\t\0\u00a0\u202e\ufeff\u00e9\ud83d';
// Indices, not fc.string({ unit: constantFrom }): that one rebuilds a reverse map on every value (most of the time).
const TEXT_UNITS = [...TEXT_CHARS];
const textEdit = fc.oneof(
  fc.record({ op: fc.constant('set'), at: fc.nat(), c: fc.nat(TEXT_UNITS.length - 1).map((i) => TEXT_UNITS[i]) }),
  fc.record({
    op: fc.constant('insert'),
    at: fc.nat(),
    s: fc.array(fc.nat(TEXT_UNITS.length - 1), { maxLength: 6 }).map((a) => a.map((i) => TEXT_UNITS[i]).join('')),
  }),
  fc.record({ op: fc.constant('delete'), at: fc.nat(), n: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ op: fc.constant('prefix'), s: fc.constantFrom('HC1:', 'hc1:', ' ', '\n', '\ufeff', '6BF', 'https://x/?c=') }),
  fc.record({ op: fc.constant('case') }),
);
function applyTextEdits(text, edits) {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    switch (e.op) {
      case 'set':
        t = t.slice(0, at) + e.c + t.slice(at + 1);
        break;
      case 'insert':
        t = t.slice(0, at) + e.s + t.slice(at);
        break;
      case 'delete':
        t = t.slice(0, at) + t.slice(at + e.n);
        break;
      case 'truncate':
        t = t.slice(0, at);
        break;
      case 'prefix':
        t = e.s + t;
        break;
      case 'case':
        t = t.toLowerCase();
        break;
    }
  }
  return t;
}

const cborArbitraries = new WeakMap();
/** An arbitrary CBOR value (for the codec's own encoder), nested a little. Built once per api (building is slow). */
function cborValue(api) {
  if (!cborArbitraries.has(api.CborTag)) cborArbitraries.set(api.CborTag, makeCborValue(api.CborTag));
  return cborArbitraries.get(api.CborTag);
}
function makeCborValue(CborTag) {
  const leaf = fc.oneof(
    fc.integer(),
    fc.integer({ min: -1, max: 24 }),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.string({ maxLength: 40 }),
    fc.string({ maxLength: 40, unit: 'binary' }),
    fc.uint8Array({ maxLength: 64 }),
  );
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('map'), tie('tag')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    map: fc
      .array(fc.tuple(fc.oneof(fc.integer({ min: -10, max: 300 }), fc.string({ maxLength: 10 })), tie('value')), { maxLength: 5 })
      .map((e) => new Map(e)),
    tag: fc.tuple(fc.constantFrom(0, 1, 2, 3, 18, 24, 61, 1004, 55799), tie('value')).map(([t, v]) => new CborTag(t, v)),
  })).value;
}

/** Replaces, deletes or adds one node in a decoded CBOR / JSON tree. `path` picks the node (taken modulo). */
function mutateTree(tree, path, replacement, mode) {
  const root = { v: tree };
  let parent = root;
  let key = 'v';
  for (const step of path) {
    const node = parent instanceof Map ? parent.get(key) : parent[key];
    const children =
      node instanceof Map
        ? [...node.keys()]
        : Array.isArray(node)
          ? node.map((_, i) => i)
          : node && typeof node === 'object' && !(node instanceof Uint8Array) && !('tag' in node)
            ? Object.keys(node)
            : [];
    if (children.length === 0) break;
    parent = node;
    key = children[step % children.length];
  }
  const set = (k, v) => (parent instanceof Map ? parent.set(k, v) : (parent[k] = v));
  if (mode === 'delete' && parent !== root) {
    if (parent instanceof Map) parent.delete(key);
    else if (Array.isArray(parent)) parent.splice(key, 1);
    else delete parent[key];
  } else if (mode === 'wrap') set(key, [parent instanceof Map ? parent.get(key) : parent[key]]);
  else set(key, replacement);
  return root.v;
}

function deepClone(v, api) {
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepClone(x, api)]));
  if (Array.isArray(v)) return v.map((x) => deepClone(x, api));
  if (v instanceof api.CborTag) return new api.CborTag(v.tag, deepClone(v.value, api));
  if (v instanceof Uint8Array) return Uint8Array.from(v);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepClone(x, api)]));
  return v;
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
function highS(sig) {
  if (sig.length !== 64) return sig;
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
  const out = Buffer.from(sig);
  Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex').copy(out, 32);
  return out;
}

function signWith(alg, key, data) {
  return alg === 'EdDSA' ? cryptoSign(null, data, key) : cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}

function violation(list, target, layer, what, input) {
  if (list.length < 50)
    list.push({
      target,
      layer,
      what: String(what).slice(0, 500),
      input: typeof input === 'string' ? input.slice(0, 8192) : Buffer.from(input).toString('hex').slice(0, 16384),
    });
}

/** A thrown value is ours: an instance of `Class` with a stable upper-case code (in `codes` when given). */
function ours(err, Class, codes) {
  return err instanceof Class && typeof err.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(err.code) && (!codes || codes.includes(err.code));
}

// ---- decoder ---------------------------------------------------------------------------------------------------
/** `knownSignatures: false` forgets which signed parts the corpus holds: every VALID then counts (the check's own test). */
export async function prepareDecoder(api, corpus, { knownSignatures = true } = {}) {
  const now = corpus.codes.at;
  const trusted = await api.keySetFromJwks(corpus.keys);
  // Same kids and algorithms, other key material: nothing may verify against these.
  const impostors = await api.keySetFromJwks({
    keys: corpus.keys.keys.map((k) => {
      const { publicKey } = k.kty === 'OKP' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { ...publicKey.export({ format: 'jwk' }), ...(k.kid ? { kid: k.kid } : {}), alg: k.alg };
    }),
  });
  const issuer = { key: createPrivateKey({ key: corpus.issuerPrivate, format: 'jwk' }), kid: corpus.issuerPrivate.kid };
  const seeds = [];
  const signedParts = new Set();
  for (const c of corpus.codes.codes) {
    const s = { text: c.text, zlib: null, cose: null, sign1: null };
    try {
      s.zlib = api.base45Decode(api.normaliseCodeText ? api.normaliseCodeText(c.text) : c.text);
    } catch {
      /* not Base45 */
    }
    try {
      if (s.zlib) s.cose = api.zlibInflate(s.zlib);
    } catch {
      /* not zlib */
    }
    try {
      if (s.cose) s.sign1 = api.parseSign1(s.cose);
    } catch {
      /* not COSE */
    }
    if (knownSignatures && s.sign1 && c.verdict === 'VALID') signedParts.add(partsKey(s.sign1.protectedBytes, s.sign1.payload));
    seeds.push(s);
  }
  return { api, now, trusted, impostors, issuer, seeds, signedParts, cbor: cborValue(api) };
}

function partsKey(protectedBytes, payload) {
  return createHash('sha256').update(Buffer.from(protectedBytes)).update('|').update(Buffer.from(payload)).digest('hex');
}

const LAYERS = ['text', 'base45', 'zlib', 'cose', 'claims', 'raw'];

function decoderInput(ctx) {
  const n = ctx.seeds.length;
  return fc.oneof(
    fc.record({ layer: fc.constant('text'), seed: fc.nat(n - 1), edits: fc.array(textEdit, { minLength: 1, maxLength: 4 }) }),
    fc.record({ layer: fc.constant('base45'), seed: fc.nat(n - 1), edits: byteEdits }),
    fc.record({
      layer: fc.constant('zlib'),
      seed: fc.nat(n - 1),
      edits: fc.option(byteEdits, { freq: 3 }),
      level: fc.integer({ min: 0, max: 9 }),
      raw: fc.boolean(),
      strategy: fc.nat(4),
    }),
    fc.record({
      layer: fc.constant('cose'),
      seed: fc.nat(n - 1),
      part: fc.nat(3),
      edits: byteEdits,
      tag: fc.constantFrom(null, 18, 61, 16, 17, 98),
      junk: fc.boolean(),
      highS: fc.boolean(),
    }),
    fc.record({
      layer: fc.constant('claims'),
      seed: fc.nat(n - 1),
      path: fc.array(fc.nat(), { maxLength: 6 }),
      mode: fc.constantFrom('replace', 'replace', 'delete', 'wrap'),
      value: ctx.cbor,
      bytes: fc.option(byteEdits, { freq: 4 }),
    }),
    fc.record({ layer: fc.constant('raw'), bytes: fc.uint8Array({ maxLength: 600 }), asText: fc.boolean() }),
  );
}

/** The code text for one generated mutation, and whether it was re-signed with a trusted key. */
function buildCode(ctx, m) {
  const { api } = ctx;
  const seed = ctx.seeds[m.seed ?? 0];
  const pack = (cose) => api.base45Encode(api.zlibCompress(cose));
  switch (m.layer) {
    case 'text':
      return { text: applyTextEdits(seed.text, m.edits) };
    case 'base45':
      return { text: api.base45Encode(applyByteEdits(seed.zlib ?? Buffer.from(seed.text), m.edits)) };
    case 'zlib': {
      const cose = seed.cose ?? Buffer.from(seed.text);
      const body = m.edits ? applyByteEdits(cose, m.edits) : cose;
      const opts = { level: m.level, strategy: m.strategy };
      // raw: a zlib header and Adler-32 written by hand around a raw deflate stream (the bytes an odd encoder makes).
      const z = m.raw ? Buffer.concat([Buffer.from([0x78, 0x01]), deflateRawSync(body, opts), adler32(body)]) : deflateSync(body, opts);
      return { text: api.base45Encode(z) };
    }
    case 'cose': {
      if (!seed.sign1) return { text: pack(applyByteEdits(seed.cose ?? Buffer.from(seed.text), m.edits)) };
      const s = seed.sign1;
      const parts = [s.protectedBytes, s.unprotectedHeader ?? new Map(), s.payload, s.signature];
      if (m.part === 1)
        parts[1] = new Map([[m.edits.length, applyByteEdits(Buffer.alloc(4), m.edits)], ...(m.junk ? [['x', 'junk']] : [])]);
      else if (m.part === 3 && m.highS) parts[3] = highS(s.signature);
      else parts[m.part] = applyByteEdits(parts[m.part], m.edits);
      const array = parts.map((p) => (p instanceof Buffer ? new Uint8Array(p) : p));
      return { text: pack(api.encodeCbor(m.tag === null ? array : new api.CborTag(m.tag, array))) };
    }
    case 'claims': {
      let payload;
      if (seed.sign1) {
        let tree;
        try {
          tree = api.decodeCbor(seed.sign1.payload);
        } catch {
          tree = new Map();
        }
        tree = mutateTree(deepClone(tree, api), m.path, m.value, m.mode);
        try {
          payload = api.encodeCbor(tree);
        } catch {
          payload = Buffer.from(seed.sign1.payload);
        }
      } else payload = Buffer.from(seed.text);
      if (m.bytes) payload = applyByteEdits(payload, m.bytes);
      const protectedBytes = api.encodeCbor(
        new Map([
          [1, -8],
          [4, new TextEncoder().encode(ctx.issuer.kid)],
        ]),
      );
      const signature = signWith('EdDSA', ctx.issuer.key, api.sigStructure(protectedBytes, payload));
      return {
        text: pack(api.encodeCbor(new api.CborTag(18, [protectedBytes, new Map(), new Uint8Array(payload), new Uint8Array(signature)]))),
        resigned: true,
      };
    }
    default:
      return { text: m.asText ? Buffer.from(m.bytes).toString('latin1') : pack(m.bytes) };
  }
}

function adler32(buf) {
  let a = 1;
  let b = 0;
  for (const x of buf) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE(((b << 16) | a) >>> 0);
  return out;
}

/** Runs every decoder invariant on one code text; pushes what broke to `violations`. */
function checkCode(ctx, text, resigned, layer, violations) {
  const { api, now } = ctx;
  let v;
  try {
    v = api.verify(text, { keys: ctx.trusted, now });
  } catch (err) {
    return violation(violations, 'decoder', layer, `verify threw ${err?.stack ?? err}`, text);
  }
  if (typeof v.valid !== 'boolean') violation(violations, 'decoder', layer, 'verdict without a boolean valid', text);
  if (!v.valid && !api.REASON_CODES.includes(v.reason)) violation(violations, 'decoder', layer, `unknown reason ${v.reason}`, text);
  if (v.details?.error === 'internal') violation(violations, 'decoder', layer, `internal error (reason ${v.reason})`, text);
  // Layer by layer: each decoder either answers or throws a CredentialError with a reason code.
  let zlib = null;
  let cose = null;
  let sign1 = null;
  const layerCall = (name, fn) => {
    try {
      return fn();
    } catch (err) {
      if (!ours(err, api.CredentialError, api.REASON_CODES))
        violation(violations, 'decoder', layer, `${name} threw ${err?.stack ?? err}`, text);
      return null;
    }
  };
  const normalised = api.normaliseCodeText ? layerCall('normaliseCodeText', () => api.normaliseCodeText(text)) : text;
  if (typeof normalised === 'string') zlib = layerCall('base45Decode', () => api.base45Decode(normalised));
  if (zlib) cose = layerCall('zlibInflate', () => api.zlibInflate(zlib));
  if (cose) sign1 = layerCall('parseSign1', () => api.parseSign1(cose));
  if (sign1) {
    const claims = layerCall('decodePayload', () => api.decodePayload(sign1.payload));
    if (claims) {
      layerCall('readCwtMeta', () => api.readCwtMeta(claims));
      layerCall('readClaims', () => api.readClaims(claims));
    }
  }
  try {
    JSON.stringify(api.decodedToJson(api.inspect(text)));
  } catch (err) {
    violation(violations, 'decoder', layer, `inspect threw ${err?.stack ?? err}`, text);
  }
  if (v.valid && !resigned) {
    // VALID without having signed it: only a corpus code's own signed bytes may verify.
    if (!sign1 || !ctx.signedParts.has(partsKey(sign1.protectedBytes, sign1.payload))) {
      violation(
        violations,
        'decoder',
        layer,
        'VALID although the signed parts are not those of a corpus code (VALID without the key)',
        text,
      );
    }
  }
  // Only an input the real keys accept can tell whether the signature was what made it VALID.
  if (!v.valid) return;
  let w;
  try {
    w = api.verify(text, { keys: ctx.impostors, now });
  } catch (err) {
    return violation(violations, 'decoder', layer, `verify (impostor keys) threw ${err?.stack ?? err}`, text);
  }
  if (w.valid) violation(violations, 'decoder', layer, 'VALID against impostor keys (same kids, other key material)', text);
}

// ---- trust -----------------------------------------------------------------------------------------------------
export async function prepareTrust(api, corpus) {
  const t = corpus.trust;
  const root = await api.rootFromJwk(t.root);
  const bundleBytes = Buffer.from(t.bundle);
  const bundle = await api.verifyBundle(bundleBytes, root, { now: t.at });
  const refs = await api.issuerKeyRefs(bundle.keys);
  const jwt = Buffer.from(t.statusListJwt);
  const cwt = Buffer.from(t.statusListCwtHex, 'hex');
  const lists = [await api.verifyStatusListToken(jwt, refs, { now: t.at }), await api.verifyStatusListToken(cwt, refs, { now: t.at })];
  return {
    api,
    now: t.at,
    root,
    refs,
    bundleBytes,
    bundle,
    jwt,
    cwt,
    lists,
    rootKey: createPrivateKey({ key: corpus.rootPrivate, format: 'jwk' }),
    rootKid: root.thumbprint,
    issuerKey: createPrivateKey({ key: corpus.issuerPrivate, format: 'jwk' }),
    issuerKid: corpus.issuerPrivate.kid,
    cbor: cborValue(api),
  };
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
function trustInput(ctx) {
  return fc.oneof(
    fc.record({ file: fc.constantFrom('bundle', 'jwt', 'cwt'), how: fc.constant('bytes'), edits: byteEdits }),
    fc.record({
      file: fc.constantFrom('bundle', 'jwt'),
      how: fc.constant('json'),
      inHeader: fc.boolean(),
      path: fc.array(fc.nat(), { maxLength: 5 }),
      mode: fc.constantFrom('replace', 'replace', 'delete', 'wrap'),
      value: jsonValue,
      raw: fc.option(byteEdits, { freq: 5 }),
      nest: fc.option(fc.integer({ min: 1, max: 5000 }), { freq: 8 }),
    }),
    fc.record({
      file: fc.constant('cwt'),
      how: fc.constant('cbor'),
      path: fc.array(fc.nat(), { maxLength: 5 }),
      mode: fc.constantFrom('replace', 'replace', 'delete', 'wrap'),
      value: ctx.cbor,
      raw: fc.option(byteEdits, { freq: 5 }),
    }),
  );
}

function resignJws(ctx, file, headerText, payloadText) {
  const [key, alg] = file === 'bundle' ? [ctx.rootKey, 'EdDSA'] : [ctx.issuerKey, 'EdDSA'];
  const input = `${Buffer.from(headerText).toString('base64url')}.${Buffer.from(payloadText).toString('base64url')}`;
  return Buffer.from(`${input}.${signWith(alg, key, Buffer.from(input)).toString('base64url')}`);
}

function buildTrustFile(ctx, m) {
  const { api } = ctx;
  const original = m.file === 'bundle' ? ctx.bundleBytes : m.file === 'jwt' ? ctx.jwt : ctx.cwt;
  if (m.how === 'bytes') return { bytes: applyByteEdits(original, m.edits), resigned: false };
  if (m.how === 'json') {
    const [h, p] = original.toString('utf8').trim().split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const target = m.inHeader ? header : payload;
    // Deep nesting is spliced in as text: building it as a value would overflow the fuzzer's own JSON.stringify.
    const NEST = '__fuzz_nest__';
    const changed = mutateTree(target, m.path, m.nest ? NEST : m.value, m.nest ? 'replace' : m.mode);
    const nested = (text) => (m.nest ? text.replace(`"${NEST}"`, '['.repeat(m.nest) + ']'.repeat(m.nest)) : text);
    const headerText = nested(JSON.stringify(m.inHeader ? changed : header));
    let payloadText = nested(JSON.stringify(m.inHeader ? payload : changed));
    if (m.raw) payloadText = applyByteEdits(Buffer.from(payloadText), m.raw).toString('latin1');
    return { bytes: resignJws(ctx, m.file, headerText, payloadText), resigned: true };
  }
  // CWT: decode, mutate the claims, re-sign with the issuer key over the (possibly mutated) protected header.
  const top = api.decodeCbor(original);
  const arr = top instanceof api.CborTag ? top.value : top;
  const claims = mutateTree(deepClone(api.decodeCbor(arr[2]), api), m.path, m.value, m.mode);
  let payload;
  try {
    payload = api.encodeCbor(claims);
  } catch {
    payload = Buffer.from(arr[2]);
  }
  if (m.raw) payload = applyByteEdits(payload, m.raw);
  const protectedBytes = arr[0];
  const signature = signWith('EdDSA', ctx.issuerKey, api.sigStructure(protectedBytes, payload));
  return {
    bytes: Buffer.from(
      api.encodeCbor(new api.CborTag(18, [protectedBytes, new Map(), new Uint8Array(payload), new Uint8Array(signature)])),
    ),
    resigned: true,
  };
}

async function checkTrustFile(ctx, m, bytes, resigned, violations) {
  const { api } = ctx;
  const layer = `${m.file}/${m.how}`;
  try {
    if (m.file === 'bundle') {
      const b = await api.verifyBundle(bytes, ctx.root, { now: ctx.now });
      if (
        !resigned &&
        (b.seq !== ctx.bundle.seq || b.iat !== ctx.bundle.iat || JSON.stringify(b.keys) !== JSON.stringify(ctx.bundle.keys))
      ) {
        violation(violations, 'trust', layer, 'a damaged bundle was accepted with other contents', bytes);
      }
    } else {
      const l = await api.verifyStatusListToken(bytes, ctx.refs, { now: ctx.now });
      const o = ctx.lists[m.file === 'jwt' ? 0 : 1];
      if (!resigned && (l.uri !== o.uri || l.iat !== o.iat || !Buffer.from(l.list.bytes).equals(Buffer.from(o.list.bytes)))) {
        violation(violations, 'trust', layer, 'a damaged status list was accepted with other contents', bytes);
      }
    }
  } catch (err) {
    if (!ours(err, api.TrustError)) violation(violations, 'trust', layer, `threw ${err?.stack ?? err}`, bytes);
  }
}

// ---- bridge ----------------------------------------------------------------------------------------------------
export function prepareBridge(api, corpus) {
  const frames = corpus.bridge.frames.map((f) => Buffer.from(f.hex, 'hex'));
  const types = Object.values(api.T);
  return { api, frames, types, panel: { width: 240, height: 320 } };
}

function bridgeInput(ctx) {
  const n = ctx.frames.length;
  return fc.oneof(
    fc.record({
      how: fc.constant('stream'),
      picks: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 4 }),
      edits: fc.option(byteEdits, { freq: 6 }),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    fc.record({
      how: fc.constant('message'),
      type: fc.oneof(fc.constantFrom(...ctx.types), fc.nat(255)),
      payload: fc.uint8Array({ maxLength: 64 }),
      big: fc.boolean(),
    }),
  );
}

function checkBridge(ctx, m, violations) {
  const { api } = ctx;
  const decodeOne = (type, payload, input) => {
    let r;
    try {
      r = api.decodeMessage(type, payload, ctx.panel);
    } catch (err) {
      return violation(violations, 'bridge', m.how, `decodeMessage threw ${err?.stack ?? err}`, input);
    }
    if (!r.ok) {
      if (!Object.values(api.NakCode).includes(r.nak)) violation(violations, 'bridge', m.how, `unknown NAK ${r.nak}`, input);
      return;
    }
    try {
      const again = api.encodeMessage(r.message);
      const back = api.decodeMessage(again.type, again.payload, ctx.panel);
      if (!back.ok || JSON.stringify(back.message) !== JSON.stringify(r.message))
        violation(violations, 'bridge', m.how, 'a decoded message does not survive re-encoding', input);
    } catch (err) {
      violation(violations, 'bridge', m.how, `re-encoding a decoded message threw ${err?.stack ?? err}`, input);
    }
  };
  if (m.how === 'message') {
    const payload = m.big
      ? Buffer.concat([Buffer.from(m.payload), Buffer.alloc(1100 + m.payload.length, m.payload[0] ?? 0)])
      : Buffer.from(m.payload);
    return decodeOne(m.type, payload, Buffer.concat([Buffer.from([m.type & 0xff]), payload]));
  }
  let wire = Buffer.concat(m.picks.map((i) => ctx.frames[i]));
  if (m.edits) wire = applyByteEdits(wire, m.edits);
  const results = [];
  try {
    const decoder = new api.FrameDecoder((r) => results.push(r));
    let at = 0;
    for (const c of [...m.cuts.map((x) => (wire.length ? x % wire.length : 0)).sort((a, b) => a - b), wire.length]) {
      decoder.push(wire.subarray(at, Math.max(at, c)));
      at = Math.max(at, c);
    }
  } catch (err) {
    return violation(violations, 'bridge', m.how, `FrameDecoder threw ${err?.stack ?? err}`, wire);
  }
  for (const r of results) {
    if (r.ok) decodeOne(r.frame.type, r.frame.payload, wire);
    else if (!Object.values(api.NakCode).includes(r.nak)) violation(violations, 'bridge', m.how, `unknown frame NAK ${r.nak}`, wire);
  }
}

// ---- running ---------------------------------------------------------------------------------------------------
/**
 * Runs one target for `inputs` inputs or `timeLimitMs`, whichever comes first. `onProgress(count)` every 1,000.
 * Returns { target, inputs, ms, violations, slowest: { ms, layer }, seed, byLayer }.
 */
export async function runTarget(target, prepared, { inputs, timeLimitMs, seed = Date.now() % 2 ** 31, onProgress = () => {} }) {
  const violations = [];
  const byLayer = {};
  let count = 0;
  let slowest = { ms: 0, layer: null };
  const t0 = performance.now();
  const tick = (layer, started) => {
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms: Math.round(ms * 10) / 10, layer };
    byLayer[layer] = (byLayer[layer] ?? 0) + 1;
    if (++count % 1000 === 0) onProgress(count);
  };
  const params = { numRuns: inputs, seed, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false, endOnFailure: true };
  if (target === 'decoder') {
    fc.check(
      fc.property(decoderInput(prepared), (m) => {
        const started = performance.now();
        let code;
        try {
          code = buildCode(prepared, m);
        } catch (err) {
          violation(
            violations,
            'decoder',
            m.layer,
            `the fuzzer could not build its input: ${err?.stack ?? err}`,
            JSON.stringify(m, (_, x) => (typeof x === 'bigint' ? String(x) : x)),
          );
          return true;
        }
        checkCode(prepared, code.text, code.resigned === true, m.layer, violations);
        tick(m.layer, started);
        return true;
      }),
      params,
    );
  } else if (target === 'trust') {
    await fc.check(
      fc.asyncProperty(trustInput(prepared), async (m) => {
        const started = performance.now();
        let built;
        try {
          built = buildTrustFile(prepared, m);
        } catch (err) {
          violation(
            violations,
            'trust',
            `${m.file}/${m.how}`,
            `the fuzzer could not build its input: ${err?.stack ?? err}`,
            JSON.stringify(m, (_, x) => (typeof x === 'bigint' ? String(x) : x)),
          );
          return true;
        }
        await checkTrustFile(prepared, m, built.bytes, built.resigned, violations);
        tick(`${m.file}/${m.how}`, started);
        return true;
      }),
      params,
    );
  } else if (target === 'bridge') {
    fc.check(
      fc.property(bridgeInput(prepared), (m) => {
        const started = performance.now();
        checkBridge(prepared, m, violations);
        tick(m.how, started);
        return true;
      }),
      params,
    );
  } else throw new Error(`unknown fuzz target ${target}`);
  return { target, inputs: count, ms: Math.round(performance.now() - t0), violations, slowest, seed, byLayer };
}

export const TARGETS = ['decoder', 'trust', 'bridge'];
export { LAYERS };
