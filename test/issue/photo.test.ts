/**
 * Photo shrinking: the 600-byte budget holds, the output is a real AVIF/WebP that decodes to the stated size, and
 * the face is still there — measured as the pixel difference between the shrunk photo and the source scaled to the
 * same size (a blurred-to-nothing or wrongly cropped face would fail it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IssueError } from '../../src/issue/errors.js';
import { shrinkPhoto } from '../../src/issue/photo.js';

const FACE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo-face.jpg'));

async function meanAbsDiff(a: Uint8Array, source: Buffer, width: number, height: number): Promise<number> {
  const got = await sharp(a).removeAlpha().raw().toBuffer();
  const want = await sharp(source).resize(width, height, { fit: 'cover', position: sharp.strategy.attention }).removeAlpha().raw().toBuffer();
  expect(got.length).toBe(want.length);
  let sum = 0;
  for (let i = 0; i < got.length; i++) sum += Math.abs(got[i]! - want[i]!);
  return sum / got.length;
}

describe('shrinkPhoto', () => {
  it('makes the demo face ≤ 600 bytes of AVIF at 64x80, close to the source', async () => {
    const p = await shrinkPhoto(FACE);
    expect(p.data.length).toBeLessThanOrEqual(600);
    expect(p.encoding).toBe('avif');
    expect(p.photoFormat).toBe(3);
    expect(Buffer.from(p.data.subarray(4, 12)).toString('latin1')).toBe('ftypavif');
    const meta = await sharp(p.data).metadata();
    expect([meta.width, meta.height]).toEqual([p.width, p.height]);
    expect([p.width, p.height]).toEqual([64, 80]);
    expect(await meanAbsDiff(p.data, FACE, p.width, p.height)).toBeLessThan(10); // of 255
  });

  it('keeps a tighter budget, shrinking the frame rather than going below the quality floor', async () => {
    const p = await shrinkPhoto(FACE, 450);
    expect(p.data.length).toBeLessThanOrEqual(450);
    expect(p.width).toBeLessThan(64);
    expect(p.quality).toBeGreaterThanOrEqual(30);
    expect(await meanAbsDiff(p.data, FACE, p.width, p.height)).toBeLessThan(16);
  });

  it('copes with a hard-to-compress photo (noise) within budget, and with a landscape PNG (cropped to 4:5)', async () => {
    const noise = Buffer.alloc(300 * 400 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const noisy = await sharp(noise, { raw: { width: 300, height: 400, channels: 3 } }).jpeg().toBuffer();
    const p = await shrinkPhoto(noisy);
    expect(p.data.length).toBeLessThanOrEqual(600);
    const wide = await sharp(FACE).resize(900, 400, { fit: 'contain', background: '#ccc' }).png().toBuffer();
    const q = await shrinkPhoto(wide);
    expect(q.width / q.height).toBeCloseTo(0.8, 5);
  });

  it('says PHOTO_TOO_LARGE when no frame fits the budget at the quality floor', async () => {
    await expect(shrinkPhoto(FACE, 150)).rejects.toMatchObject({ code: 'PHOTO_TOO_LARGE' });
  });

  it('refuses bytes that are not an image with PHOTO_UNSUPPORTED', async () => {
    await expect(shrinkPhoto(Buffer.from('definitely not an image'))).rejects.toMatchObject({ code: 'PHOTO_UNSUPPORTED' });
    await expect(shrinkPhoto(FACE.subarray(0, 200))).rejects.toBeInstanceOf(IssueError);
  });
});
