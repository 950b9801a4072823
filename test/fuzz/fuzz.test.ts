/**
 * The short fuzz run (the long one is `npm run fuzz`, scripts/fuzz.mjs, with its figures in BENCHMARKS.md): the same
 * engine (scripts/fuzz-engine.mjs) and corpus (test/corpus/), against src/, a few thousand inputs per target with a
 * fixed seed so a failure here is the same failure on every machine. A broken invariant fails with its input.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, NakCode, T } from '../../src/bridge/codec.js';
import { decodeMessage, encodeMessage } from '../../src/bridge/messages.js';
import {
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
} from '../../src/credential/index.js';
import { issuerKeyRefs, keySetFromJwks, rootFromJwk, TrustError, verifyBundle, verifyStatusListToken } from '../../src/trust/index.js';
import { decodedToJson, inspect, REASON_CODES, verify } from '../../src/verify/index.js';
import { loadCorpus, prepareBridge, prepareDecoder, prepareTrust, runTarget, type FuzzReport } from '../../scripts/fuzz-engine.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What the engine drives (the same names scripts/fuzz.mjs takes from dist/). */
const api = {
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
const corpus = loadCorpus(ROOT);
const SEED = 20261203;
// Inputs, not time: the same inputs on a quiet or a loaded machine. The time limit only stops a runaway.
const LIMIT_MS = 120_000;

function expectClean(r: FuzzReport, inputs: number): void {
  expect(r.violations, JSON.stringify(r.violations.slice(0, 3), null, 1)).toEqual([]);
  expect(r.inputs).toBe(inputs);
}

describe('fuzzing from the kept corpus (short run)', () => {
  it('decoder: text, Base45, zlib, COSE and re-signed claims mutations', async () => {
    const r = await runTarget('decoder', await prepareDecoder(api, corpus), { inputs: 2000, timeLimitMs: LIMIT_MS, seed: SEED });
    expectClean(r, 2000);
    // Every layer was reached (the mutations are not all stopped by the first decoder).
    for (const layer of ['text', 'base45', 'zlib', 'cose', 'claims', 'raw']) expect(r.byLayer[layer], layer).toBeGreaterThan(150);
  });

  it('the VALID-without-the-key check can fail: with the corpus signatures forgotten, unchanged signed parts count', async () => {
    const r = await runTarget('decoder', await prepareDecoder(api, corpus, { knownSignatures: false }), {
      inputs: 300,
      timeLimitMs: LIMIT_MS,
      seed: SEED,
    });
    expect(r.violations.length).toBeGreaterThan(0);
    expect(r.violations.every((v) => v.what.includes('VALID without the key'))).toBe(true);
  });

  it('trust files: bundle and status lists in both forms, damaged or re-signed', async () => {
    const r = await runTarget('trust', await prepareTrust(api, corpus), { inputs: 1500, timeLimitMs: LIMIT_MS, seed: SEED });
    expectClean(r, 1500);
    for (const layer of ['bundle/bytes', 'jwt/bytes', 'cwt/bytes', 'bundle/json', 'jwt/json', 'cwt/cbor'])
      expect(r.byLayer[layer], layer).toBeGreaterThan(50);
  });

  it('bridge frames: mutated golden frames in random chunks, arbitrary payloads for every type', async () => {
    const r = await runTarget('bridge', prepareBridge(api, corpus), { inputs: 5000, timeLimitMs: LIMIT_MS, seed: SEED });
    expectClean(r, 5000);
  });
});
