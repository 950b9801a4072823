/**
 * JSON from trust files, bounded before it is parsed: nesting deeper than MAX_TRUST_JSON_DEPTH is refused by a
 * linear scan (a header of 100,000 nested arrays once reached a recursive step and died with "Maximum call stack
 * size exceeded"), and values quoted back in messages are short and free of control characters.
 */
import { TrustError } from './errors.js';
import { MAX_TRUST_JSON_DEPTH } from './limits.js';

/** How deep `text` nests arrays and objects, stopping as soon as it passes `limit` (strings are skipped). */
function jsonDepth(text: string, limit = MAX_TRUST_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Parses JSON text from a trust file; `what` names it. Refuses nesting past the limit (NESTED_TOO_DEEP) and bad JSON (MALFORMED). */
export function parseTrustJson(text: string, what: string): unknown {
  if (jsonDepth(text) > MAX_TRUST_JSON_DEPTH) {
    throw new TrustError(
      'NESTED_TOO_DEEP',
      `${what} nests deeper than MAX_TRUST_JSON_DEPTH (${MAX_TRUST_JSON_DEPTH} levels): not a trust file`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new TrustError('MALFORMED', `${what} is not valid JSON`);
  }
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** A value from a file, quoted for a one-line message: strings cut to 40 characters with controls escaped; other values by type. */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `"${cut.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/"/g, '\\"')}"`;
  }
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
}
