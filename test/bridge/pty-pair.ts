/**
 * A real pseudo-terminal pair made by socat: what one end writes, the other reads, with the kernel's tty layer in
 * between (raw mode). With CI=true a missing socat is a failure, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const socatAvailable = spawnSync('socat', ['-V']).status === 0;

/** Why the pty tests cannot run here, or null when they can. Throws under CI=true so the run fails loudly. */
export function ptySkipReason(): string | null {
  if (socatAvailable) return null;
  if (process.env.CI === 'true') throw new Error('CI=true but socat is not installed: the bridge pty tests cannot run');
  return 'socat not installed (apt-get install socat); bridge pty tests skipped';
}

export interface PtyPair {
  /** The host's end (what proofdesk opens). */
  a: string;
  /** The peer's end (the fake firmware). */
  b: string;
  close(): Promise<void>;
}

/** `reuse`: make the pair again under the same link names (a replugged device). */
export async function openPtyPair(reuse?: PtyPair): Promise<PtyPair> {
  const dir = reuse ? dirname(reuse.a) : mkdtempSync(join(tmpdir(), 'proofdesk-pty-'));
  mkdirSync(dir, { recursive: true });
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${seen}`)), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/starting data transfer loop/.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${seen}`));
    });
  });
  child.stderr!.resume();
  return {
    a,
    b,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
