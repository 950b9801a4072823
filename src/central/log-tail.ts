/**
 * Reads a record log from a byte offset onwards, asynchronously and a chunk at a time, so following it never holds
 * up the desk. Only complete lines are returned (a line being written, or cut by a crash, is left for later). A log
 * replaced by `records purge` (a new file: another inode) or cut shorter starts again from its first byte; the
 * caller skips what it shipped by entry number.
 */
import { open, stat } from 'node:fs/promises';
import { parseEntry, type LogEntry } from '../records/entries.js';

export interface TailLine {
  text: string;
  /** null when the line is not an entry (damage is reported by the record tools, not here). */
  entry: LogEntry | null;
  /** Byte offset just past this line's newline. */
  end: number;
}

const CHUNK_BYTES = 256 * 1024;
/** A line longer than this is not an entry any writer makes: skipped without holding it in memory. */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

export class LogTail {
  private ino = -1;
  /** Where the next read starts. */
  offset = 0;

  constructor(readonly file: string) {}

  /** Start at `offset` of the file with inode `ino` (a cursor's hint); the next read checks both. */
  seek(ino: number, offset: number): void {
    this.ino = ino;
    this.offset = offset;
  }

  /** The file's inode and size now (null when there is no log yet). */
  async identity(): Promise<{ ino: number; size: number } | null> {
    try {
      const st = await stat(this.file);
      return { ino: st.ino, size: st.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /**
   * Up to `max` complete lines from the current offset, advancing past them. `restarted` is true when the file was
   * replaced or cut since the last read, and reading began again at its start.
   */
  async read(max: number): Promise<{ lines: TailLine[]; restarted: boolean; atEnd: boolean }> {
    const id = await this.identity();
    if (id === null) {
      const restarted = this.offset !== 0;
      this.offset = 0;
      this.ino = -1;
      return { lines: [], restarted, atEnd: true };
    }
    let restarted = false;
    if (id.ino !== this.ino || id.size < this.offset) {
      restarted = this.ino !== -1 || this.offset !== 0;
      this.ino = id.ino;
      this.offset = 0;
    }
    const lines: TailLine[] = [];
    if (this.offset >= id.size) return { lines, restarted, atEnd: true };
    const fh = await open(this.file, 'r');
    try {
      // The file may have been replaced between stat and open: then the next read sees the new inode.
      if ((await fh.stat()).ino !== this.ino) return { lines, restarted, atEnd: false };
      let chunk = Buffer.alloc(CHUNK_BYTES);
      let pos = this.offset;
      let skipping = false; // inside an over-long line: drop bytes up to its newline
      while (lines.length < max && pos < id.size) {
        const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, id.size - pos), pos);
        if (bytesRead === 0) break;
        const data = chunk.subarray(0, bytesRead);
        let start = 0;
        for (let nl = data.indexOf(0x0a); nl !== -1 && lines.length < max; nl = data.indexOf(0x0a, start)) {
          const end = pos + nl + 1;
          if (!skipping && nl > start) {
            const text = data.toString('utf8', start, nl);
            const parsed = parseEntry(text);
            lines.push({ text, entry: 'entry' in parsed ? parsed.entry : null, end });
          }
          skipping = false;
          start = nl + 1;
          this.offset = end;
        }
        if (lines.length >= max) break;
        if (start === 0 && bytesRead === chunk.length) {
          // No newline in a whole chunk: a long line. Grow the buffer up to the limit, then skip the line.
          if (chunk.length < MAX_LINE_BYTES && !skipping) {
            chunk = Buffer.alloc(chunk.length * 2);
            continue;
          }
          skipping = true;
          pos += bytesRead;
          continue;
        }
        if (start === 0) break; // an unfinished last line: wait for its newline
        pos += start; // read on from the first byte after the last newline
      }
    } finally {
      await fh.close();
    }
    return { lines, restarted, atEnd: this.offset >= id.size };
  }

  /** The complete line that ends just before `offset` (to check a cursor's hint), or null. */
  async lineBefore(offset: number): Promise<string | null> {
    if (offset <= 0) return null;
    const fh = await open(this.file, 'r').catch(() => null);
    if (fh === null) return null;
    try {
      const back = Math.min(offset, 64 * 1024);
      const buf = Buffer.alloc(back);
      const { bytesRead } = await fh.read(buf, 0, back, offset - back);
      if (bytesRead !== back || buf[back - 1] !== 0x0a) return null;
      const prev = buf.subarray(0, back - 1).lastIndexOf(0x0a);
      if (prev === -1 && back < offset) return null; // longer than we looked back: not a line we wrote
      return buf.toString('utf8', prev + 1, back - 1);
    } finally {
      await fh.close();
    }
  }
}
