/**
 * Revocation must not be undone by the file system. A revoked code stays not-VALID across a restart whatever is
 * done to the store's files short of rewriting all of them, state.json included: an older list copied over the
 * current one, the status folder deleted, an older twin dropped beside the newer list, state.json deleted and an
 * old bundle copied back. Each case "restarts" by loading the store afresh, as a kiosk or `verify` does.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrustError } from '../../src/trust/errors.js';
import { loadTrustState, summarize } from '../../src/trust/state.js';
import { BUNDLE_FILE, importTrustBytes, initStore, readStore, STATE_FILE, STATUS_DIR, statusListFileName } from '../../src/trust/store.js';
import { verify } from '../../src/verify/verify.js';
import { bundleOf, credential, ensureBuilt, makeKeyPair, ms, removeDir, ROOT, statusListOf, T0, tempDir } from './helpers.js';

const root = makeKeyPair('root');
const issuer = makeKeyPair('issuer');
const URI = 'https://issuer.example/status/1';
const REVOKED_IDX = 3;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

/** A store where list v2 (issued T0 − 50) revoked idx 3, replacing v1 (T0 − 100, all valid). Returns v1's bytes. */
async function revokedStore(): Promise<{ dir: string; v1: Uint8Array; code: string }> {
  const dir = join(tempDir(), 'store');
  dirs.push(join(dir, '..'));
  await initStore(dir, root.publicJwk);
  await importTrustBytes(dir, enc(await bundleOf(root, [issuer.publicJwk], 1)), { now: T0 });
  const v1 = await statusListOf(issuer, URI, 16, {}, T0 - 100);
  await importTrustBytes(dir, v1, { now: T0 });
  await importTrustBytes(dir, await statusListOf(issuer, URI, 16, { [REVOKED_IDX]: 1 }, T0 - 50), { now: T0 });
  const code = credential(issuer, { statusList: { uri: URI, idx: REVOKED_IDX } });
  return { dir, v1, code };
}

/** What a desk restarting on this store says about the code: its verdict, or the code of the refusal to start. */
async function afterRestart(dir: string, code: string): Promise<string> {
  try {
    const s = await loadTrustState({ storeDir: dir, now: ms(T0) });
    const v = verify(code, { keys: s.keys, trust: s.context, now: ms(T0) });
    return v.reason ?? v.verdict;
  } catch (err) {
    if (err instanceof TrustError) return `refused ${err.code}`;
    throw err;
  }
}

describe('a revoked code stays revoked after a restart', () => {
  it('as set up: REVOKED', async () => {
    const { dir, code } = await revokedStore();
    expect(await afterRestart(dir, code)).toBe('REVOKED');
  });

  it('an older signed list copied over the current one: the desk refuses to start (ROLLBACK), naming the list', async () => {
    const { dir, v1, code } = await revokedStore();
    writeFileSync(join(dir, STATUS_DIR, statusListFileName(URI, 'jwt')), v1);
    expect(await afterRestart(dir, code)).toBe('refused ROLLBACK');
    const err = await loadTrustState({ storeDir: dir, now: ms(T0) }).catch((e: TrustError) => e);
    expect((err as TrustError).message).toContain(URI);
    expect((err as TrustError).message).toMatch(/older copy/);
  });

  it('the status folder deleted: the desk refuses to start (ROLLBACK: disappeared), instead of revocation silently off', async () => {
    const { dir, code } = await revokedStore();
    rmSync(join(dir, STATUS_DIR), { recursive: true });
    expect(await afterRestart(dir, code)).toBe('refused ROLLBACK');
    const snap = await readStore(dir, { now: T0 });
    expect(snap.rollbacks.join(' ')).toMatch(/disappeared/);
  });

  it('one list file deleted: refused too', async () => {
    const { dir, code } = await revokedStore();
    unlinkSync(join(dir, STATUS_DIR, statusListFileName(URI, 'jwt')));
    expect(await afterRestart(dir, code)).toBe('refused ROLLBACK');
  });

  it('an older list dropped beside the newer one (.cwt beside .jws, either order): the newest is used, by the desk and by trust status alike', async () => {
    const { dir, code } = await revokedStore();
    const older = await statusListOf(issuer, URI, 16, {}, T0 - 100, 'cwt');
    writeFileSync(join(dir, STATUS_DIR, statusListFileName(URI, 'cwt')), older);
    expect(await afterRestart(dir, code)).toBe('REVOKED');
    const summary = await summarize(await readStore(dir, { now: T0 }), { now: ms(T0) });
    expect(summary.revocation.lists.map((l) => [l.uri, l.issuedAt, l.revoked])).toEqual([[URI, T0 - 50, 1]]);
    expect(summary.problems.join(' ')).toMatch(/older copy/);

    // The other way round: the newer as .cwt, an older .jws beside it.
    const { dir: dir2, code: code2 } = await revokedStore();
    const newer = await statusListOf(issuer, URI, 16, { [REVOKED_IDX]: 1 }, T0 - 10, 'cwt');
    await importTrustBytes(dir2, newer, { now: T0 });
    writeFileSync(join(dir2, STATUS_DIR, statusListFileName(URI, 'jwt')), await statusListOf(issuer, URI, 16, {}, T0 - 20, 'jwt'));
    expect(await afterRestart(dir2, code2)).toBe('REVOKED');
    const s2 = await summarize(await readStore(dir2, { now: T0 }), { now: ms(T0) });
    expect(s2.revocation.lists.map((l) => l.issuedAt)).toEqual([T0 - 10]);
  });

  it('a list under another file name is not read as the list for its URI', async () => {
    const { dir, v1, code } = await revokedStore();
    writeFileSync(join(dir, STATUS_DIR, 'zzzz.jws'), v1);
    expect(await afterRestart(dir, code)).toBe('REVOKED');
  });

  it('a lost list is restored by importing the same list again (not a replay); an older one is still refused', async () => {
    const { dir, code } = await revokedStore();
    const current = await statusListOf(issuer, URI, 16, { [REVOKED_IDX]: 1 }, T0 - 50);
    rmSync(join(dir, STATUS_DIR), { recursive: true });
    const older = await importTrustBytes(dir, await statusListOf(issuer, URI, 16, {}, T0 - 100), { now: T0 }).catch((e: TrustError) => e);
    expect((older as TrustError).code).toBe('ROLLBACK');
    await importTrustBytes(dir, current, { now: T0 });
    expect(await afterRestart(dir, code)).toBe('REVOKED');
    const replay = await importTrustBytes(dir, current, { now: T0 }).catch((e: TrustError) => e);
    expect((replay as TrustError).code).toBe('ROLLBACK');
  });
});

