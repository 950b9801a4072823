/**
 * Framing: bytes in, whole frames (one per scan) or drop reasons out. Framers are pure and synchronous; the idle
 * timer lives in the assembler, which calls `idle()` after a silence and `cut()` when the device goes away.
 */
import type { DropReason, Symbology } from './types.js';

export type FrameOut =
  | { kind: 'frame'; data: Buffer /** What the transport said about the symbology, if anything. */; symbology?: Symbology }
  | { kind: 'drop'; reason: DropReason };

export interface Framer {
  /** Feed bytes (serial, keyboard) or one report (HID POS). */
  push(chunk: Buffer): FrameOut[];
  /** The line went quiet for the configured idle time. */
  idle(): FrameOut[];
  /** The device went away: anything half-received is dropped as SCAN_INCOMPLETE. */
  cut(): FrameOut[];
  /** Something is buffered, so the assembler should arm its idle timer. */
  readonly pending: boolean;
}

/**
 * What ends a scan on a byte stream. `cr` and `lf` also accept CR LF (scanners often send both); `crlf` accepts
 * any of CR, LF, CR LF; `none` means only an idle gap ends a scan.
 */
export type Eol = 'cr' | 'lf' | 'crlf' | 'tab' | 'none';

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;

/**
 * Splits a byte stream at the terminator. Holds at most `limit` bytes: past that it reports SCAN_TOO_LONG once and
 * discards until the next terminator or idle gap (resynchronising). Empty frames vanish silently.
 */
export class TerminatorFramer implements Framer {
  private parts: Buffer[] = [];
  private size = 0;
  private overflowed = false;
  /** The previous byte was a CR that ended a frame, so an LF right after it belongs to that terminator. */
  private afterCr = false;

  constructor(
    private readonly eol: Eol,
    private readonly limit: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`frame limit must be a positive integer, got ${limit}`);
  }

  get pending(): boolean {
    return this.size > 0 || this.overflowed;
  }

  push(chunk: Buffer): FrameOut[] {
    const out: FrameOut[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.afterCr) {
        this.afterCr = false;
        if (b === LF && this.eol !== 'tab' && this.eol !== 'none') {
          start = i + 1;
          continue;
        }
      }
      if (!this.endsFrame(b)) continue;
      this.take(chunk.subarray(start, i), out);
      this.endFrame(out);
      start = i + 1;
      this.afterCr = b === CR;
    }
    this.take(chunk.subarray(start), out);
    return out;
  }

  idle(): FrameOut[] {
    const out: FrameOut[] = [];
    if (this.eol === 'none') this.endFrame(out);
    else if (this.size > 0 && !this.overflowed) out.push({ kind: 'drop', reason: 'SCAN_INCOMPLETE' });
    this.reset();
    return out;
  }

  cut(): FrameOut[] {
    const out: FrameOut[] = this.size > 0 && !this.overflowed ? [{ kind: 'drop', reason: 'SCAN_INCOMPLETE' }] : [];
    this.reset();
    return out;
  }

  private endsFrame(b: number): boolean {
    switch (this.eol) {
      case 'cr':
        return b === CR;
      case 'lf':
        return b === LF;
      case 'crlf':
        return b === CR || b === LF;
      case 'tab':
        return b === TAB;
      case 'none':
        return false;
    }
  }

  private take(bytes: Buffer, out: FrameOut[]): void {
    if (bytes.length === 0 || this.overflowed) return;
    if (this.size + bytes.length > this.limit) {
      // Report once, free the buffer, and discard until the stream resynchronises.
      this.parts = [];
      this.size = 0;
      this.overflowed = true;
      out.push({ kind: 'drop', reason: 'SCAN_TOO_LONG' });
      return;
    }
    // Copy: the caller may reuse its buffer (serialport reads into a pool).
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private endFrame(out: FrameOut[]): void {
    if (!this.overflowed && this.size > 0) {
      let data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
      // `lf` mode: a CR just before the LF is part of a CR LF terminator.
      if (this.eol === 'lf' && data[data.length - 1] === CR) data = data.subarray(0, data.length - 1);
      if (data.length > 0) out.push({ kind: 'frame', data });
    }
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.overflowed = false;
  }
}
