/**
 * RecordStore: the desk's check records.
 *
 *   <dir>/checks.jsonl          append-only log, one JSON entry per line (mode 0600)
 *   <dir>/personal/<id>.pdc     sealed personal copy per check, only when configured (mode 0600)
 *   <dir>/writer.lock           pid of the one process allowed to write
 *   <dir>/entry-seq.json        the highest entry sequence ever given, written before a purge removes lines
 * The folder and personal/ are 0700. docs/records.md explains the choices.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Outcome } from '../check/outcome.js';
import { addDays, parseSince, requireCalendarDate, requireInstant, utcDate } from './dates.js';
import {
  CHECK_ID,
  DESK_ID,
  LIKENESS_ANSWERS,
  checkRecordProblem,
  type CheckRecord,
  type FoldedCheck,
  type KeepEntry,
  type Likeness,
  type LikenessEntry,
  type LogEntry,
} from './entries.js';
import { RecordError } from './errors.js';
import { CheckFold, KeepUntilIndex } from './fold.js';
import { loadKey, type RecordKey } from './key-file.js';
import { AppendOnlyFile, rewriteAtomically, scanLog, type ReadProblem } from './log-file.js';
import { fsyncDir, TEMP_PREFIX, writeFileAtomic } from '../storage/files.js';
import { ensureOwnerOnlyDir, requireOwnerOnly } from './permissions.js';
import { openPersonalCopy, sealPersonalCopy, sealedKeyId, type PersonalCopy } from './personal-copy.js';
import { askWriter, serveRequests, type MaintenanceRequest, type MaintenanceResult } from './requests.js';
import { WriterLock } from './writer-lock.js';
import { readSeqFloor, SEQ_FILE, writeSeqFloor } from './sequence.js';

export { SEQ_FILE } from './sequence.js';

export const LOG_FILE = 'checks.jsonl';
export const PERSONAL_DIR = 'personal';
const BLOB_SUFFIX = '.pdc';

export type NewCheck = Omit<CheckRecord, 'type' | 'keepUntil' | 'deskId' | 'seq'> & { keepUntil?: string };

export interface RecordStoreOptions {
  dir: string;
  deskId: string;
  /** Default keep-until = check date (UTC) + this many days. */
  retentionDays: number;
  /** Keep personal copies, sealed with the key in this file (created 0600 when absent). */
  personalCopy?: { keyFile: string };
  /**
   * How often (ms) to look for `records keep` / `records purge` requests left in the folder, and carry them
   * out (requests.ts), so those commands work while this writer runs. Default 250; 0 turns it off (the
   * commands then say the store is busy).
   */
  requestPollMs?: number;
}

/** What `RecordStore.maintain` did, and which process did it (`by`: the pid of the writer that held the store, or null when this process did it). */
export type MaintenanceOutcome = MaintenanceResult & { by: number | null };

/** Told of every entry once it is durable in the log (`RecordStore.onAppend`). */
export type AppendListener = (entry: LogEntry) => void;

/** SHA-256 (hex) of a credential's text, as stored in `credentialSha256`. */
export function credentialSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A fresh check id: time-ordered and short enough to type (`20261123-194920-9f3a1c2e`). */
export function newCheckId(now: Date = new Date()): string {
  const t = now.toISOString();
  return `${t.slice(0, 10).replaceAll('-', '')}-${t.slice(11, 19).replaceAll(':', '')}-${randomBytes(4).toString('hex')}`;
}

/** How long a desk writer opening the store waits for a `records keep` / `purge` command that holds it. */
const MAINTENANCE_WAIT_MS = 30_000;

/** Longest kid kept as is. A kid comes from the scanned code, so its length is the sender's choice. */
const MAX_KID_CHARS = 256;

/** An over-long kid is shortened (and marked) rather than refused: every scan must leave its record. */
function boundedKid(kid: string): string {
  const chars = [...kid];
  return chars.length <= MAX_KID_CHARS ? kid : `${chars.slice(0, MAX_KID_CHARS - 32).join('')}…[${chars.length} chars]`;
}

/**
 * The store's copies must all open with one key. A key file that is not the one they were sealed with — a
 * mistyped path in the config quietly creating a fresh key, a key restored from the wrong backup — is refused
 * before any copy is sealed with it. One copy is looked at (they all share the key).
 */
