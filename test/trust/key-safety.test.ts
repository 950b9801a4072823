/**
 * Key safety, end to end through the compiled CLI: whatever means "trust these keys" refuses a private key and
 * names the file; a root is never an issuer and an issuer key never the root (by the role `keys generate` marks,
 * or by what the store can see); `verify` says whether revocation was checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { BUNDLE_TYP, verifyBundle } from '../../src/trust/bundle.js';
import { rootFromJwk } from '../../src/trust/jwk.js';
import { bundleOf, ensureBuilt, makeKeyPair, removeDir, ROOT, T0, tempDir, treeBytes } from './helpers.js';

const CLI = join(ROOT, 'dist/cli/main.js');
const EXAMPLES = join(ROOT, 'examples');
const DEMO_VALID = readFileSync(join(EXAMPLES, 'demo-valid.txt'), 'utf8').trim();
const URI = 'https://status.example/lists/safety';
let work = '';

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
    input: '',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = run(args, env);
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  return r.out;
}

/** Exit 2, one line on stderr matching `pattern`, nothing on stdout, and (when given) the store untouched. */
function refused(args: string[], pattern: RegExp, store?: string, env: NodeJS.ProcessEnv = {}): string {
  const before = store === undefined ? null : treeBytes(store);
  const r = run(args, env);
  expect(r.code, `${args.join(' ')}: ${r.err}${r.out}`).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  if (store !== undefined) expect(treeBytes(store)).toEqual(before);
  return r.err;
}

const readJwk = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(work, name), 'utf8')) as Record<string, unknown>;

/** A copy of a key file without its role marking: a key made before the marking, or by another tool. */
function unmarked(name: string, out: string): void {
  const { proofdesk_role: _role, ...rest } = readJwk(name);
  writeFileSync(join(work, out), JSON.stringify(rest));
}

beforeAll(() => {
  ensureBuilt();
  work = tempDir('proofdesk-key-safety-');
  ok(['keys', 'generate', '--root', '--kid', 'root-2026', '--out', 'root']);
  ok(['keys', 'generate', '--kid', 'issuer-a', '--out', 'issuer-a']);
  writeFileSync(join(work, 'issuers.jwks'), JSON.stringify({ keys: [readJwk('issuer-a.public.jwk')] }));
  ok(['trust', 'build', '--root', 'root.private.jwk', '--keys', 'issuers.jwks', '--seq', '1', '--out', 'b1.jws']);
  unmarked('issuer-a.public.jwk', 'bare-issuer.public.jwk');
  unmarked('root.public.jwk', 'bare-root.public.jwk');
  unmarked('root.private.jwk', 'bare-root.private.jwk');
  ok(['status-list', 'init', '--list', 'list.json', '--uri', URI, '--size', '100']);
  ok([
    'issue',
    '--holder',
    join(EXAMPLES, 'holder.json'),
    '--key',
    'issuer-a.private.jwk',
    '--status-uri',
    URI,
    '--status-idx',
    '5',
    '--out',
    'listed.txt',
  ]);
  ok([
    'issue',
    '--holder',
    join(EXAMPLES, 'holder.json'),
    '--key',
    'issuer-a.private.jwk',
    '--status-uri',
    URI,
    '--status-idx',
    '6',
    '--out',
    'revoked.txt',
  ]);
  ok(['issue', '--holder', join(EXAMPLES, 'holder.json'), '--key', 'issuer-a.private.jwk', '--out', 'unlisted.txt']);
}, 180_000);
afterAll(() => removeDir(work));

