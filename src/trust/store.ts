/**
 * The on-disk trust store. One directory:
 *
 *   root.jwk            the pinned root PUBLIC key (written by `trust init`)
 *   bundle.jws          the active trust bundle, byte for byte as imported
 *   state.json          { "v": 1, "highestSeq": N, "highestIat": T }: anti-rollback and clock floor, kept even if
 *                       bundle.jws is lost
 *   status/<h>.jws|.cwt the newest status list per list URI (<h> = first 32 hex of SHA-256 of the URI)
 *   .lock               held (O_EXCL) while an import writes (a pid lock: src/storage/pid-lock.ts)
 *
 * Every file is replaced atomically (src/storage/files.ts). An import writes bundle.jws first (the commit point is its
 * rename), then state.json; the loader takes highestSeq = max(state, bundle), so a crash between the two is safe,
 * and a crash before the rename leaves the old bundle in force. Nothing here trusts a file because it is in the
 * store: every load re-verifies the bundle against the pinned root and each status list against the bundle.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { verifyBundle, type TrustBundle, BUNDLE_TYP } from './bundle.js';
import { TrustError } from './errors.js';
import { fsyncDir, TEMP_PREFIX, unlinkQuiet, writeFileAtomic } from '../storage/files.js';
import { createLockFile, readLockHolder, releaseLockFile, takeOverStaleLock } from '../storage/pid-lock.js';
import { readFileCapped } from './files.js';
import { rootFromJwk, type RootKey } from './jwk.js';
import { checkedJwsHeader, jwsText, looksLikeCompactJws } from './jws.js';
import { DEFAULT_TRUST_SKEW_SECONDS, MAX_BUNDLE_FILE_BYTES, MAX_ROOT_FILE_BYTES, MAX_STATUS_LIST_FILE_BYTES } from './limits.js';
import { issuerKeyRefs, statusListFormatOf, verifyStatusListToken, type StatusListToken } from './status-list.js';

export const ROOT_FILE = 'root.jwk';
export const BUNDLE_FILE = 'bundle.jws';
/** Store files and folders: written by an administrator, read by the kiosk's service user (public keys, no secrets). */
const STORE_FILE_MODE = 0o644;
const STORE_DIR_MODE = 0o755;
export const STATE_FILE = 'state.json';
export const STATUS_DIR = 'status';
const LOCK_FILE = '.lock';

/** Where the packaged system service keeps its store (so an administrator's import reaches the service user). */
export const SYSTEM_STORE_DIR = '/var/lib/proofdesk';

/** Per-user default: $XDG_DATA_HOME/proofdesk, else ~/.local/share/proofdesk. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'proofdesk');
}

interface StoreState {
  v: 1;
  highestSeq: number;
  /** Newest bundle iat ever accepted: the clock floor. */
  highestIat: number;
}

/** Everything the store holds, verified. `problems` lists what was on disk but could not be trusted (one line each). */
export interface StoreSnapshot {
  dir: string;
  root: RootKey | null;
  bundle: TrustBundle | null;
  highestSeq: number;
  highestIat: number;
  statusLists: StatusListToken[];
  problems: string[];
}

function readState(dir: string): StoreState {
  const path = join(dir, STATE_FILE);
  if (!present(path)) return { v: 1, highestSeq: 0, highestIat: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileCapped(path, 4096, 'store state').toString('utf8'));
  } catch (err) {
    if (err instanceof TrustError) throw new TrustError('STORE_CORRUPT', err.message);
    throw new TrustError('STORE_CORRUPT', `store state ${path} is damaged; refusing to guess the anti-rollback counter`);
  }
  const s = parsed as Partial<StoreState>;
  if (!Number.isSafeInteger(s.highestSeq) || !Number.isSafeInteger(s.highestIat)) throw new TrustError('STORE_CORRUPT', `store state ${path} is damaged`);
  return { v: 1, highestSeq: s.highestSeq!, highestIat: s.highestIat! };
}

function writeState(dir: string, state: StoreState, beforeRename?: () => void): void {
  writeFileAtomic(join(dir, STATE_FILE), JSON.stringify(state) + '\n', { mode: STORE_FILE_MODE, ...(beforeRename ? { beforeRename } : {}) });
}

