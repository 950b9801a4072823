/** One rule for where trust comes from (src/trust/source.ts), shared by `run` and `verify`. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseTrust, describeTrust, openTrust, trustKind } from '../../src/trust/source.js';
import { DEMO_KEYS_FILE } from '../../src/kiosk/kiosk.js';

const dir = mkdtempSync(path.join(tmpdir(), 'proofdesk-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const emptyStore = path.join(dir, 'empty');
const storeWithBundle = path.join(dir, 'with-bundle');
mkdirSync(emptyStore);
mkdirSync(storeWithBundle);
writeFileSync(path.join(storeWithBundle, 'bundle.jws'), 'x');

describe('chooseTrust: first match wins', () => {
  const all = {
    keysFile: 'k.jwks',
    store: '/s',
    config: { store: '/cs', keys: 'ck.jwks' },
    perUserStore: storeWithBundle,
    demoKeysFile: 'demo.jwks',
  };
  it('--keys beats everything, then --store, then the config store', () => {
    expect(chooseTrust(all)).toEqual({ kind: 'keys', file: 'k.jwks', why: 'option' });
    const { keysFile: _k, ...noKeys } = all;
    expect(chooseTrust(noKeys)).toEqual({ kind: 'store', dir: '/s', why: 'option' });
    const { store: _s, ...noStore } = noKeys;
    expect(chooseTrust(noStore)).toEqual({ kind: 'store', dir: '/cs', why: 'config' });
  });
  it('the per-user store counts only once it holds a bundle, and then beats the config keys', () => {
    expect(chooseTrust({ config: { keys: 'ck.jwks' }, perUserStore: storeWithBundle })).toEqual({
      kind: 'store',
      dir: storeWithBundle,
      why: 'per-user',
    });
    expect(chooseTrust({ config: { keys: 'ck.jwks' }, perUserStore: emptyStore })).toEqual({
      kind: 'keys',
      file: 'ck.jwks',
      why: 'config',
    });
  });
  it('the DEMO keys only when nothing names trust and there is no config; else nothing', () => {
    expect(chooseTrust({ perUserStore: emptyStore, demoKeysFile: 'demo.jwks' })).toEqual({ kind: 'keys', file: 'demo.jwks', why: 'demo' });
    expect(chooseTrust({ config: {}, perUserStore: emptyStore, demoKeysFile: 'demo.jwks' })).toBeNull();
    expect(chooseTrust({ perUserStore: emptyStore })).toBeNull();
  });
  it('says where trust came from', () => {
    expect(trustKind({ kind: 'keys', file: 'demo.jwks', why: 'demo' })).toBe('DEMO keys');
    expect(describeTrust({ kind: 'store', dir: '/x', why: 'per-user' })).toBe('trust store /x (the per-user store)');
  });
});

describe('openTrust', () => {
  it('a keys file: its keys, no revocation context; a reload that fails keeps the keys and reports', async () => {
    const file = path.join(dir, 'keys.jwks');
    writeFileSync(file, readFileSync(DEMO_KEYS_FILE));
    const errors: Error[] = [];
    const source = await openTrust({ kind: 'keys', file, why: 'option' }, { onError: (e) => errors.push(e) });
    expect(source.keys.keys.length).toBeGreaterThan(0);
    expect(source.context).toBeUndefined();
    writeFileSync(file, 'not json');
    await source.reload();
    expect(errors).toHaveLength(1);
    expect(source.keys.keys.length).toBeGreaterThan(0);
  });
  it('a store without a pinned root is refused', async () => {
    await expect(openTrust({ kind: 'store', dir: emptyStore, why: 'option' })).rejects.toThrow();
  });
});
