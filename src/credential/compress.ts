/**
 * zlib (RFC 1950) both ways. Compression uses node:zlib (level 9). Inflation uses our strict decoder
 * (inflate.ts): bounded by MAX_INFLATED_BYTES, one complete stream with zero padding bits and nothing after it.
 */
import { deflateSync } from 'node:zlib';
import { inflateZlib } from './inflate.js';
import { MAX_INFLATED_BYTES } from './limits.js';

export function zlibCompress(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

/** Inflates a complete zlib stream of at most `limit` output bytes (CredentialError otherwise). */
export function zlibInflate(bytes: Uint8Array, limit: number = MAX_INFLATED_BYTES): Uint8Array {
  return inflateZlib(bytes, limit);
}