/**
 * Whether a store file or folder is there. Unlike existsSync, a permission problem is not "absent": a store the
 * service user cannot read must say so, not "no root is pinned".
 */
function present(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new TrustError('FILE_UNREADABLE', `cannot read ${path}: ${code === 'EACCES' ? 'permission denied (the store must be readable by this user: folders 0755, files 0644)' : (code ?? 'error')}`);
  }
}

export async function readRoot(dir: string): Promise<RootKey | null> {
  const path = join(dir, ROOT_FILE);
  if (!present(path)) return null;
  const bytes = readFileCapped(path, MAX_ROOT_FILE_BYTES, 'pinned root');
  let jwk: unknown;
  try {
    jwk = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new TrustError('STORE_CORRUPT', `pinned root ${path} is not valid JSON`);
  }
  return rootFromJwk(jwk, 'pinned root');
}

export function statusListFileName(uri: string, format: 'jwt' | 'cwt'): string {
  return `${createHash('sha256').update(uri, 'utf8').digest('hex').slice(0, 32)}.${format === 'jwt' ? 'jws' : 'cwt'}`;
}

/** Loads and re-verifies everything in the store. Throws only for a missing/damaged root or state; other problems are listed. */
export async function readStore(dir: string, opts: { now: number; skewSeconds?: number }): Promise<StoreSnapshot> {
  const snap: StoreSnapshot = { dir, root: null, bundle: null, highestSeq: 0, highestIat: 0, statusLists: [], problems: [] };
  if (!present(dir)) return snap;
  snap.root = await readRoot(dir);
  const state = readState(dir);
  snap.highestSeq = state.highestSeq;
  snap.highestIat = state.highestIat;
  if (!snap.root) return snap;
  const bundlePath = join(dir, BUNDLE_FILE);
  if (present(bundlePath)) {
    try {
      // No time checks on reload: a bundle "from the future" after the clock went back stays in force and the clock
      // floor flags the clock (CLOCK_SUSPECT) instead of trust silently disappearing.
      const bundle = await verifyBundle(readFileCapped(bundlePath, MAX_BUNDLE_FILE_BYTES, 'active bundle'), snap.root, { now: opts.now, timeChecks: false });
      if (bundle.seq < state.highestSeq) {
        snap.problems.push(`active bundle seq ${bundle.seq} is older than seq ${state.highestSeq} already accepted: the store was rolled back; import a current bundle`);
      } else {
        snap.bundle = bundle;
        snap.highestSeq = Math.max(state.highestSeq, bundle.seq);
        snap.highestIat = Math.max(state.highestIat, bundle.iat);
      }
    } catch (err) {
      snap.problems.push(`active bundle in ${bundlePath} cannot be trusted: ${(err as Error).message}`);
    }
  }
  if (snap.bundle) {
    const keys = await issuerKeyRefs(snap.bundle.keys);
    const statusDir = join(dir, STATUS_DIR);
    if (present(statusDir)) {
      for (const name of readdirSync(statusDir).sort()) {
        if (name.startsWith(TEMP_PREFIX) || !/\.(jws|cwt)$/.test(name)) continue;
        try {
          const bytes = readFileCapped(join(statusDir, name), MAX_STATUS_LIST_FILE_BYTES, 'status list');
          // On reload only signature, signer and shape are checked; the verifier judges staleness by age.
          snap.statusLists.push(await verifyStatusListToken(bytes, keys, { now: opts.now, timeChecks: false }));
        } catch (err) {
          snap.problems.push(`status list ${name} ignored: ${(err as Error).message}`);
        }
      }
    }
  }
  return snap;
}

