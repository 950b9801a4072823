import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify } from '../../src/verify/index.js';
import { initStore, importTrustBytes, BUNDLE_FILE } from '../../src/trust/store.js';
import { loadTrustState, watchTrustStore, type TrustState, type TrustWatcher } from '../../src/trust/state.js';
import type { TrustError } from '../../src/trust/errors.js';
import { statusListStaleness } from '../../src/trust/limits.js';
import { buildStatusListToken, StatusList } from '../../src/trust/status-list.js';
import { signingKeyFromJwk } from '../../src/trust/jwk.js';
import { DEFAULT_WORTH, resultScreen } from '../../src/screen/state.js';
import { bundleOf, credential, ensureBuilt, makeKeyPair, ms, removeDir, ROOT, statusListOf, T0, tempDir } from './helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const tamper = (text: string, at: number): string => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
const root = makeKeyPair('root');
const keyA = makeKeyPair('issuer-2026');
const keyB = makeKeyPair('issuer-2027', 'ES256');
const ROTATE = T0 + 1000;
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

async function storeWith(...files: Array<string | Uint8Array>): Promise<string> {
  const parent = tempDir();
  dirs.push(parent);
  const dir = join(parent, 'store');
  await initStore(dir, root.publicJwk);
  for (const f of files) await importTrustBytes(dir, typeof f === 'string' ? enc(f) : f, { now: T0 + 10 });
  return dir;
}

const rotationBundle = (seq = 1, iat = T0) =>
  bundleOf(
    root,
    [
      { ...keyA.publicJwk, notBefore: T0 - 86400, notAfter: ROTATE },
      { ...keyB.publicJwk, notBefore: ROTATE },
    ],
    seq,
    iat,
  );

function check(state: TrustState, text: string, nowS: number, extra: { skewSeconds?: number } = {}) {
  return verify(text, { keys: state.keys, trust: state.context, now: ms(nowS), purpose: 'rent', ...extra });
}

describe('rotation at the exact window edges (notBefore included, notAfter excluded)', () => {
  it('old codes stay valid after the window closes; codes issued outside a window are refused', async () => {
    const state = await loadTrustState({ storeDir: await storeWith(await rotationBundle()), now: ms(T0) });
    const later = ROTATE + 30 * 86400; // well after key A retired
    const cases: Array<[typeof keyA, number, string]> = [
      [keyA, T0 - 86400, 'VALID'], // first second of A's window
      [keyA, T0 - 86401, 'KEY_NOT_VALID_AT_ISSUE'],
      [keyA, ROTATE - 1, 'VALID'], // last second of A's window
      [keyA, ROTATE, 'KEY_NOT_VALID_AT_ISSUE'], // notAfter is excluded
      [keyB, ROTATE, 'VALID'], // notBefore is included
      [keyB, ROTATE - 1, 'KEY_NOT_VALID_AT_ISSUE'],
    ];
    for (const [key, iat, expected] of cases) {
      const v = check(state, credential(key, { iat }), later);
      expect(v.reason ?? v.verdict, `${key.kid} iat ${iat - ROTATE}`).toBe(expected);
    }
  });
});

