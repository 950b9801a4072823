/** The trust and status-list commands end to end, through the real compiled CLI in child processes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, removeDir, ROOT, tempDir, treeBytes } from './helpers.js';
import { humanStatus } from '../../src/cli/trust.js';
import type { TrustSummary } from '../../src/trust/state.js';

/**
 * Every test is independent: the issuer side's files (keys, bundles, one code) are made once in beforeAll and only
 * read afterwards; each test pins its own store (and makes its own status lists) under its own name.
 */
let work = '';
const CLI = join(ROOT, 'dist/cli/main.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = work) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A refusal: exit 2, exactly one line on stderr, nothing on stdout, and the store's bytes unchanged. */
function refused(store: string, args: string[], pattern: RegExp, cwd = work): void {
  const before = treeBytes(store);
  const r = run(args, {}, cwd);
  expect(r.code, r.err).toBe(2);
  expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(treeBytes(store)).toEqual(before);
}

function ok(args: string[], cwd = work): string {
  const r = run(args, {}, cwd);
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  return r.out;
}

/** A store of this test's own: the fixture root pinned, then these bundles imported in order. */
function pinnedStore(name: string, bundles: string[] = ['b2.jws']): string {
  const store = join(work, `store-${name}`);
  ok(['trust', 'init', '--root', 'root.public.jwk', '--store', store]);
  for (const b of bundles) ok(['trust', 'import', b, '--store', store]);
  return store;
}

/** A status list of this test's own (1,000 entries at `uri`), signed by the fixture issuer into `out`. */
function statusList(name: string, out: string, uri = 'https://status.example/lists/7'): string {
  const list = `${name}.list.json`;
  ok(['status-list', 'init', '--list', list, '--uri', uri, '--size', '1000']);
  ok(['status-list', 'build', '--list', list, '--key', 'issuer-a.private.jwk', '--out', out]);
  return list;
}

beforeAll(() => {
  ensureBuilt();
  work = tempDir('proofdesk-trust-cli-');
  // The issuer side: a root, an issuer key, another root's key; bundles seq 1 and 2, one signed by the wrong root.
  ok(['keys', 'generate', '--root', '--kid', 'root-2026', '--out', 'root']);
  ok(['keys', 'generate', '--kid', 'issuer-a', '--out', 'issuer-a']);
  ok(['keys', 'generate', '--root', '--kid', 'other-root', '--out', 'other-root']);
  ok(['keys', 'generate', '--kid', 'stranger', '--out', 'stranger']);
  const jwks = { keys: [{ ...JSON.parse(readFileSync(join(work, 'issuer-a.public.jwk'), 'utf8')), purposes: ['all', 'rent'] }] };
  writeFileSync(join(work, 'issuers.jwks'), JSON.stringify(jwks));
  ok(['trust', 'build', '--root', 'root.private.jwk', '--keys', 'issuers.jwks', '--seq', '1', '--out', 'b1.jws']);
  ok(['trust', 'build', '--root', 'root.private.jwk', '--keys', 'issuers.jwks', '--seq', '2', '--expires-days', '90', '--out', 'b2.jws']);
  ok(['trust', 'build', '--root', 'other-root.private.jwk', '--keys', 'issuers.jwks', '--seq', '9', '--out', 'wrong-root.jws']);
  ok(['issue', '--holder', join(ROOT, 'examples/holder.json'), '--key', 'issuer-a.private.jwk', '--purpose', 'rent', '--out', 'code.txt']);
}, 180_000);
afterAll(() => removeDir(work));

describe('proofdesk trust / status-list (CLI)', () => {
  it('keys generate --root, trust init, refuses a second init, trust build, trust import', () => {
    const flow = join(work, 'flow');
    mkdirSync(flow);
    const store = join(flow, 'store');
    expect(ok(['keys', 'generate', '--root', '--kid', 'root-2026', '--out', 'root'], flow)).toContain('trust init --root');
    ok(['keys', 'generate', '--kid', 'issuer-a', '--out', 'issuer-a'], flow);
    ok(['keys', 'generate', '--root', '--kid', 'other-root', '--out', 'other-root'], flow);
    expect(statSync(join(flow, 'root.private.jwk')).mode & 0o777).toBe(0o600);
    expect(ok(['trust', 'init', '--root', 'root.public.jwk', '--store', store], flow)).toContain('pinned root EdDSA');
    refused(store, ['trust', 'init', '--root', 'other-root.public.jwk', '--store', store], /already pins root .*--force/, flow);
    refused(store, ['trust', 'init', '--root', 'root.private.jwk', '--store', join(flow, 'store2')], /PRIVATE/, flow);
    const jwks = { keys: [{ ...JSON.parse(readFileSync(join(flow, 'issuer-a.public.jwk'), 'utf8')), purposes: ['all', 'rent'] }] };
    writeFileSync(join(flow, 'issuers.jwks'), JSON.stringify(jwks));
    ok(['trust', 'build', '--root', 'root.private.jwk', '--keys', 'issuers.jwks', '--seq', '1', '--out', 'b1.jws'], flow);
    ok(
      ['trust', 'build', '--root', 'root.private.jwk', '--keys', 'issuers.jwks', '--seq', '2', '--expires-days', '90', '--out', 'b2.jws'],
      flow,
    );
    expect(readFileSync(join(flow, 'b2.jws'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(ok(['trust', 'import', 'b1.jws', '--store', store], flow)).toContain('seq 1');
    expect(ok(['trust', 'import', 'b2.jws', '--store', store], flow)).toContain('seq 2 (replacing seq 1)');
  });

  it('refuses bad bundles with exit 2, one line, store untouched', () => {
    const store = pinnedStore('refusals', ['b1.jws', 'b2.jws']);
    const good = readFileSync(join(work, 'b2.jws'), 'utf8').trim();
    writeFileSync(join(work, 'tampered.jws'), good.slice(0, 60) + (good[60] === 'A' ? 'B' : 'A') + good.slice(61));
    writeFileSync(join(work, 'truncated.jws'), good.slice(0, good.length - 30));
    writeFileSync(join(work, 'oversize.jws'), 'e'.repeat(9 * 1024 * 1024));
    writeFileSync(join(work, 'wrong-type.json'), '{"keys": []}');
    refused(store, ['trust', 'import', 'tampered.jws', '--store', store], /altered|damaged|not valid JSON/);
    refused(store, ['trust', 'import', 'truncated.jws', '--store', store], /altered|truncated/);
    refused(store, ['trust', 'import', 'wrong-root.jws', '--store', store], /different root/);
    refused(store, ['trust', 'import', 'b1.jws', '--store', store], /older .*rollback refused/);
    refused(store, ['trust', 'import', 'b2.jws', '--store', store], /already installed \(replay refused\)/);
    refused(store, ['trust', 'import', 'oversize.jws', '--store', store], /limit/);
    refused(store, ['trust', 'import', 'wrong-type.json', '--store', store], /not a trust bundle or status list/);
    refused(store, ['trust', 'import', 'missing.jws', '--store', store], /cannot read/);
    refused(
      store,
      ['trust', 'build', '--root', 'root.public.jwk', '--keys', 'issuers.jwks', '--seq', '3', '--out', 'x.jws'],
      /not a private JWK/,
    );
    refused(store, ['trust', 'build', '--root', 'root.private.jwk', '--keys', 'issuers.jwks', '--seq', 'zero', '--out', 'x.jws'], /--seq/);
  });

  it('status-list issuer flow → import → verify reads REVOKED / SUSPENDED / VALID with the right exit codes', () => {
    const store = pinnedStore('status-flow');
    const uri = 'https://status.example/lists/7';
    ok(['status-list', 'init', '--list', 'list.json', '--uri', uri, '--size', '1000']);
    const idx = [0, 1, 2].map(() => Number(ok(['status-list', 'allocate', '--list', 'list.json']).trim()));
    expect(new Set(idx).size).toBe(3);
    for (const i of idx) expect(i).toBeGreaterThanOrEqual(0);
    const [revokedIdx, suspendedIdx, fineIdx] = idx as [number, number, number];
    ok(['status-list', 'revoke', '--list', 'list.json', String(revokedIdx)]);
    ok(['status-list', 'suspend', '--list', 'list.json', '--idx', String(suspendedIdx)]);
    const listBefore = readFileSync(join(work, 'list.json'));
    const r = run(['status-list', 'reinstate', '--list', 'list.json', String(revokedIdx)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/revocation is permanent/);
    expect(readFileSync(join(work, 'list.json'))).toEqual(listBefore);
    expect(run(['status-list', 'revoke', '--list', 'list.json', '1000']).code).toBe(2);
    ok(['status-list', 'build', '--list', 'list.json', '--key', 'issuer-a.private.jwk', '--out', 'list1.jws', '--ttl', '3600']);
    expect(ok(['status-list', 'import', 'list1.jws', '--store', store])).toContain('1,000 entries');
    refused(store, ['status-list', 'import', 'b2.jws', '--store', store], /trust bundle, not a status list/);
    refused(store, ['trust', 'import', 'list1.jws', '--store', store], /replay refused/);

    const codes = idx.map((i, n) => {
      ok([
        'issue',
        '--holder',
        join(ROOT, 'examples/holder.json'),
        '--key',
        'issuer-a.private.jwk',
        '--purpose',
        'rent',
        '--status-idx',
        String(i),
        '--status-uri',
        uri,
        '--out',
        `code${n}.txt`,
      ]);
      return `code${n}.txt`;
    });
    const verifyWith = (file: string, extra: string[] = []) =>
      run(['verify', '--store', store, '--purpose', 'rent', '--json', ...extra, file]);
    const revoked = verifyWith(codes[0]!);
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.out)).toMatchObject({ verdict: 'NOT VALID', reason: 'REVOKED' });
    expect(JSON.parse(verifyWith(codes[1]!).out)).toMatchObject({ verdict: 'NOT VALID', reason: 'SUSPENDED' });
    const fine = verifyWith(codes[2]!);
    expect(fine.code, fine.err).toBe(0);
    // Eight days later the 7-day-old list is stale: CHECK MANUALLY (exit 3) with the age in days.
    const later = new Date(Date.now() + 8 * 86400_000).toISOString();
    const stale = verifyWith(codes[2]!, ['--at', later]);
    expect(stale.code).toBe(3);
    expect(JSON.parse(stale.out)).toMatchObject({ reason: 'REVOCATION_DATA_STALE', details: { ageDays: 8 } });
    expect(JSON.parse(stale.out).message).toMatch(/The list is 8 days old\.$/);

    // Lift the suspension, publish a newer list (CWT form this time): the code becomes VALID.
    ok(['status-list', 'reinstate', '--list', 'list.json', String(suspendedIdx)]);
    spawnSync('sleep', ['1.1']);
    ok(['status-list', 'build', '--list', 'list.json', '--key', 'issuer-a.private.jwk', '--out', 'list2.cwt']);
    ok(['trust', 'import', 'list2.cwt', '--store', store]);
    expect(verifyWith(codes[1]!).code).toBe(0);
    expect(fineIdx).not.toBe(revokedIdx);
  }, 180_000); // ~20 CLI processes: on a loaded 2-core machine each can take seconds

  it('trust status shows the active bundle, keys, revocation mode and clock; --json has the documented shape', () => {
    const store = pinnedStore('status', ['b1.jws', 'b2.jws']);
    const list = statusList('status', 'status.cwt');
    const idx = ok(['status-list', 'allocate', '--list', list]).trim();
    ok(['status-list', 'revoke', '--list', list, idx]);
    ok(['status-list', 'build', '--list', list, '--key', 'issuer-a.private.jwk', '--out', 'status-revoked.cwt']);
    ok(['trust', 'import', 'status-revoked.cwt', '--store', store]);
    const human = ok(['trust', 'status', '--store', store]);
    expect(human).toMatch(/bundle: +seq 2/);
    expect(human).toContain('issuer-a');
    expect(human).toMatch(/revocation: on, 1 list/);
    expect(human).toMatch(/clock: +ok/);
    const json = JSON.parse(ok(['trust', 'status', '--json', '--store', store]));
    expect(json.active).toMatchObject({ seq: 2, keys: [{ kid: 'issuer-a', alg: 'EdDSA', purposes: ['all', 'rent'] }] });
    expect(typeof json.active.issuedAt).toBe('number');
    expect(json.revocation).toMatchObject({
      mode: 'on',
      lists: [{ uri: 'https://status.example/lists/7', entries: 1000, revoked: 1, suspended: 0, format: 'cwt' }],
    });
    expect(json.clock).toMatchObject({ suspect: false });
    const fresh = JSON.parse(ok(['trust', 'status', '--json', '--store', join(work, 'empty-store')]));
    expect(fresh).toMatchObject({ root: null, active: null, revocation: { mode: 'off' } });
  });

  it('the DEMO root is never pinned implicitly: importing the DEMO bundle into a fresh store is refused, nothing is written', () => {
    const xdg = join(work, 'xdg-demo');
    const env = { XDG_DATA_HOME: xdg };
    const r = run(['trust', 'import', join(ROOT, 'examples/demo-bundle.jws')], env);
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/no root is pinned .*trust init --root/)]);
    const v = run(['verify', join(ROOT, 'examples/demo-valid.txt')], env);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/no trusted keys/);
    expect(existsSync(join(xdg, 'proofdesk', 'root.jwk'))).toBe(false);
    expect(JSON.parse(run(['trust', 'status', '--json'], env).out)).toMatchObject({ root: null, active: null });
  });

  it('more refusals, each exit 2 with one line: a folder, a status list given to `trust init`, a bundle to `status-list import`, a damaged store', () => {
    const store = pinnedStore('more-refusals');
    statusList('more-refusals', 'more-refusals.jws');
    refused(store, ['trust', 'import', work, '--store', store], /not a regular file/);
    refused(store, ['trust', 'init', '--root', 'more-refusals.jws', '--store', join(work, 'store3')], /not valid JSON/);
    refused(store, ['trust', 'init', '--root', 'issuers.jwks', '--store', join(work, 'store3')], /key set/);
    refused(store, ['status-list', 'import', 'b2.jws', '--store', store], /trust bundle, not a status list/);
    refused(store, ['trust', 'status', '--max-status-age-days', '0', '--store', store], /--max-status-age-days/);
    const damaged = join(work, 'damaged');
    expect(run(['trust', 'init', '--root', 'root.public.jwk', '--store', damaged]).code).toBe(0);
    writeFileSync(join(damaged, 'state.json'), '{"highestSeq":');
    for (const args of [
      ['trust', 'status', '--store', damaged],
      ['trust', 'import', 'b2.jws', '--store', damaged],
      ['verify', '--store', damaged, 'code.txt'],
    ]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n').filter(Boolean), args.join(' ')).toEqual([expect.stringMatching(/damaged/)]);
    }
  });

  it('verify without --keys uses the per-user store (XDG_DATA_HOME) and refuses when there is none', () => {
    const xdg = join(work, 'xdg');
    const env = { XDG_DATA_HOME: xdg };
    const none = run(['verify', 'code.txt'], env);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no trusted keys/);
    expect(run(['trust', 'init', '--root', 'root.public.jwk'], env).code).toBe(0);
    expect(run(['trust', 'import', 'b2.jws'], env).code).toBe(0);
    expect(statSync(join(xdg, 'proofdesk', 'bundle.jws')).isFile()).toBe(true);
    const v = run(['verify', '--purpose', 'rent', 'code.txt'], env);
    expect(v.code, v.err).toBe(0);
    // --keys given: only those keys (here: the wrong ones) — the store is not consulted.
    expect(run(['verify', '--keys', 'stranger.public.jwk', 'code.txt'], env).code).toBe(1);
  });
});