/** `trust init`: pins the root public key. Refuses to replace an existing root unless `force`. */
export async function initStore(dir: string, rootJwk: unknown, opts: { force?: boolean } = {}): Promise<RootKey> {
  const root = await rootFromJwk(rootJwk, 'root key');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, STORE_DIR_MODE); // whatever the umask: the kiosk's service user reads the store
  return withLock(dir, async () => {
    const existing = await readRoot(dir).catch(() => 'damaged' as const);
    if (existing && !opts.force) {
      const what = existing === 'damaged' ? 'a damaged root' : `root ${existing.thumbprint.slice(0, 12)}…`;
      throw new TrustError('ROOT_EXISTS', `store ${dir} already pins ${what}; use --force to replace it (this drops the active bundle and status lists)`);
    }
    if (existing && opts.force) {
      // A new root starts a new trust history: the old bundle and lists cannot verify under it.
      unlinkQuiet(join(dir, BUNDLE_FILE));
      const statusDir = join(dir, STATUS_DIR);
      if (existsSync(statusDir)) for (const name of readdirSync(statusDir)) unlinkQuiet(join(statusDir, name));
      writeState(dir, { v: 1, highestSeq: 0, highestIat: 0 });
    }
    writeFileAtomic(join(dir, ROOT_FILE), JSON.stringify(root.jwk, null, 2) + '\n', { mode: STORE_FILE_MODE });
    return root;
  });
}

export type ImportKind = 'bundle' | 'status-list';

export interface ImportResult {
  kind: ImportKind;
  /** Bundle: the new seq and the one replaced (0 if none). */
  seq?: number;
  previousSeq?: number;
  /** Status list: its URI, iat and number of entries. */
  uri?: string;
  iat?: number;
  entries?: number;
}

export interface ImportOptions {
  now: number;
  skewSeconds?: number;
  /** Refuse anything but this kind (`status-list import`); default: detect. */
  expect?: ImportKind;
  /** Test hook: runs after the new file is durable and before the rename that commits it. */
  beforeCommit?: () => void;
}

/** Tells a bundle from a status list without trusting either. */
export function detectKind(bytes: Uint8Array): ImportKind | null {
  const head = jwsText(bytes.subarray(0, Math.min(bytes.length, 4096)));
  if (head.startsWith('eyJ')) {
    const text = jwsText(bytes);
    if (!looksLikeCompactJws(text)) return 'bundle'; // judged (and refused as truncated) by the bundle checks
    try {
      return checkedJwsHeader(text, 'file').typ === BUNDLE_TYP ? 'bundle' : 'status-list';
    } catch {
      return 'bundle';
    }
  }
  return statusListFormatOf(bytes) === 'cwt' ? 'status-list' : null;
}

/**
 * `trust import`: verifies a bundle or status list and makes it active, atomically. Every refusal is a
 * TrustError and leaves the store exactly as it was.
 */
export async function importTrustFile(dir: string, path: string, opts: ImportOptions): Promise<ImportResult> {
  const bytes = readFileCapped(path, Math.max(MAX_BUNDLE_FILE_BYTES, MAX_STATUS_LIST_FILE_BYTES), 'file');
  return importTrustBytes(dir, bytes, opts);
}

