import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zlibCompress, zlibInflate } from '../../src/credential/compress.js';
import { CredentialError } from '../../src/credential/errors.js';
import { MAX_INFLATED_BYTES } from '../../src/credential/limits.js';
import { codeOf as codeOfError } from '../code-of.js';

const codeOf = (fn: () => unknown) => codeOfError(fn, CredentialError);

describe('bounded zlib inflate', () => {
  it('round-trips, up to exactly the limit', () => {
    const data = new Uint8Array(MAX_INFLATED_BYTES).map((_, i) => (i * 131) & 0xff);
    expect(Buffer.from(zlibInflate(zlibCompress(data)))).toEqual(Buffer.from(data));
    expect(codeOf(() => zlibInflate(zlibCompress(new Uint8Array(MAX_INFLATED_BYTES + 1))))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a bomb (64 KiB in, 64 MiB out) stops at the limit without allocating the output', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(70 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    for (let i = 0; i < 20; i++) {
      expect(codeOf(() => zlibInflate(bomb))).toBe('PAYLOAD_TOO_LARGE');
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }
    // Inflating for real would need 64 MiB each time; the bound keeps growth to a few chunks.
    expect(peak - before).toBeLessThan(8 * 1024 * 1024);
  });

  it('returns independent results (its reusable work buffer never leaks out)', () => {
    const a = zlibInflate(zlibCompress(new Uint8Array(500).fill(1)));
    const b = zlibInflate(zlibCompress(new Uint8Array(700).fill(2)));
    expect(a.every((x) => x === 1)).toBe(true);
    expect([a.length, b.length]).toEqual([500, 700]);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('a smaller limit is honoured exactly', () => {
    const data = new Uint8Array(1000).fill(65);
    expect(zlibInflate(zlibCompress(data), 1000).length).toBe(1000);
    expect(codeOf(() => zlibInflate(zlibCompress(data), 999))).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['bytes after the stream', (z: Uint8Array) => Uint8Array.from([...z, 0x00])],
    ['a second stream after the first', (z: Uint8Array) => Uint8Array.from([...z, ...z])],
    ['truncated stream', (z: Uint8Array) => z.subarray(0, z.length - 1)],
    ['bad Adler-32', (z: Uint8Array) => Uint8Array.from(z, (b, i) => (i === z.length - 1 ? b ^ 1 : b))],
    ['raw deflate without the zlib header', (z: Uint8Array) => z.subarray(2)],
    ['empty input', () => new Uint8Array(0)],
    ['non-zero padding bits after the final block', (z: Uint8Array) => Uint8Array.from(z, (b, i) => (i === z.length - 5 ? b | 0x80 : b))],
    ['a preset dictionary', (z: Uint8Array) => Uint8Array.from([0x78, 0xbb, ...z.subarray(2)])],
  ])('%s is DECOMPRESS_FAILED', (_label, mangle) => {
    const z = zlibCompress(new TextEncoder().encode('a credential would be here'));
    expect(codeOf(() => zlibInflate(mangle(z)))).toBe('DECOMPRESS_FAILED');
  });

  it('agrees with node:zlib on every level and strategy (property)', () => {
    const strategies = [
      { level: 9 },
      { level: 6 },
      { level: 1 },
      { level: 0 },
      { strategy: constants.Z_FIXED },
      { strategy: constants.Z_HUFFMAN_ONLY },
      { strategy: constants.Z_RLE },
    ];
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.array(fc.constantFrom(0, 1, 65, 66), { maxLength: 3000 }).map((a) => Uint8Array.from(a)),
      fc.tuple(fc.string({ maxLength: 40 }), fc.nat(200)).map(([s, n]) => new TextEncoder().encode(s.repeat(n))),
    );
    fc.assert(
      fc.property(data, fc.constantFrom(...strategies), (bytes, opts) => {
        const z = deflateSync(bytes, opts);
        if (bytes.length <= MAX_INFLATED_BYTES) expect(Buffer.from(zlibInflate(z))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('rejects every single-bit change of a compressed stream', () => {
    const z = zlibCompress(new TextEncoder().encode(`${'Claim 169 '.repeat(40)}and a photo: ${'x\u00ff\u0001'.repeat(30)}`));
    for (let i = 0; i < z.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = Uint8Array.from(z);
        changed[i]! ^= 1 << bit;
        expect(
          codeOf(() => zlibInflate(changed)),
          `byte ${i} bit ${bit}`,
        ).not.toBe('ok');
      }
    }
  });

  it('agrees with node:zlib on damaged streams: never accepts what zlib rejects, never differs in output (property)', () => {
    const source = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 600 }),
      fc.tuple(fc.string({ minLength: 1, maxLength: 30 }), fc.nat(40)).map(([s, n]) => new TextEncoder().encode(s.repeat(n + 1))),
    );
    const damage = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(source, fc.constantFrom(9, 1, 0), damage, (bytes, level, edits) => {
        const z = Uint8Array.from(deflateSync(bytes, { level }));
        for (const [at, x] of edits) z[at % z.length]! ^= x;
        let theirs: Buffer | null = null;
        try {
          const r = inflateSync(z, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
          if (r.engine.bytesWritten === z.length) theirs = r.buffer;
        } catch {
          theirs = null;
        }
        let ours: Uint8Array | null = null;
        let why = '';
        try {
          ours = zlibInflate(z);
        } catch (err) {
          expect(err).toBeInstanceOf(CredentialError);
          why = (err as Error).message;
        }
        if (ours !== null) expect(theirs && Buffer.from(ours).equals(theirs)).toBe(true);
        if (theirs !== null && ours === null) {
          expect(why).toBe('non-zero padding bits'); // the one thing zlib ignores and we do not
        }
      }),
      { numRuns: 3000 },
    );
  });
});
