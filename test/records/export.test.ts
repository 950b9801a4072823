import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/records/export.js';
import type { FoldedCheck } from '../../src/records/index.js';
import { describeUnsafe } from '../text/unsafe.js';

/** RFC 4180 reader (what a spreadsheet's CSV import does before it looks at a cell's first character). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const check = (kid: string): FoldedCheck => ({
  type: 'check',
  checkId: 'c1',
  at: '2026-11-23T10:00:00Z',
  deskId: 'desk-1',
  purpose: 'work',
  verdict: 'NOT VALID',
  reason: 'KEY_UNKNOWN',
  kid,
  credentialSha256: 'a'.repeat(64),
  followUpDate: null,
  keepUntil: '2032-11-23',
  outcome: 'NOT_VALID',
});

/** A spreadsheet in a `;` locale opening the same file: splits at `;`, and honours a quote only at a cell's start. */
function parseSemicolonLocale(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').slice(0, -1)) {
    const cells: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let cell = '';
        i++;
        while (i < line.length && !(line[i] === '"' && line[i + 1] !== '"')) {
          cell += line[i] === '"' ? '"' : line[i];
          i += line[i] === '"' ? 2 : 1;
        }
        i++;
        const end = line.indexOf(';', i);
        cells.push(cell + line.slice(i, end < 0 ? line.length : end));
        i = end < 0 ? line.length + 1 : end + 1;
      } else {
        const end = line.indexOf(';', i);
        cells.push(line.slice(i, end < 0 ? line.length : end));
        i = end < 0 ? line.length + 1 : end + 1;
      }
    }
    rows.push(cells);
  }
  return rows;
}

const FORMULA_START = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

describe('CSV export', () => {
  it('defuses every value a spreadsheet could run as a formula', () => {
    for (const hostile of [
      '=HYPERLINK("http://evil","click")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A2)',
      ' =1+1',
      '  @x',
      '\uFF1D1+1',
      '\uFF0B1',
      '\uFF0D1',
      '\uFF20SUM(1)',
      ' plain but leading space',
    ]) {
      const field = csvField(hostile);
      const cell = parseCsv(`${field}\r\n`)[0]![0]!;
      expect(cell, JSON.stringify(hostile)).toBe(`'${hostile}`);
    }
    for (const harmless of ['demo-2026', 'k1', 'a=b', 'x-1', 'mail@example', '']) expect(csvField(harmless)).toBe(harmless);
  });

  it('writes no control byte: tabs, line breaks, NUL, ESC, C1 and bidi controls in a kid become U+FFFD', () => {
    const csv = toCsv(['\t=1+1', '\r=1+1', '\n=1', '\0=1', 'a\x1b[2J\x9b\u202eb'].map(check));
    expect(describeUnsafe(csv.replaceAll('\r\n', ''))).toEqual([]);
    expect(csv.split('\r\n')).toHaveLength(7);
    const kidCol = parseCsv(csv)[0]!.indexOf('kid');
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[kidCol]),
    ).toEqual(['\uFFFD=1+1', '\uFFFD=1+1', '\uFFFD=1', '\uFFFD=1', 'a\uFFFD[2J\uFFFD\uFFFDb']);
  });

  it('is RFC 4180: hostile kids with quotes, commas and semicolons come back as one cell, one row per check', () => {
    const kids = ['a,b', 'say "hi"', 'two;parts', '=1,"2";3'];
    const rows = parseCsv(toCsv(kids.map(check)));
    expect(rows).toHaveLength(1 + kids.length);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    const kidCol = rows[0]!.indexOf('kid');
    expect(rows.slice(1).map((r) => r[kidCol])).toEqual(['a,b', 'say "hi"', 'two;parts', '\'=1,"2";3']);
  });

  it('no cell starts a formula in a `,` or a `;` locale, whatever the kid (property)', () => {
    const piece = fc.constantFrom('=', '+', '-', '@', ';', ',', '"', ' ', '\t', '\r\n', '\uFF1D', 'A1', 'SUM(', ')', 'cmd|', 'x');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((a) => a.join('')),
        (kid) => {
          const csv = toCsv([check(kid)]);
          const cells = [...parseCsv(csv).flat(), ...parseSemicolonLocale(csv).flat()];
          return (
            describeUnsafe(csv.replaceAll('\r\n', '')).length === 0 &&
            !cells.some((c) => FORMULA_START.test(c)) &&
            parseCsv(csv).length === 2
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('carries the outcome, and says DEMO on every row a DEMO key signed', () => {
    const rows = parseCsv(
      toCsv([
        check('k1'),
        { ...check('DEMO-1'), checkId: 'c2', verdict: 'VALID', reason: null, outcome: 'PHOTO_MISMATCH', likeness: 'no', demo: true },
      ]),
    );
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows.slice(1).map((r) => [r[col('outcome')], r[col('demo')]])).toEqual([
      ['NOT_VALID', ''],
      ['PHOTO_MISMATCH', 'DEMO'],
    ]);
  });
});