describe('revocation through the store', () => {
  const uri = 'https://status.example/lists/1';

  it('revoked → NOT VALID REVOKED, suspended → NOT VALID SUSPENDED, untouched → VALID; both list forms', async () => {
    for (const format of ['jwt', 'cwt'] as const) {
      const dir = await storeWith(await rotationBundle(), await statusListOf(keyA, uri, 1000, { 17: 1, 523: 2 }, T0, format));
      const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
      const at = T0 + 100;
      expect(check(state, credential(keyA, { statusList: { uri, idx: 17 } }), at)).toMatchObject({
        verdict: 'NOT VALID',
        reason: 'REVOKED',
      });
      expect(check(state, credential(keyA, { statusList: { uri, idx: 523 } }), at)).toMatchObject({
        verdict: 'NOT VALID',
        reason: 'SUSPENDED',
      });
      expect(check(state, credential(keyA, { statusList: { uri, idx: 18 } }), at)).toMatchObject({ verdict: 'VALID' });
      // An index beyond the list or a list this desk does not hold: never silently valid.
      expect(check(state, credential(keyA, { statusList: { uri, idx: 1000 } }), at)).toMatchObject({
        verdict: 'CHECK MANUALLY',
        reason: 'REVOCATION_DATA_STALE',
      });
      expect(check(state, credential(keyA, { statusList: { uri: 'https://other.example/9', idx: 1 } }), at)).toMatchObject({
        verdict: 'CHECK MANUALLY',
      });
      expect(state.describe(ms(at)).revocation).toMatchObject({
        mode: 'on',
        lists: [{ uri, entries: 1000, revoked: 1, suspended: 1, format }],
      });
    }
  });

  it('no status list at all is a stated mode ("off"), not an error', async () => {
    const state = await loadTrustState({ storeDir: await storeWith(await rotationBundle()), now: ms(T0) });
    expect(state.context.statusOf).toBeUndefined();
    expect(state.describe(ms(T0)).revocation.mode).toBe('off');
    expect(check(state, credential(keyA, { statusList: { uri, idx: 1 } }), T0 + 100).verdict).toBe('VALID');
  });

  it('staleness boundary: exactly the maximum age is fresh, one second more is CHECK MANUALLY with the age in days', async () => {
    const dir = await storeWith(await rotationBundle(), await statusListOf(keyA, uri, 64, {}, T0));
    const state = await loadTrustState({ storeDir: dir, now: ms(T0), maxStatusAgeSeconds: 3 * 86400 });
    const code = credential(keyA, { statusList: { uri, idx: 3 } });
    expect(check(state, code, T0 + 3 * 86400).verdict).toBe('VALID');
    expect(state.describe(ms(T0 + 3 * 86400)).revocation.lists[0]!.stale).toBe(false);
    const stale = check(state, code, T0 + 3 * 86400 + 1);
    expect(stale).toMatchObject({ verdict: 'CHECK MANUALLY', reason: 'REVOCATION_DATA_STALE', details: { ageDays: 3 } });
    expect(state.describe(ms(T0 + 3 * 86400 + 1)).revocation.lists[0]!.stale).toBe(true);
    // Revoked still beats stale: a stale list that says revoked is believed.
    const revokedDir = await storeWith(await rotationBundle(), await statusListOf(keyA, uri, 64, { 3: 1 }, T0));
    const revokedState = await loadTrustState({ storeDir: revokedDir, now: ms(T0), maxStatusAgeSeconds: 60 });
    expect(check(revokedState, code, T0 + 86400).reason).toBe('REVOKED');
  });

  it('a list past its own exp is stale whatever the desk allows; its ttl is a refresh hint shown by status, not a verdict input', async () => {
    const exp = T0 + 2 * 86400;
    const dir = await storeWith(await rotationBundle(), await statusListOf(keyA, uri, 64, { 5: 1 }, T0, 'cwt', { ttl: 3600, exp }));
    const state = await loadTrustState({ storeDir: dir, now: ms(T0), maxStatusAgeSeconds: 30 * 86400 });
    const code = credential(keyA, { statusList: { uri, idx: 3 } });
    // ttl (1 h) passed, exp not yet: VALID (the desk's 30 days decide), and status says a refresh is due.
    expect(check(state, code, exp - 1).verdict).toBe('VALID');
    expect(state.describe(ms(exp - 1)).revocation.lists[0]).toMatchObject({
      stale: false,
      refreshDue: true,
      expired: false,
      ttl: 3600,
      expiresAt: exp,
    });
    expect(state.describe(ms(T0 + 3600)).revocation.lists[0]!.refreshDue).toBe(false); // exactly the ttl: not yet
    // At exp: CHECK MANUALLY, with the age in days in the message and as a field.
    const stale = check(state, code, exp);
    expect(stale).toMatchObject({
      verdict: 'CHECK MANUALLY',
      reason: 'REVOCATION_DATA_STALE',
      details: { ageDays: 2, listExpiredAt: exp },
    });
    expect(stale.message).toMatch(/The list is 2 days old and past its expiry \(\d{4}-\d\d-\d\d\)\.$/);
    expect(state.describe(ms(exp)).revocation.lists[0]).toMatchObject({ stale: true, expired: true });
    // A revocation in an expired list is still believed (revocation is permanent).
    expect(check(state, credential(keyA, { statusList: { uri, idx: 5 } }), exp + 86400).reason).toBe('REVOKED');
  });

  it("a stale list's verdict message gives its age in days", async () => {
    const dir = await storeWith(await rotationBundle(), await statusListOf(keyA, uri, 64, {}, T0));
    const state = await loadTrustState({ storeDir: dir, now: ms(T0), maxStatusAgeSeconds: 7 * 86400 });
    const v = check(state, credential(keyA, { statusList: { uri, idx: 3 } }), T0 + 9 * 86400 + 5);
    expect(v).toMatchObject({ reason: 'REVOCATION_DATA_STALE', details: { ageDays: 9 } });
    expect(v.message).toBe("The code verified, but this desk's revocation list is out of date. The list is 9 days old.");
    // The desk screen shows that message (the age included).
    const screen = resultScreen({
      verdict: v,
      desk: { purpose: 'rent', demo: false, worth: DEFAULT_WORTH, id: 'desk-t' },
      checkedAt: new Date(ms(T0 + 9 * 86400 + 5)),
      checkId: 'c1',
    });
    expect(screen).toMatchObject({ headline: 'CHECK MANUALLY', message: v.message });
  });

  // Real-sized lists: 1 % of entries set at random places (issuers allocate indexes at random), and the worst case
  // for size — every entry a random status, so nothing compresses. Both signed forms, through the real import.
  const N = 1_000_000;
  function bigList(kind: '1%' | 'worst'): StatusList {
    const list = StatusList.empty(2, N);
    let x = kind === 'worst' ? 11 : 5;
    const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    if (kind === 'worst') for (let i = 0; i < N; i++) list.set(i, (next() >>> 8) % 3);
    else for (let i = 0; i < N / 100; i++) list.set((next() >>> 4) % N, i % 10 === 0 ? 2 : 1);
    return list;
  }
  for (const kind of ['1%', 'worst'] as const) {
    it(`1,000,000-entry list, ${kind === 'worst' ? 'worst case (every entry random)' : '1 % set at random'}: imported in both forms, every entry reads back, codes verify by it`, async () => {
      const list = bigList(kind);
      const signer = await signingKeyFromJwk(keyA.privateJwk);
      for (const format of ['jwt', 'cwt'] as const) {
        const token = await buildStatusListToken({ uri, list, signer, iat: T0, format });
        if (kind === 'worst') expect(token.length).toBeGreaterThan(190_000); // ~log2(3) bits per entry: far over the old 32 KB CBOR cap
        const dir = await storeWith(await rotationBundle(), token);
        const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
        const signedBy = state.keys.byKid.get(keyA.kid)!;
        const statusOf = (ref: { uri: string; idx: number }) => state.context.statusOf!(ref, signedBy);
        const names = ['VALID', 'INVALID', 'SUSPENDED'];
        for (let idx = 0; idx < N; idx++) {
          const got = statusOf({ uri, idx })!.status;
          if (got !== names[list.get(idx)]) expect(`${format} idx ${idx}: ${got}`).toBe(names[list.get(idx)]);
        }
        expect(statusOf({ uri, idx: N })).toBeUndefined();
        const summary = state.describe(ms(T0)).revocation.lists[0]!;
        expect(summary).toMatchObject({ entries: N, format });
        let revoked = 0;
        let suspended = 0;
        for (let idx = 0; idx < N; idx++) list.get(idx) === 1 ? revoked++ : list.get(idx) === 2 ? suspended++ : 0;
        expect([summary.revoked, summary.suspended]).toEqual([revoked, suspended]);
        // A code whose entry is revoked, suspended or valid, end to end.
        const first = (v: number): number => {
          let i = 0;
          while (list.get(i) !== v) i++;
          return i;
        };
        const expected: Array<[number, string]> = [
          [first(1), 'REVOKED'],
          [first(2), 'SUSPENDED'],
          [first(0), 'VALID'],
        ];
        for (const [idx, want] of expected) {
          const v = check(state, credential(keyA, { iat: T0, statusList: { uri, idx } }), T0 + 60);
          expect(`${format} idx ${idx}: ${v.reason ?? v.verdict}`).toBe(`${format} idx ${idx}: ${want}`);
        }
      }
    }, 60_000);
  }
});

