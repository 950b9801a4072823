/**
 * Drives a framer in real time: arms the idle timer while something is buffered, and turns frames into Scan /
 * DroppedScan values. The only stateful, timer-owning piece between a device and the pure framing stages.
 */
import type { Framer, FrameOut } from './frame.js';
import { finishFrame } from './guard.js';
import type { DroppedScan, Scan, Transport } from './types.js';

export interface AssemblerSink {
  scan(scan: Scan): void;
  dropped(drop: DroppedScan): void;
}

export interface AssemblerOptions {
  transport: Transport;
  source: string;
  maxLength: number;
  /** 0 disables the idle timer (stdin: a person may type slowly, a pipe may pause). */
  idleMs: number;
}

export class ScanAssembler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly framer: Framer,
    private readonly opts: AssemblerOptions,
    private readonly sink: AssemblerSink,
  ) {}

  /** Part of a scan has arrived and its end has not. */
  get pending(): boolean {
    return this.framer.pending;
  }

  push(chunk: Buffer): void {
    this.handle(this.framer.push(chunk));
    this.arm();
  }

  /** The device went away: drop whatever was half-received. */
  cut(): void {
    this.disarm();
    this.handle(this.framer.cut());
  }

  /** Forget buffered input without reporting it (the scanner was disabled). */
  discard(): void {
    this.disarm();
    this.framer.cut();
  }

  close(): void {
    this.disarm();
  }

  private arm(): void {
    if (!this.framer.pending || this.opts.idleMs <= 0) return this.disarm();
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.handle(this.framer.idle());
      }, this.opts.idleMs);
      this.timer.unref();
    }
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private handle(outs: FrameOut[]): void {
    for (const out of outs) {
      const at = Date.now();
      const done = finishFrame(out, this.opts.maxLength);
      const { transport, source } = this.opts;
      if (done.kind === 'scan') {
        this.sink.scan({ data: done.data, text: done.data.toString('latin1'), symbology: done.symbology, transport, source, at });
      } else if (done.kind === 'drop') {
        this.sink.dropped({ reason: done.reason, transport, source, at });
      }
    }
  }
}