describe('a private key is never trust', () => {
  it('verify --keys with the DEMO private key is refused (exit 2), naming the file and its public twin — not VALID', () => {
    const file = join(EXAMPLES, 'demo-issuer.private.jwk');
    const err = refused(['verify', '--keys', file, DEMO_VALID], /PRIVATE key/);
    expect(err).toContain(file);
    expect(err).toContain(join(EXAMPLES, 'demo-issuer.public.jwk'));
    expect(err).toMatch(/\.public\.jwk or \*\.jwks/);
  });

  it('a JWKS with one private key among public ones is refused too, naming the file and the key', () => {
    writeFileSync(join(work, 'mixed.jwks'), JSON.stringify({ keys: [readJwk('bare-issuer.public.jwk'), readJwk('root.private.jwk')] }));
    const err = refused(['verify', '--keys', 'mixed.jwks', 'unlisted.txt'], /key file mixed\.jwks: key "root-2026" is a PRIVATE key/);
    expect(err).not.toContain(String(readJwk('root.private.jwk').d));
  });

  it('run --keys and a config trust.keys naming a private key stop the kiosk (exit 2) naming the file', () => {
    const file = join(EXAMPLES, 'demo-issuer.private.jwk');
    const records = join(work, 'records');
    let r = run(['run', '--keys', file, '--port', '0', '--no-stdin', '--records', records]);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/PRIVATE key.*demo-issuer\.public\.jwk/);
    writeFileSync(join(work, 'kiosk.yaml'), `desk:\n  purpose: rent\ntrust:\n  keys: ${file}\n`);
    r = run(['run', '--config', 'kiosk.yaml', '--port', '0', '--no-stdin', '--records', records]);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/PRIVATE key/);
  });

  it('trust build --keys with a private issuer key, and trust init with the root private key, are refused naming the file', () => {
    writeFileSync(join(work, 'leaky.jwks'), JSON.stringify({ keys: [readJwk('issuer-a.private.jwk')] }));
    refused(
      ['trust', 'build', '--root', 'root.private.jwk', '--keys', 'leaky.jwks', '--seq', '2', '--out', 'leak.jws'],
      /issuer keys leaky\.jwks key 0 \(issuer-a\) is a PRIVATE key/,
    );
    refused(
      ['trust', 'init', '--root', 'root.private.jwk', '--store', join(work, 'never')],
      /root key root\.private\.jwk is a PRIVATE key.*pin the root.s public key/,
    );
  });
});

