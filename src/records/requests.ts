/**
 * Maintenance requests: how `records keep` and `records purge` work while the kiosk runs.
 *
 * The kiosk holds the writer lock all day, and a second writer must not purge under it (purge replaces the log
 * the kiosk appends to). So a command that finds the store held by a writer that serves requests leaves one in
 * the store folder, and the writer carries it out with its own store object: there is still one writer.
 *
 *   request-<16 hex>.json    {"op":"keep","checkId":…,"until":…} or {"op":"purge"}  (written aside, renamed in)
 *   response-<16 hex>.json   {"ok":true,…result} or {"ok":false,"code":…,"message":…}
 *
 * The folder is owner-only, so only its owner (or root) can ask. Files are small and read with a size limit.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordError, type RecordErrorCode } from './errors.js';
import { pidAlive } from '../storage/pid-lock.js';

export type MaintenanceRequest = { op: 'keep'; checkId: string; until: string } | { op: 'purge' };
export type MaintenanceResult =
  | { op: 'keep'; checkId: string; keepUntil: string }
  | { op: 'purge'; removed: number; orphanCopiesRemoved: number };
export type MaintenanceResponse = ({ ok: true } & MaintenanceResult) | { ok: false; code: RecordErrorCode; message: string };

const REQUEST = /^request-([0-9a-f]{16})\.json$/;
const SWEPT = /^(?:request|response)-[0-9a-f]{16}\.json(?:\.tmp)?$/;
const MAX_FILE_BYTES = 4096;
/** Responses nobody collected (the asking command was killed) and half-written files are removed after this. */
const STALE_MS = 5 * 60_000;

const requestFile = (dir: string, id: string) => path.join(dir, `request-${id}.json`);
const responseFile = (dir: string, id: string) => path.join(dir, `response-${id}.json`);

/** Write aside and rename in, so the other side never reads half a file. */
function writeWhole(file: string, value: unknown): void {
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(value), { mode: 0o600 });
  fs.renameSync(temp, file);
}

function readSmall(file: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(MAX_FILE_BYTES + 1);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return n > MAX_FILE_BYTES ? null : buf.toString('utf8', 0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function parseRequest(text: string | null): MaintenanceRequest | null {
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (r.op === 'purge' && Object.keys(r).length === 1) return { op: 'purge' };
  if (r.op === 'keep' && typeof r.checkId === 'string' && typeof r.until === 'string' && Object.keys(r).length === 3) {
    return { op: 'keep', checkId: r.checkId, until: r.until };
  }
  return null;
}

/**
 * Writer side: carry out every pending request with `handle` and answer it. Returns how many were answered.
 * Never throws: a request it cannot read is answered with BAD_ARGUMENT, a failure with its code.
 */
export function serveRequests(dir: string, handle: (req: MaintenanceRequest) => MaintenanceResult, now = Date.now()): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let answered = 0;
  for (const name of names) {
    const m = REQUEST.exec(name);
    if (!m) {
      if (SWEPT.test(name)) sweepIfStale(path.join(dir, name), now);
      continue;
    }
    const id = m[1]!;
    const file = path.join(dir, name);
    const text = readSmall(file);
    try {
      fs.unlinkSync(file); // taken: the asking side may withdraw a request only while it is still there
    } catch {
      continue;
    }
    const req = parseRequest(text);
    let response: MaintenanceResponse;
    if (req === null) response = { ok: false, code: 'BAD_ARGUMENT', message: 'maintenance request not understood' };
    else {
      try {
        response = { ok: true, ...handle(req) };
      } catch (err) {
        response =
          err instanceof RecordError
            ? { ok: false, code: err.code, message: err.message }
            : { ok: false, code: 'WRITER_FAILED', message: `the process holding the store could not do it: ${(err as Error).message}` };
      }
    }
    try {
      writeWhole(responseFile(dir, id), response);
      answered++;
    } catch {
      // The folder went away or is full: the asking side times out and says so.
    }
  }
  return answered;
}

function sweepIfStale(file: string, now: number): void {
  try {
    if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

/**
 * Asking side: leave `req` for the writer holding `dir` and wait for its answer. Resolves with the answer, or
 * null when the holder went away before taking the request (the caller can then do the work itself).
 * Throws WRITER_NO_ANSWER after `timeoutMs`.
 */
export async function askWriter(
  dir: string,
  holderPid: number,
  req: MaintenanceRequest,
  opts: { timeoutMs?: number; pollMs?: number } = {},
): Promise<MaintenanceResponse | null> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 25;
  const id = randomBytes(8).toString('hex');
  const reqFile = requestFile(dir, id);
  const resFile = responseFile(dir, id);
  writeWhole(reqFile, req);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = readSmall(resFile);
    if (text !== null) {
      fs.rmSync(resFile, { force: true });
      try {
        return JSON.parse(text) as MaintenanceResponse;
      } catch {
        throw new RecordError(
          'WRITER_FAILED',
          `the process holding the record store (pid ${holderPid}) gave an answer that could not be read`,
        );
      }
    }
    const stillQueued = fs.existsSync(reqFile);
    if (stillQueued && !pidAlive(holderPid)) {
      fs.rmSync(reqFile, { force: true });
      return null;
    }
    if (Date.now() > deadline) {
      fs.rmSync(reqFile, { force: true });
      const waited = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
      throw new RecordError(
        'WRITER_NO_ANSWER',
        stillQueued
          ? `the record store is held by process ${holderPid}, which did not take the request within ${waited}; try again`
          : `process ${holderPid} took the request but did not answer within ${waited}; it may still finish: check with records list`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
