/**
 * One writer per store. Appends from two processes would interleave safely (O_APPEND), but purge rewrites
 * the log, and a process still appending to the replaced file would lose its records. So the process that
 * writes (the kiosk, or a `records keep/purge` command) holds `writer.lock` with its pid; readers need no lock.
 * A lock left by a killed process is taken over (its pid no longer runs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordError } from './errors.js';

export const LOCK_FILE = 'writer.lock';

export class WriterLock {
  private constructor(private readonly file: string) {}

  static acquire(dir: string): WriterLock {
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      // Written aside then hard-linked into place, so the lock never exists without its pid.
      const temp = `${file}.${process.pid}`;
      fs.writeFileSync(temp, `${process.pid}\n`, { mode: 0o600 });
      try {
        fs.linkSync(temp, file);
        return new WriterLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        fs.rmSync(temp, { force: true });
      }
      const holder = readHolder(file);
      if (holder !== null && isRunning(holder)) {
        const who = holder === process.pid ? 'this process' : `process ${holder} (is the kiosk running?)`;
        throw new RecordError('STORE_BUSY', `record store ${dir} is already open for writing by ${who}`);
      }
      fs.rmSync(file, { force: true }); // stale: its holder is gone
    }
    throw new RecordError('STORE_BUSY', `record store ${dir}: could not take the writer lock`);
  }

  release(): void {
    if (readHolder(this.file) === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function readHolder(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
