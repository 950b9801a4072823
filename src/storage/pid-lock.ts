/**
 * Pid-file locks for local stores: the trust store's import lock and the record store's writer lock. One module
 * because the hard part — a lock left by a dead process must be taken over by ONE contender only — was fixed in
 * one stage's copy and not the other's. Each stage keeps its own loop (async with a deadline, or one synchronous
 * try) and words its own refusals; errors thrown here are the file system's own.
 *
 * A lock file holds the holder's pid on its first line and, after it, any lines the caller adds (the record
 * store's `requests`). It is created exclusively and whole: the content goes to a private temp file that is then
 * hard-linked into place (link fails with EEXIST when the lock exists), so a lock is never seen empty or
 * half-written. On a file system without hard links: an exclusive create, then the content (a reader may briefly
 * see it empty, which counts as held until UNREADABLE_LOCK_STALE_MS).
 *
 * Takeover: only the holder of `<lock>.takeover` (created the same way) removes another process's lock, and it
 * re-reads the lock first. A new lock cannot appear while the stale one exists, so the lock removed is exactly the
 * stale one that was re-read — never a live lock another contender just created (the race of "two contenders both
 * see the dead lock, one removes it and takes the lock, the other removes the new lock"). A takeover file whose
 * holder died is cleared the same way (the window for that is a few system calls).
 */
import { linkSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tempPathFor, unlinkQuiet } from './files.js';

/** A lock whose contents cannot be read as a pid is judged by age: older than this, it is stale. */
const UNREADABLE_LOCK_STALE_MS = 5000;

export interface LockHolder {
  /** null: the file is there but holds no pid (being written, or damaged). */
  pid: number | null;
  /** Its holder is gone (a pid that no longer runs, or an unreadable lock older than UNREADABLE_LOCK_STALE_MS). */
  stale: boolean;
  /** The lines after the pid, as written by the holder. */
  lines: string[];
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file `path` holding our pid (and `lines`). False when it already exists. */
export function createLockFile(path: string, lines: readonly string[] = [], mode = 0o644): boolean {
  const content = `${[String(process.pid), ...lines].join('\n')}\n`;
  const temp = tempPathFor(path);
  try {
    writeFileSync(temp, content, { flag: 'wx', mode });
    try {
      linkSync(temp, path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    }
    try {
      writeFileSync(path, content, { flag: 'wx', mode });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    unlinkQuiet(temp);
  }
}

/** Who holds the lock file `path`, and whether that holder is gone. `null`: there is no such file. */
export function readLockHolder(path: string): LockHolder | null {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { pid: null, stale: false, lines: [] };
  }
  const [first = '', ...rest] = text.split('\n');
  const lines = rest.filter((l) => l !== '');
  const pid = /^\d+$/.test(first.trim()) ? Number.parseInt(first, 10) : NaN;
  if (Number.isSafeInteger(pid) && pid > 0) return { pid, stale: pid !== process.pid && !pidAlive(pid), lines };
  return { pid: null, stale: Date.now() - mtimeMs > UNREADABLE_LOCK_STALE_MS, lines };
}

/**
 * Call after readLockHolder judged `path` stale: under `<path>.takeover`, removes the lock if it is (still) stale
 * and creates ours. True when we now hold the lock; false when another contender is taking it or has taken it.
 */
export function takeOverStaleLock(path: string, lines: readonly string[] = [], mode = 0o644): boolean {
  const takeoverPath = `${path}.takeover`;
  if (!createLockFile(takeoverPath, [], mode)) {
    if (readLockHolder(takeoverPath)?.stale) unlinkQuiet(takeoverPath); // a contender died mid-takeover
    return false;
  }
  try {
    const again = readLockHolder(path);
    if (again === null || again.stale) {
      unlinkQuiet(path);
      return createLockFile(path, lines, mode);
    }
    return false;
  } finally {
    unlinkQuiet(takeoverPath);
  }
}

/** Removes the lock file `path` if it is ours (holds our pid). */
export function releaseLockFile(path: string): void {
  if (readLockHolder(path)?.pid === process.pid) unlinkQuiet(path);
}
