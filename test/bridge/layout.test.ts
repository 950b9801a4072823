import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD } from '../../src/bridge/codec.js';
import { REGIONS, layoutScreen, startsRightToLeft, type DrawOp } from '../../src/bridge/layout.js';
import { PANEL } from '../../src/bridge/panel.js';
import { encodeMessage } from '../../src/bridge/messages.js';
import { idleScreen, scanAgainScreen } from '../../src/screen/state.js';
import sharp from 'sharp';
import { PANEL_MAX_PHOTO_PIXELS } from '../../src/bridge/raster.js';
import { preparePhoto } from '../../src/screen/photo.js';
import { resultState } from './fixtures.js';

const rect = (op: DrawOp): string => `${op.type} ${op.x},${op.y} ${op.w}x${op.h}`;

function inkAtEdges(op: Extract<DrawOp, { type: 'BITMAP1' }>): boolean[] {
  const rowBytes = Math.ceil(op.w / 8);
  const on = (x: number, y: number): boolean => (op.bits[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
  const row = (y: number): boolean => Array.from({ length: op.w }, (_, x) => on(x, y)).some(Boolean);
  const col = (x: number): boolean => Array.from({ length: op.h }, (_, y) => on(x, y)).some(Boolean);
  return [col(0), col(op.w - 1), row(0), row(op.h - 1)];
}

describe('bridge screen layout', () => {
  const desk = { purpose: 'work' as const, demo: false, worth: 'Supporting evidence only.', id: 'desk-test' };
  const cases = [
    ['VALID', () => resultState('VALID')],
    ['CHECK MANUALLY', () => resultState('CHECK MANUALLY')],
    ['NOT VALID', () => resultState('NOT VALID')],
    ['idle', async () => idleScreen(desk)],
    ['scan again', async () => scanAgainScreen(desk, 'SCAN_INCOMPLETE', new Date(0))],
  ] as const;

  for (const [name, make] of cases) {
    it(`${name}: every command fits the panel and a frame, and nothing is drawn twice`, async () => {
      const plan = await layoutScreen(await make());
      const ops = [...plan.verdict, ...plan.photo];
      for (const op of ops) {
        expect(op.x + op.w, rect(op)).toBeLessThanOrEqual(PANEL.width);
        expect(op.y + op.h, rect(op)).toBeLessThanOrEqual(PANEL.height);
        expect(encodeMessage(op).payload.length, rect(op)).toBeLessThanOrEqual(MAX_PAYLOAD);
      }
      const bitmaps = ops.filter((op) => op.type !== 'FILL_RECT').map(rect);
      expect(new Set(bitmaps).size).toBe(bitmaps.length);
    });
  }

  it('text bitmaps are cropped to their ink (blank margins do not cross the link)', async () => {
    const plan = await layoutScreen(await resultState('VALID'));
    const bitmaps = plan.verdict.filter((op): op is Extract<DrawOp, { type: 'BITMAP1' }> => op.type === 'BITMAP1');
    expect(bitmaps.length).toBeGreaterThan(3);
    // Split paragraphs may start or end a piece on a blank row between lines; columns are always tight.
    for (const op of bitmaps) expect(inkAtEdges(op).slice(0, 2), rect(op)).toEqual([true, true]);
  });

  it('an Arabic name is drawn against the right margin, a Polish one against the left', async () => {
    expect([startsRightToLeft('محمد عبد الله'), startsRightToLeft('Zażółć'), startsRightToLeft('12 محمد'), startsRightToLeft('')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    // The name is the first bitmap below the banner (no DEMO strip in these states).
    const nameOp = async (name: string) => {
      const plan = await layoutScreen(await resultState('VALID', name));
      return plan.verdict.find((op): op is Extract<DrawOp, { type: 'BITMAP1' }> => op.type === 'BITMAP1' && op.y >= REGIONS.banner.h)!;
    };
    const margin = REGIONS.photo.x; // the columns' margin
    const arabic = await nameOp('محمد عبد الله');
    expect(arabic.x + arabic.w, rect(arabic)).toBe(PANEL.width - margin);
    expect(arabic.x, rect(arabic)).toBeGreaterThan(margin);
    const polish = await nameOp('Zażółć Gęślą');
    expect(polish.x, rect(polish)).toBe(margin);
  });

  it('puts the photo, and only the photo, in grey rows inside the photo box — and none for an unverified code', async () => {
    const valid = await layoutScreen(await resultState('VALID'));
    expect(valid.photo.length).toBeGreaterThan(0);
    const { x, y, w, h } = REGIONS.photo;
    for (const op of valid.photo) {
      expect(op.type).toBe('IMAGE_GREY8');
      expect(op.x >= x && op.x + op.w <= x + w && op.y >= y && op.y + op.h <= y + h, rect(op)).toBe(true);
    }
    expect(valid.verdict.some((op) => op.type === 'IMAGE_GREY8')).toBe(false); // verdict first, photo after
    expect((await layoutScreen(await resultState('NOT VALID'))).photo).toEqual([]);
  });

  it('decodes the signed photo bytes in any format the page gets (AVIF here), and refuses one too large to decode on the panel', async () => {
    const photoOf = async (width: number, height: number) => {
      const bytes = await sharp({ create: { width, height, channels: 3, background: '#777' } })
        .avif()
        .toBuffer();
      const base = await resultState('VALID');
      return { ...base, person: { ...base.person!, photo: preparePhoto(bytes) } };
    };
    const fits = await layoutScreen(await photoOf(400, 500));
    expect(fits.photo.length).toBeGreaterThan(0);
    // A few hundred bytes whose header says 4096 × 4096: libvips would decode all of it (hundreds of MB) to draw 96 × 120.
    const huge = await photoOf(4096, 4096);
    expect('base64' in huge.person.photo && huge.person.photo.width * huge.person.photo.height).toBeGreaterThan(PANEL_MAX_PHOTO_PIXELS);
    const refused = await layoutScreen(huge);
    expect(refused.photo).toEqual([]);
    // Instead, words in the photo box (why there is no picture), where the photo would have been.
    const { x, y, w, h } = REGIONS.photo;
    expect(
      refused.verdict.some((op) => op.type === 'BITMAP1' && op.x >= x && op.x + op.w <= x + w && op.y >= y && op.y + op.h <= y + h),
    ).toBe(true);
    expect(fits.verdict.some((op) => op.type === 'BITMAP1' && op.x >= x && op.x + op.w <= x + w && op.y >= y && op.y + op.h <= y + h)).toBe(
      false,
    );
  });
});
