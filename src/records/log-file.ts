/**
 * The append-only file under the store: one line per entry, each appended with a single write and made
 * durable (fdatasync) before the call returns. A process killed mid-write leaves at most one unterminated
 * last line; readers skip and report it, and the next writer cuts it off before appending.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEntry, type LogEntry } from './entries.js';
import { fsyncDir } from '../storage/files.js';
import { requireOwnerOnly } from './permissions.js';

export interface ReadProblem {
  /** 1-based line number. */
  line: number;
  /** What is wrong (never the line's content). */
  problem: string;
  /** true for an unterminated last line: a write cut short. */
  torn: boolean;
}

export interface LogLine {
  line: number;
  text: string;
  entry: LogEntry | null;
}

export interface ScanResult {
  problems: ReadProblem[];
  /** Length of the file up to and including its last newline. */
  completeBytes: number;
  /** Bytes after the last newline (an interrupted write). */
  tornBytes: number;
}

const CHUNK_BYTES = 1 << 20;
/** Problems listed one by one; past this they are counted (a log of garbage must not fill memory). */
const MAX_PROBLEMS = 100;

/**
 * Read the log a chunk at a time, calling `onLine` for every complete, non-empty line in order, so memory
 * stays flat however long the log is. Damaged lines come with `entry: null` and are listed in `problems`.
 */
export function scanLog(file: string, onLine: (line: LogLine) => void): ScanResult {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { problems: [], completeBytes: 0, tornBytes: 0 };
    throw err;
  }
  const problems: ReadProblem[] = [];
  let damaged = 0;
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let carry = Buffer.alloc(0);
  let read = 0;
  let lineNo = 0;
  try {
    for (let n = fs.readSync(fd, chunk, 0, CHUNK_BYTES, read); n > 0; n = fs.readSync(fd, chunk, 0, CHUNK_BYTES, read)) {
      read += n;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
        lineNo++;
        const text = data.toString('utf8', start, nl);
        start = nl + 1;
        if (text === '') continue;
        const parsed = parseEntry(text);
        if ('entry' in parsed) onLine({ line: lineNo, text, entry: parsed.entry });
        else {
          onLine({ line: lineNo, text, entry: null });
          if (++damaged <= MAX_PROBLEMS) problems.push({ line: lineNo, problem: parsed.problem, torn: false });
        }
      }
      carry = Buffer.from(data.subarray(start)); // a copy: `chunk` is reused
    }
  } finally {
    fs.closeSync(fd);
  }
  if (damaged > MAX_PROBLEMS)
    problems.push({ line: lineNo, problem: `${damaged - MAX_PROBLEMS} more damaged lines not listed`, torn: false });
  if (carry.length > 0) {
    problems.push({
      line: lineNo + 1,
      problem: `unfinished last line (${carry.length} bytes): a write was interrupted; ignored`,
      torn: true,
    });
  }
  return { problems, completeBytes: read - carry.length, tornBytes: carry.length };
}

/** Bytes after the last newline of an open file: an interrupted write (read backwards, not the whole file). */
function tornTailBytes(fd: number): { size: number; torn: number } {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - buf.length);
    const n = fs.readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(0x0a);
    if (nl !== -1) return { size, torn: size - (start + nl + 1) };
    end = start;
  }
  return { size, torn: size };
}

export class AppendOnlyFile {
  private fd: number | null;
  /** Set when a write failed part-way: the next append starts on a fresh line. */
  private needsNewline = false;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Open for appending (creating it owner-only); cut an interrupted last line, returning how many bytes went. */
  static open(file: string): { log: AppendOnlyFile; cutBytes: number } {
    const existed = fs.existsSync(file);
    // O_RDWR only so the tail can be read back; every write still lands at the end (O_APPEND).
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    try {
      requireOwnerOnly(file, fs.fstatSync(fd), 'record log');
      if (!existed) fsyncDir(path.dirname(file));
      const { size, torn } = tornTailBytes(fd);
      if (torn > 0) {
        fs.ftruncateSync(fd, size - torn);
        fs.fsyncSync(fd);
      }
      return { log: new AppendOnlyFile(file, fd), cutBytes: torn };
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Append one line (no newline inside) and return only once it is on disk. */
  append(line: string): void {
    if (this.fd === null) throw new Error('log is closed');
    const buf = Buffer.from(`${this.needsNewline ? '\n' : ''}${line}\n`, 'utf8');
    let written = 0;
    try {
      while (written < buf.length) written += fs.writeSync(this.fd, buf, written);
      fs.fdatasyncSync(this.fd);
      this.needsNewline = false;
    } catch (err) {
      if (written > 0) this.needsNewline = true;
      throw err;
    }
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Replace a file's content atomically: write the lines to a temp file, fsync, rename over, fsync the folder.
 * `fill` is handed a writer so a long log can be copied line by line.
 */
export function rewriteAtomically(file: string, fill: (writeLine: (text: string) => void) => void): void {
  const temp = `${file}.purge-${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    const buf = Buffer.from(pending.join(''), 'utf8');
    for (let written = 0; written < buf.length; ) written += fs.writeSync(fd, buf, written);
    pending = [];
    pendingChars = 0;
  };
  try {
    fill((text) => {
      pending.push(`${text}\n`);
      pendingChars += text.length + 1;
      if (pendingChars >= CHUNK_BYTES) flush();
    });
    flush();
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, file);
  fsyncDir(path.dirname(file));
}
