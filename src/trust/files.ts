/**
 * Bounded reads for the trust store (refusals worded as TrustErrors). Atomic replacement and the other durable-file
 * helpers are shared with the record store in src/storage/files.ts.
 */
import { closeSync, constants, openSync, fstatSync, readSync } from 'node:fs';
import { TrustError } from './errors.js';

/**
 * Reads a whole file, refusing (FILE_TOO_LARGE) before reading when it is bigger than `maxBytes`. `noFollow`
 * (files inside the trust store): a symbolic link is refused (STORE_SYMLINK) by the open itself (O_NOFOLLOW).
 */
export function readFileCapped(path: string, maxBytes: number, what = 'file', opts: { noFollow?: boolean } = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, opts.noFollow ? constants.O_RDONLY | constants.O_NOFOLLOW : constants.O_RDONLY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (opts.noFollow && code === 'ELOOP') throw symlinkRefused(path);
    throw new TrustError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${code ?? 'error'}`);
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

/** The refusal for a symbolic link found inside the trust store. */
export function symlinkRefused(path: string): TrustError {
  return new TrustError(
    'STORE_SYMLINK',
    `${path} is a symbolic link: the trust store holds only plain files and folders (remove it, and check who can write to the store)`,
  );
}
