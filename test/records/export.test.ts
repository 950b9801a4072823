import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/records/export.js';
import type { FoldedCheck } from '../../src/records/index.js';

/** RFC 4180 reader (what a spreadsheet's CSV import does before it looks at a cell's first character). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

const check = (kid: string): FoldedCheck => ({
  type: 'check', checkId: 'c1', at: '2026-11-23T10:00:00Z', deskId: 'desk-1', purpose: 'work', verdict: 'NOT VALID', reason: 'KEY_UNKNOWN',
  kid, credentialSha256: 'a'.repeat(64), followUpDate: null, keepUntil: '2032-11-23',
});

describe('CSV export', () => {
  it('defuses every value a spreadsheet could run as a formula', () => {
    for (const hostile of [
      '=HYPERLINK("http://evil","click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', '\n=1', '\0=1',
      ' =1+1', '  @x', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20SUM(1)', ' plain but leading space',
    ]) {
      const field = csvField(hostile);
      const cell = parseCsv(`${field}\r\n`)[0]![0]!;
      expect(cell, JSON.stringify(hostile)).toBe(`'${hostile}`);
    }
    for (const harmless of ['demo-2026', 'k1', 'a=b', 'x-1', 'mail@example', '']) expect(csvField(harmless)).toBe(harmless);
  });

  it('is RFC 4180: hostile kids with quotes, commas and line breaks come back exactly, one row per check', () => {
    const kids = ['a,b', 'say "hi"', 'two\r\nlines', 'tab\there', '=1,"2"\n3'];
    const rows = parseCsv(toCsv(kids.map(check)));
    expect(rows).toHaveLength(1 + kids.length);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    const kidCol = rows[0]!.indexOf('kid');
    expect(rows.slice(1).map((r) => r[kidCol])).toEqual(['a,b', 'say "hi"', 'two\r\nlines', 'tab\there', '\'=1,"2"\n3']);
  });
});
