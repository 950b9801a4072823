/**
 * Pre-checks on a compact JWS before any signature work: shape, size, header members. Keys are NEVER taken from a
 * header: a `jwk`, `x5c`, `jku`, `x5u` (or any member besides alg/typ/kid) is refused outright, as is any alg
 * outside the allow-list.
 */
import { TrustError } from './errors.js';
import { parseTrustJson, shown } from './json.js';
import { ALLOWED_ALGS, type TrustAlg } from './limits.js';

export interface JwsHeader {
  alg: TrustAlg;
  typ?: string;
  kid?: string;
}

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ALLOWED_HEADER_MEMBERS = new Set(['alg', 'typ', 'kid']);

/** Text of a JWS file: UTF-8, surrounding whitespace (a trailing newline) removed. */
export function jwsText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').trim();
}

export function looksLikeCompactJws(text: string): boolean {
  return COMPACT.test(text);
}

/** Decodes and checks the protected header of a compact JWS. `what` names the file kind in messages. */
export function checkedJwsHeader(text: string, what: string): JwsHeader {
  if (!COMPACT.test(text)) throw new TrustError('MALFORMED', `${what} is not a complete compact JWS (truncated or damaged)`);
  const headerPart = text.slice(0, text.indexOf('.'));
  const header = parseTrustJson(Buffer.from(headerPart, 'base64url').toString('utf8'), `${what} header`);
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new TrustError('MALFORMED', `${what} header is not a JSON object`);
  const h = header as Record<string, unknown>;
  for (const member of Object.keys(h)) {
    if (!ALLOWED_HEADER_MEMBERS.has(member)) {
      throw new TrustError(
        'HEADER_NOT_ALLOWED',
        `${what} header carries ${shown(member)}: keys and certificates are never taken from a file, only from the pinned trust`,
      );
    }
  }
  if (typeof h.alg !== 'string' || !(ALLOWED_ALGS as readonly string[]).includes(h.alg)) {
    throw new TrustError('ALG_NOT_ALLOWED', `${what} is signed with alg ${shown(h.alg)}; only ${ALLOWED_ALGS.join(' and ')} are accepted`);
  }
  if (h.typ !== undefined && typeof h.typ !== 'string') throw new TrustError('MALFORMED', `${what} header "typ" is not a string`);
  if (h.kid !== undefined && typeof h.kid !== 'string') throw new TrustError('MALFORMED', `${what} header "kid" is not a string`);
  const out: JwsHeader = { alg: h.alg as TrustAlg };
  if (h.typ !== undefined) out.typ = h.typ as string;
  if (h.kid !== undefined) out.kid = h.kid as string;
  return out;
}

/** The payload of a compact JWS as JSON (call only after the signature verified). */
export function parseJsonPayload(payload: Uint8Array, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    throw new TrustError('MALFORMED', `${what} payload is not valid UTF-8`);
  }
  const value = parseTrustJson(text, `${what} payload`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TrustError('MALFORMED', `${what} payload is not a JSON object`);
  return value as Record<string, unknown>;
}
