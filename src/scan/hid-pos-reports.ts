/**
 * HID POS report reassembly: input reports (as node-hid delivers them) → one frame per scan. A long scan spans
 * several reports joined by the Decode Data Continued flag; the field positions come from the device's descriptor.
 */
import { hasAimId, symbologyOfHoneywellCodeId } from './aim.js';
import type { FrameOut, Framer } from './frame.js';
import type { HidPosLayout } from './hid-descriptor.js';

export class HidPosReassembler implements Framer {
  private parts: Buffer[] = [];
  private size = 0;
  private started = false;
  private overflowed = false;
  private aim: Buffer | null = null;

  constructor(
    private readonly layout: HidPosLayout,
    /** Data bytes allowed per scan (the AIM id travels in its own field and does not count). */
    private readonly limit: number,
  ) {}

  get pending(): boolean {
    return this.started;
  }

  push(report: Buffer): FrameOut[] {
    const l = this.layout;
    // Other reports (trigger, status) and truncated ones carry no scan data.
    if (l.reportId !== 0 && report[0] !== l.reportId) return [];
    if (report.length < l.data.byte + 1) return [];
    const out: FrameOut[] = [];

    const room = Math.min(l.data.count, report.length - l.data.byte);
    const count = l.length ? Math.min(report[l.length.byte]!, room) : trimmedLength(report, l.data.byte, room);
    const aim = l.aim && report.length >= l.aim.byte + 3 ? report.subarray(l.aim.byte, l.aim.byte + 3) : null;
    const more = l.continued ? readBits(report, l.continued.bit, l.continued.bits) !== 0 : false;

    // A different AIM id in the middle of a multi-report scan: the previous scan never finished.
    if (this.started && aim && this.aim && !aim.equals(this.aim)) {
      if (!this.overflowed) out.push({ kind: 'drop', reason: 'SCAN_INCOMPLETE' });
      this.reset();
    }
    if (!this.started) {
      this.started = true;
      this.aim = aim ? Buffer.from(aim) : null;
    }
    if (!this.overflowed) {
      if (this.size + count > this.limit) {
        this.parts = [];
        this.size = 0;
        this.overflowed = true;
        out.push({ kind: 'drop', reason: 'SCAN_TOO_LONG' });
      } else if (count > 0) {
        this.parts.push(Buffer.from(report.subarray(l.data.byte, l.data.byte + count)));
        this.size += count;
      }
    }
    if (!more) {
      if (!this.overflowed && this.size > 0) {
        const codeId = l.codeId ? (report[l.codeId.byte] ?? 0) : 0;
        const prefix = this.aim && hasAimId(this.aim) ? [this.aim] : [];
        out.push({
          kind: 'frame',
          data: Buffer.concat([...prefix, ...this.parts]),
          symbology: symbologyOfHoneywellCodeId(codeId),
        });
      }
      this.reset();
    }
    return out;
  }

  idle(): FrameOut[] {
    return this.cut();
  }

  cut(): FrameOut[] {
    const out: FrameOut[] = this.started && !this.overflowed ? [{ kind: 'drop', reason: 'SCAN_INCOMPLETE' }] : [];
    this.reset();
    return out;
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.started = false;
    this.overflowed = false;
    this.aim = null;
  }
}

/** Without a length field the data is NUL-padded: text scans never end in NUL, so trailing zeros are padding. */
function trimmedLength(report: Buffer, start: number, room: number): number {
  let n = room;
  while (n > 0 && report[start + n - 1] === 0) n--;
  return n;
}

function readBits(report: Buffer, bit: number, bits: number): number {
  let v = 0;
  for (let k = 0; k < bits; k++) {
    const at = bit + k;
    const byte = report[at >> 3] ?? 0;
    v |= ((byte >> (at & 7)) & 1) << k;
  }
  return v;
}