describe('trust status (human text)', () => {
  const base: TrustSummary = {
    store: '/s',
    root: { thumbprint: 'tp', alg: 'EdDSA' },
    active: {
      seq: 3,
      issuedAt: 1_790_000_000,
      ageSeconds: 60,
      expiresAt: null,
      expired: false,
      keys: [{ kid: 'k1', thumbprint: 't', alg: 'EdDSA', notBefore: 1_789_000_000, notAfter: null, purposes: null, statusLists: null }],
    },
    highestSeq: 3,
    revocation: { mode: 'on', maxAgeSeconds: 7 * 86400, unavailable: [], lists: [] },
    clock: { floor: 1_790_000_000, now: 1_790_000_060, suspect: false, behindSeconds: 0 },
    problems: [],
    rollbacks: [],
  };
  const list = {
    uri: 'u:1',
    format: 'jwt' as const,
    issuedAt: 1_790_000_000,
    ageSeconds: 3 * 86400,
    stale: false,
    ttl: 3600,
    refreshDue: true,
    expiresAt: 1_790_900_000,
    expired: false,
    entries: 1000,
    bits: 2,
    revoked: 1,
    suspended: 0,
    signer: 'k1',
    fromFuture: false,
  };

  it('says when the clock is suspect, how far behind, and what it does to verdicts', () => {
    const text = humanStatus({ ...base, clock: { floor: 1_790_000_000, now: 1_789_000_000, suspect: true, behindSeconds: 1_000_000 } });
    expect(text).toMatch(
      /clock: +SUSPECT — this clock \(2026-09-10T\S+\) is 11 days behind the newest bundle or status list \(2026-09-21T\S+\): verdicts are CHECK MANUALLY/,
    );
    expect(humanStatus(base)).toMatch(/clock: +ok/);
  });

  it('flags a list whose ttl passed (refresh due), a stale one and an expired one', () => {
    expect(humanStatus({ ...base, revocation: { ...base.revocation, lists: [list] } })).toMatch(
      /u:1 .* refresh due \(the issuer's ttl of 1 h has passed\)/,
    );
    expect(humanStatus({ ...base, revocation: { ...base.revocation, lists: [{ ...list, stale: true, refreshDue: false }] } })).toMatch(
      /STALE \(older than 7 days\)/,
    );
    expect(humanStatus({ ...base, revocation: { ...base.revocation, lists: [{ ...list, stale: true, expired: true }] } })).toMatch(
      /EXPIRED at 2026-10-02T\S+ — STALE/,
    );
    expect(humanStatus({ ...base, revocation: { mode: 'off', maxAgeSeconds: 604800, unavailable: [], lists: [] } })).toMatch(
      /revocation: off \(no status list imported\): revoked codes cannot be detected/,
    );
  });
});
