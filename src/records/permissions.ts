import * as fs from 'node:fs';
import { RecordError } from './errors.js';

/**
 * Records, personal copies and the key must be readable by their owner only (like ssh's key checks):
 * refuse rather than quietly widen or narrow what an administrator set up.
 */
export function requireOwnerOnly(path: string, st: fs.Stats, what: string): void {
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && st.uid !== uid) {
    throw new RecordError('INSECURE_PERMISSIONS', `${what} ${path} belongs to another user (uid ${st.uid}); it must be yours`);
  }
  const wide = st.mode & 0o077;
  if (wide !== 0) {
    const want = st.isDirectory() ? '700' : '600';
    throw new RecordError(
      'INSECURE_PERMISSIONS',
      `${what} ${path} is accessible to other users (mode ${(st.mode & 0o777).toString(8)}); run: chmod ${want} ${path}`,
    );
  }
}

/** Create a folder owner-only (and its missing parents), or check an existing one. */
export function ensureOwnerOnlyDir(path: string, what: string): void {
  fs.mkdirSync(path, { recursive: true, mode: 0o700 });
  requireOwnerOnly(path, fs.statSync(path), what);
}
