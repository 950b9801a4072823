/** What src/text/safe.ts must neutralise, written out independently of its regular expressions (for tests). */

/** The code units the rule names, one by one (a lone surrogate counts; a valid pair does not). */
export function unsafeUnit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x2028 || c === 0x2029) return true;
  const high = c >= 0xd800 && c <= 0xdbff;
  const low = c >= 0xdc00 && c <= 0xdfff;
  if (high) return !(i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff);
  if (low) return !(i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff);
  return false;
}

export function unsafeUnits(s: string, keepLf = false): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (unsafeUnit(s, i) && !(keepLf && s[i] === '\n')) out.push(i);
  return out;
}

/** Describes the unsafe code units of `s` for an assertion message (none: empty). */
export function describeUnsafe(s: string, keepLf = false): string[] {
  return unsafeUnits(s, keepLf).map((i) => `U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at ${i}`);
}