describe('the bundle sequence survives losing state.json', () => {
  async function twoBundles(): Promise<{ dir: string; b5: string }> {
    const dir = join(tempDir(), 'store');
    dirs.push(join(dir, '..'));
    await initStore(dir, root.publicJwk);
    const b5 = await bundleOf(root, [issuer.publicJwk], 5);
    await importTrustBytes(dir, enc(b5), { now: T0 });
    await importTrustBytes(dir, enc(await bundleOf(root, [makeKeyPair('issuer-6').publicJwk], 6)), { now: T0 });
    return { dir, b5 };
  }

  it('state.json deleted and seq 5 copied back over seq 6: refused (STORE_CORRUPT), never seq 5 in force', async () => {
    const { dir, b5 } = await twoBundles();
    unlinkSync(join(dir, STATE_FILE));
    writeFileSync(join(dir, BUNDLE_FILE), `${b5}\n`);
    const err = await loadTrustState({ storeDir: dir, now: ms(T0) }).then(
      (s) => `loaded seq ${s.bundleSeq}`,
      (e: TrustError) => e.code,
    );
    expect(err).toBe('STORE_CORRUPT');
    // ...and the old bundle cannot be imported "fresh" either.
    const imp = await importTrustBytes(dir, enc(b5), { now: T0 }).then(
      () => 'imported',
      (e: TrustError) => e.code,
    );
    expect(imp).toBe('STORE_CORRUPT');
  });

  it('a fresh store (init, no bundle yet) has its state.json from the start', async () => {
    const dir = join(tempDir(), 'store');
    dirs.push(join(dir, '..'));
    await initStore(dir, root.publicJwk);
    expect(readdirSync(dir)).toContain(STATE_FILE);
  });
});

describe('refusing loudly (CLI)', () => {
  let work = '';
  beforeAll(() => {
    ensureBuilt();
    work = tempDir('proofdesk-rollback-cli-');
  }, 180_000);
  afterAll(() => removeDir(work));

  it('verify on a rolled-back store: exit 2 and the reason on stderr; trust status names the rollback', async () => {
    const now = Math.floor(Date.now() / 1000);
    const dir = join(work, 'store');
    await initStore(dir, root.publicJwk);
    await importTrustBytes(dir, enc(await bundleOf(root, [issuer.publicJwk], 1, now - 600)), { now });
    const v1 = await statusListOf(issuer, URI, 16, {}, now - 500);
    await importTrustBytes(dir, v1, { now });
    await importTrustBytes(dir, await statusListOf(issuer, URI, 16, { [REVOKED_IDX]: 1 }, now - 400), { now });
    copyFileSync(join(dir, STATUS_DIR, statusListFileName(URI, 'jwt')), join(work, 'current.jws'));
    writeFileSync(join(dir, STATUS_DIR, statusListFileName(URI, 'jwt')), v1);
    writeFileSync(join(work, 'code.txt'), credential(issuer, { iat: now - 300, statusList: { uri: URI, idx: REVOKED_IDX } }));
    const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: work });
    const r = cli(['verify', '--store', dir, 'code.txt']);
    expect(r.stdout).not.toMatch(/^VALID/m);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/rolled back/);
    const status = cli(['trust', 'status', '--store', dir]);
    expect(status.stdout).toMatch(/ROLLBACK: .*older copy/);
    // Importing the current list again puts things right.
    expect(cli(['status-list', 'import', join(work, 'current.jws'), '--store', dir]).status).toBe(0);
    expect(cli(['verify', '--store', dir, 'code.txt']).stdout).toMatch(/REVOKED/);
  });
});
