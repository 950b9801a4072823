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
    for (const bad of [
      '',
      'now',
      '15/01/2027',
      '2027-02-29',
      '2027-01-15T24:00Z',
      '2027-01-15T09:60Z',
      '2027-1-5',
      '1737000000',
      '2027-01-15 09:30Z',
    ]) {
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
    expect(pngs).toEqual(
      expect.arrayContaining([
        'demo-valid.png',
        'demo-expired.png',
        'demo-tampered.png',
        'demo-pending.png',
        'demo-pre-settled.png',
        'demo-rent-only.png',
      ]),
    );
  });
  for (const png of pngs) {
    it(png, async () => {
      const text = readFileSync(join(EXAMPLES, png.replace(/\.png$/, '.txt')), 'utf8');
      expect(text.split('\n')).toEqual([expect.stringMatching(/^[0-9A-Z $%*+\-./:]+$/), '']); // one line
      expect(await decodeQrImage(join(EXAMPLES, png))).toBe(text.trim());
    });
  }
});

describe('decodeQrImage: pictures with more than one code, and photos', () => {
  const sharpImport = import('sharp');
  async function sideBySide(a: string, b: string, out: string): Promise<void> {
    const { default: sharp } = await sharpImport;
    const [left, right] = [readFileSync(join(EXAMPLES, a)), readFileSync(join(EXAMPLES, b))];
    const meta = await sharp(left).metadata();
    await sharp({ create: { width: meta.width! * 2 + 40, height: meta.height! + 40, channels: 3, background: '#ffffff' } })
      .composite([
        { input: left, left: 10, top: 20 },
        { input: right, left: meta.width! + 30, top: 20 },
      ])
      .png()
      .toFile(out);
  }

  it('the same code twice (the card page holds the card code and a larger copy) is one code', async () => {
    const file = join(tmp.dir, 'twice.png');
    await sideBySide('demo-valid.png', 'demo-valid.png', file);
    expect(await decodeQrImage(file)).toBe(readFileSync(join(EXAMPLES, 'demo-valid.txt'), 'utf8').trim());
  });

  it('two different codes are refused: the operator crops to the one to check', async () => {
    const file = join(tmp.dir, 'two.png');
    await sideBySide('demo-valid.png', 'demo-expired.png', file);
    await expect(decodeQrImage(file)).rejects.toThrow(/holds 2 different QR codes; crop it/);
  });

  it('a phone-style JPEG: the code small in a large picture, rotated 7°, dim, noisy, with EXIF orientation', async () => {
    const { default: sharp } = await sharpImport;
    const code = await sharp(join(EXAMPLES, 'demo-valid.png')).resize(520).rotate(7, { background: '#ddd8cc' }).png().toBuffer();
    const file = join(tmp.dir, 'photo.jpg');
    // Stored sideways with EXIF orientation 6 (rotate 90° to view), as phones do.
    // (one sharp step each: sharp would rotate before compositing in a single pipeline)
    const scene = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#8a7f70' } })
      .composite([{ input: code, left: 1300, top: 500 }])
      .png()
      .toBuffer();
    const dim = await sharp(scene).linear(0.7, 10).png().toBuffer();
    await sharp(dim).rotate(-90).jpeg({ quality: 45 }).withMetadata({ orientation: 6 }).toFile(file);
    expect(await decodeQrImage(file)).toBe(readFileSync(join(EXAMPLES, 'demo-valid.txt'), 'utf8').trim());
  });
});