export async function importTrustBytes(dir: string, bytes: Uint8Array, opts: ImportOptions): Promise<ImportResult> {
  const cap = Math.max(MAX_BUNDLE_FILE_BYTES, MAX_STATUS_LIST_FILE_BYTES);
  if (bytes.length > cap) throw new TrustError('FILE_TOO_LARGE', `file is ${bytes.length} bytes; the limit is ${cap}`);
  const kind = detectKind(bytes);
  if (kind === null) throw new TrustError('WRONG_TYPE', 'not a trust bundle or status list (expected a one-line JWS or a status-list CWT)');
  if (opts.expect && kind !== opts.expect) {
    throw new TrustError('WRONG_TYPE', kind === 'bundle' ? 'this file is a trust bundle, not a status list (use `proofdesk trust import`)' : 'this file is a status list, not a trust bundle');
  }
  if (kind === 'bundle' && bytes.length > MAX_BUNDLE_FILE_BYTES) throw new TrustError('FILE_TOO_LARGE', `bundle is ${bytes.length} bytes; the limit is ${MAX_BUNDLE_FILE_BYTES}`);
  const skewSeconds = opts.skewSeconds ?? DEFAULT_TRUST_SKEW_SECONDS;
  if (!present(join(dir, ROOT_FILE))) throw new TrustError('NO_ROOT', `no root is pinned in ${dir}: run \`proofdesk trust init --root ROOT.public.jwk\` first`);
  return withLock(dir, async () => {
    const root = await readRoot(dir);
    if (!root) throw new TrustError('NO_ROOT', `no root is pinned in ${dir}`);
    const state = readState(dir);
    if (kind === 'bundle') {
      const current = await readStore(dir, { now: opts.now, skewSeconds });
      const highestSeq = Math.max(state.highestSeq, current.highestSeq);
      const bundle = await verifyBundle(bytes, root, { now: opts.now, skewSeconds, highestSeq, refuseExpired: true });
      writeFileAtomic(join(dir, BUNDLE_FILE), bundle.text + '\n', { mode: STORE_FILE_MODE, ...(opts.beforeCommit ? { beforeRename: opts.beforeCommit } : {}) });
      writeState(dir, { v: 1, highestSeq: bundle.seq, highestIat: Math.max(state.highestIat, current.highestIat, bundle.iat) });
      return { kind, seq: bundle.seq, previousSeq: current.bundle?.seq ?? 0 };
    }
    const current = await readStore(dir, { now: opts.now, skewSeconds });
    if (!current.bundle) throw new TrustError('NO_ACTIVE_BUNDLE', 'no active trust bundle: import a bundle before its status lists');
    const token = await verifyStatusListToken(bytes, await issuerKeyRefs(current.bundle.keys), { now: opts.now, skewSeconds });
    const existing = current.statusLists.find((t) => t.uri === token.uri);
    if (existing && token.iat <= existing.iat) {
      throw new TrustError(
        'ROLLBACK',
        token.iat === existing.iat ? `status list for ${token.uri} issued at the same time is already installed (replay refused)` : `status list for ${token.uri} is older than the installed one: rollback refused`,
      );
    }
    const statusDir = join(dir, STATUS_DIR);
    mkdirSync(statusDir, { recursive: true, mode: 0o755 });
    chmodSync(statusDir, STORE_DIR_MODE); // whatever the umask: the kiosk's service user reads the store
    const name = statusListFileName(token.uri, token.format);
    writeFileAtomic(join(statusDir, name), token.raw, { mode: STORE_FILE_MODE, ...(opts.beforeCommit ? { beforeRename: opts.beforeCommit } : {}) });
    // A list that changed form (JWS ↔ CWT) leaves an older twin behind; remove it after the commit.
    const twin = statusListFileName(token.uri, token.format === 'jwt' ? 'cwt' : 'jwt');
    if (existsSync(join(statusDir, twin))) {
      unlinkSync(join(statusDir, twin));
      fsyncDir(statusDir);
    }
    return { kind, uri: token.uri, iat: token.iat, entries: token.list.size };
  });
}

/* ------------------------------------------------------------------ lock */

/**
 * Runs `fn` holding the store's import lock (`.lock`, holding the holder's pid). A lock left by a dead process is
 * taken over, and only ever by one contender (under `.lock.takeover`; the reasoning is in src/storage/pid-lock.ts).
 */
export async function withLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 10_000, hooks: { afterStaleSeen?: () => Promise<void> } = {}): Promise<T> {
  const lockPath = join(dir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (storeWrite(dir, () => createLockFile(lockPath))) break;
    const holder = readLockHolder(lockPath);
    if (holder === null) continue; // released between our attempt and the read: try again at once
    if (holder.stale) {
      await hooks.afterStaleSeen?.(); // test hook: lets a test interleave another contender here
      if (storeWrite(dir, () => takeOverStaleLock(lockPath))) break;
      continue;
    }
    if (Date.now() > deadline) throw new TrustError('STORE_BUSY', `store ${dir} is locked by another import (pid ${holder.pid ?? 'unknown'}); try again`);
    await new Promise((r) => setTimeout(r, 25));
  }
  try {
    return await fn();
  } finally {
    releaseLockFile(lockPath);
  }
}

/** A lock file the store folder will not take (read-only, missing) is refused as the store's own error. */
function storeWrite<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw new TrustError('FILE_UNREADABLE', `cannot write to store ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
