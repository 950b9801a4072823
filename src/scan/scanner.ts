/**
 * The scanner contract (UnifiedPOS-like): open → enable → 'scan' events; disable; close.
 * Events: 'scan' (Scan), 'dropped' (DroppedScan), 'state' (ScannerState), 'error' (ScanError, with a `code`).
 * Errors are reports, not the end: a scanner keeps retrying its device until closed. Attach an 'error' listener.
 */
import { EventEmitter } from 'node:events';
import { safeText } from '../text/safe.js';
import { ScanAssembler, type AssemblerOptions } from './assembler.js';
import type { ScanError } from './errors.js';
import type { Framer } from './frame.js';
import type { DroppedScan, Scan, ScannerState, Transport } from './types.js';

export interface Scanner extends EventEmitter {
  readonly name: string;
  readonly transport: Transport;
  /** The device's current state, if the scanner tracks it (ScanHub follows 'state' events either way). */
  readonly state?: ScannerState;
  /** True while part of a scan has arrived and its end has not, if the scanner frames its own input. */
  readonly receiving?: boolean;
  open(): Promise<void>;
  enable(): void;
  disable(): void;
  close(): Promise<void>;
}

/** Shared plumbing: state changes, enable/disable, and an assembler that only listens while enabled. */
export abstract class BaseScanner extends EventEmitter implements Scanner {
  abstract readonly transport: Transport;
  private current: ScannerState = 'disconnected';
  private enabled = false;
  private assembler: ScanAssembler | null = null;

  constructor(readonly name: string) {
    super();
  }

  get state(): ScannerState {
    return this.current;
  }

  get receiving(): boolean {
    return this.assembler?.pending ?? false;
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;

  enable(): void {
    this.enabled = true;
  }

  disable(): void {
    this.enabled = false;
    this.assembler?.discard();
  }

  protected startFraming(framer: Framer, opts: Omit<AssemblerOptions, 'transport' | 'source'>): void {
    this.assembler?.close();
    this.assembler = new ScanAssembler(
      framer,
      { ...opts, transport: this.transport, source: this.name },
      {
        scan: (scan: Scan) => this.emit('scan', scan),
        dropped: (drop: DroppedScan) => this.emit('dropped', drop),
      },
    );
  }

  /** Bytes or a report from the device. Ignored while disabled (UnifiedPOS: a disabled device delivers nothing). */
  protected input(chunk: Buffer): void {
    if (this.enabled) this.assembler?.push(chunk);
  }

  /** The device went away mid-stream. */
  protected cutInput(): void {
    this.assembler?.cut();
  }

  protected stopFraming(): void {
    this.assembler?.close();
  }

  protected setState(state: ScannerState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }

  protected report(err: ScanError): void {
    // An 'error' with no listener would throw out of the device callback; a scanner must never crash the kiosk.
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else process.stderr.write(`proofdesk: scanner ${safeText(this.name)}: ${err.code}: ${safeText(err.message)}\n`);
  }
}
