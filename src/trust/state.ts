/**
 * What a running verifier holds: the active issuer keys and the trust hooks (revocation lookup, staleness limit,
 * clock floor), built from a verified store snapshot. `watchTrustStore` re-loads on change and swaps the whole
 * state at once; a store that fails to load, or that would go backwards, never replaces a good state in memory.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { StatusListRef } from '../credential/types.js';
import type { TrustContext } from '../verify/options.js';
import { keySetFromJwks, type KeySet, type TrustedKey } from './keyset.js';
import { clockFloorOf, judgeClock, type ClockState } from './clock.js';
import { TrustError } from './errors.js';
import { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';
import { DEFAULT_MAX_STATUS_AGE_SECONDS, statusListStaleness, type TrustAlg } from './limits.js';
import { thumbprintOf } from './jwk.js';
import { STATUS_SUSPENDED, STATUS_VALID, statusName, type StatusListToken, type StatusName } from './status-list.js';
import { defaultStoreDir, readStore, STATUS_DIR, type StoreSnapshot } from './store.js';

export interface TrustKeySummary {
  kid: string | null;
  thumbprint: string;
  alg: TrustAlg;
  notBefore: number | null;
  notAfter: number | null;
  purposes: string[] | null;
  /** Status-list URIs the bundle gives this key, or null (its lists answer only for its own codes). */
  statusLists: string[] | null;
}

export interface StatusListSummary {
  uri: string;
  format: 'jwt' | 'cwt';
  issuedAt: number;
  ageSeconds: number;
  /** Older than the desk's maximum age, or past its own exp: would-be VALID verdicts are CHECK MANUALLY. */
  stale: boolean;
  /** The issuer's time to live (s), or null. */
  ttl: number | null;
  /** iat + ttl has passed: the issuer asks for a fresh copy (a hint; the desk's maximum age decides verdicts). */
  refreshDue: boolean;
  expiresAt: number | null;
  /** Past its own exp. */
  expired: boolean;
  entries: number;
  bits: number;
  revoked: number;
  suspended: number;
  signer: string;
  /** Issued after this clock (+ skew): the clock is behind, or the list's issuer clock was ahead. */
  fromFuture: boolean;
}

/** What `trust status --json` prints and the kiosk shows. */
export interface TrustSummary {
  store: string;
  root: { thumbprint: string; alg: TrustAlg } | null;
  active: {
    seq: number;
    issuedAt: number;
    ageSeconds: number;
    expiresAt: number | null;
    expired: boolean;
    keys: TrustKeySummary[];
  } | null;
  highestSeq: number;
  revocation: {
    mode: 'on' | 'off';
    maxAgeSeconds: number;
    /** URIs the store accepted a list for but holds no usable copy of (damaged, signer gone): their codes are CHECK MANUALLY. */
    unavailable: string[];
    lists: StatusListSummary[];
  };
  clock: ClockState;
  problems: string[];
  /** Rollbacks found (a bundle or list older than accepted, a list gone): verifiers refuse the store until fixed. */
  rollbacks: string[];
}

export interface TrustState {
  /** The active bundle's issuer keys, for `verify({ keys })`. */
  readonly keys: KeySet;
  /** The trust hooks, for `verify({ trust })`. */
  readonly context: TrustContext;
  readonly bundleSeq: number;
  /** The store as verified at load time. */
  readonly snapshot: StoreSnapshot;
  /** A summary judged at `now` (ms; default: the current time). */
  describe(now?: number): TrustSummary;
}

export interface LoadTrustOptions {
  /** Default: defaultStoreDir() (XDG). */
  storeDir?: string;
  /** ms since the epoch, like verify's `now`; default Date.now(). */
  now?: number;
  skewSeconds?: number;
  /** The desk's staleness limit for status lists; default 7 days. */
  maxStatusAgeSeconds?: number;
}

type StatusEntry = { status: StatusName; listIssuedAt: number; listExpiresAt?: number };

/**
 * Revocation lookup over the loaded lists: a map lookup, a bounds check, one byte read. No allocation. A list
 * answers only for codes of its own issuer: the code's key signed the list, or the bundle names the list URI for
 * both keys (`statusLists`). Otherwise — or with no usable list for the URI — the answer is unknown, and the
 * verifier says CHECK MANUALLY: never silently valid.
 */
