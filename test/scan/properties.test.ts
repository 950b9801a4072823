/** Property tests: whatever a scanner (or line noise) sends, the framers stay within their limits and never throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TerminatorFramer, type Eol, type FrameOut, type Framer } from '../../src/scan/frame.js';
import { finishFrame } from '../../src/scan/guard.js';
import { findHidPosLayout, parseReportDescriptor } from '../../src/scan/hid-descriptor.js';
import { HidPosReassembler } from '../../src/scan/hid-pos-reports.js';
import { KeyboardFramer } from '../../src/scan/keyboard.js';
import { ScanError } from '../../src/scan/index.js';
import { BASE45, ENTER, RELEASE, press, typed } from './fixtures.js';
import { HONEYWELL_DESCRIPTOR, honeywellReports } from './hid-fixtures.js';

const MAX = 300;
const eols: Eol[] = ['cr', 'lf', 'crlf', 'tab', 'none'];
const TERMINATOR: Record<Exclude<Eol, 'none'>, string> = { cr: '\r', lf: '\n', crlf: '\r\n', tab: '\t' };

/** Splits bytes at arbitrary cut points, as a serial driver would. */
const chunked = (bytes: Uint8Array, cuts: number[]) => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(Buffer.from(bytes.subarray(at, p)));
    at = p;
  }
  return out;
};

/** Everything a framer emits for a stream, with an idle gap (and an unplug) at the end. */
function drain(f: Framer, chunks: Buffer[]): FrameOut[] {
  return [...chunks.flatMap((c) => f.push(c)), ...f.idle(), ...f.cut()];
}

function checkLimits(outs: FrameOut[], frameLimit: number): void {
  for (const o of outs) {
    if (o.kind === 'frame') {
      expect(o.data.length).toBeLessThanOrEqual(frameLimit);
      const done = finishFrame(o, MAX);
      if (done.kind === 'scan') expect(done.data.length).toBeLessThanOrEqual(MAX);
    }
  }
}

const base45 = (min: number, max: number) =>
  fc.array(fc.constantFrom(...BASE45), { minLength: min, maxLength: max }).map((a) => a.join(''));

describe('framer properties', () => {
  it('any byte stream, chunked anyhow: no throw, no frame over the limit, no scan over maxLength', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...eols),
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (eol, bytes, cuts) => {
          const limit = MAX + 4;
          checkLimits(drain(new TerminatorFramer(eol, limit), chunked(bytes, cuts)), limit);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a valid scan between noise (separated by terminators) is delivered exactly once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Exclude<Eol, 'none'>>('cr', 'lf', 'crlf', 'tab'),
        fc.uint8Array({ maxLength: 1200 }),
        base45(12, MAX),
        fc.uint8Array({ maxLength: 1200 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (eol, before, scan, after, cuts) => {
          const t = TERMINATOR[eol];
          const stream = Buffer.concat([Buffer.from(before), Buffer.from(`${t}${scan}${t}`, 'latin1'), Buffer.from(after)]);
          const outs = drain(new TerminatorFramer(eol, MAX + 4), chunked(stream, cuts));
          const hits = outs.map((o) => finishFrame(o, MAX)).filter((d) => d.kind === 'scan' && d.data.toString('latin1') === scan);
          expect(hits).toHaveLength(1);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('HID POS: any report sequence never throws or exceeds the limit; a real scan between garbage reports arrives once', () => {
    const layout = findHidPosLayout(parseReportDescriptor(HONEYWELL_DESCRIPTOR))!;
    const report = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 70 }).map((a) => Buffer.from(a)),
      fc.uint8Array({ minLength: 63, maxLength: 63 }).map((a) => Buffer.concat([Buffer.from([2]), Buffer.from(a)])),
    );
    fc.assert(
      fc.property(fc.array(report, { maxLength: 40 }), base45(12, MAX), fc.array(report, { maxLength: 40 }), (before, scan, after) => {
        const r = new HidPosReassembler(layout, MAX);
        // A final report with the continued flag clear ends whatever garbage was in progress.
        const end = honeywellReports('', '\0\0\0');
        const outs = drain(r, [...before, ...end, ...honeywellReports(scan), ...after]);
        checkLimits(outs, MAX + 3);
        const hits = outs.map((o) => finishFrame(o, MAX)).filter((d) => d.kind === 'scan' && d.data.toString('latin1') === scan);
        expect(hits).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it('keyboard: any 8-byte reports never throw or exceed the limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'us' | 'uk'>('us', 'uk'),
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 10 }), { maxLength: 400 }),
        (layout, reports) => {
          const f = new KeyboardFramer(layout, 'enter', MAX + 4);
          checkLimits(
            drain(
              f,
              reports.map((r) => Buffer.from(r)),
            ),
            MAX + 4,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keyboard: a typed scan between random reports (after a key release and an Enter) arrives exactly once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'us' | 'uk'>('us', 'uk'),
        fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { maxLength: 200 }),
        base45(12, MAX),
        fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { maxLength: 200 }),
        (layout, before, scan, after) => {
          const f = new KeyboardFramer(layout, 'enter', MAX + 4);
          // Whatever the noise left held or half-typed: all keys up, then Enter ends it (a real wedge releases every key).
          const sync = [RELEASE, press(0, ENTER), RELEASE];
          const reports = [...before.map((r) => Buffer.from(r)), ...sync, ...typed(scan, ENTER), ...after.map((r) => Buffer.from(r))];
          const outs = drain(f, reports);
          checkLimits(outs, MAX + 4);
          const hits = outs.map((o) => finishFrame(o, MAX)).filter((d) => d.kind === 'scan' && d.data.toString('latin1') === scan);
          expect(hits).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('descriptor parser: any bytes give fields or a ScanError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          findHidPosLayout(parseReportDescriptor(Buffer.from(bytes)));
        } catch (e) {
          expect(e).toBeInstanceOf(ScanError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