describe('clock sanity', () => {
  it('a kiosk clock behind the newest bundle (beyond skew) gives CHECK MANUALLY CLOCK_SUSPECT, and status says so', async () => {
    const bundleIat = T0 + 5000;
    const parent = tempDir();
    dirs.push(parent);
    const dir = join(parent, 'store');
    await initStore(dir, root.publicJwk);
    await importTrustBytes(dir, enc(await rotationBundle(1, bundleIat)), { now: bundleIat });
    // The clock is then set back (battery died): the store still loads, the clock floor flags it.
    const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
    const code = credential(keyA, { iat: T0 - 1000 });
    expect(check(state, code, bundleIat - 301, { skewSeconds: 300 })).toMatchObject({ verdict: 'CHECK MANUALLY', reason: 'CLOCK_SUSPECT' });
    expect(check(state, code, bundleIat - 300, { skewSeconds: 300 }).verdict).toBe('VALID');
    expect(state.describe(ms(bundleIat - 301)).clock).toMatchObject({ floor: bundleIat, suspect: true, behindSeconds: 301 });
    expect(state.describe(ms(bundleIat)).clock.suspect).toBe(false);
  });

  it('the floor survives a later bundle with an older iat being impossible: it is the highest iat accepted', async () => {
    const dir = await storeWith(await rotationBundle(1, T0), await rotationBundle(2, T0 + 5));
    const state = await loadTrustState({ storeDir: dir, now: ms(T0 + 10) });
    expect(state.context.clockFloor).toBe(T0 + 5);
  });
});