function makeStatusOf(lists: readonly StatusListToken[]): (ref: StatusListRef, signer?: TrustedKey) => StatusEntry | undefined {
  const byUri = new Map<string, { token: StatusListToken; answers: StatusEntry[] }>();
  for (const token of lists) {
    const answers = [0, 1, 2, 3].map((v): StatusEntry => {
      const entry: StatusEntry = { status: statusName(v), listIssuedAt: token.iat };
      if (token.exp !== undefined) entry.listExpiresAt = token.exp;
      return Object.freeze(entry);
    });
    byUri.set(token.uri, { token, answers });
  }
  return (ref, signer) => {
    const hit = byUri.get(ref.uri);
    // An index outside the list is not a status we know: undefined → the verifier says CHECK MANUALLY.
    if (!hit || !Number.isSafeInteger(ref.idx) || ref.idx < 0 || ref.idx >= hit.token.list.size) return undefined;
    if (!speaksFor(hit.token, ref.uri, signer)) return undefined;
    return hit.answers[hit.token.list.get(ref.idx)];
  };
}

/** Whether a list may answer for a code signed by `signer` (see makeStatusOf). */
function speaksFor(token: StatusListToken, uri: string, signer: TrustedKey | undefined): boolean {
  if (signer === undefined) return false;
  if (signer.thumbprint === token.signerThumbprint) return true;
  return (signer.statusLists?.includes(uri) ?? false) && (token.signerStatusLists?.includes(uri) ?? false);
}

function countStatuses(token: StatusListToken): { revoked: number; suspended: number } {
  let revoked = 0;
  let suspended = 0;
  const { list } = token;
  for (let i = 0; i < list.bytes.length; i++) {
    if (list.bytes[i] === 0) continue; // most bytes: nothing set
    const perByte = 8 / list.bits;
    for (let j = 0; j < perByte; j++) {
      const v = list.get(i * perByte + j);
      if (v === STATUS_SUSPENDED) suspended++;
      else if (v !== STATUS_VALID) revoked++;
    }
  }
  return { revoked, suspended };
}

function revocationOn(snap: StoreSnapshot): boolean {
  return snap.statusLists.length > 0 || Object.keys(snap.listMarks).length > 0;
}

/** Summarises a snapshot (works without an active bundle: `trust status` on a fresh store). */
export async function summarize(
  snap: StoreSnapshot,
  opts: { now?: number; skewSeconds?: number; maxStatusAgeSeconds?: number } = {},
): Promise<TrustSummary> {
  const keys: TrustKeySummary[] = [];
  if (snap.bundle) {
    for (const k of snap.bundle.keys) {
      keys.push({
        kid: k.kid ?? null,
        thumbprint: await thumbprintOf(k),
        alg: k.alg!,
        notBefore: k.notBefore ?? null,
        notAfter: k.notAfter ?? null,
        purposes: k.purposes ?? null,
        statusLists: k.statusLists ?? null,
      });
    }
  }
  return summaryFrom(snap, keys, lazyCounts(snap.statusLists), opts);
}

function lazyCounts(lists: readonly StatusListToken[]): () => Map<StatusListToken, { revoked: number; suspended: number }> {
  let cache: Map<StatusListToken, { revoked: number; suspended: number }> | null = null;
  return () => (cache ??= new Map(lists.map((t) => [t, countStatuses(t)])));
}

