/**
 * The bridge firmware's posix port (firmware-bridge/ports/posix, owned by the firmware side) as a child process:
 * the real core and panel driver, with ptys for the host link, scanner and buttons, and the panel's framebuffer
 * dumped as PNG. Built with `make -C firmware-bridge posix` when missing; with CI=true a failed build is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const POSIX_BIN = join(ROOT, 'firmware-bridge/build/posix/proofdesk-bridge');

/** Build the posix port if needed. Returns why it cannot run, or null; throws under CI=true. */
export function posixPortSkipReason(): string | null {
  const make = spawnSync('make', ['-C', join(ROOT, 'firmware-bridge'), 'posix'], { encoding: 'utf8' });
  if (make.status === 0 && existsSync(POSIX_BIN)) return null;
  const why = `cannot build the bridge posix port (make -C firmware-bridge posix): ${(make.stderr || make.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${why}`);
  return why;
}

export interface PosixBridge {
  hostLink: string;
  scanner: string;
  buttons: string;
  framebuffer: string;
  /** Everything the process wrote on stderr (LED / buzzer / screen log lines). */
  readonly log: string;
  stop(): Promise<void>;
}

export async function startPosixBridge(): Promise<PosixBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'proofdesk-posix-'));
  const framebuffer = join(dir, 'panel.png');
  const child: ChildProcess = spawn(
    POSIX_BIN,
    ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', framebuffer],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const paths = await new Promise<Record<string, string>>((resolvePaths, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`posix bridge did not start: ${out} ${log}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready pid \d+$/m.test(out)) {
        clearTimeout(timer);
        resolvePaths(
          Object.fromEntries(
            out
              .split('\n')
              .map((l) => l.split(' '))
              .filter((p) => p.length === 2) as Array<[string, string]>,
          ),
        );
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`posix bridge exited with ${code}: ${log}`));
    });
  });
  return {
    hostLink: paths['host-link']!,
    scanner: paths.scanner!,
    buttons: paths.buttons!,
    framebuffer,
    get log() {
      return log;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
