/**
 * Several scanners merged into one stream. Duplicate suppression lives here, once: the same text as the latest
 * scan, again within the window, is the same scan (a presentation scanner re-reading a code left on the glass). The
 * window slides: each repeat restarts it, so a code left in view does not fire again every 1.5 s. Only the latest
 * scan is folded: a code scanned again after another code is a new scan (another person may have stepped up).
 */
import { EventEmitter } from 'node:events';
import { safeText } from '../text/safe.js';
import { DEFAULT_DEDUPE_WINDOW_MS } from './limits.js';
import type { Scanner } from './scanner.js';
import type { DroppedScan, Scan, ScannerState, Transport } from './types.js';

/** Pure duplicate filter: `accept` says whether this text is a new scan at time `now`. It remembers one text. */
export class Deduper {
  private last: { text: string; at: number } | null = null;

  constructor(private readonly windowMs: number = DEFAULT_DEDUPE_WINDOW_MS) {}

  accept(text: string, now: number): boolean {
    if (this.windowMs <= 0) return true;
    const repeat = this.last !== null && this.last.text === text && now - this.last.at < this.windowMs;
    this.last = { text, at: now };
    return !repeat;
  }
}

export interface ScannerStateEvent {
  name: string;
  transport: Transport;
  state: ScannerState;
}

export class ScanHub extends EventEmitter {
  private readonly list: Scanner[] = [];
  private readonly states = new Map<Scanner, ScannerState>();
  private readonly dedupe: Deduper;
  private started = false;

  constructor(opts: { dedupeWindowMs?: number } = {}) {
    super();
    this.dedupe = new Deduper(opts.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS);
  }

  /** Adds a scanner; one added after start() is opened and enabled at once (errors go to 'error'). */
  add(scanner: Scanner): void {
    this.list.push(scanner);
    this.states.set(scanner, scanner.state ?? 'disconnected');
    scanner.on('scan', (scan: Scan) => {
      if (this.dedupe.accept(scan.text, scan.at)) this.emit('scan', scan);
      else this.emit('duplicate', scan);
    });
    scanner.on('dropped', (drop: DroppedScan) => this.emit('dropped', drop));
    scanner.on('state', (state: ScannerState) => {
      this.states.set(scanner, state);
      const event: ScannerStateEvent = { name: scanner.name, transport: scanner.transport, state };
      this.emit('state', event);
    });
    scanner.on('error', (err: Error) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
      else process.stderr.write(`proofdesk: scanner ${safeText(scanner.name)}: ${safeText(err.message)}\n`);
    });
    if (this.started) {
      scanner.open().then(
        () => scanner.enable(),
        (err: unknown) => scanner.emit('error', err),
      );
    }
  }

  /** Open and enable every scanner. A scanner whose device is absent keeps retrying; a misconfigured one rejects. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.list.map((s) => s.open()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.close();
      throw failed.reason;
    }
    for (const s of this.list) s.enable();
    this.started = true;
  }

  async close(): Promise<void> {
    this.started = false;
    await Promise.allSettled(this.list.map((s) => s.close()));
  }

  scanners(): ScannerStateEvent[] {
    return this.list.map((s) => ({ name: s.name, transport: s.transport, state: this.states.get(s) ?? 'disconnected' }));
  }
}