function summaryFrom(
  snap: StoreSnapshot,
  keys: TrustKeySummary[],
  counts: () => Map<StatusListToken, { revoked: number; suspended: number }>,
  opts: { now?: number; skewSeconds?: number; maxStatusAgeSeconds?: number },
): TrustSummary {
  const nowS = (opts.now ?? Date.now()) / 1000;
  const skew = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  const maxAge = opts.maxStatusAgeSeconds ?? DEFAULT_MAX_STATUS_AGE_SECONDS;
  const b = snap.bundle;
  const c = counts();
  return {
    store: snap.dir,
    root: snap.root ? { thumbprint: snap.root.thumbprint, alg: snap.root.alg } : null,
    active: b
      ? {
          seq: b.seq,
          issuedAt: b.iat,
          ageSeconds: Math.floor(nowS - b.iat),
          expiresAt: b.exp ?? null,
          expired: b.exp !== undefined && nowS >= b.exp,
          keys,
        }
      : null,
    highestSeq: snap.highestSeq,
    revocation: {
      mode: revocationOn(snap) ? 'on' : 'off',
      maxAgeSeconds: maxAge,
      unavailable: Object.keys(snap.listMarks)
        .filter((uri) => !snap.statusLists.some((t) => t.uri === uri))
        .sort(),
      lists: snap.statusLists.map((t) => ({
        uri: t.uri,
        format: t.format,
        issuedAt: t.iat,
        ageSeconds: Math.floor(nowS - t.iat),
        // The verifier's rule (REVOCATION_DATA_STALE): age over the maximum, or at/after exp.
        stale: statusListStaleness({ issuedAt: t.iat, expiresAt: t.exp }, nowS, maxAge) !== null,
        ttl: t.ttl ?? null,
        refreshDue: t.ttl !== undefined && nowS - t.iat > t.ttl,
        expiresAt: t.exp ?? null,
        expired: t.exp !== undefined && nowS >= t.exp,
        entries: t.list.size,
        bits: t.list.bits,
        revoked: c.get(t)?.revoked ?? 0,
        suspended: c.get(t)?.suspended ?? 0,
        signer: t.signer,
        fromFuture: t.iat > nowS + skew,
      })),
    },
    clock: judgeClock(clockFloorOf(snap), nowS, skew),
    problems: [...snap.problems],
    rollbacks: [...snap.rollbacks],
  };
}

/** Builds the in-memory state from a verified snapshot. Throws NO_ROOT / NO_ACTIVE_BUNDLE when there is nothing to trust. */
async function trustStateFrom(snap: StoreSnapshot, opts: Omit<LoadTrustOptions, 'storeDir'> = {}): Promise<TrustState> {
  if (!snap.root) throw new TrustError('NO_ROOT', `no root is pinned in ${snap.dir}`);
  // A rolled-back store is refused as a whole, loudly: starting on it could undo a revocation.
  if (snap.rollbacks.length > 0) throw new TrustError('ROLLBACK', `trust store ${snap.dir} was rolled back: ${snap.rollbacks.join('; ')}`);
  if (!snap.bundle) {
    throw new TrustError('NO_ACTIVE_BUNDLE', snap.problems[0] ?? `no trust bundle has been imported into ${snap.dir}`);
  }
  const keys = await keySetFromJwks({ keys: snap.bundle.keys });
  const floor = clockFloorOf(snap);
  const context: TrustContext = { maxStatusAgeSeconds: opts.maxStatusAgeSeconds ?? DEFAULT_MAX_STATUS_AGE_SECONDS };
  if (floor !== null) context.clockFloor = floor;
  // No list ever accepted: revocation is off — a stated mode (trust status says so), not an error. Once the store
  // knows a list, revocation stays on even when no copy of it can be used (its codes are then CHECK MANUALLY).
  if (revocationOn(snap)) context.statusOf = makeStatusOf(snap.statusLists);
  const keySummaries: TrustKeySummary[] = keys.keys.map((k) => ({
    kid: k.kid,
    thumbprint: k.thumbprint,
    alg: k.alg,
    notBefore: k.notBefore ?? null,
    notAfter: k.notAfter ?? null,
    purposes: k.purposes ?? null,
    statusLists: k.statusLists ?? null,
  }));
  const counts = lazyCounts(snap.statusLists);
  return {
    keys,
    context,
    bundleSeq: snap.bundle.seq,
    snapshot: snap,
    describe: (now?: number) => summaryFrom(snap, keySummaries, counts, { ...opts, ...(now !== undefined ? { now } : {}) }),
  };
}

/** Loads, re-verifies and builds the trust state from the store. */
export async function loadTrustState(opts: LoadTrustOptions = {}): Promise<TrustState> {
  const dir = opts.storeDir ?? defaultStoreDir();
  const nowMs = opts.now ?? Date.now();
  const snap = await readStore(dir, { now: Math.floor(nowMs / 1000), skewSeconds: opts.skewSeconds ?? DEFAULT_SKEW_SECONDS });
  return trustStateFrom(snap, opts);
}

