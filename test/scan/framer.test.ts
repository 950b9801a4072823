import { describe, expect, it } from 'vitest';
import { TerminatorFramer, type FrameOut } from '../../src/scan/frame.js';
import { finishFrame } from '../../src/scan/guard.js';
import { stripAimId } from '../../src/scan/aim.js';

const run = (f: TerminatorFramer, ...chunks: string[]) =>
  chunks.flatMap((c) => f.push(Buffer.from(c, 'latin1'))).map((o: FrameOut) => (o.kind === 'frame' ? o.data.toString('latin1') : o.reason));

describe('terminator framer', () => {
  it('cr: splits at CR, swallows the LF of CR LF even across chunks, keeps a bare LF as data', () => {
    const f = new TerminatorFramer('cr', 100);
    expect(run(f, 'A\r', '\nB\r\n', 'C\nD\r')).toEqual(['A', 'B', 'C\nD']);
  });

  it('lf: splits at LF and strips the CR of CR LF', () => {
    expect(run(new TerminatorFramer('lf', 100), 'A\r\nB\n\r\n')).toEqual(['A', 'B']);
  });

  it('crlf: CR, LF and CR LF all end a scan; empty lines vanish', () => {
    expect(run(new TerminatorFramer('crlf', 100), 'A\rB\nC\r\n\r\n\n\rD\r')).toEqual(['A', 'B', 'C', 'D']);
  });

  it('tab: splits at HT only', () => {
    expect(run(new TerminatorFramer('tab', 100), 'A\r\nB\tC\t')).toEqual(['A\r\nB', 'C']);
  });

  it('none: only the idle gap ends a scan', () => {
    const f = new TerminatorFramer('none', 100);
    expect(run(f, 'AB\rC', 'D')).toEqual([]);
    expect(f.idle().map((o) => (o.kind === 'frame' ? o.data.toString() : o.reason))).toEqual(['AB\rCD']);
    expect(f.pending).toBe(false);
  });

  it('reports SCAN_TOO_LONG once when the limit is passed, discards to the terminator, then resumes', () => {
    const f = new TerminatorFramer('cr', 10);
    expect(run(f, '0123456789', 'X', 'YYYYYYYYYYYYYYYY', 'Z\rOK\r')).toEqual(['SCAN_TOO_LONG', 'OK']);
    // exactly at the limit is fine
    expect(run(f, '0123456789\r')).toEqual(['0123456789']);
  });

  it('an idle gap resynchronises after an oversize burst with no terminator', () => {
    const f = new TerminatorFramer('cr', 4);
    expect(run(f, 'TOO-LONG')).toEqual(['SCAN_TOO_LONG']);
    expect(f.idle()).toEqual([]);
    expect(run(f, 'OK\r')).toEqual(['OK']);
  });

  it('cut() drops a half scan as SCAN_INCOMPLETE and nothing when idle', () => {
    const f = new TerminatorFramer('cr', 100);
    run(f, 'HALF');
    expect(f.cut()).toEqual([{ kind: 'drop', reason: 'SCAN_INCOMPLETE' }]);
    expect(f.cut()).toEqual([]);
  });

  it('copies input, so a reused read buffer cannot change a scan', () => {
    const f = new TerminatorFramer('cr', 100);
    const buf = Buffer.from('ABC');
    f.push(buf);
    buf.write('XYZ');
    const [out] = f.push(Buffer.from('\r'));
    expect(out).toEqual({ kind: 'frame', data: Buffer.from('ABC') });
  });
});

describe('AIM id stripper and guard', () => {
  it('strips only AIM-shaped prefixes', () => {
    expect(stripAimId(Buffer.from(']Q1ABC'))).toEqual({ data: Buffer.from('ABC'), symbology: 'qr' });
    expect(stripAimId(Buffer.from(']]1ABC'))).toEqual({ data: Buffer.from(']]1ABC'), symbology: 'unknown' });
    expect(stripAimId(Buffer.from(']Q'))).toEqual({ data: Buffer.from(']Q'), symbology: 'unknown' });
  });

  it('delivers anything printable — a URL is still a scan — and GS1 separators (GS) too', () => {
    expect(finishFrame({ kind: 'frame', data: Buffer.from('https://example.org/leaflet') }, 4296)).toMatchObject({ kind: 'scan' });
    expect(finishFrame({ kind: 'frame', data: Buffer.from(']Q3010\x1d17') }, 4296)).toMatchObject({ kind: 'scan', symbology: 'qr' });
  });

  it('drops control-byte noise, oversize data, and ignores an AIM id with nothing after it', () => {
    expect(finishFrame({ kind: 'frame', data: Buffer.from([0x41, 0x00, 0x42]) }, 4296)).toEqual({ kind: 'drop', reason: 'SCAN_NOISE' });
    expect(finishFrame({ kind: 'frame', data: Buffer.from([0x41, 0x7f]) }, 4296)).toEqual({ kind: 'drop', reason: 'SCAN_NOISE' });
    expect(finishFrame({ kind: 'frame', data: Buffer.from(']Q1ABCDE') }, 4)).toEqual({ kind: 'drop', reason: 'SCAN_TOO_LONG' });
    expect(finishFrame({ kind: 'frame', data: Buffer.from(']Q1ABCD') }, 4)).toMatchObject({ kind: 'scan' });
    expect(finishFrame({ kind: 'frame', data: Buffer.from(']Q1') }, 4296)).toEqual({ kind: 'empty' });
  });
});
