/** Small, bounded file reads for the issuer: one clear IssueError instead of an fs stack trace. */
import { readBoundedSync } from '../storage/bounded-read.js';
import { IssueError } from './errors.js';

/** Holder files and JWKs are tiny; a source photo may be a camera JPEG. */
const MAX_JSON_FILE_BYTES = 1 << 20;
export const MAX_PHOTO_FILE_BYTES = 32 << 20;

export async function readFileBounded(path: string, maxBytes: number, what: string): Promise<Buffer> {
  return readBoundedSync(path, maxBytes, what, (r) => new IssueError('FILE_UNREADABLE', r.message));
}

/** Reads and parses a JSON file; `invalid` is the code used when it is not JSON. */
export async function readJsonFile(path: string, what: string, invalid: 'HOLDER_INVALID' | 'KEY_INVALID'): Promise<unknown> {
  const bytes = await readFileBounded(path, MAX_JSON_FILE_BYTES, what);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    // V8's JSON.parse message quotes the file's text, which may be holder data: say only that it is not JSON.
    throw new IssueError(invalid, `${what} ${path} is not valid JSON`);
  }
}
