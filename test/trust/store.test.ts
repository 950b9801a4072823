import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, statSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initStore, importTrustBytes, readStore, defaultStoreDir, BUNDLE_FILE, STATE_FILE, ROOT_FILE } from '../../src/trust/store.js';
import { loadTrustState } from '../../src/trust/state.js';
import { TrustError } from '../../src/trust/errors.js';
import { MAX_STATUS_LIST_FILE_BYTES } from '../../src/trust/limits.js';
import { bundleOf, makeKeyPair, removeDir, statusListOf, T0, tempDir, treeBytes, ms } from './helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const root = makeKeyPair('root');
const otherRoot = makeKeyPair('other-root');
const issuerA = makeKeyPair('issuer-a');
const issuerB = makeKeyPair('issuer-b');
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

async function freshStore(): Promise<string> {
  const dir = join(tempDir(), 'store');
  dirs.push(join(dir, '..'));
  await initStore(dir, root.publicJwk);
  return dir;
}

async function importOk(dir: string, bytes: Uint8Array | string, now = T0) {
  return importTrustBytes(dir, typeof bytes === 'string' ? enc(bytes) : bytes, { now });
}

/** Imports that must be refused: prove the files AND the loaded in-memory set are unchanged. */
async function expectRefusedUnchanged(dir: string, bytes: Uint8Array, code: string, now = T0): Promise<TrustError> {
  const before = treeBytes(dir);
  const stateBefore = await loadTrustState({ storeDir: dir, now: ms(now) });
  const err = await importTrustBytes(dir, bytes, { now }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrustError);
  expect((err as TrustError).code).toBe(code);
  expect((err as TrustError).message.split('\n')).toHaveLength(1);
  expect(treeBytes(dir)).toEqual(before);
  const stateAfter = await loadTrustState({ storeDir: dir, now: ms(now) });
  expect(stateAfter.bundleSeq).toBe(stateBefore.bundleSeq);
  expect(stateAfter.keys.keys.map((k) => k.thumbprint)).toEqual(stateBefore.keys.keys.map((k) => k.thumbprint));
  expect(stateAfter.snapshot.statusLists.map((t) => [t.uri, t.iat])).toEqual(stateBefore.snapshot.statusLists.map((t) => [t.uri, t.iat]));
  return err as TrustError;
}

