/** The personal-copy key: 32 random bytes in a file only its owner can read. */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordError } from './errors.js';
import { fsyncDir } from '../storage/files.js';
import { requireOwnerOnly } from './permissions.js';

const KEY_BYTES = 32;

export interface RecordKey {
  bytes: Buffer;
  /** Public, non-secret id of the key (8 bytes of a domain-separated hash), stored with each copy to tell "wrong key" from "tampered". */
  id: Buffer;
  /** True when this load created the key file (it must now be backed up). */
  created: boolean;
}

function keyId(bytes: Uint8Array): Buffer {
  return createHash('sha256').update('proofdesk records key id v1\0').update(bytes).digest().subarray(0, 8);
}

/**
 * Load the key; with `create`, make a fresh one (mode 0600, never overwriting) when the file is absent.
 * The key's folder is not made owner-only (it may be a shared config folder); the file itself must be.
 */
export function loadKey(file: string, opts: { create: boolean }): RecordKey {
  const created = opts.create && !fs.existsSync(file) && createKey(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RecordError('KEY_MISSING', `no key file at ${file} (personal copies cannot be read without the key they were sealed with)`);
    }
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new RecordError('KEY_INVALID', `key file ${file} is not a regular file`);
    requireOwnerOnly(file, st, 'key file');
    if (st.size !== KEY_BYTES) {
      throw new RecordError('KEY_INVALID', `key file ${file} must hold exactly ${KEY_BYTES} bytes, it holds ${st.size}`);
    }
    const bytes = Buffer.alloc(KEY_BYTES);
    fs.readSync(fd, bytes, 0, KEY_BYTES, 0);
    return { bytes, id: keyId(bytes), created };
  } finally {
    fs.closeSync(fd);
  }
}

/** Make a fresh key file; false when another process made it first. */
function createKey(file: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false; // someone else just made it: use theirs
    throw err;
  }
  try {
    fs.writeSync(fd, randomBytes(KEY_BYTES));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fsyncDir(path.dirname(file));
  return true;
}
