/**
 * What the central database holds and who may touch it: a desk role adds its own entries and reads published trust
 * data, nothing else; a pg_dump of the whole database carries no holder name, date of birth or photo bytes (the
 * personal copies travel and rest sealed to the organisation's key, and only its private key opens them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralPool } from '../../src/central/connect.js';
import { getCheck } from '../../src/central/officer.js';
import { generateOrgKey, loadOrgPrivateKey, loadOrgPublicKey, openCopy, writeOrgKeyPair } from '../../src/central/seal.js';
import { credentialSha256 } from '../../src/records/index.js';
import { deskRole, freshDatabase, newCheck, personalCopy, startDesk, tempDir } from './helpers.js';
import { guardPostgres, runTool, startPostgres, type PgServer } from './pg-server.js';

const missing = guardPostgres();

/** A photo whose bytes are easy to find again: a run no JPEG encoder would produce by chance. */
function photoBytes(): Uint8Array {
  const b = Buffer.alloc(600);
  for (let i = 0; i < b.length; i++) b[i] = (i * 37 + 11) & 0xff;
  return new Uint8Array(b);
}

describe.skipIf(missing !== null)(`the central database's privacy and privileges${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let pg: PgServer;
  let owner: CentralPool;
  let name: string;
  let desk: CentralPool;
  let other: CentralPool;
  const tmp = tempDir('privacy');
  const text = `HC1:${'NCFOXN%TSMAHN-H'.repeat(20)}-unique-${Date.now()}`;
  let checkId = '';

  beforeAll(async () => {
    pg = await startPostgres();
    ({ name, owner } = await freshDatabase(pg));
    desk = await deskRole(pg, owner, name, 'desk-1', 'desk_one');
    other = await deskRole(pg, owner, name, 'desk-2', 'desk_two');
    const pair = await generateOrgKey('X25519');
    writeOrgKeyPair(path.join(tmp.dir, 'org'), pair);
    const d = await startDesk(path.join(tmp.dir, 'records'), 'desk-1', desk, {
      keyFile: path.join(tmp.dir, 'records.key'),
      recordsKey: await loadOrgPublicKey(path.join(tmp.dir, 'org.public.jwk')),
    });
    const c = d.store.appendCheck(
      {
        ...newCheck(new Date(), text),
        credentialSha256: credentialSha256(text),
        statusListUri: 'https://issuer.example/status/1',
        statusListIdx: 7,
      },
      personalCopy(text, photoBytes()),
    );
    checkId = c.checkId;
    d.store.appendLikeness(checkId, 'yes');
    await d.shipper.shipped();
    await d.close();
  }, 120_000);

  afterAll(async () => {
    await desk?.close();
    await other?.close();
    await owner?.close();
    await pg?.remove();
    tmp.remove();
  });

  it('a desk role cannot SELECT, UPDATE or DELETE entries or copies, nor read the reporting views', async () => {
    const refused = async (sql: string) =>
      (await desk.query(sql).then(
        () => 'allowed',
        (e: { code?: string }) => e.code,
      )) as string;
    expect(await refused('SELECT * FROM proofdesk.entries')).toBe('NOT_ALLOWED');
    expect(await refused('SELECT count(*) FROM proofdesk.entries')).toBe('NOT_ALLOWED');
    expect(await refused(`UPDATE proofdesk.entries SET verdict = 'NOT VALID'`)).toBe('NOT_ALLOWED');
    expect(await refused('DELETE FROM proofdesk.entries')).toBe('NOT_ALLOWED');
    expect(await refused('TRUNCATE proofdesk.entries')).toBe('NOT_ALLOWED');
    expect(await refused('SELECT * FROM proofdesk.personal_copies')).toBe('NOT_ALLOWED');
    expect(await refused('DELETE FROM proofdesk.personal_copies')).toBe('NOT_ALLOWED');
    expect(await refused('SELECT * FROM proofdesk_checks')).toBe('NOT_ALLOWED');
    expect(await refused('SELECT * FROM proofdesk_entries')).toBe('NOT_ALLOWED');
    expect(await refused('SELECT * FROM proofdesk.desks')).toBe('NOT_ALLOWED');
    expect(await refused('SELECT published_by FROM proofdesk.trust_files')).toBe('NOT_ALLOWED');
    expect(
      await refused(
        "INSERT INTO proofdesk.trust_files (kind, seq, issued_at, sha256, body) VALUES ('bundle', 99, now(), repeat('a', 64), '\\x00')",
      ),
    ).toBe('NOT_ALLOWED');
    expect(await refused('DROP TABLE proofdesk.entries')).toBe('NOT_ALLOWED');
    // …and not insert under another desk's id, nor choose when a row was received
    expect(
      await refused(
        `INSERT INTO proofdesk.entries (desk_id, check_id, entry_seq, kind, at, line_sha256, likeness) VALUES ('desk-2', 'x', 1, 'likeness', now(), repeat('a', 64), 'no')`,
      ),
    ).toBe('NOT_ALLOWED');
    expect(
      await refused(
        `INSERT INTO proofdesk.entries (desk_id, check_id, entry_seq, kind, at, line_sha256, likeness, received_at) VALUES ('desk-1', 'x', 99, 'likeness', now(), repeat('a', 64), 'no', '2000-01-01')`,
      ),
    ).toBe('NOT_ALLOWED');
    // what it may do: add its own entries, read published trust data and who the organisation is
    expect(
      await refused(
        `INSERT INTO proofdesk.entries (desk_id, check_id, entry_seq, kind, at, line_sha256, likeness) VALUES ('desk-1', 'x', 99, 'likeness', now(), repeat('a', 64), 'no')`,
      ),
    ).toBe('allowed');
    expect(await refused('SELECT id, kind, body FROM proofdesk.trust_files')).toBe('allowed');
    expect(await refused('SELECT org_id FROM proofdesk.organisation')).toBe('allowed');
    // and the other desk's role is held to its own id the same way
    expect(
      await other
        .query(
          `INSERT INTO proofdesk.entries (desk_id, check_id, entry_seq, kind, at, line_sha256, likeness) VALUES ('desk-1', 'y', 1, 'likeness', now(), repeat('b', 64), 'no')`,
        )
        .then(
          () => 'allowed',
          (e: { code?: string }) => e.code,
        ),
    ).toBe('NOT_ALLOWED');
    await owner.query(`DELETE FROM proofdesk.entries WHERE check_id = 'x'`);
  });

  it('a pg_dump of the database holds no name, date of birth, photo bytes or code text — and the sealed copy opens with the private key only', async () => {
    const dump = await runTool(path.join(pg.bin, 'pg_dump'), [
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      '-U',
      'postgres',
      '--no-owner',
      name,
    ]);
    expect(dump.code, dump.stderr).toBe(0);
    const sql = dump.stdout.toString('latin1');
    expect(sql).toContain(checkId); // the dump is of the right database
    expect(sql).toContain(credentialSha256(text));
    const photo = Buffer.from(photoBytes());
    const needles: Array<[string, string]> = [
      ['name', 'Kowalczyk'],
      ['name (case)', 'kowalczyk'],
      ['date of birth', '1988-04-17'],
      ['date of birth', '17/04/1988'],
      ['date of birth', '19880417'],
      ['code text', text.slice(0, 40)],
      ['status', 'settled status'],
      ['photo (hex, as bytea)', photo.subarray(100, 140).toString('hex')],
      ['photo (base64)', photo.subarray(99, 150).toString('base64').slice(4, 40)],
      ['photo (raw)', photo.subarray(100, 140).toString('latin1')],
    ];
    for (const [what, needle] of needles) expect(sql.includes(needle), `${what} found in the dump`).toBe(false);
    expect(sql.toLowerCase().includes('zofia'), 'first name in the dump').toBe(false);

    // The sealed copy is there, and opens with the organisation's private key, for this check only.
    const { check, jwe } = await getCheck(owner, checkId);
    expect(jwe).toMatch(/^eyJ[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/); // compact JWE, direct key agreement: no encrypted key
    const key = await loadOrgPrivateKey(path.join(tmp.dir, 'org.private.jwk'));
    const copy = await openCopy(jwe!, key, { checkId, deskId: 'desk-1', credentialSha256: check.credentialSha256 });
    expect(copy).toMatchObject({ fullName: 'Zofia Kowalczyk-Brennan', dateOfBirth: '1988-04-17', credentialText: text });
    expect(Buffer.from(copy.photo!.data).equals(photo)).toBe(true);
    await expect(
      openCopy(jwe!, key, { checkId: 'another-check', deskId: 'desk-1', credentialSha256: check.credentialSha256 }),
    ).rejects.toMatchObject({ code: 'COPY_TAMPERED' });
    // another organisation's key cannot
    const stranger = await generateOrgKey('X25519');
    writeOrgKeyPair(path.join(tmp.dir, 'stranger'), stranger);
    await expect(
      openCopy(jwe!, await loadOrgPrivateKey(path.join(tmp.dir, 'stranger.private.jwk')), {
        checkId,
        deskId: 'desk-1',
        credentialSha256: check.credentialSha256,
      }),
    ).rejects.toMatchObject({ code: 'WRONG_KEY' });
    // the row keeps what recheck needs
    expect(check).toMatchObject({
      statusListUri: 'https://issuer.example/status/1',
      statusListIdx: 7,
      likeness: 'yes',
      outcome: 'CONFIRMED',
      hasPersonalCopy: true,
    });
  });

  it('a desk refuses the private key as its records key, and a private key file others can read', async () => {
    await expect(loadOrgPublicKey(path.join(tmp.dir, 'org.private.jwk'))).rejects.toMatchObject({
      code: 'KEY_INVALID',
      message: expect.stringContaining('PRIVATE'),
    });
    const loose = path.join(tmp.dir, 'loose.private.jwk');
    fs.copyFileSync(path.join(tmp.dir, 'org.private.jwk'), loose);
    fs.chmodSync(loose, 0o644);
    await expect(loadOrgPrivateKey(loose)).rejects.toMatchObject({ code: 'INSECURE_PERMISSIONS' });
  });
});
