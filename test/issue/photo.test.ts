/**
 * Photo shrinking: the budget is what the photo costs in the code (its bytes after zlib), the output is a real WebP
 * that decodes to the stated size, and the face is still there — measured as the pixel difference between the
 * shrunk photo and the source scaled to the same size (a blurred-to-nothing or wrongly cropped face would fail it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IssueError } from '../../src/issue/errors.js';
import { DEFAULT_PHOTO_BYTES, photoCodeBytes, shrinkPhoto } from '../../src/issue/photo.js';

const FACES = ['demo-face', 'demo-face-2', 'demo-face-3', 'demo-face-4'].map((n) =>
  readFileSync(join(import.meta.dirname, '..', '..', 'examples', `${n}.jpg`)),
);
const FACE = FACES[0]!;

async function meanAbsDiff(a: Uint8Array, source: Buffer, width: number, height: number): Promise<number> {
  const got = await sharp(a).removeAlpha().raw().toBuffer();
  const want = await sharp(source)
    .resize(width, height, { fit: 'cover', position: sharp.strategy.attention })
    .removeAlpha()
    .raw()
    .toBuffer();
  expect(got.length).toBe(want.length);
  let sum = 0;
  for (let i = 0; i < got.length; i++) sum += Math.abs(got[i]! - want[i]!);
  return sum / got.length;
}

describe('shrinkPhoto', () => {
  it('makes every demo face a 64x80 WebP costing ≤ 420 bytes in the code, close to the source', async () => {
    expect(DEFAULT_PHOTO_BYTES).toBe(420);
    for (const face of FACES) {
      const p = await shrinkPhoto(face);
      expect(p.codeBytes).toBeLessThanOrEqual(DEFAULT_PHOTO_BYTES);
      expect(p.codeBytes).toBe(deflateSync(p.data, { level: 9 }).length);
      expect(p.encoding).toBe('webp');
      expect(p.photoFormat).toBe(4);
      expect(Buffer.from(p.data.subarray(0, 4)).toString('latin1')).toBe('RIFF');
      expect(Buffer.from(p.data.subarray(8, 12)).toString('latin1')).toBe('WEBP');
      const meta = await sharp(p.data).metadata();
      expect([meta.width, meta.height]).toEqual([64, 80]);
      expect([p.width, p.height]).toEqual([64, 80]);
      expect(await meanAbsDiff(p.data, face, p.width, p.height)).toBeLessThan(10); // of 255
    }
  });

  it("counts what the photo costs in the code, not its file size: a JPEG's tables shrink under zlib", async () => {
    const jpeg = await sharp(FACE).resize(64, 80).jpeg({ quality: 10, mozjpeg: true }).toBuffer();
    expect(photoCodeBytes(jpeg)).toBeLessThan(jpeg.length - 60);
    const p = await shrinkPhoto(FACE);
    expect(Math.abs(p.codeBytes - p.data.length)).toBeLessThan(20); // WebP: about its own size
  });

  it('keeps a tighter budget, shrinking the frame rather than going below the quality floor', async () => {
    const p = await shrinkPhoto(FACE, 290);
    expect(p.codeBytes).toBeLessThanOrEqual(290);
    expect(p.width).toBeLessThan(64);
    expect(p.width).toBeGreaterThanOrEqual(48);
    expect(p.quality).toBeGreaterThanOrEqual(5);
    expect(await meanAbsDiff(p.data, FACE, p.width, p.height)).toBeLessThan(16);
  });

  it('copes with a hard-to-compress photo (noise) within budget, and with a landscape PNG (cropped to 4:5)', async () => {
    const noise = Buffer.alloc(300 * 400 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const noisy = await sharp(noise, { raw: { width: 300, height: 400, channels: 3 } })
      .jpeg()
      .toBuffer();
    const p = await shrinkPhoto(noisy);
    expect(p.codeBytes).toBeLessThanOrEqual(DEFAULT_PHOTO_BYTES);
    const wide = await sharp(FACE).resize(900, 400, { fit: 'contain', background: '#ccc' }).png().toBuffer();
    const q = await shrinkPhoto(wide);
    expect(q.width / q.height).toBeCloseTo(0.8, 5);
  });

  it('says PHOTO_TOO_LARGE when no frame fits the budget at the quality floor', async () => {
    await expect(shrinkPhoto(FACE, 100)).rejects.toMatchObject({ code: 'PHOTO_TOO_LARGE' });
  });

  it('refuses bytes that are not an image with PHOTO_UNSUPPORTED', async () => {
    await expect(shrinkPhoto(Buffer.from('definitely not an image'))).rejects.toMatchObject({ code: 'PHOTO_UNSUPPORTED' });
    await expect(shrinkPhoto(FACE.subarray(0, 200))).rejects.toBeInstanceOf(IssueError);
  });
});
