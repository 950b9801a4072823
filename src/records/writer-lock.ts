/**
 * One writer per store. Appends from two processes would interleave safely (O_APPEND), but purge rewrites
 * the log, and a process still appending to the replaced file would lose its records. So the process that
 * writes (the kiosk, or a `records keep/purge` command) holds `writer.lock` with its pid; readers need no lock.
 * A lock left by a killed process is taken over (its pid no longer runs) — by one contender only, under
 * `writer.lock.takeover`: the pid-lock mechanics are shared with the trust store (src/storage/pid-lock.ts).
 *
 * Lock file: the pid on the first line; a second line `requests` when the holder carries out `keep` and `purge`
 * requests left in the folder (requests.ts) — the kiosk does, so those commands work while it runs.
 */
import * as path from 'node:path';
import { createLockFile, readLockHolder, releaseLockFile, takeOverStaleLock } from '../storage/pid-lock.js';
import { RecordError } from './errors.js';

const LOCK_FILE = 'writer.lock';
const LOCK_MODE = 0o600;

export class WriterLock {
  private constructor(private readonly file: string) {}

  /** `afterStaleSeen` is a test hook: it runs after a dead holder's lock is seen, before taking it over. */
  static acquire(dir: string, opts: { servesRequests?: boolean; afterStaleSeen?: () => void } = {}): WriterLock {
    const file = path.join(dir, LOCK_FILE);
    const lines = opts.servesRequests ? ['requests'] : [];
    for (let attempt = 0; attempt < 2; attempt++) {
      if (createLockFile(file, lines, LOCK_MODE)) return new WriterLock(file);
      const holder = readLockHolder(file);
      if (holder === null) continue; // released between our attempt and the read
      if (!holder.stale) {
        const other = holder.pid === null ? 'another process' : `process ${holder.pid}`; // null: its pid is being written
        const who = holder.pid === process.pid ? 'this process' : `${other} (is the kiosk running?)`;
        throw new RecordError('STORE_BUSY', `record store ${dir} is already open for writing by ${who}`);
      }
      opts.afterStaleSeen?.();
      if (takeOverStaleLock(file, lines, LOCK_MODE)) return new WriterLock(file);
    }
    throw new RecordError('STORE_BUSY', `record store ${dir}: could not take the writer lock`);
  }

  release(): void {
    releaseLockFile(this.file);
  }

  /** The live process holding a store's writer lock, or null when none does. */
  static holder(dir: string): { pid: number; servesRequests: boolean } | null {
    const holder = readLockHolder(path.join(dir, LOCK_FILE));
    return holder !== null && holder.pid !== null && !holder.stale
      ? { pid: holder.pid, servesRequests: holder.lines[0] === 'requests' }
      : null;
  }
}
