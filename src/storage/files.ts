/**
 * Durable local files, shared by the trust store and the record store (they had a copy each). Atomic replacement
 * is temp file in the same directory → fsync → rename → fsync the directory, so a crash at any moment leaves
 * either the old file or the new one, never a torn mix. Errors are the file system's own: each stage words its
 * refusals itself.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Prefix of temp files; a stray one (crash before rename) is ignored by loaders and swept on the next write. */
export const TEMP_PREFIX = '.tmp-';

/** A fresh, unique temp path in the same directory as `path` (so a rename onto `path` is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/**
 * Replaces `path` atomically with `data`. `beforeRename` exists for crash tests: it runs after the temp file is
 * durable and before the rename (the commit point).
 */
/** `mode`, when given, is set exactly (not filtered by the umask). */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { mode?: number; beforeRename?: () => void } = {}): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', opts.mode ?? 0o644);
  try {
    // A mode asked for holds whatever the umask (a trust store written by an administrator with umask 077 must
    // still be readable by the kiosk's service user); without one, the umask applies as usual.
    if (opts.mode !== undefined) fchmodSync(fd, opts.mode);
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
  fsyncDir(dirname(path));
}

/** fsync a directory so a create, rename or unlink in it survives power loss. */
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
