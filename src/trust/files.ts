/**
 * Bounded reads for the trust store, refusals worded as TrustErrors (the reading itself: src/storage/bounded-read.ts).
 * Atomic replacement and the other durable-file helpers are shared with the record store in src/storage/files.ts.
 */
import { readBoundedSync } from '../storage/bounded-read.js';
import { TrustError } from './errors.js';

/**
 * Reads a whole file, refusing (FILE_TOO_LARGE) before reading when it is bigger than `maxBytes`. `noFollow`
 * (files inside the trust store): a symbolic link is refused (STORE_SYMLINK) by the open itself (O_NOFOLLOW).
 */
export function readFileCapped(path: string, maxBytes: number, what = 'file', opts: { noFollow?: boolean } = {}): Buffer {
  return readBoundedSync(
    path,
    maxBytes,
    what,
    (r) => {
      if (r.why === 'symlink') return symlinkRefused(path);
      if (r.why === 'too-large') return new TrustError('FILE_TOO_LARGE', r.message);
      return new TrustError('FILE_UNREADABLE', r.why === 'unreadable' ? `cannot read ${what} ${path}: ${r.errno}` : r.message);
    },
    opts,
  );
}

/** The refusal for a symbolic link found inside the trust store. */
export function symlinkRefused(path: string): TrustError {
  return new TrustError(
    'STORE_SYMLINK',
    `${path} is a symbolic link: the trust store holds only plain files and folders (remove it, and check who can write to the store)`,
  );
}
