/**
 * Runs the real bridge firmware for tests and benchmarks: the ARM ELF in QEMU (netduinoplus2) or the posix port,
 * each reached through real ptys with `serialport`, and a small windowed host link built on the TypeScript codec
 * (src/bridge/codec.ts) — deliberately not the product's Session, so the firmware is checked against the protocol
 * document rather than against our own host implementation.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SerialPort } from 'serialport';
import { FrameDecoder, NakCode, T, encodeFrame, isRetryableNak, type DecodeResult, type Frame } from '../../src/bridge/codec.js';

/** The firmware tree (overridable for the benchmark, which runs a compiled copy of this file). */
export const FIRMWARE_DIR = process.env.PROOFDESK_FIRMWARE_DIR ?? new URL('../../firmware-bridge/', import.meta.url).pathname;
export const ELF = join(FIRMWARE_DIR, 'build/stm32f4/proofdesk-bridge.elf');
export const POSIX_BIN = join(FIRMWARE_DIR, 'build/posix/proofdesk-bridge');

export const qemuAvailable = spawnSync('qemu-system-arm', ['--version']).status === 0;

/** Why the QEMU test cannot run, or null. Throws under CI=true: a missing tool must fail the run loudly. */
export function qemuSkipReason(): string | null {
  let reason: string | null = null;
  if (!qemuAvailable) reason = 'qemu-system-arm not installed (apt-get install qemu-system-arm)';
  else if (!existsSync(ELF)) reason = `${ELF} not built (make -C firmware-bridge stm32f4)`;
  if (reason && process.env.CI === 'true') throw new Error(`CI=true but ${reason}: the firmware boot test cannot run`);
  return reason;
}

export function posixSkipReason(): string | null {
  const reason = existsSync(POSIX_BIN) ? null : `${POSIX_BIN} not built (make -C firmware-bridge posix)`;
  if (reason && process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/* ------------------------------------------------------------------ QMP ---- */

/** The QEMU Machine Protocol over a unix socket: one command at a time, JSON lines. */
export class Qmp {
  private buffer = '';
  private waiting: ((reply: Record<string, unknown>) => void)[] = [];
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as Record<string, unknown>;
        if ('return' in msg || 'error' in msg || 'QMP' in msg) this.waiting.shift()?.(msg);
      }
    });
    socket.on('error', () => undefined);
  }

  static async connect(path: string, timeoutMs = 10_000): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection(path, () => resolve(s));
          s.once('error', reject);
        });
        const qmp = new Qmp(socket);
        await qmp.next(); // greeting
        await qmp.execute('qmp_capabilities');
        return qmp;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(50);
      }
    }
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const reply = this.next();
    this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    const msg = await reply;
    if ('error' in msg) throw new Error(`QMP ${command}: ${JSON.stringify(msg.error)}`);
    return msg.return;
  }

  close(): void {
    this.socket.destroy();
  }
}

/* --------------------------------------------------------------- devices ---- */

export interface RunningFirmware {
  kind: 'qemu' | 'posix';
  host: SerialPort;
  scanner: SerialPort;
  /** The pty paths behind `host` and `scanner` (a benchmark closes `host` and lets the kiosk open the path). */
  hostPath: string;
  scannerPath: string;
  /** posix only: the framebuffer file. */
  framebuffer?: string;
  /** posix only: the process (buttons are SIGUSR1 = YES, SIGUSR2 = NO). */
  pid?: number;
  /** posix only: the buttons tty ('y' = YES, 'n' = NO). */
  buttons?: SerialPort;
  stop(): Promise<void>;
}

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    // close() cancels a pending read/write with a 'Canceled' error event: expected at teardown, not a failure
    port.on('error', (err: Error & { canceled?: boolean }) => {
      if (!err.canceled) console.warn(`serial port ${path}: ${err.message}`);
    });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return Promise.race([new Promise<boolean>((r) => child.once('exit', () => r(true))), sleep(ms).then(() => false)]);
}

/**
 * Boots the ELF halted (-S), finds the two ptys with QMP query-chardev, opens them, waits for QEMU to notice
 * (it polls a newly opened pty about once a second), then lets the CPU run.
 */
