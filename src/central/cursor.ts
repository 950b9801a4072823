/**
 * The shipping cursor: how far this desk's log is known to be in the central database, kept durably in the record
 * folder (central-cursor.json, written atomically after each batch the server committed). It is a promise about one
 * database (its organisation id): pointed at another, the desk ships everything again.
 *
 * Losing it, or a crash between the server's commit and the cursor's write, only means entries are sent again, and
 * the server keeps the first of each (the inserts are idempotent). So the cursor never has to be exact, only never
 * ahead of the server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../storage/files.js';

export const CURSOR_FILE = 'central-cursor.json';

export interface Cursor {
  /** The organisation id of the database these entries reached. */
  orgId: string | null;
  /**
   * Every numbered entry up to this one is in that database; when above 0, so are the lines written before entries
   * were numbered that precede the first numbered one (they were shipped first).
   */
  shippedSeq: number;
  /** Where the last shipped line ends (a hint to start reading there; checked before use). */
  hint: { ino: number; offset: number } | null;
}

const EMPTY_CURSOR: Cursor = { orgId: null, shippedSeq: 0, hint: null };

/** The cursor on disk, or EMPTY_CURSOR when there is none or it cannot be read (shipping again is safe). */
export function readCursor(dir: string): { cursor: Cursor; problem: string | null } {
  const file = path.join(dir, CURSOR_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cursor: EMPTY_CURSOR, problem: null };
    return { cursor: EMPTY_CURSOR, problem: `cannot read ${file} (${(err as NodeJS.ErrnoException).code}): shipping every entry again` };
  }
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const hint = j.hint as { ino?: unknown; offset?: unknown } | null | undefined;
    if (
      j.v === 1 &&
      (typeof j.orgId === 'string' || j.orgId === null) &&
      Number.isSafeInteger(j.shippedSeq) &&
      (j.shippedSeq as number) >= 0
    ) {
      const okHint = hint && Number.isSafeInteger(hint.ino) && Number.isSafeInteger(hint.offset) && (hint.offset as number) > 0;
      return {
        cursor: {
          orgId: j.orgId as string | null,
          shippedSeq: j.shippedSeq as number,
          hint: okHint ? { ino: hint.ino as number, offset: hint.offset as number } : null,
        },
        problem: null,
      };
    }
  } catch {
    // fall through
  }
  return { cursor: EMPTY_CURSOR, problem: `${file} is damaged: shipping every entry again (the server keeps each entry once)` };
}

export function writeCursor(dir: string, cursor: Cursor): void {
  writeFileAtomic(path.join(dir, CURSOR_FILE), `${JSON.stringify({ v: 1, ...cursor })}\n`, { mode: 0o600 });
}
