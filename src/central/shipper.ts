/**
 * Ships the desk's record log to the central database: every entry arrives exactly once in effect.
 *
 *   record log (the source of truth) → LogTail → batch → one transaction: INSERT … ON CONFLICT DO NOTHING
 *                                                      → cursor (durable, after the commit)
 *
 * At-least-once delivery (a batch is sent until a commit is confirmed; the cursor moves only after it) plus
 * idempotent inserts keyed by (desk, check id, entry number) make duplicates harmless: a kill -9 between the
 * commit and the cursor write, a lost answer, a restart — the server keeps the first copy of each entry. Entries are
 * never updated or replaced centrally: a later likeness answer is one more row.
 *
 * The desk never waits for it: the record store only wakes the shipper (onAppend) after its own durable write, and
 * everything here is asynchronous. While the server is away the shipper backs off (1 s, doubling, at most 30 s, with
 * jitter so a fleet does not reconnect in step) and the backlog simply grows in the log.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { LogEntry } from '../records/entries.js';
import { RecordError } from '../records/errors.js';
import type { RecordStore } from '../records/store.js';
import { TransactionAbort, type CentralPool } from './connect.js';
import { readCursor, writeCursor, type Cursor } from './cursor.js';
import { CentralError } from './errors.js';
import { LogTail } from './log-tail.js';
import { insertCopies, insertEntries, rowOf, type CopyRow, type EntryRow } from './rows.js';
import { sealCopy, type OrgPublicKey } from './seal.js';

export interface ShipperOptions {
  /** The desk's open record store: its log, its entry numbers, its personal copies. */
  store: RecordStore;
  deskId: string;
  db: CentralPool;
  /** Seal personal copies to this key and ship them; null: copies stay on the desk. */
  recordsKey: OrgPublicKey | null;
  log: Logger;
  /** Entries per transaction (default 500). */
  batchSize?: number;
  /** Back-off while the server is away: first wait and cap, ms (defaults 1,000 and 30,000). */
  retry?: { firstMs?: number; maxMs?: number };
  /** Look at the log this often even when not woken (default 5,000 ms). */
  pollMs?: number;
  /** Told of each committed batch (benchmarks measure shipping lag with it). */
  onShipped?: (batch: { entries: ReadonlyArray<{ seq: number | null; at: string }>; committedAt: number; inserted: number }) => void;
}

export type ShipperState = 'starting' | 'shipping' | 'up-to-date' | 'retrying';

/** What /health shows. No personal data: counts, times and error codes. */
export interface ShipperHealth {
  state: ShipperState;
  /** Entries written on this desk and not yet confirmed by the server. */
  backlog: number;
  /** Age of the oldest of them (s), null when there are none. */
  oldestUnshippedSeconds: number | null;
  lastShippedAt: string | null;
  error: { code: string; message: string } | null;
  /** When retrying: seconds until the next attempt. */
  retryInSeconds: number | null;
}

interface Pending {
  entry: LogEntry;
  row: EntryRow;
  end: number;
  /** The sealed personal copy, made once (null: none to ship). */
  copy: CopyRow | null | undefined;
}

/** The server's database is not the one the cursor was about: ship everything again. */
class OrgChanged extends TransactionAbort {
  constructor(readonly orgId: string) {
    super('organisation changed');
  }
}

export class Shipper {
  private readonly tail: LogTail;
  private cursor: Cursor;
  private pending: Pending[] = [];
  /** Has the reader passed a numbered line since it (re)started at the top of the log? */
  private seenNumbered = false;
  private state: ShipperState = 'starting';
  private error: CentralError | null = null;
  private failures = 0;
  private retryAt: number | null = null;
  private lastShippedAt: string | null = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private woken = false;
  private loop: Promise<void> | null = null;
  private readonly events = new EventEmitter();
  private stopListening: (() => void) | null = null;
  private readonly batchSize: number;

  constructor(private readonly opts: ShipperOptions) {
    this.tail = new LogTail(opts.store.logFile);
    const { cursor, problem } = readCursor(opts.store.dir);
    if (problem) opts.log.warn({ event: 'central-cursor-unreadable' }, problem);
    this.cursor = cursor;
    this.batchSize = opts.batchSize ?? 500;
    this.events.setMaxListeners(0);
  }

  start(): void {
    if (this.loop) return;
    this.stopListening = this.opts.store.onAppend(() => this.poke());
    this.loop = this.run().catch((err: unknown) => {
      // Nothing in the loop should throw; if something does, the desk goes on and the log says why.
      this.opts.log.error({ event: 'central-shipper-stopped', err: { message: (err as Error).message } }, 'central shipping stopped');
    });
  }

  /** Wake the shipper now (a new entry was written). */
  poke(): void {
    this.woken = true;
    this.wake?.();
  }

