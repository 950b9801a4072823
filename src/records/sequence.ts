/**
 * The entry sequence. Every line a store writes carries `seq`: 1, 2, 3… in log order, across all entry types, so
 * a later stage can name an entry by (desk, check id, seq) and know it has seen it before (the central shipper
 * does). A number is never given twice, not even after `purge` removed the lines holding the highest ones: purge
 * first writes the highest number given so far to entry-seq.json (atomically), and a writer opening the store
 * starts after the larger of that and the highest in the log. A number taken by a write that then failed is
 * skipped, not reused: gaps are allowed, repeats are not.
 *
 * Lines written before sequences existed have no `seq`; readers accept them as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../storage/files.js';
import { RecordError } from './errors.js';

export const SEQ_FILE = 'entry-seq.json';

/** The highest sequence purge has recorded (0 when the file is absent: no purge has removed a numbered line). */
export function readSeqFloor(dir: string): number {
  const file = path.join(dir, SEQ_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let highest: unknown;
  try {
    highest = (JSON.parse(text) as { highestSeq?: unknown }).highestSeq;
  } catch {
    highest = undefined;
  }
  if (typeof highest !== 'number' || !Number.isSafeInteger(highest) || highest < 0) {
    throw new RecordError(
      'SEQUENCE_DAMAGED',
      `${file} is damaged, so this store cannot tell which entry numbers it has given: restore it from a backup ` +
        '(or, knowing that numbers of entries purged since may be given again, remove it)',
    );
  }
  return highest;
}

/** Record the highest sequence given, before lines holding it may be removed. Durable when it returns. */
export function writeSeqFloor(dir: string, highest: number): void {
  writeFileAtomic(path.join(dir, SEQ_FILE), `${JSON.stringify({ v: 1, highestSeq: highest })}\n`, { mode: 0o600 });
}