describe('trust store', () => {
  it('default location follows XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultStoreDir({ XDG_DATA_HOME: '/x/data', HOME: '/home/k' })).toBe('/x/data/proofdesk');
    expect(defaultStoreDir({ HOME: '/home/k' })).toBe('/home/k/.local/share/proofdesk');
    expect(defaultStoreDir({ XDG_DATA_HOME: 'relative', HOME: '/home/k' })).toBe('/home/k/.local/share/proofdesk');
  });

  it('init pins the root once; a second init is refused without force; force starts a new history', async () => {
    const dir = await freshStore();
    expect(JSON.parse(readFileSync(join(dir, ROOT_FILE), 'utf8'))).toMatchObject({ kty: 'OKP', x: root.publicJwk.x });
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 4));
    const before = treeBytes(dir);
    const err = await initStore(dir, otherRoot.publicJwk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrustError);
    expect((err as TrustError).code).toBe('ROOT_EXISTS');
    expect(treeBytes(dir)).toEqual(before);
    await initStore(dir, otherRoot.publicJwk, { force: true });
    expect(existsSync(join(dir, BUNDLE_FILE))).toBe(false);
    await importOk(dir, await bundleOf(otherRoot, [issuerB.publicJwk], 1));
    expect((await loadTrustState({ storeDir: dir, now: ms(T0) })).bundleSeq).toBe(1);
  });

  it('imports a bundle and re-verifies it on every load', async () => {
    const dir = await freshStore();
    const r = await importOk(dir, await bundleOf(root, [issuerA.publicJwk, issuerB.publicJwk], 1));
    expect(r).toMatchObject({ kind: 'bundle', seq: 1, previousSeq: 0 });
    const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
    expect(state.keys.keys.map((k) => k.kid)).toEqual(['issuer-a', 'issuer-b']);
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'))).toMatchObject({ highestSeq: 1, highestIat: T0 });
    // Someone edits the active bundle on disk: it is no longer trusted.
    const text = readFileSync(join(dir, BUNDLE_FILE), 'utf8');
    writeFileSync(join(dir, BUNDLE_FILE), `${text.replace(/.$/s, '').slice(0, -3)}AAA\n`);
    const err = await loadTrustState({ storeDir: dir, now: ms(T0) }).catch((e: unknown) => e);
    expect((err as TrustError).code).toBe('NO_ACTIVE_BUNDLE');
  });

  it('store files are 0644 and folders 0755 whatever the umask (an administrator with umask 077 imports for the service user)', async () => {
    const old = process.umask(0o077);
    let dir: string;
    try {
      dir = await freshStore();
      await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 1));
      await importOk(dir, await statusListOf(issuerA, 'https://example.test/list/1', 16, { 3: 1 }));
    } finally {
      process.umask(old);
    }
    const modes = (rel: string) => statSync(join(dir, rel)).mode & 0o777;
    expect(modes('.')).toBe(0o755);
    for (const f of [ROOT_FILE, BUNDLE_FILE, STATE_FILE]) expect([f, modes(f)]).toEqual([f, 0o644]);
    const statusDirs = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
    expect(statusDirs.length).toBeGreaterThan(0);
    for (const d of statusDirs) {
      expect(modes(d)).toBe(0o755);
      for (const f of readdirSync(join(dir, d))) expect(modes(join(d, f))).toBe(0o644);
    }
  });

  it('a store this user cannot read says so (FILE_UNREADABLE), not "no root is pinned"', async () => {
    const dir = await freshStore();
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 1));
    chmodSync(dir, 0o700);
    // Run as another user: root (CI) drops to nobody with setpriv; a non-root tester owns the folder, so make it 000.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(dir, 0o000);
    const probe = `import('${join(process.cwd(), 'dist/trust/state.js')}').then((m) => m.loadTrustState({ storeDir: ${JSON.stringify(dir)} })).then(() => console.log('loaded'), (e) => console.log(e.code + ' ' + e.message))`;
    const cmd = asRoot
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', probe]
      : [process.execPath, '-e', probe];
    const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    chmodSync(dir, 0o755);
    expect(r.stdout).toMatch(/^FILE_UNREADABLE cannot read .*permission denied/);
  });

  it('a store this user cannot write to says so (FILE_UNWRITABLE), not FILE_UNREADABLE', async () => {
    const dir = await freshStore();
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 1));
    // Run as another user: root (CI) drops to nobody with setpriv (the folder stays 0755: readable, not writable);
    // a non-root tester owns the folder, so make it 0555.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, asRoot ? 0o755 : 0o555);
    const probe = `import('${join(process.cwd(), 'dist/trust/store.js')}').then((m) => m.withLock(${JSON.stringify(dir)}, async () => 'ran')).then((v) => console.log(v), (e) => console.log(e.code + ' ' + e.message))`;
    const cmd = asRoot
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', probe]
      : [process.execPath, '-e', probe];
    const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    chmodSync(dir, 0o755);
    expect(r.stdout).toMatch(/^FILE_UNWRITABLE cannot write to store .*EACCES/);
  });

  it('refuses each bad file with one line, leaving the store files and the loaded set unchanged', async () => {
    const dir = await freshStore();
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 5));
    await importOk(dir, await statusListOf(issuerA, 'https://status.example/a', 64, { 3: 1 }));
    const good = await bundleOf(root, [issuerA.publicJwk, issuerB.publicJwk], 6);
    const dot = good.lastIndexOf('.');
    const tampered = good.slice(0, dot - 5) + (good[dot - 5] === 'A' ? 'B' : 'A') + good.slice(dot - 4);
    await expectRefusedUnchanged(dir, enc(tampered), 'SIGNATURE_INVALID');
    await expectRefusedUnchanged(dir, enc(good.slice(0, good.length - 20)), 'SIGNATURE_INVALID');
    await expectRefusedUnchanged(dir, enc(good.slice(0, dot)), 'MALFORMED');
    await expectRefusedUnchanged(dir, enc(await bundleOf(otherRoot, [issuerB.publicJwk], 99)), 'WRONG_ROOT');
    await expectRefusedUnchanged(dir, enc(await bundleOf(root, [issuerB.publicJwk], 5)), 'ROLLBACK');
    await expectRefusedUnchanged(dir, enc(await bundleOf(root, [issuerB.publicJwk], 4)), 'ROLLBACK');
    await expectRefusedUnchanged(dir, enc(await bundleOf(root, [issuerB.publicJwk], 7, T0 + 3600)), 'ISSUED_IN_FUTURE');
    await expectRefusedUnchanged(dir, new Uint8Array(MAX_STATUS_LIST_FILE_BYTES + 10).fill(0x65), 'FILE_TOO_LARGE');
    await expectRefusedUnchanged(dir, enc('{"keys": []}'), 'WRONG_TYPE');
    await expectRefusedUnchanged(dir, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'WRONG_TYPE');
    await expectRefusedUnchanged(dir, await statusListOf(issuerB, 'https://status.example/a', 64, {}, T0 + 10), 'ISSUER_KEY_UNKNOWN');
    await expectRefusedUnchanged(dir, await statusListOf(issuerA, 'https://status.example/a', 64, {}, T0 - 10), 'ROLLBACK');
    await expectRefusedUnchanged(dir, await statusListOf(issuerA, 'https://status.example/a', 64, {}, T0), 'ROLLBACK');
    // …and the good one still goes in afterwards.
    expect(await importOk(dir, good)).toMatchObject({ seq: 6, previousSeq: 5 });
  });

  it('keeps the highest sequence durably: losing bundle.jws does not reopen the door to an old bundle', async () => {
    const dir = await freshStore();
    const old = await bundleOf(root, [issuerA.publicJwk], 2);
    await importOk(dir, old);
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 3));
    unlinkSync(join(dir, BUNDLE_FILE));
    const err = await importTrustBytes(dir, enc(old), { now: T0 }).catch((e: unknown) => e);
    expect((err as TrustError).code).toBe('ROLLBACK');
    // An old bundle copied straight into the store is not loaded either.
    writeFileSync(join(dir, BUNDLE_FILE), old);
    const snap = await readStore(dir, { now: T0 });
    expect(snap.bundle).toBeNull();
    expect(snap.rollbacks.join(' ')).toContain('rolled back');
  });

  it('a crash before the commit (rename) leaves the old set in force, and a stray temp file is ignored', async () => {
    const dir = await freshStore();
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 1));
    const crash = await importTrustBytes(dir, enc(await bundleOf(root, [issuerB.publicJwk], 2)), {
      now: T0,
      beforeCommit: () => {
        // Leave the durable temp file behind as a killed process would, then "die".
        const temp = readdirSync(dir).find((n) => n.startsWith('.tmp-'))!;
        writeFileSync(join(dir, `${temp}.stray`), readFileSync(join(dir, temp)));
        throw new Error('simulated crash');
      },
    }).catch((e: unknown) => e);
    expect((crash as Error).message).toBe('simulated crash');
    expect(readdirSync(dir).some((n) => n.startsWith('.tmp-'))).toBe(true);
    const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
    expect(state.bundleSeq).toBe(1);
    expect(state.keys.keys.map((k) => k.kid)).toEqual(['issuer-a']);
    // The next import works despite the debris.
    expect(await importOk(dir, await bundleOf(root, [issuerB.publicJwk], 2))).toMatchObject({ seq: 2 });
  });

  it('status lists need an active bundle and are replaced only by newer ones; JWS and CWT forms both import', async () => {
    const dir = await freshStore();
    const early = await importTrustBytes(dir, await statusListOf(issuerA, 'u:1', 8, {}), { now: T0 }).catch((e: unknown) => e);
    expect((early as TrustError).code).toBe('NO_ACTIVE_BUNDLE');
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 1));
    expect(await importOk(dir, await statusListOf(issuerA, 'u:1', 8, { 1: 1 }, T0 - 50, 'cwt'))).toMatchObject({
      kind: 'status-list',
      uri: 'u:1',
      entries: 8,
    });
    expect(await importOk(dir, await statusListOf(issuerA, 'u:1', 8, { 1: 1, 2: 2 }, T0 - 40, 'jwt'))).toMatchObject({ iat: T0 - 40 });
    expect(readdirSync(join(dir, 'status'))).toHaveLength(1); // the CWT twin was replaced
    const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
    expect(state.context.statusOf!({ uri: 'u:1', idx: 2 }, state.keys.keys[0]!)).toEqual({ status: 'SUSPENDED', listIssuedAt: T0 - 40 });
  });

  it('a status list whose signer left the bundle is dropped on load (and said so); revocation stays on, so its codes are CHECK MANUALLY', async () => {
    const dir = await freshStore();
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 1));
    await importOk(dir, await statusListOf(issuerA, 'u:a', 8, { 0: 1 }));
    await importOk(dir, await bundleOf(root, [issuerB.publicJwk], 2));
    const state = await loadTrustState({ storeDir: dir, now: ms(T0) });
    expect(state.context.statusOf!({ uri: 'u:a', idx: 0 }, state.keys.keys[0]!)).toBeUndefined();
    expect(state.describe(ms(T0)).revocation).toMatchObject({ mode: 'on', unavailable: ['u:a'], lists: [] });
    expect(state.describe(ms(T0)).problems.join(' ')).toContain('not in the active trust bundle');
  });

  it('a damaged state.json stops loads and imports instead of guessing the anti-rollback counter', async () => {
    const dir = await freshStore();
    await importOk(dir, await bundleOf(root, [issuerA.publicJwk], 3));
    writeFileSync(join(dir, STATE_FILE), '{"v": 1, "highestSeq": "lots"');
    const before = treeBytes(dir);
    const load = await loadTrustState({ storeDir: dir, now: ms(T0) }).catch((e: unknown) => e);
    expect((load as TrustError).code).toBe('STORE_CORRUPT');
    const imp = await importTrustBytes(dir, enc(await bundleOf(root, [issuerA.publicJwk], 1)), { now: T0 }).catch((e: unknown) => e);
    expect((imp as TrustError).code).toBe('STORE_CORRUPT');
    expect(treeBytes(dir)).toEqual(before);
  });

  it('refuses a second importer while one holds the lock, then succeeds', async () => {
    const dir = await freshStore();
    writeFileSync(join(dir, '.lock'), String(process.pid)); // a live holder: this process
    const { withLock } = await import('../../src/trust/store.js');
    const err = await withLock(dir, async () => 1, 200).catch((e: unknown) => e);
    expect((err as TrustError).code).toBe('STORE_BUSY');
    writeFileSync(join(dir, '.lock'), '999999999'); // a dead holder: taken over
    await expect(withLock(dir, async () => 2, 200)).resolves.toBe(2);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it("a stale lock seen by two contenders is taken over by one; the other does not remove the new holder's lock", async () => {
    const dir = await freshStore();
    const { withLock } = await import('../../src/trust/store.js');
    writeFileSync(join(dir, '.lock'), '999999999'); // a dead holder
    let inside = 0;
    let maxInside = 0;
    const body = async (): Promise<void> => {
      maxInside = Math.max(maxInside, ++inside);
      await new Promise((r) => setTimeout(r, 80));
      inside--;
    };
    let release!: () => void;
    const secondInside = new Promise<void>((r) => (release = r));
    // Contender 1 judges the lock stale, then stalls (descheduled) until contender 2 has taken it over and is inside.
    const first = withLock(dir, body, 5000, { afterStaleSeen: () => secondInside });
    await new Promise((r) => setTimeout(r, 20));
    const second = withLock(
      dir,
      async () => {
        release();
        await body();
      },
      5000,
    );
    await Promise.all([first, second]);
    expect(maxInside).toBe(1);
    expect(readdirSync(dir).filter((n) => n.startsWith('.lock') || n.startsWith('.tmp-'))).toEqual([]);
  });
});
