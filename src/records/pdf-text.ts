/**
 * Fitting text into the evidence PDF's columns: a cap on how much of one field is printed, and greedy line
 * wrapping in time linear in the text's length (each character is measured once, each finished line once more).
 * A name is the holder's choice and the verifier accepts long ones; the page must still be made in moments and
 * say when it printed less than the whole.
 */

/** What wrapping needs of a font: pdf-lib's PDFFont has it. */
export interface MeasuringFont {
  widthOfTextAtSize(text: string, size: number): number;
}

/** Most characters of one field printed (a long name fills about five lines of the facts column). */
export const MAX_FIELD_CHARS = 200;

/** A field shortened to `max` characters (whole code points), with a note saying so; unchanged when it fits. */
export function capField(value: string, max = MAX_FIELD_CHARS): { text: string; shortened: boolean } {
  if (value.length <= max) return { text: value, shortened: false };
  const chars = [...value];
  if (chars.length <= max) return { text: value, shortened: false };
  const note = `(shortened: the first ${max} of ${chars.length.toLocaleString('en-GB')} characters; the QR code holds the whole text)`;
  return { text: `${chars.slice(0, max).join('')}… ${note}`, shortened: true };
}

/**
 * Lines of at most `maxWidth` points: words kept whole where they fit, a word wider than a line broken between
 * characters. Widths of single characters are summed (and cached per character); a finished line is measured as a
 * whole once, and gives back characters while kerning makes it wider than the sum said.
 */
export function wrap(s: string, font: MeasuringFont, size: number, maxWidth: number): string[] {
  const cache = new Map<string, number>();
  const widthOf = (ch: string): number => {
    let w = cache.get(ch);
    if (w === undefined) {
      w = font.widthOfTextAtSize(ch, size);
      cache.set(ch, w);
    }
    return w;
  };
  const space = widthOf(' ');
  const lines: string[] = [];
  let line: string[] = [];
  let lineWidth = 0;
  const finish = (): void => {
    if (line.length === 0) return;
    // The sum of single widths leaves out kerning; the line as drawn must fit.
    let text = line.join('');
    const carried: string[] = [];
    while (line.length > 1 && font.widthOfTextAtSize(text, size) > maxWidth) {
      carried.unshift(line.pop()!);
      text = line.join('');
    }
    lines.push(text.trimEnd());
    line = carried[0] === ' ' ? carried.slice(1) : carried;
    lineWidth = line.reduce((sum, ch) => sum + widthOf(ch), 0);
  };
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const chars = [...word];
    const wordWidth = chars.reduce((sum, ch) => sum + widthOf(ch), 0);
    if (line.length > 0 && lineWidth + space + wordWidth <= maxWidth) {
      line.push(' ', ...chars);
      lineWidth += space + wordWidth;
      continue;
    }
    finish();
    if (line.length > 0) {
      // Characters carried over from a line that kerned too wide: this word starts after them.
      line.push(' ');
      lineWidth += space;
    }
    for (const ch of chars) {
      const w = widthOf(ch);
      if (line.length > 0 && lineWidth + w > maxWidth) finish();
      line.push(ch);
      lineWidth += w;
    }
  }
  finish();
  while (line.length > 0) finish();
  return lines.length ? lines : [''];
}