describe('roles: a root signs bundles only, an issuer key codes and status lists only', () => {
  it('keys generate marks both files with the role', () => {
    expect(readJwk('root.private.jwk').proofdesk_role).toBe('root');
    expect(readJwk('root.public.jwk').proofdesk_role).toBe('root');
    expect(readJwk('issuer-a.private.jwk').proofdesk_role).toBe('issuer');
    expect(readJwk('issuer-a.public.jwk').proofdesk_role).toBe('issuer');
  });

  it('trust init refuses a key marked issuer; the examples pin as they always did', () => {
    const store = join(work, 'store-marked');
    refused(['trust', 'init', '--root', 'issuer-a.public.jwk', '--store', store], /issuer-a\.public\.jwk is marked as an ISSUER key/);
    refused(['trust', 'init', '--root', join(EXAMPLES, 'demo-issuer.public.jwk'), '--store', store], /marked as an ISSUER key/);
    expect(ok(['trust', 'init', '--root', join(EXAMPLES, 'demo-root.public.jwk'), '--store', join(work, 'store-demo')])).toContain(
      'pinned root',
    );
    expect(ok(['trust', 'import', join(EXAMPLES, 'demo-bundle.jws'), '--store', join(work, 'store-demo')])).toContain('seq');
  });

  it('an unmarked issuer key pinned as the root: the bundle import says so (ISSUER_KEY_AS_ROOT), not just "another root"', () => {
    const store = join(work, 'store-bare-issuer');
    ok(['trust', 'init', '--root', 'bare-issuer.public.jwk', '--store', store]);
    refused(
      ['trust', 'import', 'b1.jws', '--store', store],
      /the pinned root is issuer key "issuer-a" of this bundle: an issuer's key was pinned as the root/,
      store,
    );
  });

  it('trust init --force refuses a new root that is an issuer key of the active bundle', () => {
    const store = join(work, 'store-force');
    ok(['trust', 'init', '--root', 'root.public.jwk', '--store', store]);
    ok(['trust', 'import', 'b1.jws', '--store', store]);
    refused(
      ['trust', 'init', '--force', '--root', 'bare-issuer.public.jwk', '--store', store],
      /bare-issuer\.public\.jwk is issuer key "issuer-a" of the active bundle/,
      store,
    );
  });

  it('trust build refuses the root among the issuer keys (marked, or the very key signing), and an issuer key as --root', () => {
    writeFileSync(join(work, 'with-root.jwks'), JSON.stringify({ keys: [readJwk('issuer-a.public.jwk'), readJwk('root.public.jwk')] }));
    refused(
      ['trust', 'build', '--root', 'root.private.jwk', '--keys', 'with-root.jwks', '--seq', '2', '--out', 'x.jws'],
      /key 1 \(root-2026\) is marked as a ROOT key/,
    );
    writeFileSync(
      join(work, 'with-bare-root.jwks'),
      JSON.stringify({ keys: [readJwk('issuer-a.public.jwk'), readJwk('bare-root.public.jwk')] }),
    );
    refused(
      ['trust', 'build', '--root', 'root.private.jwk', '--keys', 'with-bare-root.jwks', '--seq', '2', '--out', 'x.jws'],
      /list the root's own key "root-2026" as an issuer key/,
    );
    refused(
      ['trust', 'build', '--root', 'issuer-a.private.jwk', '--keys', 'issuers.jwks', '--seq', '2', '--out', 'x.jws'],
      /root private key issuer-a\.private\.jwk is marked as an ISSUER key/,
    );
  });

  it('a bundle signed by the root that lists the root itself is refused at import (ROOT_KEY_AS_ISSUER)', async () => {
    const root = makeKeyPair('r');
    const pinned = await rootFromJwk(root.publicJwk);
    const fine = await bundleOf(root, [makeKeyPair('i').publicJwk], 1);
    await expect(verifyBundle(new TextEncoder().encode(fine), pinned, { now: T0 })).resolves.toMatchObject({ seq: 1 });
    // The builder refuses this, so sign it by hand: what a hand-made or older tool's bundle could be.
    const selfListed = await new CompactSign(new TextEncoder().encode(JSON.stringify({ seq: 1, iat: T0, keys: [root.publicJwk] })))
      .setProtectedHeader({ alg: 'EdDSA', typ: BUNDLE_TYP, kid: pinned.thumbprint })
      .sign(root.privateKey);
    const err = await verifyBundle(new TextEncoder().encode(selfListed), pinned, { now: T0 }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('ROOT_KEY_AS_ISSUER');
    expect(err?.message).toMatch(/lists the pinned root as issuer key "r"/);
  });

  it('issue refuses a key marked root, and an unmarked key that is the root pinned in the trust store it can see', () => {
    const holder = join(EXAMPLES, 'holder.json');
    refused(['issue', '--holder', holder, '--key', 'root.private.jwk'], /root\.private\.jwk is a ROOT key/);
    refused(['issue', '--holder', holder, '--key', join(EXAMPLES, 'demo-root.private.jwk')], /demo-root\.private\.jwk is a ROOT key/);
    const env = { XDG_DATA_HOME: join(work, 'xdg') };
    expect(run(['issue', '--holder', holder, '--key', 'bare-root.private.jwk'], env).code).toBe(0); // nothing tells it is a root
    ok(['trust', 'init', '--root', 'bare-root.public.jwk'], env);
    refused(
      ['issue', '--holder', holder, '--key', 'bare-root.private.jwk'],
      /bare-root\.private\.jwk is the root pinned in the trust store .*xdg\/proofdesk/,
      undefined,
      env,
    );
  });

  it('status-list build and verify --keys refuse a key marked root', () => {
    refused(
      ['status-list', 'build', '--list', 'list.json', '--key', 'root.private.jwk', '--out', 'x.jws'],
      /issuer private key root\.private\.jwk is marked as a ROOT key/,
    );
    refused(['verify', '--keys', 'root.public.jwk', 'unlisted.txt'], /root\.public\.jwk: key "root-2026" is marked as a ROOT key/);
  });
});

describe('verify says whether revocation was checked', () => {
  it('--keys: "NOT CHECKED" in the text and revocation.checked false in the JSON, even for a code that names a list', () => {
    const text = run(['verify', '--keys', join(EXAMPLES, 'demo-issuer.jwks'), DEMO_VALID]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /^Revocation: +NOT CHECKED: --keys gives keys only, no status lists: a revoked code would still show VALID here/m,
    );
    const json = run(['verify', '--json', '--keys', 'issuers.jwks', 'listed.txt']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).revocation).toMatchObject({ checked: false, reason: 'NO_STATUS_LISTS' });
  });

  it("a store with the issuer's list: checked, with the list and when it was issued; a revoked entry says REVOKED", () => {
    const store = join(work, 'store-lists');
    ok(['trust', 'init', '--root', 'root.public.jwk', '--store', store]);
    ok(['trust', 'import', 'b1.jws', '--store', store]);
    const noLists = run(['verify', '--store', store, 'listed.txt']);
    expect(noLists.out).toMatch(/^Revocation: +NOT CHECKED: trust store .* holds no status list/m);
    ok(['status-list', 'revoke', '--list', 'list.json', '6']);
    ok(['status-list', 'build', '--list', 'list.json', '--key', 'issuer-a.private.jwk', '--out', 'list1.jws']);
    ok(['trust', 'import', 'list1.jws', '--store', store]);
    const checked = run(['verify', '--store', store, 'listed.txt']);
    expect(checked.code, checked.err).toBe(0);
    expect(checked.out).toMatch(
      new RegExp(`^Revocation: +checked: not revoked \\(status list ${URI}, issued \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)`, 'm'),
    );
    const json = JSON.parse(run(['verify', '--json', '--store', store, 'listed.txt']).out) as { revocation: Record<string, unknown> };
    expect(json.revocation).toMatchObject({ checked: true, reason: 'LIST_CHECKED', status: 'VALID', listUri: URI });
    expect(Date.parse(String(json.revocation.listIssuedAt))).toBeGreaterThan(Date.now() - 3_600_000);
    const unlisted = JSON.parse(run(['verify', '--json', '--store', store, 'unlisted.txt']).out) as { revocation: Record<string, unknown> };
    expect(unlisted.revocation).toMatchObject({ checked: false, reason: 'CODE_NAMES_NO_LIST' });

    const revoked = run(['verify', '--store', store, 'revoked.txt']);
    expect(revoked.code).toBe(1);
    expect(revoked.out).toMatch(/^Revocation: +checked: REVOKED \(status list/m);
  });

  it('a code whose signature does not verify: revocation not reached', () => {
    const r = run(['verify', '--json', '--keys', 'issuers.jwks', DEMO_VALID]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).revocation).toMatchObject({ checked: false, reason: 'NOT_REACHED' });
  });
});

