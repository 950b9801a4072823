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
 * characters. Each word is measured once and each finished line once more (kerning across a space can make a line
 * a little wider than the sum of its words: it then gives its last word to the next line); a word is broken using
 * the cached widths of its characters. So the work is linear in the length of `s`.
 */
export function wrap(s: string, font: MeasuringFont, size: number, maxWidth: number): string[] {
  const measure = (text: string): number => font.widthOfTextAtSize(text, size);
  const cache = new Map<string, number>();
  const charWidth = (ch: string): number => {
    let w = cache.get(ch);
    if (w === undefined) {
      w = measure(ch);
      cache.set(ch, w);
    }
    return w;
  };
  const space = measure(' ');
  const lines: string[] = [];
  let words: string[] = [];
  let width = 0;
  /** Push the line of `words`, and start the next with what did not fit on it. */
  const finish = (): void => {
    const next: string[] = [];
    while (words.length > 1 && measure(words.join(' ')) > maxWidth) next.unshift(words.pop()!);
    if (words.length > 0) lines.push(words.join(' '));
    words = next;
    width = next.reduce((sum, w, i) => sum + (i > 0 ? space : 0) + measure(w), 0);
  };
  const add = (word: string, w: number): void => {
    if (words.length > 0 && width + space + w > maxWidth) finish();
    width += (words.length > 0 ? space : 0) + w;
    words.push(word);
  };
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const w = measure(word);
    if (w <= maxWidth) {
      add(word, w);
      continue;
    }
    // Wider than a line: break it between characters, each piece checked as drawn (kerning) before it is kept.
    while (words.length > 0) finish();
    let piece: string[] = [];
    let pieceWidth = 0;
    const chars = [...word];
    for (let i = 0; i < chars.length; i++) {
      const cw = charWidth(chars[i]!);
      if (piece.length > 0 && pieceWidth + cw > maxWidth) {
        while (piece.length > 1 && measure(piece.join('')) > maxWidth) {
          piece.pop();
          i--;
        }
        lines.push(piece.join(''));
        piece = [];
        pieceWidth = 0;
        i--;
        continue;
      }
      piece.push(chars[i]!);
      pieceWidth += cw;
    }
    if (piece.length > 0) add(piece.join(''), measure(piece.join('')));
  }
  while (words.length > 0) finish();
  return lines.length ? lines : [''];
}
