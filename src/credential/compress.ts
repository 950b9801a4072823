/** zlib (RFC 1950) both ways. Inflation is bounded (MAX_INFLATED_BYTES) and must consume the whole input. */
import { deflateSync, inflateSync } from 'node:zlib';
import { CredentialError } from './errors.js';
import { MAX_INFLATED_BYTES } from './limits.js';

export function zlibCompress(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

/**
 * Inflates a complete zlib stream of at most `limit` output bytes. zlib's maxOutputLength stops a bomb
 * at the limit (nothing past it is allocated); bytes after the end of the stream are an error, not ignored.
 */
export function zlibInflate(bytes: Uint8Array, limit: number = MAX_INFLATED_BYTES): Uint8Array {
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflateSync(bytes, { maxOutputLength: limit, info: true }) as unknown as typeof result;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new CredentialError('PAYLOAD_TOO_LARGE', `inflated size exceeds ${limit} bytes`);
    throw new CredentialError('DECOMPRESS_FAILED', `not a zlib stream (${code ?? 'error'})`);
  }
  if (result.engine.bytesWritten !== bytes.length) {
    throw new CredentialError('DECOMPRESS_FAILED', `${bytes.length - result.engine.bytesWritten} bytes after the end of the zlib stream`);
  }
  return result.buffer;
}
