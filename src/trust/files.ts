/**
 * File plumbing for the trust store: bounded reads, and atomic replacement
 * (temp file in the same directory → fsync → rename → fsync the directory), so a crash at any moment
 * leaves either the old file or the new one, never a torn mix.
 */
import { closeSync, fsyncSync, openSync, fstatSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TrustError } from './errors.js';

/** Reads a whole file, refusing (FILE_TOO_LARGE) before reading when it is bigger than `maxBytes`. */
export function readFileCapped(path: string, maxBytes: number, what = 'file'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new TrustError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TrustError('FILE_UNREADABLE', `${what} ${path} is not a regular file`);
    if (st.size > maxBytes) throw new TrustError('FILE_TOO_LARGE', `${what} ${path} is ${st.size} bytes; the limit is ${maxBytes}`);
    // Read at most maxBytes + 1 so a file that grows while we read is still caught.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === buf.length) break;
    }
    if (n > maxBytes) throw new TrustError('FILE_TOO_LARGE', `${what} ${path} is larger than the limit of ${maxBytes} bytes`);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Prefix of temp files; a stray one (crash before rename) is ignored by the loader and swept on the next write. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Replaces `path` atomically with `data`. `beforeRename` exists for crash tests: it runs after the temp file is
 * durable and before the rename (the commit point).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { mode?: number; beforeRename?: () => void } = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(temp, 'wx', opts.mode ?? 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkQuiet(temp);
    throw err;
  }
  closeSync(fd);
  try {
    opts.beforeRename?.();
    renameSync(temp, path);
  } catch (err) {
    unlinkQuiet(temp);
    throw err;
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
