/**
 * Terminal escape injection: text from a code (signed or not) or from a file reaches every human-readable output
 * neutralised — no ESC sequence, OSC 52 clipboard write, 8-bit CSI, bidi override or extra line — and every JSON
 * output is the same data with nothing raw that could drive a terminal. Through the built CLI, as a clerk runs it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecordStore, credentialSha256 } from '../../src/records/index.js';
import { bundleOf, makeKeyPair, statusListOf } from '../trust/helpers.js';
import { issue, makeKey } from '../verify/helpers.js';
import { describeUnsafe } from '../text/unsafe.js';
import { requireBuiltCli, runCli, tempDir } from './run-cli.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** Clear the screen, draw a fake green VALID, set the window title, write the clipboard, 8-bit CSI, bidi, a new line. */
const HOSTILE =
  'Eve\x1b[2J\x1b[H\x1b[1;97;42m VALID \x1b[0m\x1b]0;owned\x07\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x9b2J\u202eyraM\u202c\u2066x\u2069\r\nStatus: settled\x00\x7f';
const tmp = tempDir('proofdesk-escapes-');
const issuer = makeKey('EdDSA', `k\x1b]52;c;aGk=\x07\u202e1`);
const keysFile = join(tmp.dir, 'keys.jwks');
let code: string;

beforeAll(() => {
  requireBuiltCli();
  writeFileSync(keysFile, JSON.stringify({ keys: [issuer.publicJwk] }));
  code = issue(issuer, {
    identity: { fullName: HOSTILE, dateOfBirth: `1990\x1b[31m0101`, id: 'ID-1' },
    cwt: {
      iss: `https://evil.example/\x1b]8;;http://x\x07`,
      iat: Math.floor(Date.now() / 1000) - 3600,
      exp: Math.floor(Date.now() / 1000) + 86400,
    },
  });
});
afterAll(tmp.cleanup);

/** Human output: its own line breaks only; nothing else unsafe, and the hostile name is one line. */
function expectSafeHuman(out: string): void {
  expect(describeUnsafe(out, true)).toEqual([]);
  expect(out).not.toMatch(/^Status: settled/m);
}

