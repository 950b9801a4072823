/**
 * Real pseudo-terminal pairs made by socat, and a scanner emulator writing to one end. With CI=true a missing
 * socat is a failure, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

const socatPresent = spawnSync('socat', ['-V']).status === 0;

/** Null when the pty tests can run; a reason to skip otherwise. Throws under CI=true so the run fails loudly. */
export function socatMissing(): string | null {
  if (socatPresent) return null;
  if (process.env.CI === 'true') throw new Error('CI=true but socat is not installed: the scanner pty tests cannot run');
  return 'socat not installed (apt-get install socat): scanner pty tests skipped';
}

/** A pty pair under fixed link names in its own temp dir: `host` is what proofdesk opens, `scanner` the emulator's end. */
export class PtyPair {
  readonly dir = mkdtempSync(join(tmpdir(), 'proofdesk-scan-'));
  readonly host = join(this.dir, 'host');
  readonly scanner = join(this.dir, 'scanner');
  private child: ChildProcess | null = null;

  /** Plug in (again): a fresh socat under the same link names. */
  async plug(): Promise<void> {
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.host}`, `pty,raw,echo=0,link=${this.scanner}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`socat did not start: ${seen}`)), 10_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('starting data transfer loop')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited with ${code}: ${seen}`));
      });
    });
  }

  /** Pull the cable: socat dies, both ptys vanish, reads on the host end fail. */
  async unplug(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.unplug();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes like a scanner: in chunks, with the pacing of a baud rate (10 bits per byte on the wire, 8N1) simulated by
 * delays, plus optional extra gaps between chunks. Opens the scanner end with the real serialport.
 */
export class ScannerEmulator {
  private constructor(private readonly port: SerialPort) {}

  static async open(path: string): Promise<ScannerEmulator> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false, lock: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('error', () => undefined); // the host may vanish first in unplug tests
    return new ScannerEmulator(port);
  }

  async send(bytes: Buffer | string, opts: { chunk?: number; baud?: number; gapMs?: number } = {}): Promise<void> {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    const chunk = opts.chunk ?? data.length;
    for (let i = 0; i < data.length; i += chunk) {
      const piece = data.subarray(i, i + chunk);
      await this.write(piece);
      const paceMs = opts.baud ? (piece.length * 10 * 1000) / opts.baud : 0;
      const wait = paceMs + (opts.gapMs ?? 0);
      if (wait > 0 && i + chunk < data.length) await sleep(wait);
    }
  }

  private write(piece: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(piece, (err) => (err ? reject(err) : this.port.drain((e) => (e ? reject(e) : resolve()))));
    });
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

export { sleep };
