/** The four kinds of non-answer: URL / EAN / half a code / stray characters land on the right screen. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nonAnswerOf } from '../../src/check/index.js';
import { beginsWithZlibHeader, normaliseCodeText } from '../../src/credential/text.js';
import { loadKeySet, type KeySet } from '../../src/trust/keyset.js';
import { verify } from '../../src/verify/verify.js';

const EXAMPLES = path.join(import.meta.dirname, '../../examples');
const code = (name: string) => readFileSync(path.join(EXAMPLES, `${name}.txt`), 'utf8').trim();
let keys: KeySet;
beforeAll(async () => {
  keys = await loadKeySet(path.join(EXAMPLES, 'demo-issuer.jwks'));
});

function kindOf(text: string): string {
  const normalised = normaliseCodeText(text);
  const v = verify(normalised, { keys, now: Date.parse('2026-12-01T12:00:00Z'), purpose: 'rent' });
  return nonAnswerOf(normalised, v.reason) ?? v.verdict;
}

describe('not a check', () => {
  it('plainly something else is NOT A STATUS CODE', () => {
    expect(kindOf('https://example.org/pay?ref=123')).toBe('NOT_A_STATUS_CODE');
    expect(kindOf('5012345678900')).toBe('NOT_A_STATUS_CODE'); // an EAN-13 product barcode
    expect(kindOf('12345678')).toBe('NOT_A_STATUS_CODE'); // EAN-8
    expect(kindOf('HELLO WORLD')).toBe('NOT_A_STATUS_CODE');
    expect(kindOf('')).toBe('NOT_A_STATUS_CODE');
  });

  it('one of ours, damaged or cut off, is SCAN AGAIN', () => {
    const full = code('demo-valid');
    expect(kindOf(full.slice(0, Math.floor(full.length / 2)))).toBe('SCAN_AGAIN');
    expect(kindOf(full.slice(0, 301))).toBe('SCAN_AGAIN');
    expect(kindOf(`${full.slice(0, 400)} ${full.slice(401)}`)).toBe('SCAN_AGAIN'); // a misread character (a space is Base45)
    expect(kindOf(`${full.slice(0, 400)}a${full.slice(401)}`)).toBe('SCAN_AGAIN'); // outside the alphabet
  });

  it('outer whitespace and inner CR / LF / TAB are dropped: still VALID', () => {
    const full = code('demo-valid');
    expect(kindOf(full)).toBe('VALID');
    expect(kindOf(`  \r\n${full}\n\t `)).toBe('VALID');
    expect(kindOf(`${full.slice(0, 200)}\r\n${full.slice(200, 500)}\t${full.slice(500)}`)).toBe('VALID');
  });

  it('a code of ours that fails a check is NOT VALID (recorded), not a non-answer', () => {
    expect(kindOf(code('demo-tampered'))).toBe('NOT VALID');
    expect(kindOf(code('demo-expired'))).toBe('NOT VALID');
  });

  it('the zlib-header rule: every zlib header a deflate stream may start with passes, other text does not', () => {
    for (const header of [
      [0x78, 0x01],
      [0x78, 0x5e],
      [0x78, 0x9c],
      [0x78, 0xda],
      [0x08, 0x1d],
      [0x48, 0x89],
    ]) {
      const triple = Buffer.from(header);
      const n = triple[0]! * 256 + triple[1]!;
      const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
      const text = ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45) % 45]! + ALPHABET[Math.floor(n / 2025)]!;
      expect(beginsWithZlibHeader(text), header.join(',')).toBe(true);
    }
    expect(beginsWithZlibHeader('501')).toBe(false);
    expect(beginsWithZlibHeader('6B')).toBe(false);
    expect(beginsWithZlibHeader('htt')).toBe(false);
  });
});
