/**
 * Bounded reads for the trust store (refusals worded as TrustErrors). Atomic replacement and the other durable-file
 * helpers are shared with the record store in src/storage/files.ts.
 */
import { closeSync, openSync, fstatSync, readSync } from 'node:fs';
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