describe('live store: watchTrustStore', () => {
  let watcher: TrustWatcher | null = null;
  afterEach(() => {
    watcher?.close();
    watcher = null;
  });
  beforeAll(() => ensureBuilt(['dist/trust/index.js']), 180_000);

  function waitFor(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
    const start = Date.now();
    return new Promise((resolve, reject) => {
      const tick = () =>
        pred() ? resolve() : Date.now() - start > timeoutMs ? reject(new Error('timed out waiting')) : setTimeout(tick, 20);
      tick();
    });
  }

  it('picks up an import without restart; a bad file on disk never replaces the good state', async () => {
    const dir = await storeWith(await bundleOf(root, [keyA.publicJwk], 1));
    const seen: number[] = [];
    const errors: string[] = [];
    watcher = await watchTrustStore(dir, (s) => seen.push(s.bundleSeq), {
      clock: () => ms(T0 + 20),
      debounceMs: 50,
      onError: (e) => errors.push(e.message),
    });
    expect(watcher.current.bundleSeq).toBe(1);
    await importTrustBytes(dir, enc(await bundleOf(root, [keyA.publicJwk, keyB.publicJwk], 2)), { now: T0 + 20 });
    await waitFor(() => seen.includes(2));
    expect(watcher.current.keys.keys.map((k) => k.kid)).toEqual(['issuer-2026', 'issuer-2027']);
    // Garbage written straight into the store: refused, the good state stays.
    writeFileSync(join(dir, BUNDLE_FILE), 'eyJhbGciOiJFZERTQSJ9.garbage.x\n');
    await waitFor(() => errors.length > 0);
    expect(watcher.current.bundleSeq).toBe(2);
    expect(await watcher.reload()).toBe(false);
    expect(watcher.current.bundleSeq).toBe(2);
  });

  it("refused imports leave a running kiosk's in-memory trust exactly as it was (same state object, no change event)", async () => {
    const uri = 'https://status.example/lists/1';
    const good = await bundleOf(root, [keyA.publicJwk], 2);
    const dir = await storeWith(await bundleOf(root, [keyA.publicJwk], 1), good, await statusListOf(keyA, uri, 64, { 1: 1 }, T0 + 5));
    let changes = 0;
    watcher = await watchTrustStore(dir, () => changes++, { clock: () => ms(T0 + 20), debounceMs: 20 });
    const before = watcher.current;
    const other = makeKeyPair('other-root');
    const bad: Array<[Uint8Array, string]> = [
      [enc(tamper(good, good.indexOf('.') + 20)), 'SIGNATURE_INVALID'], // tampered payload
      [enc(good.slice(0, -20)), 'SIGNATURE_INVALID'], // truncated in the signature
      [enc(good.slice(0, good.indexOf('.') + 10)), 'MALFORMED'], // truncated in the payload
      [enc(await bundleOf(other, [keyB.publicJwk], 9)), 'WRONG_ROOT'],
      [enc(await bundleOf(root, [keyB.publicJwk], 1)), 'ROLLBACK'], // replayed old sequence
      [enc(good), 'ROLLBACK'], // the same again
      [new Uint8Array(9 * 1024 * 1024).fill(0x65), 'FILE_TOO_LARGE'],
      [enc('{"keys": []}'), 'WRONG_TYPE'],
      [await statusListOf(keyA, uri, 64, {}, T0 + 5), 'ROLLBACK'], // a status list replayed
      [await statusListOf(makeKeyPair('issuer-2026'), uri, 64, {}, T0 + 9), 'SIGNATURE_INVALID'], // right kid, wrong key
    ];
    for (const [i, [bytes, code]] of bad.entries()) {
      const err = await importTrustBytes(dir, bytes, { now: T0 + 20 }).catch((e: unknown) => e);
      expect(`${i}: ${(err as TrustError).code}`).toBe(`${i}: ${code}`);
    }
    await new Promise((r) => setTimeout(r, 300)); // past the debounce: any reload the lock file's events caused is done
    await watcher.reload();
    expect(watcher.current).toBe(before);
    expect(changes).toBe(0);
    expect(check(watcher.current, credential(keyA, { statusList: { uri, idx: 1 } }), T0 + 30).reason).toBe('REVOKED');
  });

  it('refuses to go backwards when an old (validly signed) bundle is copied over the active one', async () => {
    const old = await bundleOf(root, [keyA.publicJwk], 1);
    const dir = await storeWith(old, await bundleOf(root, [keyA.publicJwk, keyB.publicJwk], 2));
    const errors: string[] = [];
    const running = await watchTrustStore(dir, () => undefined, {
      clock: () => ms(T0 + 20),
      pollMs: 0,
      onError: (e) => errors.push(e.message),
    });
    try {
      writeFileSync(join(dir, 'state.json'), JSON.stringify({ v: 1, highestSeq: 0, highestIat: 0 })); // the counter reset too
      writeFileSync(join(dir, BUNDLE_FILE), old);
      expect(await running.reload()).toBe(false);
      expect(running.current.bundleSeq).toBe(2);
      expect(errors.join(' ')).toContain('older than seq 2');
    } finally {
      running.close();
    }
  });

  it('(without the counter reset) a fresh load refuses the rolled-back bundle', async () => {
    const old = await bundleOf(root, [keyA.publicJwk], 1);
    const dir = await storeWith(old, await bundleOf(root, [keyA.publicJwk, keyB.publicJwk], 2));
    writeFileSync(join(dir, BUNDLE_FILE), old);
    const err = await loadTrustState({ storeDir: dir, now: ms(T0 + 20) }).catch((e: unknown) => e);
    expect((err as TrustError).code).toBe('ROLLBACK');
    expect((err as TrustError).message).toContain('rolled back');
  });

  it('a real process killed between temp write and rename leaves the old set in force', async () => {
    const dir = await storeWith(await bundleOf(root, [keyA.publicJwk], 1));
    const file = join(dir, '..', 'next.jws');
    writeFileSync(file, await bundleOf(root, [keyB.publicJwk], 2));
    const child = spawn(process.execPath, [join(ROOT, 'test/trust/import-child.mjs'), dir, file, 'crash', String(T0 + 20)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toHaveLength(1); // the durable temp it never renamed
    const state = await loadTrustState({ storeDir: dir, now: ms(T0 + 20) });
    expect(state.bundleSeq).toBe(1);
    expect(state.keys.keys.map((k) => k.kid)).toEqual(['issuer-2026']);
    // The dead importer's lock does not block the next import.
    await importTrustBytes(dir, readFileSync(file), { now: T0 + 20 });
    expect((await loadTrustState({ storeDir: dir, now: ms(T0 + 20) })).bundleSeq).toBe(2);
  });

  it('two importers at once (separate processes): the lock serialises them, the higher seq wins, nothing is torn', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = await storeWith(await bundleOf(root, [keyA.publicJwk], 1));
      const files = [2, 3].map((seq) => {
        const f = join(dir, '..', `b${seq}.jws`);
        return { seq, f };
      });
      for (const { seq, f } of files)
        writeFileSync(f, await bundleOf(root, seq === 3 ? [keyA.publicJwk, keyB.publicJwk] : [keyA.publicJwk], seq));
      const runs = files.map(({ f }) => {
        const child = spawn(process.execPath, [join(ROOT, 'test/trust/import-child.mjs'), dir, f, 'ok', String(T0 + 20)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
      });
      const results = await Promise.all(runs);
      // Either order is fine: 2 then 3 (both succeed) or 3 then 2 (2 refused as a rollback).
      for (const r of results) {
        if (r.code !== 0) expect(JSON.parse(r.out)).toMatchObject({ refused: 'ROLLBACK' });
      }
      expect(results[1]!.code).toBe(0); // seq 3 never loses
      const state = await loadTrustState({ storeDir: dir, now: ms(T0 + 20) });
      expect(state.bundleSeq).toBe(3);
      expect(state.keys.keys).toHaveLength(2);
      expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toMatchObject({ highestSeq: 3 });
      expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-') || n === '.lock')).toEqual([]);
    }
  });

  it("a dead importer's lock taken over by six importers at once: exactly one holds the lock at a time", async () => {
    // A real dead pid: a child that has exited.
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid!)));
    for (let round = 0; round < 2; round++) {
      const dir = await storeWith(await bundleOf(root, [keyA.publicJwk], 1));
      writeFileSync(join(dir, '.lock'), String(deadPid)); // left by an importer that died
      const go = join(dir, '..', `go-${round}`);
      const inside = join(dir, '..', `inside-${round}`);
      const seqs = [2, 3, 4, 5, 6, 7];
      const files = await Promise.all(
        seqs.map(async (seq) => {
          const f = join(dir, '..', `r${round}-b${seq}.jws`);
          writeFileSync(f, await bundleOf(root, [keyA.publicJwk], seq));
          return f;
        }),
      );
      const runs = files.map((f) => {
        const child = spawn(
          process.execPath,
          [join(ROOT, 'test/trust/import-child.mjs'), dir, f, `probe:${go}:${inside}`, String(T0 + 20)],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
      });
      await new Promise((r) => setTimeout(r, 600)); // let every child load and wait at the barrier
      writeFileSync(go, '');
      const results = await Promise.all(runs);
      for (const r of results) {
        const line = JSON.parse(r.out) as { overlap: boolean; refused?: string };
        expect(line.overlap, r.out).toBe(false);
        if (r.code !== 0) expect(line.refused, r.out).toBe('ROLLBACK'); // an older seq arriving after a newer one
      }
      const state = await loadTrustState({ storeDir: dir, now: ms(T0 + 20) });
      expect(state.bundleSeq).toBe(7);
      expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toMatchObject({ highestSeq: 7 });
      expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-') || n.startsWith('.lock'))).toEqual([]);
    }
  });

  it('concurrent import while verifying: every verdict comes from the old set or the new one, never a mix or an error', async () => {
    const dir = await storeWith(await bundleOf(root, [keyA.publicJwk], 1));
    watcher = await watchTrustStore(dir, () => undefined, { clock: () => ms(T0 + 20), debounceMs: 10 });
    const file = join(dir, '..', 'next.jws');
    writeFileSync(file, await bundleOf(root, [keyA.publicJwk, keyB.publicJwk], 2));
    const fromA = credential(keyA, { iat: T0 });
    const fromB = credential(keyB, { iat: T0 });
    const child = spawn(process.execPath, [join(ROOT, 'test/trust/import-child.mjs'), dir, file, 'ok', String(T0 + 20)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const outcomes = new Set<string>();
    let rounds = 0;
    let childDone = false;
    void exited.then(() => (childDone = true));
    const deadline = Date.now() + 30_000;
    while (!(childDone && outcomes.has('2:VALID')) && Date.now() < deadline) {
      const s = watcher.current; // one state per check: what a kiosk does per scan
      const a = verify(fromA, { keys: s.keys, trust: s.context, now: ms(T0 + 30) });
      const b = verify(fromB, { keys: s.keys, trust: s.context, now: ms(T0 + 30) });
      expect(a.verdict).toBe('VALID');
      outcomes.add(`${s.bundleSeq}:${b.reason ?? b.verdict}`);
      rounds++;
      if (rounds % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await exited).toBe(0);
    expect(watcher.current.bundleSeq).toBe(2);
    expect([...outcomes].filter((o) => o !== '1:KEY_UNKNOWN' && o !== '2:VALID')).toEqual([]);
    expect(outcomes.has('2:VALID')).toBe(true);
  });
});

describe('statusListStaleness: the one rule for the verdict and the trust summary', () => {
  it('is expired at and after exp whatever the age, too old only past the maximum, and fresh otherwise', () => {
    const list = { issuedAt: 1000, expiresAt: 5000 };
    expect(statusListStaleness(list, 4999, 3999)).toBeNull();
    expect(statusListStaleness(list, 5000, 1e9)).toBe('expired');
    expect(statusListStaleness({ issuedAt: 1000 }, 1000 + 60, 60)).toBeNull();
    expect(statusListStaleness({ issuedAt: 1000 }, 1000 + 61, 60)).toBe('too-old');
    expect(statusListStaleness({ issuedAt: 1000 }, 1e12)).toBeNull(); // no maximum, no exp: never stale
    expect(statusListStaleness(list, 5000, 60)).toBe('expired'); // both: expiry is the reason given
  });
});