export async function bootQemu(elf = ELF): Promise<RunningFirmware> {
  const dir = mkdtempSync(join(tmpdir(), 'proofdesk-qemu-'));
  const qmpPath = join(dir, 'qmp.sock');
  const child = spawn(
    'qemu-system-arm',
    [
      '-M',
      'netduinoplus2',
      '-kernel',
      elf,
      '-S',
      '-display',
      'none',
      '-monitor',
      'none',
      '-parallel',
      'none',
      '-serial',
      'pty',
      '-serial',
      'pty',
      '-qmp',
      `unix:${qmpPath},server=on,wait=off`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ports: SerialPort[] = [];
  let qmp: Qmp | null = null;
  const stop = async (): Promise<void> => {
    for (const p of ports) await closePort(p);
    try {
      await qmp?.execute('quit');
    } catch {
      /* already gone */
    }
    qmp?.close();
    if (!(await waitExit(child, 3000)) && child.pid) process.kill(child.pid, 'SIGKILL');
    await waitExit(child, 3000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    qmp = await Qmp.connect(qmpPath);
    const chardevs = (await qmp.execute('query-chardev')) as { label: string; filename: string }[];
    const pty = (label: string): string => {
      const dev = chardevs.find((c) => c.label === label);
      if (!dev?.filename.startsWith('pty:')) throw new Error(`no pty for ${label}: ${JSON.stringify(chardevs)}`);
      return dev.filename.slice(4);
    };
    // -serial index 0 is USART1 (scanner), index 1 is USART2 (host link)
    const scannerPath = pty('serial0');
    const hostPath = pty('serial1');
    const scanner = await openPort(scannerPath, 115200);
    ports.push(scanner);
    const host = await openPort(hostPath, 921600);
    ports.push(host);
    await sleep(1100);
    await qmp.execute('cont');
    return { kind: 'qemu', host, scanner, hostPath, scannerPath, stop };
  } catch (err) {
    await stop();
    throw new Error(`QEMU did not start: ${(err as Error).message}\n${stderr}`);
  }
}

/** Host timeout for QEMU runs (see TestHost.retryMs). */
export const QEMU_RETRY_MS = 1000;

/** Starts the posix port with ptys it creates itself. */
export async function startPosix(): Promise<RunningFirmware> {
  const dir = mkdtempSync(join(tmpdir(), 'proofdesk-posix-'));
  const framebuffer = join(dir, 'panel.png');
  const child = spawn(POSIX_BIN, ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', framebuffer, '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const paths: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const [key, value] = line.split(' ');
      if (key && value) paths[key] = value;
      if (key === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`posix bridge exited with ${code}`)));
  });
  const host = await openPort(paths['host-link']!, 921600);
  const scanner = await openPort(paths.scanner!, 115200);
  const buttons = await openPort(paths.buttons!, 9600);
  return {
    kind: 'posix',
    host,
    scanner,
    hostPath: paths['host-link']!,
    scannerPath: paths.scanner!,
    buttons,
    framebuffer,
    pid: child.pid,
    stop: async () => {
      await closePort(host);
      await closePort(scanner);
      await closePort(buttons);
      child.kill('SIGTERM');
      if (!(await waitExit(child, 3000)) && child.pid) process.kill(child.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/* ------------------------------------------------------------ host link ---- */

interface Pending {
  seq: number;
  wire: Buffer;
  sentAt: number;
  resends: number;
  resolve: (r: { acked: true } | { acked: false; nak: number }) => void;
  reject: (err: Error) => void;
}

/** Everything received, for assertions; `raw` is every decode result in order (bad ones too). */
export interface Received {
  frames: Frame[];
  raw: DecodeResult[];
  rawBytes: Buffer[];
}

/**
 * A minimal host side of the protocol for tests: window of 4 frames / 4096 bytes, go-back-N on NAK or timeout
 * (200 ms unless told), 3 resends, cumulative ACKs; every firmware data frame is ACKed and recorded once.
 */
export class TestHost {
  readonly received: Received = { frames: [], raw: [], rawBytes: [] };
  private readonly decoder = new FrameDecoder((r) => this.onResult(r));
  private readonly queue: { wire: Buffer; seq: number; resolve: Pending['resolve']; reject: Pending['reject'] }[] = [];
  private readonly inFlight: Pending[] = [];
  private nextSeq = 0;
  private lastIn: number | null = null;
  private timer: NodeJS.Timeout;
  private listeners: (() => void)[] = [];
  bytesSent = 0;
  resends = 0;

  readonly windowFrames: number;
  readonly windowBytes: number;
  /** 200 ms is the protocol's host timeout for a real link; an emulated CPU on a loaded machine can be 100× slower
   * than the board, and go-back-N with too short a timeout collapses under its own resends, so QEMU runs use more. */
  readonly retryMs: number;

  constructor(
    readonly port: SerialPort,
    options: { windowFrames?: number; windowBytes?: number; retryMs?: number } = {},
  ) {
    this.windowFrames = options.windowFrames ?? 4;
    this.windowBytes = options.windowBytes ?? 4096;
    this.retryMs = options.retryMs ?? 200;
    port.on('data', this.onData);
    this.timer = setInterval(() => this.onTimer(), 20);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.received.rawBytes.push(chunk);
    this.decoder.push(chunk);
  };

  /** Stops timers and listening; the port stays open. */
  close(): void {
    clearInterval(this.timer);
    this.port.off('data', this.onData);
  }

  private onResult(r: DecodeResult): void {
    this.received.raw.push(r);
    if (r.ok) {
      const f = r.frame;
      if (f.type === T.ACK) this.onAck(f.seq);
      else if (f.type === T.NAK) this.onNak(f.seq, f.payload[0] ?? 0);
      else {
        this.writeRaw(encodeFrame({ type: T.ACK, seq: f.seq, payload: Buffer.alloc(0) }));
        const restart = f.type === T.BANNER || f.type === T.HELLO_OK;
        if (restart || f.seq !== this.lastIn) this.received.frames.push(f);
        this.lastIn = f.seq;
      }
    }
    for (const l of this.listeners.splice(0)) l();
  }

  private onAck(seq: number): void {
    // Any ACK — a duplicate one too — shows the firmware is working through what it was sent: the resend timer
    // counts silence, not the age of the oldest frame. On an emulator starved of CPU the pty moves a byte per
    // wake-up, and resending a whole window into a pipe that has not drained yet only makes it longer.
    const now = Date.now();
    for (const p of this.inFlight) p.sentAt = now;
    const i = this.inFlight.findIndex((p) => p.seq === seq);
    if (i < 0) return;
    for (const p of this.inFlight.splice(0, i + 1)) p.resolve({ acked: true });
    this.pump();
  }

  private onNak(seq: number, code: number): void {
    const i = this.inFlight.findIndex((p) => p.seq === seq);
    if (i < 0) return;
    for (const p of this.inFlight.splice(0, i)) p.resolve({ acked: true });
    if (!isRetryableNak(code)) {
      this.inFlight.shift()!.resolve({ acked: false, nak: code });
      this.pump();
      return;
    }
    this.resendAll();
  }

  private onTimer(): void {
    const first = this.inFlight[0];
    if (first && Date.now() - first.sentAt >= this.retryMs) this.resendAll();
  }

  private resendAll(): void {
    for (const p of this.inFlight) {
      p.resends++;
      if (p.resends > 3) {
        // what the firmware said last, for a failure in CI (ACK/NAK seqs and frame types, no payloads)
        const last = this.received.raw
          .slice(-8)
          .map((r) => (r.ok ? `0x${r.frame.type.toString(16)}/${r.frame.seq}` : `bad:${r.nak}`))
          .join(' ');
        const err = new Error(`frame ${p.seq} unacknowledged after 3 resends (${this.retryMs} ms each); last received: ${last}`);
        // everything waiting behind it fails too: a later send must not queue behind a dead window for ever
        for (const q of [...this.inFlight.splice(0), ...this.queue.splice(0)]) q.reject(err);
        return;
      }
      this.resends++;
      p.sentAt = Date.now();
      this.writeRaw(p.wire);
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight.length < this.windowFrames) {
      const next = this.queue[0]!;
      const bytes = this.inFlight.reduce((n, p) => n + p.wire.length, 0);
      if (this.inFlight.length > 0 && bytes + next.wire.length > this.windowBytes) break;
      this.queue.shift();
      this.inFlight.push({ ...next, sentAt: Date.now(), resends: 0 });
      this.writeRaw(next.wire);
    }
  }

  writeRaw(bytes: Buffer): void {
    this.bytesSent += bytes.length;
    this.port.write(bytes);
  }

  /** Sends one frame through the window; resolves when it is ACKed (or refused with a non-retryable NAK). */
  send(type: number, payload: Buffer = Buffer.alloc(0), seq?: number): Promise<{ acked: true } | { acked: false; nak: number }> {
    const s = seq ?? this.nextSeq;
    this.nextSeq = (s + 1) & 0xff;
    return new Promise((resolve, reject) => {
      this.queue.push({ wire: encodeFrame({ type, seq: s, payload }), seq: s, resolve, reject });
      this.pump();
    });
  }

  /** Flush byte, then HELLO (any seq the firmware resyncs to); resolves with HELLO_OK. */
  async hello(seq = 0, proto = 1): Promise<Frame> {
    this.writeRaw(Buffer.from([0]));
    const before = this.received.frames.length;
    await this.send(T.HELLO, Buffer.from([proto]), seq);
    return this.waitFor((f) => f.type === T.HELLO_OK, 5000, before);
  }

  /** Waits for a received data frame matching `match` (searching from index `from`). */
  async waitFor(match: (f: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.frames.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.received.frames.map((f) => `0x${f.type.toString(16)}/${f.seq}`).join(' ');
        throw new Error(`timed out waiting for a frame; received: ${seen}`);
      }
      await new Promise<void>((resolve) => {
        this.listeners.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Waits for the next raw decode result after index `from` matching `match` (ACK/NAK included). */
  async waitForRaw(match: (r: DecodeResult) => boolean, from: number, timeoutMs = 5000): Promise<DecodeResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.raw.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('timed out waiting for a raw frame');
      await new Promise<void>((resolve) => {
        this.listeners.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/* ------------------------------------------------------------- a screen ---- */

function rect(x: number, y: number, w: number, h: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(x, 0);
  b.writeUInt16BE(y, 2);
  b.writeUInt16BE(w, 4);
  b.writeUInt16BE(h, 6);
  return b;
}

export const VERDICT_GREEN = 0x07e0;

/**
 * A whole status screen as the host sends it: verdict first (band + a 1-bit text block), then a 120×150 8-bit grey
 * photo in 8-row pieces. `verdictFrames` says how many of the frames make the verdict.
 */
export function screenFrames(screen = 1): { frames: { type: number; payload: Buffer }[]; verdictFrames: number } {
  const frames: { type: number; payload: Buffer }[] = [];
  const id = Buffer.alloc(2);
  id.writeUInt16BE(screen);
  frames.push({ type: T.SCREEN_BEGIN, payload: id });
  frames.push({ type: T.FILL_RECT, payload: Buffer.concat([rect(0, 0, 240, 80), Buffer.from([0x07, 0xe0])]) });
  for (let y = 0; y < 40; y += 20) {
    const bits = Buffer.alloc(30 * 20);
    for (let i = 0; i < bits.length; i++) bits[i] = (i * 37 + y) & 0xff; // stand-in for rendered text
    const colours = Buffer.from([0xff, 0xff, 0x07, 0xe0]);
    frames.push({ type: T.BITMAP1, payload: Buffer.concat([rect(0, 20 + y, 240, 20), colours, bits]) });
  }
  const verdictFrames = frames.length;
  for (let y = 0; y < 150; y += 8) {
    const rows = Math.min(8, 150 - y);
    const pixels = Buffer.alloc(120 * rows);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 40 + ((i + y * 120) % 180);
    frames.push({ type: T.IMAGE_GREY8, payload: Buffer.concat([rect(60, 100 + y, 120, rows), pixels]) });
  }
  frames.push({ type: T.SCREEN_END, payload: id });
  return { frames, verdictFrames };
}

export { NakCode, T };
