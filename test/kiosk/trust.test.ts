/** Which keys the kiosk trusts: DEMO only without a config; a config's keys file or trust store; --keys; live reload. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskConfig } from '../../src/kiosk/config.js';
import { importTrustBytes, initStore } from '../../src/trust/store.js';
import { bundleOf, credential, makeKeyPair, statusListOf } from '../trust/helpers.js';
import { demoCode, records, SseClient, startTestKiosk, tempDir, type TestKiosk } from './helpers.js';

let k: TestKiosk | null = null;
const clients: SseClient[] = [];
const temps: Array<{ remove(): void }> = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => {
    c.close();
  });
  await k?.stop();
  k = null;
  temps.splice(0).forEach((t) => {
    t.remove();
  });
});

function configWith(trust: Partial<KioskConfig['trust']>): KioskConfig {
  return {
    desk: { id: 'desk-t', purpose: 'any', askFor: [] },
    trust: { skewSeconds: 300, maxStatusAgeDays: 7, ...trust },
    scanners: { stdin: true, discover: false, devices: [], duplicateWindowMs: 1500 },
    bridges: [],
    displays: { web: { enabled: true, port: 7169 }, terminal: 'off' },
    screen: { clearAfterSeconds: 30 },
    records: { retentionDays: 30 },
  };
}

async function scanAndWait(sse: SseClient, text: string): Promise<NonNullable<SseClient['states'][number]>> {
  const from = sse.states.length;
  k!.scan(text);
  return sse.waitFor((s) => s.kind === 'result', from);
}

async function open(): Promise<SseClient> {
  const c = await SseClient.open(k!.kiosk.port, k!.token);
  clients.push(c);
  await c.waitFor(() => true);
  return c;
}

describe('kiosk trust', () => {
  it('with a config, only its keys count: the DEMO code is KEY_UNKNOWN and there is no DEMO banner', async () => {
    const t = tempDir('trust');
    temps.push(t);
    const a = makeKeyPair('issuer-a');
    const keys = path.join(t.dir, 'keys.jwks');
    writeFileSync(keys, JSON.stringify({ keys: [a.publicJwk] }));
    k = await startTestKiosk({ config: configWith({ keys }) });
    const sse = await open();
    const demo = await scanAndWait(sse, demoCode('demo-valid'));
    expect(demo).toMatchObject({ verdict: 'NOT VALID', reason: 'KEY_UNKNOWN', demo: false, person: null });
    expect(await scanAndWait(sse, credential(a))).toMatchObject({ verdict: 'VALID', demo: false });
  });

  it('--keys overrides: no DEMO keys, no DEMO banner, even without a config', async () => {
    const t = tempDir('trust');
    temps.push(t);
    const a = makeKeyPair('issuer-a');
    const keys = path.join(t.dir, 'keys.jwks');
    writeFileSync(keys, JSON.stringify({ keys: [a.publicJwk] }));
    k = await startTestKiosk({ keysFile: keys });
    const sse = await open();
    expect(k.kiosk.demo).toBe(false);
    expect(await scanAndWait(sse, demoCode('demo-valid'))).toMatchObject({ reason: 'KEY_UNKNOWN', demo: false });
  });

  it('a keys file is re-read on reload (SIGHUP); a broken file keeps the keys in force', async () => {
    const t = tempDir('trust');
    temps.push(t);
    const a = makeKeyPair('issuer-a');
    const b = makeKeyPair('issuer-b');
    const keys = path.join(t.dir, 'keys.jwks');
    writeFileSync(keys, JSON.stringify({ keys: [a.publicJwk] }));
    k = await startTestKiosk({ config: configWith({ keys }) });
    const sse = await open();
    expect(await scanAndWait(sse, credential(b, { iat: 1_790_000_001 }))).toMatchObject({ reason: 'KEY_UNKNOWN' });
    writeFileSync(keys, JSON.stringify({ keys: [a.publicJwk, b.publicJwk] }));
    await k.kiosk.reloadTrust();
    expect(await scanAndWait(sse, credential(b, { iat: 1_790_000_002 }))).toMatchObject({ verdict: 'VALID' });
    writeFileSync(keys, '{ not json');
    await k.kiosk.reloadTrust();
    expect(k.logs.join('')).toContain('"event":"trust-reload-failed"');
    expect(await scanAndWait(sse, credential(b, { iat: 1_790_000_003 }))).toMatchObject({ verdict: 'VALID' });
  });

  it('a trust store is followed live: a newer bundle adding an issuer is swapped in', async () => {
    const t = tempDir('store');
    temps.push(t);
    const root = makeKeyPair('root');
    const a = makeKeyPair('issuer-a');
    const b = makeKeyPair('issuer-b');
    const now = Math.floor(Date.now() / 1000);
    await initStore(t.dir, root.publicJwk);
    await importTrustBytes(t.dir, new TextEncoder().encode(await bundleOf(root, [a.publicJwk], 1, now - 60)), { now });
    k = await startTestKiosk({ config: configWith({ store: t.dir }) });
    const sse = await open();
    expect(await scanAndWait(sse, credential(a, { iat: now - 30 }))).toMatchObject({ verdict: 'VALID' });
    expect(await scanAndWait(sse, credential(b, { iat: now - 29 }))).toMatchObject({ reason: 'KEY_UNKNOWN' });
    await importTrustBytes(t.dir, new TextEncoder().encode(await bundleOf(root, [a.publicJwk, b.publicJwk], 2, now - 10)), { now });
    await k.kiosk.reloadTrust(); // the watcher would do this too; calling it keeps the test free of timing
    expect(k.logs.join('')).toMatch(/"event":"trust-reloaded".*"bundleSeq":2/);
    expect(await scanAndWait(sse, credential(b, { iat: now - 28 }))).toMatchObject({ verdict: 'VALID' });
  });

  it('a keys file holds no status lists: a VALID code that names one says, on the screen and in its record, that revocation was not checked', async () => {
    const t = tempDir('trust');
    temps.push(t);
    const a = makeKeyPair('issuer-a');
    const keys = path.join(t.dir, 'keys.jwks');
    writeFileSync(keys, JSON.stringify({ keys: [a.publicJwk] }));
    k = await startTestKiosk({ config: configWith({ keys }) });
    const sse = await open();
    const named = await scanAndWait(sse, credential(a, { statusList: { uri: 'https://issuer.example/status/1', idx: 3 } }));
    expect(named).toMatchObject({ verdict: 'VALID' });
    expect(named.message).toContain('Revocation was NOT checked');
    const unnamed = await scanAndWait(sse, credential(a, { iat: 1_790_000_100 }));
    expect(unnamed).toMatchObject({ verdict: 'VALID' });
    expect(unnamed.message).not.toMatch(/revocation/i);
    await k.kiosk.close(); // every record written; the folder stays until afterEach
    const lines = records(k.dir).filter((r) => r.type === 'check');
    expect(lines.map((r) => r.revocation)).toEqual(['not-checked', undefined]);
  });

  it("a trust store with the issuer's status list: the record says revocation was checked, and a revoked code is NOT VALID", async () => {
    const t = tempDir('store');
    temps.push(t);
    const root = makeKeyPair('root');
    const a = makeKeyPair('issuer-a');
    const now = Math.floor(Date.now() / 1000);
    const uri = 'https://issuer.example/status/1';
    await initStore(t.dir, root.publicJwk);
    await importTrustBytes(t.dir, new TextEncoder().encode(await bundleOf(root, [a.publicJwk], 1, now - 60)), { now });
    await importTrustBytes(t.dir, await statusListOf(a, uri, 64, { 5: 1 }, now - 30), { now });
    k = await startTestKiosk({ config: configWith({ store: t.dir }) });
    const sse = await open();
    const fine = await scanAndWait(sse, credential(a, { iat: now - 20, statusList: { uri, idx: 3 } }));
    expect(fine).toMatchObject({ verdict: 'VALID' });
    expect(fine.message).not.toMatch(/revocation/i);
    expect(await scanAndWait(sse, credential(a, { iat: now - 19, statusList: { uri, idx: 5 } }))).toMatchObject({ reason: 'REVOKED' });
    await k.kiosk.close();
    expect(
      records(k.dir)
        .filter((r) => r.type === 'check')
        .map((r) => r.revocation),
    ).toEqual(['checked', 'checked']);
  });
});