function requireSameKey(personalDir: string, key: RecordKey, keyFile: string): void {
  const one = fs.readdirSync(personalDir).find((n) => n.endsWith(BLOB_SUFFIX));
  if (one === undefined) return;
  let id: Buffer | null = null;
  try {
    const fd = fs.openSync(path.join(personalDir, one), 'r');
    try {
      const head = Buffer.alloc(64);
      id = sealedKeyId(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return; // unreadable or gone: purge deals with it
  }
  if (id === null || id.equals(key.id)) return;
  if (key.created) fs.rmSync(keyFile, { force: true }); // the key just made by mistake: no copy uses it
  throw new RecordError(
    'WRONG_KEY',
    `the personal copies in ${personalDir} were sealed with another key (key id ${id.toString('hex')}), not ${keyFile}` +
      `${key.created ? ' (which did not exist)' : ` (key id ${key.id.toString('hex')})`}: check records.personalCopy.keyFile; ` +
      'to start a new key on purpose, move the old personal/ folder away first',
  );
}

function requireCheckId(checkId: string): string {
  if (typeof checkId !== 'string' || !CHECK_ID.test(checkId)) {
    throw new RecordError('BAD_ARGUMENT', `check id must be 1-64 letters, digits, '-' or '_', got ${JSON.stringify(checkId)}`);
  }
  return checkId;
}

/** Read access to a store: list, problems, personal copies. No lock, never writes. */
export class RecordReader {
  protected problemsSeen: ReadProblem[] = [];
  protected closed = false;

  protected constructor(
    readonly dir: string,
    protected readonly key: RecordKey | null,
  ) {}

  /** Open an existing store to read. `keyFile` is needed only to read personal copies. */
  static openReadOnly(opts: { dir: string; keyFile?: string }): RecordReader {
    const dir = path.resolve(opts.dir);
    if (!fs.existsSync(path.join(dir, LOG_FILE))) {
      throw new RecordError('STORE_MISSING', `no record store at ${dir} (no ${LOG_FILE}: no check has been recorded there)`);
    }
    requireOwnerOnly(dir, fs.statSync(dir), 'record folder');
    requireOwnerOnly(path.join(dir, LOG_FILE), fs.statSync(path.join(dir, LOG_FILE)), 'record log');
    const key = opts.keyFile ? loadKey(opts.keyFile, { create: false }) : null;
    return new RecordReader(dir, key);
  }

  get logFile(): string {
    return path.join(this.dir, LOG_FILE);
  }

  /** Every check, in the order recorded, folded with its follow-ups. `since`: a date or ISO instant. */
  list(opts: { since?: string } = {}): FoldedCheck[] {
    this.requireOpen();
    const since = opts.since === undefined ? null : parseSince(opts.since);
    const fold = new CheckFold();
    const scan = scanLog(this.logFile, ({ line, entry }) => entry && fold.add(line, entry));
    this.problemsSeen = [...scan.problems, ...fold.problems].sort((a, b) => a.line - b.line);
    const all = fold.list();
    return since === null ? all : all.filter((c) => Date.parse(c.at) >= since);
  }

  /** Lines the last `list()` (or open) skipped: interrupted writes, damage, orphaned follow-ups. */
  readProblems(): ReadProblem[] {
    return [...this.problemsSeen];
  }

  get(checkId: string): FoldedCheck | undefined {
    requireCheckId(checkId);
    return this.list().find((c) => c.checkId === checkId);
  }

  hasPersonalCopy(checkId: string): boolean {
    return fs.existsSync(this.blobPath(requireCheckId(checkId)));
  }

  /** Decrypt a check's personal copy. Throws NO_PERSONAL_COPY, KEY_MISSING, WRONG_KEY or PERSONAL_COPY_TAMPERED. */
  readPersonal(checkId: string): PersonalCopy {
    const check = this.get(checkId);
    if (!check) throw new RecordError('UNKNOWN_CHECK', `no check ${checkId} in ${this.dir}`);
    return this.readPersonalOf(check);
  }

  /**
   * The personal copy of a check line already in hand (no pass over the log): the same checks as `readPersonal`,
   * the copy's credential hashing to the line's `credentialSha256` among them.
   */
  readPersonalOf(check: Pick<CheckRecord, 'checkId' | 'credentialSha256'>): PersonalCopy {
    this.requireOpen();
    const checkId = requireCheckId(check.checkId);
    let blob: Buffer;
    try {
      const fd = fs.openSync(this.blobPath(checkId), 'r');
      try {
        requireOwnerOnly(this.blobPath(checkId), fs.fstatSync(fd), 'personal copy');
        blob = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      if (err instanceof RecordError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      throw new RecordError(
        'NO_PERSONAL_COPY',
        `check ${checkId} has no personal copy (copies are kept only when the desk's config turns them on)`,
      );
    }
    if (!this.key) throw new RecordError('KEY_MISSING', `reading the personal copy of check ${checkId} needs the key file (--key-file)`);
    const copy = openPersonalCopy(checkId, blob, this.key);
    if (credentialSha256(copy.credentialText) !== check.credentialSha256) {
      throw new RecordError('PERSONAL_COPY_TAMPERED', `personal copy of check ${checkId} does not match the check's credential hash`);
    }
    return copy;
  }

  close(): void {
    this.closed = true;
  }

  protected blobPath(checkId: string): string {
    return path.join(this.dir, PERSONAL_DIR, `${checkId}${BLOB_SUFFIX}`);
  }

  protected requireOpen(): void {
    if (this.closed) throw new RecordError('STORE_CLOSED', 'record store is closed');
  }
}

/** The writer: appends checks and follow-ups, extends keep-until, purges. One per store at a time. */
export class RecordStore extends RecordReader {
  /** keep-until of every check in the log (this process is the only writer, so it stays exact). */
  private readonly keepUntilById: Map<string, string>;
  private readonly index: KeepUntilIndex;
  private log: AppendOnlyFile;
  /** Bytes of an interrupted last write that opening cut off (0 when the log was whole). */
  readonly recoveredTornBytes: number;
  /** The personal-copy key file this open created (absent before): the kiosk should say so, it must be backed up. */
  readonly createdKeyFile: string | null;
  private requestTimer: NodeJS.Timeout | null = null;
  /** The sequence the next entry gets (sequence.ts). */
  private nextSeq: number;
  private readonly listeners = new Set<AppendListener>();

  private constructor(
    dir: string,
    key: RecordKey | null,
    private readonly desk: { deskId: string; retentionDays: number } | null,
    private readonly lock: WriterLock,
    keyFile: string | undefined,
  ) {
    super(dir, key);
    this.createdKeyFile = key?.created && keyFile !== undefined ? path.resolve(keyFile) : null;
    const { log, cutBytes } = AppendOnlyFile.open(this.logFile);
    this.log = log;
    this.recoveredTornBytes = cutBytes;
    const index = new KeepUntilIndex();
    let highestSeq = readSeqFloor(dir);
    this.problemsSeen = scanLog(this.logFile, ({ entry }) => {
      if (!entry) return;
      index.add(entry);
      if (entry.seq !== undefined && entry.seq > highestSeq) highestSeq = entry.seq;
    }).problems;
    this.index = index;
    this.keepUntilById = index.keepUntil;
    this.nextSeq = highestSeq + 1;
  }

  /** The sequence of the last entry this store gave (0 before the first). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Be told of each entry once it is durable in the log, with its `seq` (the central shipper wakes on it). Called
   * synchronously after the write; a listener that throws is ignored. Returns the function that stops it.
   */
  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  static async open(opts: RecordStoreOptions): Promise<RecordStore> {
    if (typeof opts.deskId !== 'string' || !DESK_ID.test(opts.deskId)) {
      throw new RecordError('BAD_ARGUMENT', `desk id must be 1-64 printable ASCII characters, got ${JSON.stringify(opts.deskId)}`);
    }
    if (!Number.isSafeInteger(opts.retentionDays) || opts.retentionDays < 1 || opts.retentionDays > 36_600) {
      throw new RecordError('BAD_ARGUMENT', `retention days must be a whole number from 1 to 36600, got ${opts.retentionDays}`);
    }
    const pollMs = opts.requestPollMs ?? 250;
    if (!Number.isSafeInteger(pollMs) || pollMs < 0)
      throw new RecordError('BAD_ARGUMENT', `requestPollMs must be a whole number >= 0, got ${pollMs}`);
    const desk = { deskId: opts.deskId, retentionDays: opts.retentionDays };
    // A `records keep` or `purge` command holds the store for a moment: the kiosk starting then waits for it
    // (up to MAINTENANCE_WAIT_MS) rather than fail to start. Another desk writer is refused at once.
    const deadline = Date.now() + MAINTENANCE_WAIT_MS;
    let store: RecordStore;
    for (;;) {
      try {
        store = RecordStore.openWriter(opts.dir, opts.personalCopy?.keyFile, desk, pollMs > 0);
        break;
      } catch (err) {
        if (!(err instanceof RecordError && err.code === 'STORE_BUSY') || Date.now() > deadline) throw err;
        // null: the command let go between our attempt and this read (or is writing its pid): try again.
        const holder = WriterLock.holder(path.resolve(opts.dir));
        if (holder !== null && (holder.servesRequests || holder.pid === process.pid)) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (pollMs > 0) {
      store.requestTimer = setInterval(() => {
        try {
          store.serveRequests();
        } catch {
          // A folder problem (it went away, a disk error): the asking command times out and says so; the kiosk goes on.
        }
      }, pollMs);
      store.requestTimer.unref(); // never what keeps a process alive
    }
    return store;
  }

  /**
   * Open to extend keep-until or purge only: cannot record checks. The store must exist (a mistyped folder is
   * STORE_MISSING, not a new empty store). While another process holds it, use `maintain`.
   */
  static openForMaintenance(opts: { dir: string }): RecordStore {
    const dir = path.resolve(opts.dir);
    if (!fs.existsSync(path.join(dir, LOG_FILE))) {
      throw new RecordError('STORE_MISSING', `no record store at ${dir} (no ${LOG_FILE}: no check has been recorded there)`);
    }
    return RecordStore.openWriter(dir, undefined, null, false);
  }

  /**
   * `records keep` / `records purge`: do it here when the store is free, or — when the kiosk (a writer opened
   * with `open`) holds it — leave the request for the kiosk and wait for its answer. Throws what the operation
   * throws, STORE_BUSY when the holder takes no requests, WRITER_NO_ANSWER after `timeoutMs` (default 60 s).
   */
  static async maintain(opts: { dir: string; timeoutMs?: number }, req: MaintenanceRequest): Promise<MaintenanceOutcome> {
    const dir = path.resolve(opts.dir);
    requireOwner(dir);
    let busy: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      let store: RecordStore;
      try {
        store = RecordStore.openForMaintenance({ dir });
      } catch (err) {
        if (!(err instanceof RecordError && err.code === 'STORE_BUSY')) throw err;
        busy = err;
        const holder = WriterLock.holder(dir);
        if (holder === null) continue; // it just went away
        if (!holder.servesRequests) throw err;
        const answer = await askWriter(dir, holder.pid, req, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
        if (answer === null) continue; // it stopped before taking the request: do it here
        if (!answer.ok) throw new RecordError(answer.code, answer.message);
        const { ok: _ok, ...result } = answer;
        return { ...result, by: holder.pid };
      }
      try {
        return { ...store.carryOut(req), by: null };
      } finally {
        store.close();
      }
    }
    throw busy;
  }

  private static openWriter(dirIn: string, keyFile: string | undefined, desk: RecordStore['desk'], servesRequests: boolean): RecordStore {
    const dir = path.resolve(dirIn);
    ensureOwnerOnlyDir(dir, 'record folder');
    const key = keyFile ? loadKey(keyFile, { create: true }) : null;
    if (key) {
      ensureOwnerOnlyDir(path.join(dir, PERSONAL_DIR), 'personal-copy folder');
      requireSameKey(path.join(dir, PERSONAL_DIR), key, keyFile!);
    }
    const lock = WriterLock.acquire(dir, { servesRequests });
    try {
      // A purge killed before its rename leaves its temp file, and one killed while it wrote the sequence floor
      // leaves that file's temp copy (writeFileAtomic); only the lock holder may clear them.
      const seqTemp = `${TEMP_PREFIX}${SEQ_FILE}.`;
      for (const name of fs.readdirSync(dir)) {
        if (/^checks\.jsonl\.purge-\d+\.tmp$/.test(name) || name.startsWith(seqTemp)) fs.rmSync(path.join(dir, name), { force: true });
      }
      return new RecordStore(dir, key, desk, lock, keyFile);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * Carry out the `records keep` / `records purge` requests waiting in the folder (the timer `open` starts does
   * this every `requestPollMs`). Returns how many were answered. A purge runs here, synchronously: about 1 s
   * per 100,000 checks (BENCHMARKS.md), during which this process does nothing else.
   */
  serveRequests(): number {
    if (this.closed) return 0;
    return serveRequests(this.dir, (req) => this.carryOut(req));
  }

  private carryOut(req: MaintenanceRequest): MaintenanceResult {
    if (req.op === 'purge') return { op: 'purge', ...this.purge() };
    this.keep(req.checkId, req.until);
    return { op: 'keep', checkId: req.checkId, keepUntil: this.requireKnown(req.checkId) };
  }

  /** Record a check; durable before it returns. A personal copy is kept only if the store was opened with a key. */
  appendCheck(rec: NewCheck, personal?: PersonalCopy): CheckRecord {
    this.requireOpen();
    if (!this.desk) throw new RecordError('BAD_ARGUMENT', 'this store was opened for maintenance and cannot record checks');
    requireCheckId(rec.checkId);
    requireInstant(rec.at, 'check time');
    const checkDate = utcDate(rec.at);
    const keepUntil =
      rec.keepUntil === undefined ? addDays(checkDate, this.desk.retentionDays) : requireCalendarDate(rec.keepUntil, 'keep-until');
    if (keepUntil < checkDate) throw new RecordError('BAD_ARGUMENT', `keep-until ${keepUntil} is before the check date ${checkDate}`);
    const record: CheckRecord = {
      type: 'check',
      checkId: rec.checkId,
      at: rec.at,
      deskId: this.desk.deskId,
      purpose: rec.purpose,
      verdict: rec.verdict,
      reason: rec.reason,
      kid: rec.kid === null ? null : boundedKid(rec.kid),
      credentialSha256: rec.credentialSha256,
      followUpDate: rec.followUpDate,
      keepUntil,
      ...(rec.statusListUri !== undefined && { statusListUri: rec.statusListUri }),
      ...(rec.statusListIdx !== undefined && { statusListIdx: rec.statusListIdx }),
      ...(rec.credentialId !== undefined && { credentialId: rec.credentialId }),
      ...(rec.outcome !== undefined ? { outcome: rec.outcome } : {}),
      ...(rec.demo === true ? { demo: true as const } : {}),
      ...(rec.revocation !== undefined ? { revocation: rec.revocation } : {}),
    };
    const problem = checkRecordProblem(record);
    if (problem) throw new RecordError('BAD_ARGUMENT', `check record not valid: ${problem}`);
    if (this.keepUntilById.has(record.checkId)) throw new RecordError('DUPLICATE_CHECK', `check ${record.checkId} is already recorded`);
    if (personal && this.key) {
      if (credentialSha256(personal.credentialText) !== record.credentialSha256) {
        throw new RecordError('BAD_ARGUMENT', "credentialSha256 does not match the personal copy's credential text");
      }
      // The copy goes to disk first: a crash before the log line leaves an orphan that purge removes,
      // never a record that points at a copy that is not there.
      this.writeBlob(record.checkId, sealPersonalCopy(record.checkId, personal, this.key));
    }
    try {
      this.appendEntry(record);
    } catch (err) {
      fs.rmSync(this.blobPath(record.checkId), { force: true }); // no record, so no copy either
      throw err;
    }
    this.index.set(record.checkId, keepUntil);
    return record;
  }

  /** Record the clerk's answer about the photo, with the check's outcome after it (src/check/outcome.ts). */
  appendLikeness(checkId: string, likeness: Likeness, now: Date = new Date(), outcome?: Outcome): void {
    this.requireOpen();
    this.requireKnown(checkId);
    if (!(LIKENESS_ANSWERS as readonly string[]).includes(likeness)) {
      throw new RecordError('BAD_ARGUMENT', `likeness must be one of ${LIKENESS_ANSWERS.join(', ')}, got ${JSON.stringify(likeness)}`);
    }
    const entry: LikenessEntry = {
      type: 'likeness',
      checkId,
      at: now.toISOString(),
      likeness,
      ...(outcome !== undefined ? { outcome } : {}),
    };
    this.appendEntry(entry);
  }

  /**
   * Add who checked and the organisation's reference to a check's personal copy: it is opened, extended and sealed
   * again, atomically. These details live only in the sealed copy, never in the log.
   */
  addPersonalDetails(checkId: string, details: Pick<PersonalCopy, 'checkerName' | 'reference' | 'referenceLabel'>): void {
    this.requireOpen();
    this.requireKnown(checkId);
    if (!this.key)
      throw new RecordError(
        'NO_PERSONAL_COPY',
        `check ${checkId} has no personal copy (copies are kept only when the desk's config turns them on)`,
      );
    const copy = this.readPersonal(checkId);
    const next: PersonalCopy = { ...copy };
    for (const field of ['checkerName', 'reference', 'referenceLabel'] as const) {
      const value = details[field];
      if (value !== undefined) next[field] = value;
    }
    this.writeBlob(checkId, sealPersonalCopy(checkId, next, this.key));
  }

  /** Extend a check's keep-until (never shorten it). */
  keep(checkId: string, until: string, now: Date = new Date()): void {
    this.requireOpen();
    const current = this.requireKnown(checkId);
    requireCalendarDate(until, 'keep-until');
    if (until < current)
      throw new RecordError('KEEP_NOT_LATER', `check ${checkId} is already kept until ${current}; keep can only extend it`);
    if (until === current) return;
    const entry: KeepEntry = { type: 'keep', checkId, at: now.toISOString(), until };
    this.appendEntry(entry);
    this.index.set(checkId, until);
  }

  /**
   * Number the entry and append it, durably. The number is taken before the write: a write that fails may still
   * have reached the disk, so its number is never given again.
   */
  private appendEntry(entry: LogEntry): void {
    entry.seq = this.nextSeq++;
    this.log.append(JSON.stringify(entry));
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // A listener's failure is its own; the entry is on disk.
      }
    }
  }

  /**
   * Remove every check whose keep-until (UTC date) is before `now`'s date, with its follow-ups and personal
   * copy, by rewriting the log atomically. Also removes personal copies no check points at (a crash between
   * writing a copy and its record). Lines it cannot read are kept as they are: it cannot tell their age.
   */
  purge(now: Date = new Date()): { removed: number; orphanCopiesRemoved: number } {
    this.requireOpen();
    const today = utcDate(now);
    const expired = new Set([...this.keepUntilById].filter(([, until]) => until < today).map(([id]) => id));
    if (expired.size > 0) {
      writeSeqFloor(this.dir, this.lastSeq); // the removed lines may hold the highest numbers given
      this.log.close();
      try {
        rewriteAtomically(this.logFile, (writeLine) => {
          scanLog(this.logFile, ({ text, entry }) => {
            if (!(entry && expired.has(entry.checkId))) writeLine(text);
          });
        });
      } finally {
        this.log = AppendOnlyFile.open(this.logFile).log; // the new file, or the old one if the rewrite failed
      }
      for (const id of expired) this.keepUntilById.delete(id);
    }
    let orphanCopiesRemoved = 0;
    const personalDir = path.join(this.dir, PERSONAL_DIR);
    if (fs.existsSync(personalDir)) {
      let removedAny = false;
      for (const name of fs.readdirSync(personalDir)) {
        const id = name.endsWith(BLOB_SUFFIX) ? name.slice(0, -BLOB_SUFFIX.length) : null;
        if (id !== null && this.keepUntilById.has(id)) continue;
        fs.rmSync(path.join(personalDir, name), { force: true });
        removedAny = true;
        if (id === null || !expired.has(id)) orphanCopiesRemoved++;
      }
      if (removedAny) fsyncDir(personalDir);
    }
    return { removed: expired.size, orphanCopiesRemoved };
  }

  override close(): void {
    if (this.closed) return;
    if (this.requestTimer) clearInterval(this.requestTimer);
    this.requestTimer = null;
    this.listeners.clear();
    this.log.close();
    this.lock.release();
    super.close();
  }

  private requireKnown(checkId: string): string {
    requireCheckId(checkId);
    const keepUntil = this.keepUntilById.get(checkId);
    if (keepUntil === undefined) throw new RecordError('UNKNOWN_CHECK', `no check ${checkId} in ${this.dir}`);
    return keepUntil;
  }

  /** temp + fsync + rename: a copy is either whole or absent (a temp left by a crash is removed by purge). */
  private writeBlob(checkId: string, blob: Buffer): void {
    writeFileAtomic(this.blobPath(checkId), blob, { mode: 0o600 });
  }
}

/**
 * keep / purge must run as the store's owner (the kiosk's user): the kiosk cannot read a request file another user
 * made owner-only, and a rewrite by root while the kiosk is stopped would leave a log the kiosk may not open.
 */
function requireOwner(dir: string): void {
  let owner: number;
  try {
    owner = fs.statSync(dir).uid;
  } catch {
    return; // absent: openForMaintenance says STORE_MISSING
  }
  const me = process.getuid?.();
  if (me !== undefined && me !== owner) {
    throw new RecordError(
      'WRONG_USER',
      `record store ${dir} belongs to uid ${owner}, not this user (uid ${me}): run this command as that user (e.g. sudo -u proofdesk …)`,
    );
  }
}
