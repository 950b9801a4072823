/**
 * Text that came from a code, a file or a device, made safe to show a person: on a terminal, a web page, the
 * bridge panel, a CSV cell. One rule for every output, so no display shows what another hides.
 *
 * Neutralised (each replaced by U+FFFD, so the reader sees that something was there):
 * - C0 controls U+0000–U+001F (ESC starts terminal escape sequences; NUL ends a C string early; CR and LF start
 *   a line the command never printed) and DEL U+007F;
 * - C1 controls U+0080–U+009F (U+009B is a one-character CSI on terminals that honour 8-bit controls);
 * - the bidi embedding and override characters U+202A–U+202E and the isolates U+2066–U+2069 (Unicode UAX #9 §2.1,
 *   §2.2): they reorder the text around them, so "yraM" can be drawn as "Mary" or a field appear on the wrong side;
 * - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, which some displays break lines at;
 * - lone UTF-16 surrogates (not characters; a UTF-8 writer turns them into U+FFFD anyway).
 * Everything else, right-to-left letters and combining marks included, is kept as it is.
 */

/** One character this module neutralises. `u` flag: a lone surrogate matches `\p{Cs}`, a valid pair does not. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\p{Cs}/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');
/** The same set except LF: for a block whose line breaks are the program's own. */
const UNSAFE_BUT_LF_ALL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\p{Cs}/gu;
/** The characters outside JSON's own escaping that this module neutralises (JSON.stringify escapes C0 itself). */
const JSON_UNESCAPED = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

export const REPLACEMENT = '\uFFFD';

/** One field (a name, a kid, a file's value): every unsafe character, line breaks and tabs included, becomes U+FFFD. */
export function safeText(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_ALL, REPLACEMENT) : s;
}

/**
 * A whole block the program composed, where each LF is its own line break: everything unsafe but LF is replaced.
 * Fields interpolated into the block must have gone through `safeText` first (or `safeDeep` on their object), or an
 * LF inside a field would still start a line of its own.
 */
export function safeLines(s: string): string {
  return s.replace(UNSAFE_BUT_LF_ALL, REPLACEMENT);
}

/**
 * A copy of `value` with every string in it (plain objects, arrays and Maps, keys included) passed through
 * `safeText`. Other objects (byte arrays, dates, class instances) are kept as they are.
 */
export function safeDeep<T>(value: T): T {
  return deep(value, 0) as T;
}

/** Deeper than any value this program builds; a cycle or an absurd nesting is returned as it is. */
const MAX_DEPTH = 64;

function deep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return safeText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => deep(v, depth + 1));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [deep(k, depth + 1), deep(v, depth + 1)]));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[safeText(k)] = deep(v, depth + 1);
  return out;
}

/**
 * JSON for a terminal: exactly `JSON.stringify(value, null, space)` as data (a JSON reader gets the same strings
 * back), with DEL, C1, the bidi controls and U+2028/9 written as \u escapes instead of raw, so printing the
 * document cannot drive a terminal or reorder it. Only strings can hold those characters: the escape is lossless.
 */
export function safeJson(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space);
  return text === undefined ? 'null' : text.replace(JSON_UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
