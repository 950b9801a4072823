/**
 * docs/credential-format.md against the code: the reason table lists exactly REASON_CODES with the verdict
 * kindOf gives each; the status-claim CDDL has the keys and code tables of src/credential/status.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeStatus, STATUS_CLAIM_KEY, STATUS_LIST_CLAIM_KEY } from '../../src/credential/status.js';
import type { StatusClaim } from '../../src/credential/types.js';
import { kindOf } from '../../src/verify/stages.js';
import { REASON_CODES, type ReasonCode } from '../../src/verify/verdict.js';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/credential-format.md'), 'utf8');

/** Rows of the `| reason | verdict | meaning |` table: each code (a row may name two: `A` / `B`) with its verdict. */
function reasonRows(): Array<{ code: string; verdict: string }> {
  const table = /\| reason \| verdict \| meaning \|\n\|[-|]+\|\n((?:\|.*\n)+)/.exec(doc)?.[1];
  expect(table, 'docs/credential-format.md has the reason table').toBeDefined();
  return table!
    .trim()
    .split('\n')
    .flatMap((line) => {
      const [codes, verdict] = line.split(' | ').map((c) => c.replace(/^\|\s*/, '').trim());
      return [...codes!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => ({ code: m[1]!, verdict: verdict! }));
    });
}

/** The CDDL `status-claim = { … }` block: key number → the comment after it. */
function statusClaimKeys(): Map<number, string> {
  const block = /^status-claim = \{\n([\s\S]*?)^\}/m.exec(doc)?.[1];
  expect(block, 'the CDDL has a status-claim block').toBeDefined();
  const keys = new Map<number, string>();
  for (const m of block!.matchAll(/^\s*(?:\? )?(\d+) => [^;]*;\s*(.*)$/gm)) keys.set(Number(m[1]), m[2]!);
  return keys;
}

/** "1 EUSS, 2 points-based, …" → [[1, 'EUSS'], [2, 'points-based'], …] */
function codeList(comment: string): Array<[number, string]> {
  return [...comment.matchAll(/(\d+) ([A-Za-z-]+)/g)].map((m) => [Number(m[1]), m[2]!]);
}

const full: StatusClaim = {
  scheme: 'points-based',
  statusType: 'limited',
  validFrom: '2026-01-01',
  validUntil: '2027-06-30',
  work: { kind: 'restricted', condition: '20 hours a week' },
  rent: true,
  publicFunds: false,
  purpose: 'all',
  holderRef: 'H-1',
  document: { type: 'passport', reference: '…1234' },
};

describe('docs/credential-format.md', () => {
  it('the reason table lists exactly REASON_CODES, each once, with its verdict', () => {
    const rows = reasonRows();
    const codes = rows.map((r) => r.code);
    expect(new Set(codes).size, 'no reason listed twice').toBe(codes.length);
    expect([...codes].sort()).toEqual([...REASON_CODES].sort());
    for (const r of rows) expect(r.verdict, r.code).toBe(kindOf(r.code as ReasonCode));
  });

  it('every reason code in the stage table is a real one, and every code appears there', () => {
    const table = /\| # \| stage \| reasons \|\n\|[-|]+\|\n((?:\|.*\n)+)/.exec(doc)?.[1];
    expect(table).toBeDefined();
    const named = new Set([...table!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect([...named].filter((c) => !(REASON_CODES as readonly string[]).includes(c))).toEqual([]);
    expect(REASON_CODES.filter((c) => !named.has(c))).toEqual([]);
  });

  it("the CWT claim keys are the code's", () => {
    expect(doc).toMatch(new RegExp(`^\\s*\\? ${STATUS_CLAIM_KEY} => status-claim,`, 'm'));
    expect(doc).toMatch(new RegExp(`^\\s*\\? ${STATUS_LIST_CLAIM_KEY} => status-ref,`, 'm'));
  });

  it('the status-claim keys are exactly the ones encodeStatus writes', () => {
    const keys = statusClaimKeys();
    const encoded = encodeStatus(full);
    expect([...keys.keys()].sort((a, b) => a - b)).toEqual([...encoded.keys()].map(Number).sort((a, b) => a - b));
    expect(keys.get(3)).toMatch(/^validFrom/);
    expect(keys.get(4)).toMatch(/^validUntil/);
    expect(keys.get(10)).toMatch(/holder reference/);
  });

  it('the scheme, status-type, purpose and work code tables match the encoder', () => {
    const keys = statusClaimKeys();
    const check = (key: number, field: 'scheme' | 'statusType' | 'purpose') => {
      const list = codeList(keys.get(key)!);
      expect(list.length, `key ${key} lists its codes`).toBeGreaterThan(1);
      for (const [n, name] of list) expect(encodeStatus({ ...full, [field]: name }).get(key), `${field} ${name}`).toBe(n);
      // and the CDDL range says how many there are
      const range = new RegExp(`^${field === 'statusType' ? 'status-type' : field}\\s+= 1\\.\\.(\\d+)`, 'm').exec(doc)?.[1];
      expect(Number(range), `${field} range`).toBe(list.length);
    };
    check(1, 'scheme');
    check(2, 'statusType');
    check(9, 'purpose');
    const work = codeList(keys.get(5)!);
    expect(work.map(([, k]) => k)).toEqual(['none', 'unrestricted', 'restricted']);
    for (const [n, kind] of work) {
      const w = kind === 'restricted' ? ({ kind, condition: 'x' } as const) : { kind: kind as 'none' | 'unrestricted' };
      expect(encodeStatus({ ...full, work: w }).get(5), `work ${kind}`).toBe(n);
    }
  });
});