describe('docs/trust.md stays true', () => {
  const doc = readFileSync(join(ROOT, 'docs/trust.md'), 'utf8');

  it('the private-key refusal it quotes is the one verify --keys prints', () => {
    const quoted = /^proofdesk: key file examples\/demo-issuer\.private\.jwk: .*$/m.exec(doc)?.[0];
    expect(quoted, 'docs/trust.md quotes the refusal').toBeDefined();
    const r = spawnSync(process.execPath, [CLI, 'verify', '--keys', 'examples/demo-issuer.private.jwk', 'examples/demo-valid.txt'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd()).toBe(quoted);
  });

  it('every code in the roles table is a real error code, and every key-safety code is in the table', async () => {
    const section = /## Private keys, roots and issuer keys[\s\S]*?\n## /.exec(doc)?.[0] ?? '';
    const codes = new Set([...section.matchAll(/`([A-Z][A-Z_]+)`/g)].map((m) => m[1]!));
    for (const c of ['PRIVATE_KEY_AS_TRUST', 'ROOT_KEY_AS_ISSUER', 'ISSUER_KEY_AS_ROOT', 'KEY_INVALID']) expect(codes.has(c), c).toBe(true);
    const errors =
      readFileSync(join(ROOT, 'src/trust/errors.ts'), 'utf8') +
      readFileSync(join(ROOT, 'src/trust/keyset.ts'), 'utf8') +
      readFileSync(join(ROOT, 'src/issue/errors.ts'), 'utf8');
    for (const c of codes) expect(errors, c).toContain(`'${c}'`);
  });
});
