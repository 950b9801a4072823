/** The one rule for text shown to a person (src/text/safe.ts), as properties over arbitrary strings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPLACEMENT, safeDeep, safeJson, safeLines, safeText } from '../../src/text/safe.js';
import { unsafeUnits } from './unsafe.js';

/** Strings rich in what matters: controls, bidi controls, separators, lone surrogates, RTL letters, emoji. */
const nasty = fc.constantFrom(
  '\x00',
  '\x07',
  '\t',
  '\n',
  '\r',
  '\x1b',
  '\x1b[2J',
  '\x1b]52;c;SGVsbG8=\x07',
  '\x1b]0;title\x07',
  '\x7f',
  '\x85',
  '\x9b',
  '\x9b31m',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udc00',
  '\u200f',
  'VALID',
  'Ada',
  'عائشة',
  'שרה',
  'Łódź',
  '😀',
  'e\u0301',
  ' ',
  '=',
  ';',
  ',',
  '"',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 24 }).map((a) => a.join('')),
);

describe('safeText / safeLines', () => {
  it('leave no unsafe character, change nothing else, keep the length (one U+FFFD per code unit), and are idempotent', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = safeText(s);
        expect(unsafeUnits(out)).toEqual([]);
        expect(out.length).toBe(s.length);
        const bad = new Set(unsafeUnits(s));
        for (let i = 0; i < s.length; i++) expect(out[i]).toBe(bad.has(i) ? REPLACEMENT : s[i]);
        expect(safeText(out)).toBe(out);
      }),
      { numRuns: 3000 },
    );
  });

  it('safeLines keeps exactly the line feeds and neutralises the rest', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = safeLines(s);
        expect(unsafeUnits(out, true)).toEqual([]);
        expect(out.split('\n').length).toBe(s.split('\n').length);
        expect(out.replaceAll('\n', REPLACEMENT)).toBe(safeText(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('names in right-to-left scripts and combining marks pass unchanged', () => {
    for (const name of ['عائشة بنت أحمد', 'שרה כהן', 'Zoë Ørsted-Łukasz', 'Nguyễn Văn A', '李小龍']) expect(safeText(name)).toBe(name);
  });
});

describe('safeJson', () => {
  const json = fc.jsonValue().chain((v) => fc.constant(v));
  const withNasty = fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer()), { maxKeys: 4 });

  it('is the same data as JSON.stringify, with no raw unsafe character but its own line breaks', () => {
    fc.assert(
      fc.property(fc.oneof(json, withNasty), fc.constantFrom(undefined, 2), (v, space) => {
        const out = safeJson(v, space);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v) ?? 'null'));
        expect(unsafeUnits(out, true)).toEqual([]);
        if (space === undefined) expect(out).not.toContain('\n');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('safeDeep', () => {
  it('every string leaf and key is safe; bytes and non-plain objects are kept as they are', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 5 }), text, (pairs, s) => {
        const bytes = new Uint8Array([0x1b, 0x9b]);
        const value = {
          name: s,
          list: pairs.map(([a, b]) => ({ [a]: b })),
          nested: { deeper: [s, 1, null, true] },
          bytes,
          map: new Map(pairs),
        };
        const out = safeDeep(value);
        const strings: string[] = [];
        const walk = (v: unknown): void => {
          if (typeof v === 'string') strings.push(v);
          else if (v instanceof Map)
            for (const [k, x] of v) {
              walk(k);
              walk(x);
            }
          else if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === 'object' && !(v instanceof Uint8Array))
            for (const [k, x] of Object.entries(v)) {
              strings.push(k);
              walk(x);
            }
        };
        walk(out);
        for (const str of strings) expect(unsafeUnits(str)).toEqual([]);
        expect(out.bytes).toBe(bytes);
        expect(out.name).toBe(safeText(s));
        expect(value.name).toBe(s); // the input is not changed
      }),
      { numRuns: 1000 },
    );
  });
});
