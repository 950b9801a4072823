import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeQrImage, parseIsoTime, readCodeText } from '../../src/cli/input.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { EXAMPLES, tempDir } from './run-cli.js';

const tmp = tempDir('proofdesk-input-');
afterAll(tmp.cleanup);

describe('parseIsoTime (--at)', () => {
  it('accepts dates (midnight UTC) and date-times with Z or an offset', () => {
    expect(parseIsoTime('2027-01-15').toISOString()).toBe('2027-01-15T00:00:00.000Z');
    expect(parseIsoTime('2027-01-15T09:30:00Z').toISOString()).toBe('2027-01-15T09:30:00.000Z');
    expect(parseIsoTime('2027-01-15T09:30+01:00').toISOString()).toBe('2027-01-15T08:30:00.000Z');
    expect(parseIsoTime('2027-01-15T09:30:00.250Z').getTime() % 1000).toBe(250);
  });

  it('refuses anything else with a UsageError naming the option', () => {
    for (const bad of ['', 'now', '15/01/2027', '2027-02-29', '2027-01-15T24:00Z', '2027-01-15T09:60Z', '2027-1-5', '1737000000', '2027-01-15 09:30Z']) {
      expect(() => parseIsoTime(bad)).toThrow(UsageError);
    }
    expect(() => parseIsoTime('2027-01-15T09:30')).toThrow(/time zone/);
    expect(() => parseIsoTime('x', '--since')).toThrow(/^--since x/);
  });
});

describe('readCodeText', () => {
  it('TEXT is the code itself, or a file holding it (line ends trimmed)', async () => {
    const file = join(tmp.dir, 'code.txt');
    writeFileSync(file, 'ABC123\r\n');
    expect(await readCodeText(file, {})).toBe('ABC123');
    expect(await readCodeText('ABC 123\n', {})).toBe('ABC 123');
    expect(await readCodeText('hello world', {})).toBe('hello world'); // not a file: the verifier says NOT_A_CREDENTIAL
  });

  it('a missing *.txt file, no source, or two sources are usage errors', async () => {
    await expect(readCodeText(join(tmp.dir, 'gone.txt'), {})).rejects.toThrow(/cannot read code file/);
    await expect(readCodeText(undefined, {})).rejects.toThrow(/no code given/);
    await expect(readCodeText('ABC', { image: 'x.png' })).rejects.toThrow(/not more than one/);
  });
});

describe('examples/: every demo PNG holds exactly the code in its .txt (zxing-wasm, offline)', () => {
  const pngs = readdirSync(EXAMPLES).filter((f) => /^demo-.*\.png$/.test(f));
  it('has the demo codes', () => {
    expect(pngs).toEqual(expect.arrayContaining(['demo-valid.png', 'demo-expired.png', 'demo-tampered.png', 'demo-pending.png', 'demo-pre-settled.png', 'demo-rent-only.png']));
  });
  for (const png of pngs) {
    it(png, async () => {
      const text = readFileSync(join(EXAMPLES, png.replace(/\.png$/, '.txt')), 'utf8');
      expect(text.split('\n')).toEqual([expect.stringMatching(/^[0-9A-Z $%*+\-./:]+$/), '']); // one line
      expect(await decodeQrImage(join(EXAMPLES, png))).toBe(text.trim());
    });
  }
});
