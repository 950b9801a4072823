/**
 * Trust data for the fleet: bundles and status lists the organisation published (`central publish`) reach every
 * desk with `records.central` within a minute, through the same checks as `trust import` (root signature,
 * anti-rollback, issuer window).
 *
 * The desk's own trust store stays an administrator's (root-owned, read-only to the kiosk, so the kiosk can never
 * re-pin its root). The kiosk verifies instead with a second store it owns, the fleet copy: the same pinned root,
 * everything the administrator's store holds, and what was published centrally — whichever is newer, each file
 * imported with `importTrustBytes`. The kiosk follows the fleet copy as it followed the store (watchTrustStore), so a
 * new status list takes effect on the next scan without a restart.
 *
 *   administrator's store ──(file changes, and every poll)──┐
 *                                                           ├─ importTrustBytes ─→ fleet copy ─→ watchTrustStore
 *   proofdesk.trust_files ─────(every poll, 30 s)───────────┘
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { TrustError } from '../trust/errors.js';
import { importTrustBytes, initStore, readRoot, readStore, STATUS_DIR, type StoreSnapshot } from '../trust/store.js';
import type { CentralPool } from './connect.js';
import { CentralError } from './errors.js';

export interface FleetTrustOptions {
  /** null: no central server (the kiosk still mirrors the administrator's store). */
  db: CentralPool | null;
  /** The administrator's trust store on this desk (`trust.store`). */
  adminDir: string;
  /** The fleet copy the kiosk verifies with (the kiosk's user owns it). */
  fleetDir: string;
  pollMs: number;
  skewSeconds: number;
  log: Logger;
  clock?: () => number;
}

export interface FleetTrustHealth {
  state: 'starting' | 'ok' | 'retrying';
  /** When the central server was last asked (ISO), null before the first answer. */
  lastCheckedAt: string | null;
  /** What was last taken from the server, if anything. */
  lastImported: { kind: 'bundle' | 'status-list'; seq?: number; uri?: string; at: string } | null;
  error: { code: string; message: string } | null;
}

interface Published {
  id: string;
  kind: 'bundle' | 'status-list';
  uri: string | null;
  seq: string | null;
  iat: string;
  sha256: string;
}

/** The newest published bundle and the newest list per URI: a small table, so asked whole each time. */
const NEWEST_SQL = `SELECT DISTINCT ON (kind, coalesce(uri, '')) id, kind, uri, seq, extract(epoch FROM issued_at)::bigint AS iat, sha256
  FROM proofdesk.trust_files ORDER BY kind, coalesce(uri, ''), seq DESC NULLS LAST, issued_at DESC, id DESC`;

/** Refusals remembered so a bad file is logged once, not every poll (bounded). */
const MAX_REMEMBERED_REFUSALS = 256;

export class FleetTrust {
  private timer: NodeJS.Timeout | null = null;
  private watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private adminPrint = '';
  private readonly refused = new Set<string>();
  private readonly clock: () => number;
  private state: FleetTrustHealth = { state: 'starting', lastCheckedAt: null, lastImported: null, error: null };

