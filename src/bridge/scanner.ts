/**
 * The `bridge` scanner for the ScanHub: scans arrive from the firmware as SCAN frames (already framed, AIM id
 * stripped and turned into a symbology code), drops as DROPPED frames. A scan longer than one frame comes in pieces
 * that are joined here, bounded by the protocol's maximum scan length.
 */
import { ScanError } from '../scan/errors.js';
import { BaseScanner } from '../scan/scanner.js';
import type { DropReason, Scan, Symbology } from '../scan/types.js';
import { DropReasonCode, MAX_SCAN_LENGTH, SYMBOLOGY_CODES, type MessageOf } from './messages.js';
import type { BridgeError } from './errors.js';

export type ScanPieceResult = { scan: { data: Buffer; symbology: Symbology } } | { dropped: DropReason } | null;

/** Joins SCAN pieces (docs/bridge-protocol.md §3): same scanId, offsets in order, complete at `total`. */
export class ScanPieces {
  private id: number | null = null;
  private total = 0;
  private parts: Buffer[] = [];
  private length = 0;

  push(m: MessageOf<'SCAN'>): ScanPieceResult[] {
    const out: ScanPieceResult[] = [];
    if (m.offset === 0) {
      if (this.id !== null) out.push({ dropped: 'SCAN_INCOMPLETE' }); // an earlier scan never finished
      this.id = m.scanId;
      this.total = m.total;
      this.parts = [];
      this.length = 0;
    } else if (this.id !== m.scanId || m.offset !== this.length || m.total !== this.total) {
      // A piece out of place: whatever was being joined cannot be trusted.
      if (this.id !== null) out.push({ dropped: 'SCAN_INCOMPLETE' });
      this.reset();
      return out;
    }
    if (m.total > MAX_SCAN_LENGTH || this.length + m.data.length > m.total) {
      this.reset();
      out.push({ dropped: 'SCAN_TOO_LONG' });
      return out;
    }
    this.parts.push(m.data);
    this.length += m.data.length;
    if (this.length === this.total) {
      const data = Buffer.concat(this.parts);
      this.reset();
      out.push({ scan: { data, symbology: SYMBOLOGY_CODES[m.symbology] ?? 'other' } });
    }
    return out;
  }

  /** The link went down: a half-joined scan is lost. */
  cut(): ScanPieceResult[] {
    const had = this.id !== null;
    this.reset();
    return had ? [{ dropped: 'SCAN_INCOMPLETE' }] : [];
  }

  private reset(): void {
    this.id = null;
    this.total = 0;
    this.parts = [];
    this.length = 0;
  }
}

/**
 * How fast a bridge box may deliver: a burst of FLOOD_BURST distinct scans (or drops), then FLOOD_PER_SECOND. A person
 * presents one code every few seconds; a box sending more is faulty or tampered with, and every scan it sends
 * would be a check, a record and log lines. Repeats of the latest code do not count (the hub folds them).
 */
export const FLOOD_BURST = 10;
export const FLOOD_PER_SECOND = 2;

/** A token bucket: `take` says whether one more delivery may go now, and when a flood starts or ends. */
export class FloodLimit {
  private tokens: number;
  private last: number | null = null;
  private ignored = 0;

  constructor(
    private readonly burst = FLOOD_BURST,
    private readonly perSecond = FLOOD_PER_SECOND,
  ) {
    this.tokens = burst;
  }

  take(now: number): { pass: boolean; floodStarted: boolean; floodEnded: number | null } {
    if (this.last !== null) this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      const ended = this.ignored > 0 ? this.ignored : null;
      this.ignored = 0;
      return { pass: true, floodStarted: false, floodEnded: ended };
    }
    this.ignored++;
    return { pass: false, floodStarted: this.ignored === 1, floodEnded: null };
  }
}

/** DROPPED reason codes → the scanner layer's reasons. QUEUE_FULL (host too slow, scan lost) asks for a re-scan too. */
export function dropReason(code: number): DropReason {
  switch (code) {
    case DropReasonCode.TOO_LONG:
      return 'SCAN_TOO_LONG';
    case DropReasonCode.NOISE:
      return 'SCAN_NOISE';
    default:
      return 'SCAN_INCOMPLETE';
  }
}

/** What the scanner needs from the bridge: its scan events and link state, and a way to start and stop sharing it. */
export interface BridgeScanSource {
  readonly path: string;
  acquire(): Promise<void>;
  release(): Promise<void>;
  on(event: 'scanPiece', listener: (m: MessageOf<'SCAN'>) => void): unknown;
  on(event: 'dropped', listener: (m: MessageOf<'DROPPED'>) => void): unknown;
  on(event: 'state', listener: (state: 'connected' | 'disconnected' | 'reconnecting') => void): unknown;
  on(event: 'error', listener: (err: BridgeError) => void): unknown;
}

export class BridgeScanner extends BaseScanner {
  readonly transport = 'bridge' as const;
  private readonly pieces = new ScanPieces();
  private readonly flood = new FloodLimit();
  /** The latest text delivered: a repeat passes without counting against the flood limit. */
  private lastText: string | null = null;
  private delivering = false;

  constructor(
    private readonly source: BridgeScanSource,
    name = `bridge:${source.path}`,
  ) {
    super(name);
    source.on('scanPiece', (m) => this.deliver(this.pieces.push(m)));
    source.on('dropped', (m) => this.deliver([{ dropped: dropReason(m.reason) }]));
    source.on('state', (state) => {
      if (state !== 'connected') this.deliver(this.pieces.cut());
      this.setState(state);
    });
    source.on('error', (err) =>
      this.report(new ScanError(err.code === 'PORT_OPEN_FAILED' ? 'OPEN_FAILED' : 'DEVICE_LOST', `bridge: ${err.message}`, { cause: err })),
    );
  }

  async open(): Promise<void> {
    await this.source.acquire();
  }

  async close(): Promise<void> {
    this.delivering = false;
    await this.source.release();
    this.setState('disconnected');
  }

  override enable(): void {
    super.enable();
    this.delivering = true;
  }

  override disable(): void {
    super.disable();
    this.delivering = false;
  }

  private deliver(results: ScanPieceResult[]): void {
    if (!this.delivering) return; // UnifiedPOS: a disabled device delivers nothing
    const at = Date.now();
    for (const r of results) {
      if (!r) continue;
      const text = 'scan' in r ? r.scan.data.toString('latin1') : null;
      if (text === null || text !== this.lastText) {
        const verdict = this.flood.take(at);
        if (verdict.floodEnded !== null)
          this.report(new ScanError('SCAN_FLOOD', `bridge: the box slowed down; ${verdict.floodEnded} scan(s) it sent were ignored`));
        if (verdict.floodStarted) {
          this.report(
            new ScanError(
              'SCAN_FLOOD',
              `bridge: more than ${FLOOD_BURST} scans at over ${FLOOD_PER_SECOND} a second (no person scans that fast: a faulty or tampered box?); ignoring its scans until it slows down`,
            ),
          );
        }
        if (!verdict.pass) continue;
      }
      if ('scan' in r) {
        this.lastText = text;
        const scan: Scan = { data: r.scan.data, text: text!, symbology: r.scan.symbology, transport: 'bridge', source: this.name, at };
        this.emit('scan', scan);
      } else {
        this.emit('dropped', { reason: r.dropped, transport: 'bridge', source: this.name, at });
      }
    }
  }
}