export interface TrustWatcher {
  /** The state in force (swapped as a whole). */
  readonly current: TrustState;
  /** Re-loads now (the watcher also does this on file changes). Resolves to true if the state was replaced. */
  reload(): Promise<boolean>;
  close(): void;
}

export interface WatchOptions extends Omit<LoadTrustOptions, 'storeDir' | 'now'> {
  /** Called when a re-load is refused; the previous state stays in force. */
  onError?: (err: Error) => void;
  /** Quiet time after the last file event before re-loading, ms (default 200). */
  debounceMs?: number;
  /** Also re-check on this interval, ms (file shares may not deliver events); 0 = never. Default 60,000. */
  pollMs?: number;
  /** Clock for loads (ms); default Date.now. */
  clock?: () => number;
}

/** Why a newly loaded state may not replace the one in force (it would go backwards), or null. */
function regression(current: TrustState, next: TrustState): string | null {
  if (next.bundleSeq < current.bundleSeq)
    return `store holds bundle seq ${next.bundleSeq}, older than seq ${current.bundleSeq} in force: kept seq ${current.bundleSeq}`;
  const nextLists = new Map(next.snapshot.statusLists.map((t) => [t.uri, t.iat]));
  for (const t of current.snapshot.statusLists) {
    const iat = nextLists.get(t.uri);
    if (iat === undefined) return `status list ${t.uri} vanished from the store: kept the state in force`;
    if (iat < t.iat) return `status list ${t.uri} on disk is older than the one in force: kept the state in force`;
  }
  return null;
}

/**
 * Starts from the store's current state (it must load) and follows the store directory: each change is
 * re-verified and swapped in whole, or refused (onError) with the old state kept.
 */
export async function watchTrustStore(dir: string, onChange: (state: TrustState) => void, opts: WatchOptions = {}): Promise<TrustWatcher> {
  const clock = opts.clock ?? Date.now;
  let current = await loadTrustState({ ...opts, storeDir: dir, now: clock() });
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<boolean> | null = null;
  let again = false;
  const watchers: FSWatcher[] = [];

  const reloadOnce = async (): Promise<boolean> => {
    let next: TrustState;
    try {
      next = await loadTrustState({ ...opts, storeDir: dir, now: clock() });
    } catch (err) {
      opts.onError?.(err as Error);
      return false;
    }
    if (closed) return false;
    const why = regression(current, next);
    if (why) {
      opts.onError?.(new TrustError('ROLLBACK', why));
      return false;
    }
    if (sameContent(current, next)) return false;
    current = next;
    onChange(next);
    return true;
  };
  // One reload at a time; events during a reload schedule exactly one more.
  const reload = async (): Promise<boolean> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let changed = false;
      do {
        again = false;
        changed = (await reloadOnce()) || changed;
      } while (again && !closed);
      return changed;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void reload();
    }, opts.debounceMs ?? 200);
  };
  const arm = (path: string): void => {
    if (!existsSync(path) || watchers.some((w) => (w as FSWatcher & { path?: string }).path === path)) return;
    try {
      const w = watch(path, { persistent: false }, () => {
        arm(join(dir, STATUS_DIR)); // the status folder may appear after start
        schedule();
      }) as FSWatcher & { path?: string };
      w.path = path;
      w.on('error', () => schedule());
      watchers.push(w);
    } catch {
      /* the poll still covers it */
    }
  };
  arm(dir);
  arm(join(dir, STATUS_DIR));
  const poll = opts.pollMs === 0 ? null : setInterval(() => void reload(), opts.pollMs ?? 60_000);
  poll?.unref();

  return {
    get current() {
      return current;
    },
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}

function sameContent(a: TrustState, b: TrustState): boolean {
  if (a.bundleSeq !== b.bundleSeq || a.snapshot.bundle?.text !== b.snapshot.bundle?.text) return false;
  const la = a.snapshot.statusLists;
  const lb = b.snapshot.statusLists;
  if (la.length !== lb.length) return false;
  return la.every(
    (t, i) => t.uri === lb[i]!.uri && t.iat === lb[i]!.iat && Buffer.compare(Buffer.from(t.raw), Buffer.from(lb[i]!.raw)) === 0,
  );
}
