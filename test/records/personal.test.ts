import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordReader, RecordStore, type PersonalCopy } from '../../src/records/index.js';
import { credentialText, filesUnder, newCheck, personalCopy, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let dir: string;
let keyFile: string;
let copy: PersonalCopy;

beforeEach(async () => {
  tmp = tempDir();
  dir = path.join(tmp.dir, 'store');
  keyFile = path.join(tmp.dir, 'config', 'records.key');
  copy = await personalCopy();
});
afterEach(() => tmp.cleanup());

const openWithCopies = () => RecordStore.open({ dir, deskId: 'desk-7', retentionDays: 365, personalCopy: { keyFile } });
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('personal copies', () => {
  it('round-trips name, date of birth, photo and credential text through the sealed copy', async () => {
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    expect(store.readPersonal('c1')).toEqual(copy);
    store.close();
    expect(RecordReader.openReadOnly({ dir, keyFile }).readPersonal('c1')).toEqual(copy);
  });

  it('nothing on disk holds the name, date of birth, photo bytes or credential text in clear', async () => {
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    store.appendLikeness('c1', 'yes');
    store.close();
    const photo = Buffer.from(copy.photo!.data);
    const needles = [
      Buffer.from(copy.fullName!, 'utf8'),
      Buffer.from('Kowalczyk', 'utf8'),
      Buffer.from(copy.dateOfBirth!, 'utf8'),
      Buffer.from(credentialText().slice(100, 140), 'utf8'),
      photo.subarray(photo.length / 2, photo.length / 2 + 24),
      Buffer.from(photo.toString('base64').slice(200, 240), 'utf8'),
    ];
    const files = filesUnder(dir);
    expect(files.map((f) => path.relative(dir, f)).sort()).toEqual(['checks.jsonl', 'personal/c1.pdc']);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const needle of needles) expect(bytes.includes(needle), `${path.basename(file)} contains a personal value`).toBe(false);
    }
  });

  it('creates the key (32 bytes, 0600), the folder and personal/ (0700) and the log (0600)', async () => {
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    store.close();
    expect(fs.statSync(keyFile).size).toBe(32);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'personal'))).toBe(0o700);
    expect(mode(path.join(dir, 'checks.jsonl'))).toBe(0o600);
    expect(mode(path.join(dir, 'personal', 'c1.pdc'))).toBe(0o600);
  });

  it('refuses a key, log or folder that others can read, naming the fix', async () => {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, Buffer.alloc(32, 7), { mode: 0o644 });
    fs.chmodSync(keyFile, 0o644);
    await expect(openWithCopies()).rejects.toMatchObject({
      code: 'INSECURE_PERMISSIONS',
      message: expect.stringContaining(`chmod 600 ${keyFile}`),
    });
    fs.chmodSync(keyFile, 0o600);

    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
    await expect(openWithCopies()).rejects.toMatchObject({ code: 'INSECURE_PERMISSIONS', message: expect.stringContaining('chmod 700') });
    fs.chmodSync(dir, 0o700);

    fs.writeFileSync(path.join(dir, 'checks.jsonl'), '', { mode: 0o640 });
    fs.chmodSync(path.join(dir, 'checks.jsonl'), 0o640);
    await expect(openWithCopies()).rejects.toMatchObject({ code: 'INSECURE_PERMISSIONS' });
    expect(() => RecordReader.openReadOnly({ dir })).toThrow(expect.objectContaining({ code: 'INSECURE_PERMISSIONS' }));
    fs.chmodSync(path.join(dir, 'checks.jsonl'), 0o600);
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    const blob = path.join(dir, 'personal', 'c1.pdc');
    fs.chmodSync(blob, 0o644);
    expect(() => store.readPersonal('c1')).toThrow(
      expect.objectContaining({ code: 'INSECURE_PERMISSIONS', message: expect.stringContaining(`chmod 600 ${blob}`) }),
    );
    store.close();
  });

  it('refuses a key file of the wrong size, and a missing key when reading', async () => {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, Buffer.alloc(16, 1), { mode: 0o600 });
    await expect(openWithCopies()).rejects.toMatchObject({ code: 'KEY_INVALID' });
    fs.rmSync(keyFile);
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    store.close();
    expect(() => RecordReader.openReadOnly({ dir, keyFile: `${keyFile}.nope` })).toThrow(expect.objectContaining({ code: 'KEY_MISSING' }));
    expect(() => RecordReader.openReadOnly({ dir }).readPersonal('c1')).toThrow(expect.objectContaining({ code: 'KEY_MISSING' }));
  });

  it('tampered ciphertext is refused with a clear error', async () => {
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    const blob = path.join(dir, 'personal', 'c1.pdc');
    const bytes = fs.readFileSync(blob);
    bytes[bytes.length - 10]! ^= 0x01;
    fs.writeFileSync(blob, bytes);
    expect(() => store.readPersonal('c1')).toThrow(
      expect.objectContaining({
        code: 'PERSONAL_COPY_TAMPERED',
        message: 'personal copy of check c1 failed its integrity check: it was altered or damaged',
      }),
    );
    store.close();
  });

  it('a copy moved to another check id is refused (the check id is authenticated)', async () => {
    const store = await openWithCopies();
    const other = { ...copy, credentialText: 'OTHER CODE', fullName: 'Someone Else' };
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    store.appendCheck(newCheck('c2', '2026-11-23T10:01:00Z', 'OTHER CODE'), other);
    fs.copyFileSync(path.join(dir, 'personal', 'c1.pdc'), path.join(dir, 'personal', 'c2.pdc'));
    expect(() => store.readPersonal('c2')).toThrow(expect.objectContaining({ code: 'PERSONAL_COPY_TAMPERED' }));
    store.close();
  });

  it('a different key is refused as the wrong key, not as damage', async () => {
    const store = await openWithCopies();
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    store.close();
    const otherKey = path.join(tmp.dir, 'other.key');
    fs.writeFileSync(otherKey, Buffer.alloc(32, 9), { mode: 0o600 });
    expect(() => RecordReader.openReadOnly({ dir, keyFile: otherKey }).readPersonal('c1')).toThrow(
      expect.objectContaining({
        code: 'WRONG_KEY',
        message: expect.stringMatching(
          /^personal copy of check c1 was sealed with another key \(key id [0-9a-f]{16}, this key file is [0-9a-f]{16}\)$/,
        ),
      }),
    );
  });

  it("says when it created the key; refuses a key file the store's copies were not sealed with (a mistyped path creates nothing)", async () => {
    const first = await openWithCopies();
    expect(first.createdKeyFile).toBe(keyFile);
    first.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    first.close();
    const again = await openWithCopies();
    expect(again.createdKeyFile).toBeNull();
    again.close();

    const typo = path.join(tmp.dir, 'config', 'record.key');
    await expect(RecordStore.open({ dir, deskId: 'desk-7', retentionDays: 365, personalCopy: { keyFile: typo } })).rejects.toMatchObject({
      code: 'WRONG_KEY',
      message: expect.stringMatching(
        /sealed with another key \(key id [0-9a-f]{16}\), not .*record\.key \(which did not exist\): check records\.personalCopy\.keyFile/,
      ),
    });
    expect(fs.existsSync(typo)).toBe(false);
    const other = path.join(tmp.dir, 'other.key');
    fs.writeFileSync(other, Buffer.alloc(32, 5), { mode: 0o600 });
    await expect(RecordStore.open({ dir, deskId: 'desk-7', retentionDays: 365, personalCopy: { keyFile: other } })).rejects.toMatchObject({
      code: 'WRONG_KEY',
    });
    expect(fs.existsSync(path.join(dir, 'writer.lock'))).toBe(false); // refused before taking the lock
    expect(RecordReader.openReadOnly({ dir, keyFile }).readPersonal('c1')).toEqual(copy);
  });

  it('no copy is kept when the store has no key (config off), and reading one says so', async () => {
    const store = await RecordStore.open({ dir, deskId: 'desk-7', retentionDays: 365 });
    store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z'), copy);
    expect(fs.existsSync(path.join(dir, 'personal'))).toBe(false);
    expect(store.hasPersonalCopy('c1')).toBe(false);
    expect(() => store.readPersonal('c1')).toThrow(expect.objectContaining({ code: 'NO_PERSONAL_COPY' }));
    store.close();
  });

  it('refuses a personal copy whose credential does not match the record hash', async () => {
    const store = await openWithCopies();
    expect(() => store.appendCheck(newCheck('c1', '2026-11-23T10:00:00Z', 'another text'), copy)).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    expect(store.list()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'personal'))).toEqual([]);
    store.close();
  });

  it('purge drops expired checks with their copies, and copies no check points at', async () => {
    const store = await RecordStore.open({ dir, deskId: 'desk-7', retentionDays: 5, personalCopy: { keyFile } });
    store.appendCheck(newCheck('old', '2026-01-01T10:00:00Z'), copy);
    store.appendCheck(newCheck('new', '2026-01-20T10:00:00Z'), copy);
    fs.writeFileSync(path.join(dir, 'personal', 'crashed.pdc'), 'left by a crash before its record', { mode: 0o600 });
    expect(store.purge(new Date('2026-01-21T00:00:00Z'))).toEqual({ removed: 1, orphanCopiesRemoved: 1 });
    expect(fs.readdirSync(path.join(dir, 'personal'))).toEqual(['new.pdc']);
    expect(store.readPersonal('new')).toEqual(copy);
    store.close();
  });
});