  private constructor(private readonly opts: FleetTrustOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  /**
   * Bring the fleet copy up to date with the administrator's store (local files only: no network), so the kiosk
   * can start from it at once. Throws a TrustError when the administrator's store has no root pinned.
   */
  static async prepare(opts: FleetTrustOptions): Promise<FleetTrust> {
    const fleet = new FleetTrust(opts);
    await fleet.syncFromAdmin();
    return fleet;
  }

  /** Does the fleet copy hold a bundle the kiosk can verify with? */
  async hasBundle(): Promise<boolean> {
    return (await readStore(this.opts.fleetDir, { now: this.nowS() })).bundle !== null;
  }

  /** Poll the administrator's store and the server now and every `pollMs`; follow the administrator's store's files. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.refresh(), this.opts.pollMs);
    this.timer.unref();
    for (const dir of [this.opts.adminDir, join(this.opts.adminDir, STATUS_DIR)]) this.follow(dir);
    void this.refresh();
  }

  health(): FleetTrustHealth {
    return { ...this.state };
  }

  /** One round: the administrator's store if it changed, then the server. Resolves when done (never throws). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.syncFromAdmin().catch((err: Error) => {
          this.opts.log.error(
            { event: 'fleet-trust-admin-refused', code: (err as { code?: string }).code },
            `trust store ${this.opts.adminDir} not mirrored: ${err.message}`,
          );
        });
        if (this.opts.db && !this.closed) await this.syncFromCentral();
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private nowS(): number {
    return Math.floor(this.clock() / 1000);
  }

  private follow(dir: string): void {
    if (!existsSync(dir)) return;
    try {
      const w = watch(dir, { persistent: false }, () => {
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.refresh(), 200);
      });
      w.on('error', () => {});
      this.watchers.push(w);
    } catch {
      // the poll covers it
    }
  }

  /** Sizes and times of the administrator's files: cheap to compare, so the store is re-read only when it changed. */
  private adminFingerprint(): string {
    const parts: string[] = [];
    const note = (p: string) => {
      try {
        const st = statSync(p);
        parts.push(`${p}:${st.size}:${st.mtimeMs}:${st.ino}`);
      } catch {
        parts.push(`${p}:-`);
      }
    };
    for (const f of ['root.jwk', 'bundle.jws', 'state.json']) note(join(this.opts.adminDir, f));
    const statusDir = join(this.opts.adminDir, STATUS_DIR);
    try {
      for (const f of readdirSync(statusDir).sort()) note(join(statusDir, f));
    } catch {
      // no lists
    }
    return parts.join('|');
  }

  private async syncFromAdmin(): Promise<void> {
    const print = this.adminFingerprint();
    if (print === this.adminPrint) return;
    const { adminDir, fleetDir } = this.opts;
    const root = await readRoot(adminDir);
    if (!root)
      throw new TrustError(
        'NO_ROOT',
        `no root is pinned in ${adminDir}: run \`proofdesk trust init --root ROOT.public.jwk --store ${adminDir}\``,
      );
    const fleetRoot = await readRoot(fleetDir).catch(() => null);
    if (!fleetRoot || fleetRoot.thumbprint !== root.thumbprint) {
      // A first start, or the administrator pinned another root: the fleet copy starts again under it.
      await initStore(fleetDir, root.jwk, { force: true });
      this.opts.log.info(
        { event: 'fleet-trust-root', root: root.thumbprint.slice(0, 12) },
        `fleet trust copy ${fleetDir} pins the root of ${adminDir}`,
      );
    }
    const now = this.nowS();
    const admin = await readStore(adminDir, { now, skewSeconds: this.opts.skewSeconds });
    const mine = await readStore(fleetDir, { now, skewSeconds: this.opts.skewSeconds });
    if (admin.bundle && admin.bundle.seq > mine.highestSeq)
      await this.take(Buffer.from(admin.bundle.text, 'utf8'), `${adminDir} bundle seq ${admin.bundle.seq}`);
    const have = await readStore(fleetDir, { now, skewSeconds: this.opts.skewSeconds });
    for (const list of admin.statusLists) {
      if (listIat(have, list.uri) >= list.iat) continue;
      await this.take(list.raw, `${adminDir} status list ${list.uri}`);
    }
    this.adminPrint = print;
  }

  private async syncFromCentral(): Promise<void> {
    const db = this.opts.db!;
    try {
      const newest = await db.query<Published>(NEWEST_SQL);
      // Bundles first: a new list may be signed by a key only the new bundle has.
      newest.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'bundle' ? -1 : 1));
      for (const p of newest) {
        if (this.refused.has(p.sha256)) continue;
        const mine = await readStore(this.opts.fleetDir, { now: this.nowS(), skewSeconds: this.opts.skewSeconds });
        if (p.kind === 'bundle' ? Number(p.seq) <= mine.highestSeq : listIat(mine, p.uri!) >= Number(p.iat)) continue;
        const body = (await db.query<{ body: Buffer }>('SELECT body FROM proofdesk.trust_files WHERE id = $1', [p.id]))[0]?.body;
        if (!body) continue;
        const ok = await this.take(
          body,
          p.kind === 'bundle' ? `published bundle seq ${p.seq}` : `published status list ${p.uri}`,
          p.sha256,
        );
        if (ok)
          this.state.lastImported = {
            kind: p.kind,
            ...(p.kind === 'bundle' ? { seq: Number(p.seq) } : { uri: p.uri! }),
            at: new Date(this.clock()).toISOString(),
          };
      }
      if (this.state.state === 'retrying') this.opts.log.info({ event: 'fleet-trust-reachable' }, 'published trust data reachable again');
      this.state.state = 'ok';
      this.state.error = null;
      this.state.lastCheckedAt = new Date(this.clock()).toISOString();
    } catch (err) {
      const e = err instanceof CentralError ? err : new CentralError('SERVER_ERROR', (err as Error).message);
      if (this.state.state !== 'retrying' || this.state.error?.code !== e.code) {
        this.opts.log.warn(
          { event: 'fleet-trust-unreachable', code: e.code },
          `published trust data not checked: ${e.message}; the trust data in force stays`,
        );
      }
      this.state.state = 'retrying';
      this.state.error = { code: e.code, message: e.message };
    }
  }

  /** Import one file into the fleet copy through trust import's checks. False when refused (logged once). */
  private async take(bytes: Uint8Array, what: string, sha256?: string): Promise<boolean> {
    try {
      const r = await importTrustBytes(this.opts.fleetDir, bytes, { now: this.nowS(), skewSeconds: this.opts.skewSeconds });
      this.opts.log.info(
        { event: 'fleet-trust-imported', kind: r.kind, seq: r.seq, uri: r.uri, iat: r.iat },
        `imported ${what} into the fleet trust copy`,
      );
      // A new bundle may hold the key a refused list needs: give the refused another chance.
      if (r.kind === 'bundle') this.refused.clear();
      return true;
    } catch (err) {
      if (!(err instanceof TrustError)) throw err;
      if (err.code === 'ROLLBACK') return false; // this desk has it, or newer: nothing to do
      if (sha256 !== undefined) {
        if (this.refused.size >= MAX_REMEMBERED_REFUSALS) this.refused.clear();
        this.refused.add(sha256);
      }
      this.opts.log.warn({ event: 'fleet-trust-refused', code: err.code }, `${what} refused: ${err.message}`);
      return false;
    }
  }
}

function listIat(snap: StoreSnapshot, uri: string): number {
  return snap.statusLists.find((t) => t.uri === uri)?.iat ?? -Infinity;
}
