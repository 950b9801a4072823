/**
 * issue → verify through the built CLI: text, .txt, PNG (decoded by zxing-wasm via `verify --image`) and SVG
 * (rendered to PNG by sharp/librsvg, then decoded the same way); exit codes; --json; stdin.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { claims, issue, makeKey } from '../verify/helpers.js';
import { DEMO_KEYS, DEMO_PRIVATE, EXAMPLES, expectUsageError, requireBuiltCli, runCli, tempDir } from './run-cli.js';

// Each case spawns the CLI several times; a loaded 2-core machine can take seconds per spawn.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });
const tmp = tempDir();
const HOLDER = join(EXAMPLES, 'holder.json');
const FACE = join(EXAMPLES, 'demo-face.jpg');
let keys: string;
let privateKey: string;

beforeAll(async () => {
  requireBuiltCli();
  // A fresh issuer key for the round trips, so they do not depend on the committed DEMO key.
  const prefix = join(tmp.dir, 'issuer');
  const r = await runCli(['keys', 'generate', '--kid', 'test-issuer', '--out', prefix]);
  expect(r.code).toBe(0);
  privateKey = `${prefix}.private.jwk`;
  keys = `${prefix}.public.jwk`;
});
afterAll(tmp.cleanup);

const issueArgs = (...extra: string[]) => ['issue', '--holder', HOLDER, '--key', privateKey, ...extra];

describe('issue → verify round trip', () => {
  it('text on stdout with a photo: VALID (exit 0), photo ≤ 420 bytes in the code, sizes reported on stderr', async () => {
    const issued = await runCli(issueArgs('--photo', FACE));
    expect(issued.code).toBe(0);
    const text = issued.stdout.trim();
    expect(text).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    expect(issued.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const photo = /photo: (\d+)x(\d+) (WEBP) quality \d+, (\d+) bytes \((\d+) in the code\)/.exec(issued.stderr);
    expect(photo).not.toBeNull();
    expect(Number(photo![5])).toBeLessThanOrEqual(420);
    expect(text.length).toBeLessThanOrEqual(1000); // the demo holder with a photo, issuer defaults
    expect(issued.stderr).toMatch(new RegExp(`code: ${text.length} Base45 characters, QR version \\d+`));

    const v = await runCli(['verify', '--keys', keys, '--purpose', 'work', text]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^VALID: /);
    expect(v.stdout).toMatch(/Name: +Jordan Specimen/);
    expect(v.stdout).toMatch(/Status: +Settled status \(EU Settlement Scheme\)/);
    expect(v.stdout).toMatch(/Checked for: +Right to work\n/);
    expect(v.stdout).toMatch(/Rights: +✔ Work: may work, no restriction\n/);
    expect(v.stdout).toMatch(/Permission ends: +No end date \(indefinite\)/);
    expect(v.stdout).toMatch(/Follow-up check: +None needed: the permission has no end date/);
    expect(v.stdout).toMatch(/Signed by key: +test-issuer \(EdDSA\)/);
    expect(v.stderr).toBe(''); // not a DEMO key: no warning
  });

  it('.txt output verifies through the file argument and through stdin (-)', async () => {
    const out = join(tmp.dir, 'code.txt');
    expect((await runCli(issueArgs('--out', out))).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const viaFile = await runCli(['verify', '--keys', keys, out]);
    expect(viaFile.code).toBe(0);
    const viaStdin = await runCli(['verify', '--keys', keys, '-'], { input: text.replace('\n', '\r\n') });
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stdout).toMatch(/^VALID/);
  });

  it('PNG output is decoded by zxing-wasm (verify --image) back to the same code', async () => {
    const png = join(tmp.dir, 'code.png');
    const txt = join(tmp.dir, 'same.txt');
    const at = '2026-06-01T12:00:00Z';
    expect((await runCli(issueArgs('--photo', FACE, '--at', at, '--out', png))).code).toBe(0);
    expect((await runCli(issueArgs('--photo', FACE, '--at', at, '--out', txt))).code).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const viaImage = await runCli(['verify', '--keys', keys, '--at', '2026-06-02T00:00:00Z', '--json', '--image', png]);
    expect(viaImage.code).toBe(0);
    const inspected = await runCli(['inspect', '--json', '--image', png]);
    const fromText = await runCli(['inspect', '--json', txt]);
    expect(JSON.parse(inspected.stdout)).toEqual(JSON.parse(fromText.stdout)); // deterministic Ed25519: same code
  });

  it('SVG output, rendered to pixels, decodes and verifies', async () => {
    const svg = join(tmp.dir, 'code.svg');
    expect((await runCli(issueArgs('--out', svg))).code).toBe(0);
    const body = readFileSync(svg, 'utf8');
    expect(body).toMatch(/^<svg /);
    const png = join(tmp.dir, 'from-svg.png');
    await sharp(Buffer.from(body), { density: 300 }).flatten({ background: '#ffffff' }).png().toFile(png);
    const v = await runCli(['verify', '--keys', keys, '--image', png]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^VALID/);
  });

  it('status-list reference, purpose and validity window travel in the code', async () => {
    const issued = await runCli(
      issueArgs(
        '--purpose',
        'rent',
        '--valid-days',
        '30',
        '--at',
        '2026-01-01T00:00:00Z',
        '--status-idx',
        '42',
        '--status-uri',
        'https://status.example/lists/1',
      ),
    );
    expect(issued.code).toBe(0);
    const text = issued.stdout.trim();
    const j = JSON.parse((await runCli(['inspect', '--json', text])).stdout);
    expect(j.statusList).toEqual({ idx: 42, uri: 'https://status.example/lists/1' });
    expect(j.status.purpose).toBe('rent');
    expect(j.cwt.iat).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000);
    expect(j.cwt.exp - j.cwt.iat).toBe(30 * 86400);
    // inside the window at a rent desk: VALID; at a work desk: PURPOSE_MISMATCH; after it: EXPIRED
    expect((await runCli(['verify', '--keys', keys, '--at', '2026-01-15', '--purpose', 'rent', text])).code).toBe(0);
    const wrongDesk = await runCli(['verify', '--keys', keys, '--at', '2026-01-15', '--purpose', 'work', '--json', text]);
    expect(wrongDesk.code).toBe(1);
    expect(JSON.parse(wrongDesk.stdout).reason).toBe('PURPOSE_MISMATCH');
    const late = await runCli(['verify', '--keys', keys, '--at', '2026-03-01T00:00:00Z', '--json', text]);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout).reason).toBe('EXPIRED');
  });

  it('a code never outlives its permission: exp capped at the end of validUntil (London), said on stderr; an ended permission is refused', async () => {
    const holder = JSON.parse(readFileSync(HOLDER, 'utf8'));
    holder.status = { ...holder.status, statusType: 'limited', validFrom: '2026-02-01', validUntil: '2026-04-10' };
    const file = join(tmp.dir, 'ends-soon.json');
    writeFileSync(file, JSON.stringify(holder));
    const issued = await runCli(['issue', '--holder', file, '--key', privateKey, '--at', '2026-03-01T10:00:00Z', '--valid-days', '90']);
    expect(issued.code).toBe(0);
    expect(issued.stderr).toMatch(/code expires 2026-04-10T23:00:00Z \(before --valid-days 90: a code never outlives the permission/);
    const text = issued.stdout.trim();
    const j = JSON.parse((await runCli(['inspect', '--json', text])).stdout);
    expect(j.cwt.exp).toBe(Date.UTC(2026, 3, 10, 23) / 1000);
    const human = await runCli(['verify', '--keys', keys, '--at', '2026-04-10T22:00:00Z', '--purpose', 'work', text]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Permission starts: +1 February 2026/);
    expect(human.stdout).toMatch(/Permission ends: +10 April 2026/);
    const after = await runCli(['verify', '--keys', keys, '--at', '2026-04-11T09:00:00+01:00', '--json', text]);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout).reason).toBe('PERMISSION_EXPIRED');
    const before = await runCli(['verify', '--keys', keys, '--at', '2026-01-31T12:00:00Z', '--json', text]);
    expect(JSON.parse(before.stdout).reason).toBe('NOT_YET_VALID'); // before the code's own nbf
    // indefinite permission: --valid-days as asked, no note
    const plain = await runCli(issueArgs('--at', '2026-03-01T10:00:00Z', '--valid-days', '90'));
    expect(plain.stderr).toMatch(/code expires 2026-05-30T10:00:00Z\n/);
    // already ended: exit 2, one line, no date echoed
    const ended = await runCli(['issue', '--holder', file, '--key', privateKey, '--at', '2026-05-01T00:00:00Z']);
    expectUsageError(ended, /status\.validUntil .*permission has ended/);
    expect(ended.stderr).not.toMatch(/2026-04-10/);
  });

  it('verify without --purpose: a permission not started yet is NOT VALID (PERMISSION_NOT_STARTED), in plain words', async () => {
    const holder = JSON.parse(readFileSync(HOLDER, 'utf8'));
    holder.status = { ...holder.status, validFrom: '2026-06-01' };
    const file = join(tmp.dir, 'starts-later.json');
    writeFileSync(file, JSON.stringify(holder));
    const issued = await runCli(['issue', '--holder', file, '--key', privateKey, '--at', '2026-03-01T10:00:00Z', '--valid-days', '180']);
    const text = issued.stdout.trim();
    const r = await runCli(['verify', '--keys', keys, '--at', '2026-03-02T10:00:00Z', text]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NOT VALID: The permission shown in this code has not started yet/);
    expect(r.stdout).toMatch(/Reason: +PERMISSION_NOT_STARTED/);
    expect(r.stdout).toMatch(/Permission starts: +1 June 2026/);
    expect((await runCli(['verify', '--keys', keys, '--at', '2026-05-31T23:00:00Z', text])).code).toBe(0); // 00:00 in London
  });

  it('an ES256 issuer key works end to end', async () => {
    const prefix = join(tmp.dir, 'es256');
    expect((await runCli(['keys', 'generate', '--alg', 'ES256', '--out', prefix])).code).toBe(0);
    const issued = await runCli(['issue', '--holder', HOLDER, '--key', `${prefix}.private.jwk`]);
    const v = await runCli(['verify', '--keys', `${prefix}.public.jwk`, '--json', issued.stdout.trim()]);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).alg).toBe('ES256');
  });

  it("a code from one issuer is NOT VALID against another issuer's keys (KEY_UNKNOWN)", async () => {
    const issued = await runCli(issueArgs());
    const v = await runCli(['verify', '--keys', DEMO_KEYS, '--json', issued.stdout.trim()]);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: false, verdict: 'NOT VALID', reason: 'KEY_UNKNOWN', identity: null });
  });
});

describe('verify: exit codes and --json on the bundled DEMO codes', () => {
  const verifyDemo = (name: string, ...extra: string[]) => runCli(['verify', '--keys', DEMO_KEYS, ...extra, join(EXAMPLES, `${name}.txt`)]);

  it('0 VALID, 1 NOT VALID, 3 CHECK MANUALLY', async () => {
    expect((await verifyDemo('demo-valid')).code).toBe(0);
    expect((await verifyDemo('demo-expired')).code).toBe(1);
    expect((await verifyDemo('demo-tampered')).code).toBe(1);
    expect((await verifyDemo('demo-rent-only', '--purpose', 'work')).code).toBe(1);
    expect((await verifyDemo('demo-rent-only', '--purpose', 'rent')).code).toBe(0);
    expect((await verifyDemo('demo-pending', '--purpose', 'work')).code).toBe(3);
    expect((await verifyDemo('demo-pre-settled', '--purpose', 'housing')).code).toBe(3);
  });

  it('human output names verdict, status, rights, permission end and reason', async () => {
    const r = await verifyDemo('demo-pre-settled', '--purpose', 'housing');
    expect(r.stdout).toMatch(/^CHECK MANUALLY: /);
    expect(r.stdout).toMatch(/Status: +Pre-settled status \(EU Settlement Scheme\)/);
    expect(r.stdout).toMatch(/Permission ends: +30 April 2034/);
    expect(r.stdout).toMatch(/Reason: +RIGHT_TO_RESIDE_ASSESSMENT/);
    expect(r.stdout).toMatch(/Rights: +\? Public funds: right-to-reside assessment needed/);
    expect(r.stdout).not.toMatch(/✔/);
    const tampered = await verifyDemo('demo-tampered');
    expect(tampered.stdout).toMatch(/^NOT VALID: .*altered/);
    expect(tampered.stdout).toMatch(/Reason: +SIGNATURE_INVALID/);
    expect(tampered.stdout).not.toMatch(/Name:/); // nothing from an unverified payload is shown
    expect(tampered.stdout).not.toMatch(/✔/);
    const url = await runCli(['verify', '--keys', DEMO_KEYS, 'https://example.org/']);
    expect(url.code).toBe(1);
    expect(url.stdout).toMatch(/^NOT A STATUS CODE: /);
    const half = await runCli(['verify', '--keys', DEMO_KEYS, readFileSync(join(EXAMPLES, 'demo-valid.txt'), 'utf8').slice(0, 500)]);
    expect(half.code).toBe(1);
    expect(half.stdout).toMatch(/^SCAN AGAIN: /);
  });

  it('--json: exactly one JSON document on stdout, in the documented shape; the DEMO warning goes to stderr', async () => {
    const r = await verifyDemo('demo-valid', '--json', '--purpose', 'rent');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout); // throws if stdout held anything else
    expect(Object.keys(j).slice(0, 9)).toEqual(['valid', 'verdict', 'reason', 'message', 'alg', 'kid', 'cwt', 'identity', 'status']);
    expect(j).toMatchObject({ valid: true, verdict: 'VALID', reason: null, alg: 'EdDSA', kid: 'DEMO-issuer-1' });
    expect(Object.keys(j.cwt).sort()).toEqual(['exp', 'iat', 'iss', 'nbf']);
    expect(j.cwt.exp - j.cwt.iat).toBeGreaterThanOrEqual(3652 * 86400); // issued for 10 years
    expect(j.identity).toMatchObject({ fullName: 'Jordan Specimen', dateOfBirth: '19900131', photoFormat: 3 });
    expect(Buffer.from(j.identity.photo, 'base64').length).toBeLessThanOrEqual(600); // the committed demo code (a 600-byte AVIF, made before the WebP default)
    expect(j.identity.photo).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(j.status).toMatchObject({
      scheme: 'EUSS',
      statusType: 'indefinite',
      purpose: 'all',
      rent: true,
      publicFunds: true,
      work: { kind: 'unrestricted' },
    });
    expect(r.stderr).toMatch(/DEMO keys/);
  });

  it('--json for a NOT VALID code still prints one document with the reason and message', async () => {
    const r = await verifyDemo('demo-expired', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ valid: false, verdict: 'NOT VALID', reason: 'EXPIRED' });
    expect(j.message).toMatch(/expired/);
  });

  it('garbage text is NOT VALID (exit 1), not a usage error', async () => {
    const r = await runCli(['verify', '--keys', DEMO_KEYS, '--json', '-'], { input: 'HELLO WORLD\n' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).valid).toBe(false);
  });
});

describe('inspect (UNVERIFIED)', () => {
  it('human output is marked UNVERIFIED and exits 0 when the code decodes — even a tampered one', async () => {
    const r = await runCli(['inspect', join(EXAMPLES, 'demo-tampered.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^UNVERIFIED: the signature was NOT checked/);
    expect(r.stdout).toMatch(/Name \(unverified\): +Jordan Zpecimen/);
    expect(r.stdout).toMatch(/Signature: +present, NOT checked/);
  });

  it('--json adds "unverified": true and "valid": false; the banner goes to stderr', async () => {
    const r = await runCli(['inspect', '--json', join(EXAMPLES, 'demo-valid.txt')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ unverified: true, valid: false, reason: null, kid: 'DEMO-issuer-1' });
    expect(j.identity.fullName).toBe('Jordan Specimen');
    expect(r.stderr).toMatch(/UNVERIFIED/);
  });

  it('a time no date can hold (exp 1e300) is printed as a number, not a crash', async () => {
    const c = claims();
    c.cwt = { ...c.cwt, exp: 1e300 };
    const r = await runCli(['inspect', '-'], { input: `${issue(makeKey('EdDSA', 'k1'), c)}\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Code expires: +1e\+300 \(not a date\)/);
  });

  it('exits 1 with the reason when the text does not decode (stdin)', async () => {
    const r = await runCli(['inspect', '--json', '-'], { input: 'NOT+A+CODE' });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.unverified).toBe(true);
    expect(typeof j.reason).toBe('string');
    const human = await runCli(['inspect', '-'], { input: 'NOT+A+CODE' });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Decoded: +no \(/);
  });
});

describe('every file and option error: exit 2, one line, no stack trace', () => {
  const write = (name: string, body: string | Buffer) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, body);
    return p;
  };
  const demo = join(EXAMPLES, 'demo-valid.txt');

  it('verify with no keys at all (no --keys, an empty trust store) refuses: "no trusted keys"; DEMO keys are not a fallback', async () => {
    const env = { XDG_DATA_HOME: join(tmp.dir, 'empty-data-home'), HOME: join(tmp.dir, 'empty-home') };
    expectUsageError(await runCli(['verify', demo], { env }), /no trusted keys/);
    expectUsageError(await runCli(['verify', '--json', join(EXAMPLES, 'demo-valid.png')], { env }), /no trusted keys/);
  });

  it('verify --keys: missing, a directory, not JSON, not a JWKS, bad JWK, empty set', async () => {
    expectUsageError(await runCli(['verify', '--keys', join(tmp.dir, 'nope.jwks'), demo]), /nope\.jwks/);
    expectUsageError(await runCli(['verify', '--keys', tmp.dir, demo]), /cannot read|directory|EISDIR/);
    expectUsageError(await runCli(['verify', '--keys', write('bad.jwks', '{"keys": [}'), demo]), /not JSON/);
    expectUsageError(await runCli(['verify', '--keys', write('odd.jwks', '[1,2]'), demo]), /JWKS|JWK/);
    expectUsageError(await runCli(['verify', '--keys', write('rsa.jwk', '{"kty":"RSA","n":"AQAB","e":"AQAB"}'), demo]), /not supported/);
    expectUsageError(
      await runCli(['verify', '--keys', write('badx.jwk', '{"kty":"OKP","crv":"Ed25519","x":"AAAA"}'), demo]),
      /not a valid|invalid/i,
    );
    expectUsageError(await runCli(['verify', '--keys', write('empty.jwks', '{"keys":[]}'), demo]), /no keys/);
  });

  it('verify: bad --at, bad --purpose, missing code file, no code, two sources', async () => {
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--at', 'yesterday', demo]), /--at yesterday is not an ISO 8601 time/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--at', '2026-02-30', demo]), /--at/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--at', '2026-01-01T10:00', demo]), /time zone/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--purpose', 'bank', demo]), /bank|purpose/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, join(tmp.dir, 'missing-code.txt')]), /cannot read code file/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS]), /no code given/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--image', join(EXAMPLES, 'demo-valid.png'), demo]), /not more than one/);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, tmp.dir]), /is a folder, not a code/);
    expectUsageError(await runCli(['inspect', tmp.dir]), /is a folder, not a code/);
  });

  it('verify/inspect --image: missing file, not an image, an image without a QR code', async () => {
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--image', join(tmp.dir, 'none.png')]), /cannot read image/);
    expectUsageError(await runCli(['inspect', '--image', write('text.png', 'not a picture')]), /not a PNG or JPEG/);
    const blank = join(tmp.dir, 'blank.png');
    await sharp({ create: { width: 200, height: 200, channels: 3, background: '#ffffff' } })
      .png()
      .toFile(blank);
    expectUsageError(await runCli(['verify', '--keys', DEMO_KEYS, '--image', blank]), /no readable QR code/);
  });

  it('issue: bad holder files', async () => {
    const key = DEMO_PRIVATE;
    expectUsageError(await runCli(['issue', '--holder', join(tmp.dir, 'none.json'), '--key', key]), /cannot read holder file/);
    expectUsageError(
      await runCli(['issue', '--holder', write('h1.json', '{"fullName": "Secret Person",'), '--key', key]),
      /holder file .* is not valid JSON$/m,
    );
    const h1 = await runCli(['issue', '--holder', join(tmp.dir, 'h1.json'), '--key', key]);
    expect(h1.stderr).not.toContain('Secret Person'); // holder data never echoed
    const badDob = write('h2.json', JSON.stringify({ fullName: 'Secret Person', dateOfBirth: '1990-02-30' }));
    const r = await runCli(['issue', '--holder', badDob, '--key', key]);
    expectUsageError(r, /dateOfBirth: not a real calendar date/);
    expect(r.stderr).not.toContain('1990-02-30');
    expectUsageError(
      await runCli([
        'issue',
        '--holder',
        write('h3.json', JSON.stringify({ fullName: 'A B', dateOfBirth: '19900101', fulName: 'typo' })),
        '--key',
        key,
      ]),
      /fulName/,
    );
    expectUsageError(
      await runCli([
        'issue',
        '--holder',
        write('h4.json', JSON.stringify({ fullName: 'A B', dateOfBirth: '19900101', status: { scheme: 'EUSS' } })),
        '--key',
        key,
      ]),
      /status\.statusType/,
    );
  });

  it('issue: bad keys, unsupported photo, bad options and output names', async () => {
    const holder = HOLDER;
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', join(tmp.dir, 'none.jwk')]), /cannot read key file/);
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', join(EXAMPLES, 'demo-issuer.public.jwk')]), /not a private JWK/);
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', DEMO_KEYS]), /key set/);
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', write('k.jwk', 'nope')]), /not valid JSON/);
    const wrongX = JSON.parse(readFileSync(DEMO_PRIVATE, 'utf8'));
    wrongX.x = JSON.parse(readFileSync(join(tmp.dir, 'issuer.public.jwk'), 'utf8')).x;
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', write('mismatch.jwk', JSON.stringify(wrongX))]), /does not match/);
    expectUsageError(
      await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--photo', write('face.jpg', 'plain text, not a JPEG')]),
      /not an image this issuer can read/,
    );
    expectUsageError(
      await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--photo', join(tmp.dir, 'no-face.jpg')]),
      /cannot read photo/,
    );
    expectUsageError(
      await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--out', join(tmp.dir, 'code.gif')]),
      /\.txt, \.png or \.svg/,
    );
    // a missing folder, or a folder named like an output file: refused before any work, so the error is the only line
    expectUsageError(
      await runCli([
        'issue',
        '--holder',
        holder,
        '--key',
        DEMO_PRIVATE,
        '--photo',
        FACE,
        '--out',
        join(tmp.dir, 'no-such-folder', 'code.png'),
      ]),
      /cannot write .*no-such-folder.* does not exist/,
    );
    mkdirSync(join(tmp.dir, 'folder.png'), { recursive: true });
    expectUsageError(
      await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--out', join(tmp.dir, 'folder.png')]),
      /cannot write .*folder\.png: it is a folder/,
    );
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--valid-days', '0']), /--valid-days/);
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--status-idx', '3']), /go together/);
    expectUsageError(await runCli(['issue', '--holder', holder, '--key', DEMO_PRIVATE, '--at', 'soon']), /--at soon/);
  });
});