describe('human-readable output neutralises what came from a code or a file', () => {
  it('inspect (an unverified code: kid, issuer, holder fields)', async () => {
    const r = await runCli(['inspect', code]);
    expect(r.code).toBe(0);
    expectSafeHuman(r.stdout);
    expect(r.stdout).toContain('Eve\uFFFD[2J');
    expect(r.stdout).toContain('yraM'); // kept, in its place: only the override is gone
  });

  it('verify (a name in a signed code), and its stderr warnings', async () => {
    const r = await runCli(['verify', '--keys', keysFile, code]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
    expectSafeHuman(r.stdout);
    expect(describeUnsafe(r.stderr, true)).toEqual([]);
  });

  it('--json is the same data, with no raw control or bidi character (escaped instead)', async () => {
    for (const args of [
      ['inspect', '--json', code],
      ['verify', '--json', '--keys', keysFile, code],
    ]) {
      const r = await runCli(args);
      expect(describeUnsafe(r.stdout, true)).toEqual([]);
      const doc = JSON.parse(r.stdout) as { identity: { fullName: string }; kid: string };
      expect(doc.identity.fullName).toBe(HOSTILE);
      expect(doc.kid).toBe(issuer.kid);
    }
  });

  it("a usage error quoting a file's content is one safe line", async () => {
    const dup = join(tmp.dir, 'dup.jwks');
    const other = makeKey('EdDSA', issuer.kid);
    writeFileSync(dup, JSON.stringify({ keys: [issuer.publicJwk, other.publicJwk] }));
    const r = await runCli(['verify', '--keys', dup, code]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(describeUnsafe(r.stderr, true)).toEqual([]);
  });

  it('records list / export: a kid from a code', async () => {
    const dir = join(tmp.dir, 'records');
    const store = await RecordStore.open({ dir, deskId: 'desk-1', retentionDays: 30 });
    store.appendCheck({
      checkId: 'c1',
      at: new Date().toISOString(),
      purpose: 'work',
      verdict: 'NOT VALID',
      reason: 'KEY_UNKNOWN',
      kid: `=HYPERLINK("x");\x1b[2J\u202e\r\n=1+1`,
      credentialSha256: credentialSha256(code),
      followUpDate: null,
    });
    await store.close();
    const list = await runCli(['records', 'list', '--store', dir]);
    expect(list.code, list.stderr).toBe(0);
    expectSafeHuman(list.stdout);
    for (const args of [
      ['records', 'list', '--json', '--store', dir],
      ['records', 'export', '--format', 'json', '--store', dir],
    ]) {
      const r = await runCli(args);
      expect(describeUnsafe(r.stdout, true)).toEqual([]);
      expect((JSON.parse(r.stdout) as Array<{ kid: string }>)[0]!.kid).toContain('\x1b[2J\u202e\r\n');
    }
    const csv = await runCli(['records', 'export', '--format', 'csv', '--store', dir]);
    expect(csv.code).toBe(0);
    // No control byte at all but the rows' own CR LF: two rows, two line ends.
    expect(describeUnsafe(csv.stdout.replaceAll('\r\n', ''))).toEqual([]);
    expect(csv.stdout.split('\r\n')).toHaveLength(3);
  });

  it('trust status / import: kids and status-list URIs from signed files', async () => {
    const store = join(tmp.dir, 'trust');
    const root = makeKeyPair('root');
    const hostileIssuer = makeKeyPair('issuer\x1b]0;title\x07\u2067');
    writeFileSync(join(tmp.dir, 'root.public.jwk'), JSON.stringify(root.publicJwk));
    writeFileSync(join(tmp.dir, 'bundle.jws'), await bundleOf(root, [hostileIssuer.publicJwk], 1, Math.floor(Date.now() / 1000) - 60));
    const uri = 'https://status.example/\x1b[2J\u202elist';
    writeFileSync(join(tmp.dir, 'list.jws'), await statusListOf(hostileIssuer, uri, 16, {}, Math.floor(Date.now() / 1000) - 60));
    for (const args of [
      ['trust', 'init', '--root', join(tmp.dir, 'root.public.jwk')],
      ['trust', 'import', join(tmp.dir, 'bundle.jws')],
      ['trust', 'import', join(tmp.dir, 'list.jws')],
    ]) {
      const r = await runCli([...args, '--store', store]);
      expect(r.code, r.stderr).toBe(0);
      expectSafeHuman(r.stdout);
    }
    const status = await runCli(['trust', 'status', '--store', store]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('issuer\uFFFD]0;title\uFFFD\uFFFD');
    expectSafeHuman(status.stdout);
    const json = await runCli(['trust', 'status', '--json', '--store', store]);
    expect(describeUnsafe(json.stdout, true)).toEqual([]);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(uri).slice(1, -1));
  });

  it('scanners test --show-text: the scanned text as an escaped string, never raw', async () => {
    // A scan is bytes, read one char per byte (latin1); C0 bytes are line noise to the framer, C1 bytes are not.
    const bytes = Buffer.from([0x41, 0x9b, 0x32, 0x4a, 0x85, 0x42, 0xe2, 0x80, 0xae, 0x43]);
    const scanned = bytes.toString('latin1');
    for (const json of [false, true]) {
      const r = await runCli(['scanners', 'test', '--stdin', '--show-text', ...(json ? ['--json'] : [])], {
        input: Buffer.concat([bytes, Buffer.from('\n')]),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(describeUnsafe(r.stdout, true)).toEqual([]);
      const shown = json
        ? r.stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { event: string; text?: string })
            .find((e) => e.event === 'scan')?.text
        : (JSON.parse(/^\s+(".*")$/m.exec(r.stdout)![1]!) as string);
      expect(shown).toBe(scanned);
    }
  });
});
