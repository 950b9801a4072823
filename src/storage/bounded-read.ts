/**
 * Bounded whole-file reads, for every file a user names or a store holds (code files, pictures, holder files, keys,
 * trust files, configs): refused before reading when larger than the caller's limit, refused when not a regular file, and
 * never more than the limit read even from a file that grows meanwhile. One implementation for the CLI, the issuer,
 * the trust store, the kiosk config and the central keys (they had one each); each words its refusal as its own error class and code through `refuse`,
 * given what happened and the common wording.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export interface BoundedReadRefusal {
  /**
   * 'unreadable': the open or a read failed (`errno`: ENOENT, EACCES, …); 'symlink': `noFollow` and the path is a
   * symbolic link; 'not-a-file': a folder, device or FIFO; 'too-large': over the limit, by its size or while read.
   */
  why: 'unreadable' | 'symlink' | 'not-a-file' | 'too-large';
  /** The file system's code for 'unreadable' ('error' when it gave none). */
  errno?: string;
  /** The file system's own error, for 'unreadable'. */
  cause?: unknown;
  /** The common wording: "cannot read photo x.jpg (ENOENT)", "image x.png is 40000000 bytes; the limit is 33554432", … */
  message: string;
}

export interface BoundedReadOptions {
  /** Refuse a symbolic link (O_NOFOLLOW): files inside a store, which holds only plain files. */
  noFollow?: boolean;
}

/**
 * Reads the whole of `path`, at most `maxBytes`, synchronously. `what` names the file in messages ("code file",
 * "trust bundle"). Throws what `refuse` makes of a refusal; nothing else escapes.
 */
export function readBoundedSync(
  path: string,
  maxBytes: number,
  what: string,
  refuse: (r: BoundedReadRefusal) => Error,
  opts: BoundedReadOptions = {},
): Buffer {
  const unreadable = (err: unknown): Error => {
    const errno = (err as NodeJS.ErrnoException).code ?? 'error';
    return refuse({ why: 'unreadable', errno, cause: err, message: `cannot read ${what} ${path} (${errno})` });
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (opts.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    if (opts.noFollow && (err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw refuse({ why: 'symlink', message: `${what} ${path} is a symbolic link` });
    }
    throw unreadable(err);
  }
  try {
    const st = fstatSync(fd);
    const size = st.size;
    if (!st.isFile()) throw refuse({ why: 'not-a-file', message: `${what} ${path} is not a regular file` });
    if (size > maxBytes) throw refuse({ why: 'too-large', message: `${what} ${path} is ${size} bytes; the limit is ${maxBytes}` });
    // Read at most maxBytes + 1 so a file that grows while we read is still caught.
    const buf = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let n = 0;
    try {
      for (;;) {
        const r = readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
        if (n === buf.length) break;
      }
    } catch (err) {
      throw unreadable(err);
    }
    if (n > maxBytes) throw refuse({ why: 'too-large', message: `${what} ${path} is larger than the limit of ${maxBytes} bytes` });
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
