import { describe, expect, it } from 'vitest';
import { bitAt, escapeMarkup, renderText, type Bitmap1 } from '../../src/bridge/raster.js';

const style = { family: 'Noto Sans, DejaVu Sans', size: 20, maxWidth: 236 };

function inkColumns(b: Bitmap1): number[] {
  const cols: number[] = [];
  for (let x = 0; x < b.width; x++) {
    let n = 0;
    for (let y = 0; y < b.height; y++) if (bitAt(b, x, y)) n++;
    cols.push(n);
  }
  return cols;
}

function inkCount(b: Bitmap1): number {
  return inkColumns(b).reduce((a, c) => a + c, 0);
}

/** Columns [from, to) of the bitmap that carry ink. */
function inkSpan(b: Bitmap1): { first: number; last: number } {
  const cols = inkColumns(b);
  return { first: cols.findIndex((c) => c > 0), last: cols.length - 1 - [...cols].reverse().findIndex((c) => c > 0) };
}

/** Best horizontal offset of `word`'s ink profile inside `line`'s (sum of absolute differences). */
function bestOffset(line: Bitmap1, word: Bitmap1): number {
  const a = inkColumns(line);
  const w = inkColumns(word);
  const { first, last } = inkSpan(word);
  const profile = w.slice(first, last + 1);
  let best = -1;
  let bestCost = Infinity;
  for (let off = 0; off + profile.length <= a.length; off++) {
    let cost = 0;
    for (let i = 0; i < profile.length; i++) cost += Math.abs(a[off + i]! - profile[i]!);
    if (cost < bestCost) [best, bestCost] = [off, cost];
  }
  return best;
}

describe('host text rendering through sharp/Pango', () => {
  const inkRows = (b: Bitmap1): number => {
    let rows = 0;
    for (let y = 0; y < b.height; y++) if (Array.from({ length: b.width }, (_, x) => bitAt(b, x, y)).some(Boolean)) rows++;
    return rows;
  };

  it('renders a Polish name with its diacritics: ink above and below the plain letters', async () => {
    const polish = (await renderText('Zażółć Gęślą', style))!;
    const plain = (await renderText('Zazolc Gesla', style))!;
    expect(polish.width).toBeGreaterThan(60);
    expect(inkCount(polish)).toBeGreaterThan(inkCount(plain)); // ż ó ł ć ę ś ą add strokes
    // The ogoneks of ę and ą hang below the baseline where the plain text has only the descent of nothing.
    expect(inkRows(polish)).toBeGreaterThan(inkRows(plain));
  });

  it('renders an Arabic name shaped and right to left: the first word sits at the right end of the line', async () => {
    const name = 'محمد عبد الله';
    const line = (await renderText(name, style))!;
    const first = (await renderText('محمد', style))!;
    const last = (await renderText('الله', style))!;
    expect(inkCount(line)).toBeGreaterThan(200); // not blank: fonts-noto-core / dejavu have Arabic glyphs
    const span = inkSpan(line);
    const firstAt = bestOffset(line, first);
    const lastAt = bestOffset(line, last);
    // Right to left: the first word (محمد) is found to the right of the last word (الله).
    expect(firstAt).toBeGreaterThan(lastAt);
    expect(firstAt).toBeGreaterThan(span.first + (span.last - span.first) / 2);
    // Shaped: the joined word differs from the same letters kept apart by zero-width non-joiners (isolated forms).
    const unjoined = (await renderText([...'محمد'].join('\u200c'), style))!;
    expect(first.bits.equals(unjoined.bits) && first.width === unjoined.width).toBe(false);
    // Isolated م and ح hang below the line; joined (initial/medial) forms sit on it.
    expect(inkRows(first)).toBeLessThan(inkRows(unjoined));
  });

  it('draws markup characters in a name as text, never as Pango markup', async () => {
    expect(escapeMarkup('<b>A & B</b>')).toBe('&lt;b&gt;A &amp; B&lt;/b&gt;');
    const bitmap = await renderText('<span foreground="red">X</span>', style);
    expect(bitmap).not.toBeNull();
    expect(bitmap!.width).toBeGreaterThan(150); // the whole tag is drawn as characters
  });

  it('returns null for text that draws nothing', async () => {
    expect(await renderText('   ', style)).toBeNull();
  });
});