  health(now = Date.now()): ShipperHealth {
    const pendingUnnumbered = this.pending.filter((p) => p.entry.seq === undefined).length;
    const backlog = Math.max(0, this.opts.store.lastSeq - this.cursor.shippedSeq) + pendingUnnumbered;
    const oldest = this.pending[0]?.entry.at;
    return {
      state: this.state,
      backlog,
      oldestUnshippedSeconds: backlog > 0 && oldest !== undefined ? Math.max(0, Math.round((now - Date.parse(oldest)) / 1000)) : null,
      lastShippedAt: this.lastShippedAt,
      error: this.error ? { code: this.error.code, message: this.error.message } : null,
      retryInSeconds: this.state === 'retrying' && this.retryAt !== null ? Math.max(0, Math.ceil((this.retryAt - now) / 1000)) : null,
    };
  }

  /** The highest entry number the server has confirmed. */
  get shippedSeq(): number {
    return this.cursor.shippedSeq;
  }

  /** Resolves once the server has every entry up to `seq` (default: the last written now). For tests and tools. */
  async shipped(seq = this.opts.store.lastSeq): Promise<void> {
    if (this.cursor.shippedSeq >= seq) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.cursor.shippedSeq >= seq || this.closed) {
          this.events.off('shipped', check);
          resolve();
        }
      };
      this.events.on('shipped', check);
      this.poke();
    });
  }

  /** Stop. A batch in flight is abandoned after `graceMs` (its entries ship on the next start). */
  async close(graceMs = 1000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening?.();
    this.wake?.();
    this.events.emit('shipped');
    if (this.loop) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.loop, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
  }

  private async run(): Promise<void> {
    await this.resume();
    while (!this.closed) {
      if (this.pending.length === 0) {
        try {
          await this.fill();
        } catch (err) {
          this.opts.log.error(
            { event: 'central-log-unreadable', err: { message: (err as Error).message } },
            'cannot read the record log to ship it',
          );
          await this.sleep(this.backoff(++this.failures));
          continue;
        }
      }
      if (this.closed) break;
      if (this.pending.length === 0) {
        if (this.state !== 'retrying') this.state = 'up-to-date';
        await this.idle(this.opts.pollMs ?? 5000);
        continue;
      }
      try {
        if (this.state !== 'retrying') this.state = 'shipping';
        await this.shipPending();
      } catch (err) {
        if (err instanceof OrgChanged) {
          this.opts.log.warn(
            { event: 'central-org-changed', orgId: err.orgId },
            'the central database is not the one this desk shipped to before (re-created, or another organisation): shipping the whole log to it',
          );
          this.cursor = { orgId: err.orgId, shippedSeq: 0, hint: null };
          this.tail.seek(-1, 0);
          this.pending = [];
          this.seenNumbered = false;
          continue;
        }
        if (this.closed) break;
        const e = err instanceof CentralError ? err : new CentralError('SERVER_ERROR', (err as Error).message);
        const delay = this.backoff(++this.failures);
        if (this.state !== 'retrying' || this.error?.code !== e.code) {
          this.opts.log.warn(
            { event: 'central-unreachable', code: e.code, backlog: this.health().backlog, retryMs: delay },
            `central records: ${e.message}; retrying (records stay on this desk meanwhile)`,
          );
        }
        this.state = 'retrying';
        this.error = e;
        this.retryAt = Date.now() + delay;
        await this.sleep(delay);
      }
    }
  }

  /** Start reading where the cursor's hint says, once checked; else at the top of the log. */
  private async resume(): Promise<void> {
    const hint = this.cursor.hint;
    if (hint === null || this.cursor.shippedSeq === 0) return;
    const id = await this.tail.identity().catch(() => null);
    if (id === null || id.ino !== hint.ino || id.size < hint.offset) return;
    const line = await this.tail.lineBefore(hint.offset).catch(() => null);
    if (line === null) return;
    try {
      if ((JSON.parse(line) as { seq?: unknown }).seq !== this.cursor.shippedSeq) return;
    } catch {
      return;
    }
    this.tail.seek(hint.ino, hint.offset);
    this.seenNumbered = true;
  }

  /** Read what is not yet shipped, up to one batch. */
  private async fill(): Promise<void> {
    while (this.pending.length < this.batchSize && !this.closed) {
      const { lines, restarted, atEnd } = await this.tail.read(this.batchSize - this.pending.length);
      if (restarted) {
        // The log was replaced (a purge): what is pending is still in it, or was purged. Read it again from the top.
        this.pending = [];
        this.seenNumbered = false;
      }
      for (const line of lines) {
        const entry = line.entry;
        if (entry === null) continue; // damaged: the record tools report it; nothing to ship
        if (entry.seq !== undefined) {
          this.seenNumbered = true;
          if (entry.seq <= this.cursor.shippedSeq) continue;
        } else if (this.cursor.shippedSeq > 0 && !this.seenNumbered) {
          continue; // written before entries were numbered, and shipped before the first numbered one
        }
        this.pending.push({ entry, row: rowOf(entry, line.text), end: line.end, copy: undefined });
      }
      if (atEnd || lines.length === 0) break;
    }
  }

  private async shipPending(): Promise<void> {
    const batch = this.pending;
    for (const p of batch) if (p.copy === undefined) p.copy = await this.sealedCopy(p.entry);
    const copies = batch.map((p) => p.copy).filter((c): c is CopyRow => c !== null && c !== undefined);
    const rows = batch.map((p) => p.row);
    const { orgId, inserted } = await this.opts.db.transaction(async (client) => {
      const who = (
        await client.query<{ org_id: string; version: number | null }>(
          'SELECT org_id, (SELECT max(version) FROM proofdesk.schema_migrations) AS version FROM proofdesk.organisation',
        )
      ).rows[0];
      const org = who?.org_id;
      if (org === undefined)
        throw new CentralError(
          'NOT_INITIALISED',
          `${this.opts.db.target.describe}: the proofdesk schema has no organisation row: run \`proofdesk central init\``,
        );
      if (this.cursor.orgId !== null && org !== this.cursor.orgId) throw new OrgChanged(org);
      const n = await insertEntries(client, this.opts.deskId, rows, who?.version ?? 1);
      await insertCopies(client, this.opts.deskId, copies);
      return { orgId: org, inserted: n };
    });
    const committedAt = Date.now();
    const last = batch[batch.length - 1]!;
    const highest = batch.reduce((m, p) => Math.max(m, p.entry.seq ?? 0), this.cursor.shippedSeq);
    const ino = (await this.tail.identity().catch(() => null))?.ino ?? -1;
    this.cursor = { orgId, shippedSeq: highest, hint: last.entry.seq === highest && highest > 0 ? { ino, offset: last.end } : null };
    this.pending = [];
    try {
      writeCursor(this.opts.store.dir, this.cursor);
    } catch (err) {
      // Not fatal: without the cursor these entries are sent again later and the server keeps one of each.
      this.opts.log.error({ event: 'central-cursor-not-written', err: { message: (err as Error).message } }, 'shipping cursor not written');
    }
    if (this.state === 'retrying') {
      this.opts.log.info({ event: 'central-resumed', after: this.failures }, 'central records reachable again');
    }
    this.failures = 0;
    this.error = null;
    this.retryAt = null;
    this.state = 'shipping';
    this.lastShippedAt = new Date(committedAt).toISOString();
    this.opts.log.debug(
      { event: 'central-shipped', entries: batch.length, inserted, copies: copies.length, shippedSeq: highest },
      'entries shipped',
    );
    this.opts.onShipped?.({ entries: batch.map((p) => ({ seq: p.entry.seq ?? null, at: p.entry.at })), committedAt, inserted });
    this.events.emit('shipped');
  }

  /** The check's personal copy sealed to the organisation's key, or null (no key, no copy, or it cannot be read). */
  private async sealedCopy(entry: LogEntry): Promise<CopyRow | null> {
    const key = this.opts.recordsKey;
    if (entry.type !== 'check' || key === null) return null;
    let copy;
    try {
      copy = this.opts.store.readPersonalOf(entry);
    } catch (err) {
      const code = err instanceof RecordError ? err.code : 'UNREADABLE';
      if (code !== 'NO_PERSONAL_COPY' && code !== 'KEY_MISSING') {
        this.opts.log.warn(
          { event: 'central-copy-not-shipped', checkId: entry.checkId, code },
          'personal copy not shipped: it cannot be read on this desk',
        );
      }
      return null;
    }
    const jwe = await sealCopy(copy, { checkId: entry.checkId, deskId: this.opts.deskId }, key);
    return { check_id: entry.checkId, jwe, key_id: key.kid };
  }

  private backoff(failures: number): number {
    const first = this.opts.retry?.firstMs ?? 1000;
    const max = this.opts.retry?.maxMs ?? 30_000;
    const base = Math.min(max, first * 2 ** Math.min(failures - 1, 20));
    // ±20 %, never past the cap: a fleet that lost its server together does not come back in step.
    return Math.min(max, Math.round(base * (0.8 + Math.random() * 0.4)));
  }

  /** Wait for a wake-up (an entry written, close) or `ms`. */
  private async idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await this.sleep(ms, true);
    this.woken = false;
  }

  /** Sleep `ms`; close always ends it, and a wake-up too when `wakeable`. */
  private sleep(ms: number, wakeable = false): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (wakeable || this.closed) done();
      };
    });
  }
}
