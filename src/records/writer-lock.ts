/**
 * One writer per store. Appends from two processes would interleave safely (O_APPEND), but purge rewrites
 * the log, and a process still appending to the replaced file would lose its records. So the process that
 * writes (the kiosk, or a `records keep/purge` command) holds `writer.lock` with its pid; readers need no lock.
 * A lock left by a killed process is taken over (its pid no longer runs).
 *
 * Lock file: the pid on the first line; a second line `requests` when the holder carries out `keep` and `purge`
 * requests left in the folder (requests.ts) — the kiosk does, so those commands work while it runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordError } from './errors.js';

export const LOCK_FILE = 'writer.lock';

export class WriterLock {
  private constructor(private readonly file: string) {}

  static acquire(dir: string, opts: { servesRequests?: boolean } = {}): WriterLock {
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      // Written aside then hard-linked into place, so the lock never exists without its pid.
      const temp = `${file}.${process.pid}`;
      fs.writeFileSync(temp, `${process.pid}\n${opts.servesRequests ? 'requests\n' : ''}`, { mode: 0o600 });
      try {
        fs.linkSync(temp, file);
        return new WriterLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        fs.rmSync(temp, { force: true });
      }
      const holder = readHolder(file)?.pid ?? null;
      if (holder !== null && isRunning(holder)) {
        const who = holder === process.pid ? 'this process' : `process ${holder} (is the kiosk running?)`;
        throw new RecordError('STORE_BUSY', `record store ${dir} is already open for writing by ${who}`);
      }
      fs.rmSync(file, { force: true }); // stale: its holder is gone
    }
    throw new RecordError('STORE_BUSY', `record store ${dir}: could not take the writer lock`);
  }

  release(): void {
    if (readHolder(this.file)?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }

  /** The live process holding a store's writer lock, or null when none does. */
  static holder(dir: string): { pid: number; servesRequests: boolean } | null {
    const holder = readHolder(path.join(dir, LOCK_FILE));
    return holder !== null && isRunning(holder.pid) ? holder : null;
  }
}

function readHolder(file: string): { pid: number; servesRequests: boolean } | null {
  try {
    const [first = '', second = ''] = fs.readFileSync(file, 'utf8').split('\n');
    const pid = Number.parseInt(first, 10);
    return Number.isSafeInteger(pid) && pid > 0 ? { pid, servesRequests: second === 'requests' } : null;
  } catch {
    return null;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
