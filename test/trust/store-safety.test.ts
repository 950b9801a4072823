/**
 * The store's own safety: no symbolic links inside it (a planted `status` link made `status-list import`, run as
 * root, chmod and write the folder it points at), a clock floor that counts status lists too, and trust JSON
 * nested deep enough to overflow the stack refused by a named limit.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { humanStatus } from '../../src/cli/trust.js';
import { TrustError } from '../../src/trust/errors.js';
import { loadTrustState, summarize } from '../../src/trust/state.js';
import {
  BUNDLE_FILE,
  importTrustBytes,
  initStore,
  readStore,
  ROOT_FILE,
  STATE_FILE,
  STATUS_DIR,
  statusListFileName,
} from '../../src/trust/store.js';
import { verify } from '../../src/verify/verify.js';
import { bundleOf, credential, ensureBuilt, makeKeyPair, ms, removeDir, ROOT, statusListOf, T0, tempDir } from './helpers.js';

const root = makeKeyPair('root');
const issuer = makeKeyPair('issuer');
const URI = 'https://issuer.example/status/1';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

async function store(): Promise<{ dir: string; outside: string }> {
  const base = tempDir();
  dirs.push(base);
  const dir = join(base, 'store');
  await initStore(dir, root.publicJwk);
  await importTrustBytes(dir, enc(await bundleOf(root, [issuer.publicJwk], 1)), { now: T0 });
  const outside = join(base, 'elsewhere');
  mkdirSync(outside, { mode: 0o700 });
  chmodSync(outside, 0o700);
  writeFileSync(join(outside, 'precious'), 'do not touch\n');
  return { dir, outside };
}

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof TrustError ? e.code : `threw ${String(e)}`),
  );

describe('symbolic links inside the store are refused', () => {
  it('a planted status link: status-list import refuses (STORE_SYMLINK) and neither chmods nor writes where it points', async () => {
    const { dir, outside } = await store();
    symlinkSync(outside, join(dir, STATUS_DIR));
    expect(await codeOf(importTrustBytes(dir, await statusListOf(issuer, URI, 8, {}), { now: T0 }))).toBe('STORE_SYMLINK');
    expect(statSync(outside).mode & 0o777).toBe(0o700);
    expect(readdirSync(outside)).toEqual(['precious']);
    expect(await codeOf(loadTrustState({ storeDir: dir, now: ms(T0) }))).toBe('STORE_SYMLINK');
  });

  it('trust init --force with a planted status link removes nothing through it', async () => {
    const { dir, outside } = await store();
    symlinkSync(outside, join(dir, STATUS_DIR));
    expect(await codeOf(initStore(dir, makeKeyPair('new-root').publicJwk, { force: true }))).toBe('STORE_SYMLINK');
    expect(readdirSync(outside)).toEqual(['precious']);
  });

  it('a link in place of root.jwk, bundle.jws, state.json or a status list file: loads refuse', async () => {
    for (const name of [ROOT_FILE, BUNDLE_FILE, STATE_FILE, `${STATUS_DIR}/${statusListFileName(URI, 'jwt')}`]) {
      const { dir, outside } = await store();
      await importTrustBytes(dir, await statusListOf(issuer, URI, 8, {}), { now: T0 });
      renameSync(join(dir, name), join(outside, 'moved'));
      symlinkSync(join(outside, 'moved'), join(dir, name));
      expect(await codeOf(readStore(dir, { now: T0 })), name).toBe('STORE_SYMLINK');
    }
  });

  it('the store folder itself may be a link an administrator made', async () => {
    const { dir } = await store();
    const link = join(dir, '..', 'link-to-store');
    symlinkSync(dir, link);
    expect((await loadTrustState({ storeDir: link, now: ms(T0) })).bundleSeq).toBe(1);
  });
});

describe('the clock floor counts status lists', () => {
  it('a clock behind the newest status list (but not the bundle) is suspect: CHECK MANUALLY CLOCK_SUSPECT', async () => {
    const { dir } = await store(); // bundle iat T0
    await importTrustBytes(dir, await statusListOf(issuer, URI, 8, {}, T0 + 3 * 86400), { now: T0 + 3 * 86400 });
    const at = T0 + 86400; // after the bundle, two days before the list
    const s = await loadTrustState({ storeDir: dir, now: ms(at) });
    expect(s.context.clockFloor).toBe(T0 + 3 * 86400);
    const v = verify(credential(issuer, { statusList: { uri: URI, idx: 1 } }), { keys: s.keys, trust: s.context, now: ms(at) });
    expect(v.reason).toBe('CLOCK_SUSPECT');
    const summary = s.describe(ms(at));
    expect(summary.clock).toMatchObject({ floor: T0 + 3 * 86400, suspect: true });
  });

  it('flags a list "from the future" in trust status', async () => {
    const { dir } = await store();
    await importTrustBytes(dir, await statusListOf(issuer, URI, 8, {}, T0 + 86400), { now: T0 + 86400 });
    const summary = await summarize(await readStore(dir, { now: T0 }), { now: ms(T0) });
    expect(summary.revocation.lists[0]).toMatchObject({ uri: URI, fromFuture: true });
    expect(humanStatus(summary)).toMatch(/FROM THE FUTURE/);
    expect(humanStatus(summary)).toMatch(/clock: +SUSPECT/);
  });
});

describe('deeply nested JSON in trust files', () => {
  let work = '';
  beforeAll(() => {
    ensureBuilt();
    work = tempDir('proofdesk-deep-');
  }, 180_000);
  afterAll(() => removeDir(work));

  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const jwsWithHeader = (header: string) => `${Buffer.from(header).toString('base64url')}.eyJ9.AAAA`;

  it('a bundle header nested 100,000 deep is refused by name (NESTED_TOO_DEEP), in the library and the CLI', async () => {
    const { dir } = await store();
    const text = jwsWithHeader(`{"alg":${deep(100_000)}}`);
    const err = await importTrustBytes(dir, enc(text), { now: T0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrustError);
    expect((err as TrustError).code).toBe('NESTED_TOO_DEEP');
    expect((err as TrustError).message).toMatch(/MAX_TRUST_JSON_DEPTH \(16/);

    writeFileSync(join(work, 'deep.jws'), `${text}\n`);
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'trust', 'import', 'deep.jws', '--store', dir], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/call stack/);
    expect(r.stderr).toMatch(/MAX_TRUST_JSON_DEPTH/);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it('the same for a status-list header and a --keys file', async () => {
    const { dir } = await store();
    const list = jwsWithHeader(`{"alg":"EdDSA","typ":"statuslist+jwt","kid":${deep(50_000)}}`);
    expect(await codeOf(importTrustBytes(dir, enc(list), { now: T0, expect: 'status-list' }))).toBe('NESTED_TOO_DEEP');
    writeFileSync(join(work, 'deep.jwks'), `{"keys":${deep(100_000)}}`);
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'verify', '--keys', 'deep.jwks', 'nothing'], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/deep\.jwks.*MAX_TRUST_JSON_DEPTH/);
  });
});
