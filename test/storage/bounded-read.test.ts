/**
 * One bounded reader (src/storage/bounded-read.ts) for the CLI, the issuer and the trust store; each keeps its own
 * error class, code and wording.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrgPublicKey } from '../../src/central/seal.js';
import { readCodeText } from '../../src/cli/input.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { IssueError } from '../../src/issue/errors.js';
import { readFileBounded } from '../../src/issue/files.js';
import { loadConfig } from '../../src/kiosk/config.js';
import { type BoundedReadRefusal, readBoundedSync } from '../../src/storage/bounded-read.js';
import { TrustError } from '../../src/trust/errors.js';
import { readFileCapped } from '../../src/trust/files.js';

const dir = mkdtempSync(join(tmpdir(), 'proofdesk-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = join(dir, 'small.txt');
writeFileSync(small, 'abcdef');
const folder = join(dir, 'folder');
mkdirSync(folder);
const link = join(dir, 'link.txt');
symlinkSync(small, link);
const gone = join(dir, 'gone.txt');
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);

const refusal = (fn: () => unknown): BoundedReadRefusal => {
  try {
    fn();
  } catch (err) {
    return (err as Error & { r: BoundedReadRefusal }).r;
  }
  throw new Error('not refused');
};
const read =
  (path: string, max = 100, noFollow = false) =>
  () =>
    readBoundedSync(path, max, 'test file', (r) => Object.assign(new Error(r.message), { r }), { noFollow });

describe('readBoundedSync', () => {
  it('reads a file within the limit, up to exactly the limit', () => {
    expect(read(small, 6)().toString()).toBe('abcdef');
    expect(read(link)().toString()).toBe('abcdef'); // links are followed unless noFollow
  });

  it('refuses, worded once: too large, not a regular file (a FIFO without waiting for a writer), unreadable, a link with noFollow', () => {
    expect(refusal(read(small, 5))).toEqual({ why: 'too-large', message: `test file ${small} is 6 bytes; the limit is 5` });
    expect(refusal(read(folder))).toEqual({ why: 'not-a-file', message: `test file ${folder} is not a regular file` });
    expect(refusal(read(fifo))).toEqual({ why: 'not-a-file', message: `test file ${fifo} is not a regular file` });
    expect(refusal(read(gone))).toMatchObject({ why: 'unreadable', errno: 'ENOENT', message: `cannot read test file ${gone} (ENOENT)` });
    expect(refusal(read(link, 100, true))).toMatchObject({ why: 'symlink' });
  });
});

describe("each caller's own error, as before", () => {
  it('the CLI: UsageError', async () => {
    await expect(readCodeText(gone, {})).rejects.toThrow(new UsageError(`cannot read code file ${gone} (ENOENT)`));
    await expect(readCodeText(undefined, { image: folder })).rejects.toThrow(new UsageError(`image ${folder} is not a regular file`));
  });

  it('the issuer: IssueError FILE_UNREADABLE for every refusal', async () => {
    for (const [path, max, message] of [
      [gone, 100, `cannot read photo ${gone} (ENOENT)`],
      [folder, 100, `photo ${folder} is not a regular file`],
      [small, 5, `photo ${small} is 6 bytes; the limit is 5`],
    ] as const) {
      const err = await readFileBounded(path, max, 'photo').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(IssueError);
      expect(err).toMatchObject({ code: 'FILE_UNREADABLE', message });
    }
  });

  it('the trust store: TrustError FILE_UNREADABLE, FILE_TOO_LARGE, STORE_SYMLINK', () => {
    const trust = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(TrustError);
        return { code: (err as TrustError).code, message: (err as TrustError).message };
      }
      return null;
    };
    expect(trust(() => readFileCapped(gone, 100, 'bundle'))).toEqual({
      code: 'FILE_UNREADABLE',
      message: `cannot read bundle ${gone}: ENOENT`,
    });
    expect(trust(() => readFileCapped(folder, 100, 'bundle'))).toEqual({
      code: 'FILE_UNREADABLE',
      message: `bundle ${folder} is not a regular file`,
    });
    expect(trust(() => readFileCapped(small, 5, 'bundle'))).toEqual({
      code: 'FILE_TOO_LARGE',
      message: `bundle ${small} is 6 bytes; the limit is 5`,
    });
    expect(trust(() => readFileCapped(link, 100, 'bundle', { noFollow: true }))).toMatchObject({ code: 'STORE_SYMLINK' });
    expect(readFileCapped(link, 100, 'bundle').toString()).toBe('abcdef');
  });

  it('the kiosk config: ConfigError CONFIG_UNREADABLE, "cannot read config …: why" — and a config is no longer read whole before its size is checked', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(256 * 1024 + 1, 0x20));
    const config = (file: string) => {
      try {
        loadConfig(file);
      } catch (err) {
        return { code: (err as { code?: string }).code, message: (err as Error).message };
      }
      return null;
    };
    expect(config(big)).toEqual({ code: 'CONFIG_UNREADABLE', message: `cannot read config ${big}: larger than 262144 bytes` });
    expect(config(gone)).toEqual({
      code: 'CONFIG_UNREADABLE',
      message: `cannot read config ${gone}: ENOENT: no such file or directory, open '${gone}'`,
    });
    expect(config(fifo)).toEqual({ code: 'CONFIG_UNREADABLE', message: `cannot read config ${fifo}: not a regular file` });
  });

  it('the central keys: CentralError KEY_INVALID', async () => {
    const big = join(dir, 'big.jwk');
    writeFileSync(big, Buffer.alloc(16 * 1024 + 1, 0x20));
    await expect(loadOrgPublicKey(big)).rejects.toMatchObject({
      code: 'KEY_INVALID',
      message: `the records public key ${big} is larger than a key file can be`,
    });
    await expect(loadOrgPublicKey(gone)).rejects.toMatchObject({
      code: 'KEY_INVALID',
      message: `cannot read the records public key ${gone}: ENOENT`,
    });
  });
});
