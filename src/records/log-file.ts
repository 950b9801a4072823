/**
 * The append-only file under the store: one line per entry, each appended with a single write and made
 * durable (fdatasync) before the call returns. A process killed mid-write leaves at most one unterminated
 * last line; readers skip and report it, and the next writer cuts it off before appending.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEntry, type LogEntry } from './entries.js';
import { fsyncDir, requireOwnerOnly } from './permissions.js';

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

export interface LogRead {
  lines: LogLine[];
  problems: ReadProblem[];
  /** Length of the file up to and including its last newline. */
  completeBytes: number;
  /** Bytes after the last newline (an interrupted write). */
  tornBytes: number;
}

export function readLog(file: string): LogRead {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], problems: [], completeBytes: 0, tornBytes: 0 };
    throw err;
  }
  const completeBytes = buf.lastIndexOf(0x0a) + 1;
  const lines: LogLine[] = [];
  const problems: ReadProblem[] = [];
  const texts = buf.subarray(0, completeBytes).toString('utf8').split('\n');
  texts.pop(); // the empty string after the final newline
  texts.forEach((text, i) => {
    if (text === '') return;
    const parsed = parseEntry(text);
    if ('entry' in parsed) lines.push({ line: i + 1, text, entry: parsed.entry });
    else {
      lines.push({ line: i + 1, text, entry: null });
      problems.push({ line: i + 1, problem: parsed.problem, torn: false });
    }
  });
  const tornBytes = buf.length - completeBytes;
  if (tornBytes > 0) {
    problems.push({ line: texts.length + 1, problem: `unfinished last line (${tornBytes} bytes): a write was interrupted; ignored`, torn: true });
  }
  return { lines, problems, completeBytes, tornBytes };
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
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    try {
      requireOwnerOnly(file, fs.fstatSync(fd), 'record log');
      if (!existed) fsyncDir(path.dirname(file));
      const { completeBytes, tornBytes } = readLog(file);
      if (tornBytes > 0) {
        fs.ftruncateSync(fd, completeBytes);
        fs.fsyncSync(fd);
      }
      return { log: new AppendOnlyFile(file, fd), cutBytes: tornBytes };
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

/** Replace a file's content atomically: temp file, fsync, rename over, fsync the folder. */
export function rewriteAtomically(file: string, lines: readonly string[]): void {
  const temp = `${file}.purge-${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    for (let written = 0; written < buf.length; ) written += fs.writeSync(fd, buf, written);
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
