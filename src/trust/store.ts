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
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { xdgHome } from '../storage/paths.js';
import { isoOf, verifyBundle, type TrustBundle, BUNDLE_TYP } from './bundle.js';
import { TrustError } from './errors.js';
import { fsyncDir, TEMP_PREFIX, unlinkQuiet, writeFileAtomic } from '../storage/files.js';
import { createLockFile, readLockHolder, releaseLockFile, takeOverStaleLock } from '../storage/pid-lock.js';
import { readFileCapped, symlinkRefused } from './files.js';
import { parseTrustJson } from './json.js';
import { rootFromJwk, thumbprintOf, type RootKey } from './jwk.js';
import { checkedJwsHeader, jwsText, looksLikeCompactJws } from './jws.js';
import { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';
import { MAX_BUNDLE_FILE_BYTES, MAX_ROOT_FILE_BYTES, MAX_STATE_FILE_BYTES, MAX_STATUS_LIST_FILE_BYTES } from './limits.js';
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
  return join(xdgHome('data', env), 'proofdesk');
}

interface StoreState {
  v: 1;
  highestSeq: number;
  /** Newest bundle iat ever accepted: the clock floor. */
  highestIat: number;
  /** Per status-list URI, the newest list iat ever accepted: a list on disk may not be older, or missing. */
  lists: Record<string, number>;
}

/** Everything the store holds, verified. `problems` lists what was on disk but could not be trusted (one line each). */
export interface StoreSnapshot {
  dir: string;
  root: RootKey | null;
  bundle: TrustBundle | null;
  highestSeq: number;
  highestIat: number;
  /** The newest verified list per URI (never two for one URI). */
  statusLists: StatusListToken[];
  /** Per URI, the newest list iat the store ever accepted (state.json). */
  listMarks: Record<string, number>;
  problems: string[];
  /**
   * Rollbacks found: the bundle older than the newest accepted, a known status list gone or older. Non-empty
   * means the store cannot be trusted as it stands: loadTrustState refuses (ROLLBACK); `trust status` shows them.
   */
  rollbacks: string[];
}

const EMPTY_STATE = (): StoreState => ({ v: 1, highestSeq: 0, highestIat: 0, lists: {} });

function readState(dir: string, bundleInstalled: boolean): StoreState {
  const path = join(dir, STATE_FILE);
  if (!present(path)) {
    // init writes state.json and every import keeps it, so a bundle without it means the record was deleted:
    // starting from zero would re-open every old bundle and list.
    if (bundleInstalled) {
      throw new TrustError(
        'STORE_CORRUPT',
        `store state ${path} is missing but a bundle is installed: the anti-rollback record was deleted; restore it from a backup, or run \`trust init --force\` and import the current bundle and status lists`,
      );
    }
    return EMPTY_STATE();
  }
  let parsed: unknown;
  try {
    parsed = parseTrustJson(
      readFileCapped(path, MAX_STATE_FILE_BYTES, 'store state', { noFollow: true }).toString('utf8'),
      `store state ${path}`,
    );
  } catch (err) {
    if (err instanceof TrustError && err.code === 'STORE_SYMLINK') throw err;
    if (err instanceof TrustError) throw new TrustError('STORE_CORRUPT', err.message);
    throw new TrustError('STORE_CORRUPT', `store state ${path} is damaged; refusing to guess the anti-rollback counter`);
  }
  const s = parsed as Partial<StoreState>;
  if (!Number.isSafeInteger(s.highestSeq) || !Number.isSafeInteger(s.highestIat))
    throw new TrustError('STORE_CORRUPT', `store state ${path} is damaged`);
  const lists: Record<string, number> = {};
  if (s.lists !== undefined) {
    if (typeof s.lists !== 'object' || s.lists === null || Array.isArray(s.lists))
      throw new TrustError('STORE_CORRUPT', `store state ${path} is damaged ("lists")`);
    for (const [uri, iat] of Object.entries(s.lists)) {
      if (!Number.isSafeInteger(iat)) throw new TrustError('STORE_CORRUPT', `store state ${path} is damaged ("lists")`);
      lists[uri] = iat as number;
    }
  }
  return { v: 1, highestSeq: s.highestSeq!, highestIat: s.highestIat!, lists };
}

function writeState(dir: string, state: StoreState, beforeRename?: () => void): void {
  writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state)}\n`, {
    mode: STORE_FILE_MODE,
    ...(beforeRename ? { beforeRename } : {}),
  });
}

/**
 * Whether a file or folder inside the store is there. Unlike existsSync, a permission problem is not "absent": a
 * store the service user cannot read must say so, not "no root is pinned". A symbolic link is refused
 * (STORE_SYMLINK): it could point reads, writes and chmods anywhere.
 */
function present(path: string): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw unreadable(path, code);
  }
  if (st.isSymbolicLink()) throw symlinkRefused(path);
  return true;
}

/** The store folder itself may be a link an administrator made (e.g. /var/lib/proofdesk → /srv/…); what is inside may not. */
function storePresent(dir: string): boolean {
  try {
    statSync(dir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw unreadable(dir, code);
  }
}

function unreadable(path: string, code: string | undefined): TrustError {
  return new TrustError(
    'FILE_UNREADABLE',
    `cannot read ${path}: ${code === 'EACCES' ? 'permission denied (the store must be readable by this user: folders 0755, files 0644)' : (code ?? 'error')}`,
  );
}

/** The status folder, or null when there is none. Refuses a link or a non-folder in its place. */
function statusFolder(dir: string): string | null {
  const statusDir = join(dir, STATUS_DIR);
  if (!present(statusDir)) return null;
  if (!lstatSync(statusDir).isDirectory()) throw new TrustError('STORE_CORRUPT', `${statusDir} is not a folder`);
  return statusDir;
}

/** Names in the status folder (temp files left out); a link among them is refused. */
function statusEntries(statusDir: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(statusDir, { withFileTypes: true })) {
    if (entry.name.startsWith(TEMP_PREFIX)) continue;
    if (entry.isSymbolicLink()) throw symlinkRefused(join(statusDir, entry.name));
    names.push(entry.name);
  }
  return names.sort();
}

export async function readRoot(dir: string): Promise<RootKey | null> {
  const path = join(dir, ROOT_FILE);
  if (!present(path)) return null;
  const bytes = readFileCapped(path, MAX_ROOT_FILE_BYTES, 'pinned root', { noFollow: true });
  let jwk: unknown;
  try {
    jwk = parseTrustJson(bytes.toString('utf8'), `pinned root ${path}`);
  } catch (err) {
    throw new TrustError('STORE_CORRUPT', (err as Error).message);
  }
  return rootFromJwk(jwk, 'pinned root');
}

export function statusListFileName(uri: string, format: 'jwt' | 'cwt'): string {
  return `${createHash('sha256').update(uri, 'utf8').digest('hex').slice(0, 32)}.${format === 'jwt' ? 'jws' : 'cwt'}`;
}

const bothNames = (uri: string): string[] => [statusListFileName(uri, 'jwt'), statusListFileName(uri, 'cwt')];

/**
 * Loads and re-verifies everything in the store. Throws only for a missing/damaged root or state, or a link in the
 * store; other problems are listed, and rollbacks (which make the store untrustworthy) in `rollbacks`.
 */
export async function readStore(dir: string, opts: { now: number; skewSeconds?: number }): Promise<StoreSnapshot> {
  const snap: StoreSnapshot = {
    dir,
    root: null,
    bundle: null,
    highestSeq: 0,
    highestIat: 0,
    statusLists: [],
    listMarks: {},
    problems: [],
    rollbacks: [],
  };
  if (!storePresent(dir)) return snap;
  snap.root = await readRoot(dir);
  const bundlePath = join(dir, BUNDLE_FILE);
  const bundleInstalled = present(bundlePath);
  const state = readState(dir, bundleInstalled);
  snap.highestSeq = state.highestSeq;
  snap.highestIat = state.highestIat;
  snap.listMarks = { ...state.lists };
  if (!snap.root) return snap;
  if (bundleInstalled) {
    try {
      // No time checks on reload: a bundle "from the future" after the clock went back stays in force and the clock
      // floor flags the clock (CLOCK_SUSPECT) instead of trust silently disappearing.
      const bundle = await verifyBundle(readFileCapped(bundlePath, MAX_BUNDLE_FILE_BYTES, 'active bundle', { noFollow: true }), snap.root, {
        now: opts.now,
        timeChecks: false,
      });
      if (bundle.seq < state.highestSeq) {
        snap.rollbacks.push(
          `active bundle seq ${bundle.seq} is older than seq ${state.highestSeq} already accepted: the store was rolled back; import a current bundle`,
        );
      } else {
        snap.bundle = bundle;
        snap.highestSeq = Math.max(state.highestSeq, bundle.seq);
        snap.highestIat = Math.max(state.highestIat, bundle.iat);
      }
    } catch (err) {
      if (err instanceof TrustError && err.code === 'STORE_SYMLINK') throw err;
      snap.problems.push(`active bundle in ${bundlePath} cannot be trusted: ${(err as Error).message}`);
    }
  }
  const statusDir = statusFolder(dir);
  const names = statusDir === null ? [] : statusEntries(statusDir);
  if (snap.bundle && statusDir !== null) {
    const keys = await issuerKeyRefs(snap.bundle.keys);
    const newest = new Map<string, StatusListToken>();
    for (const name of names) {
      if (!/\.(jws|cwt)$/.test(name)) continue;
      let token: StatusListToken;
      try {
        const bytes = readFileCapped(join(statusDir, name), MAX_STATUS_LIST_FILE_BYTES, 'status list', { noFollow: true });
        // On reload only signature, signer and shape are checked; the verifier judges staleness by age.
        token = await verifyStatusListToken(bytes, keys, { now: opts.now, timeChecks: false });
      } catch (err) {
        snap.problems.push(`status list ${name} ignored: ${(err as Error).message}`);
        continue;
      }
      if (!bothNames(token.uri).includes(name)) {
        snap.problems.push(
          `status list ${name} ignored: it holds the list for ${token.uri}, which is kept as ${statusListFileName(token.uri, token.format)}`,
        );
        continue;
      }
      const other = newest.get(token.uri);
      // The newest per URI wins, whatever the order the files are read in; the older copy is named.
      if (other === undefined || token.iat > other.iat) {
        if (other)
          snap.problems.push(
            `status list ${statusListFileName(other.uri, other.format)} ignored: an older copy (issued ${isoOf(other.iat)}) of the list for ${other.uri}`,
          );
        newest.set(token.uri, token);
      } else {
        snap.problems.push(
          `status list ${name} ignored: ${token.iat === other.iat ? 'a second copy' : `an older copy (issued ${isoOf(token.iat)})`} of the list for ${token.uri}`,
        );
      }
    }
    snap.statusLists = [...newest.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }
  if (snap.bundle) {
    // A list the store accepted must still be there, and not older: a swapped or deleted file must not undo a revocation.
    for (const [uri, mark] of Object.entries(state.lists)) {
      const loaded = snap.statusLists.find((t) => t.uri === uri);
      if (loaded !== undefined) {
        if (loaded.iat < mark)
          snap.rollbacks.push(
            `status list for ${uri} on disk was issued ${isoOf(loaded.iat)}, older than the one already accepted (${isoOf(mark)}): the file was replaced by an older copy; import the current list`,
          );
      } else if (!bothNames(uri).some((n) => names.includes(n))) {
        snap.rollbacks.push(
          `status list for ${uri} (accepted, issued ${isoOf(mark)}) has disappeared from the store: import the current list`,
        );
      }
      // Present but unusable (damaged, signer no longer in the bundle): listed in problems; its codes are CHECK MANUALLY.
    }
  }
  return snap;
}

/** `trust init`: pins the root public key. Refuses to replace an existing root unless `force`. */
export async function initStore(dir: string, rootJwk: unknown, opts: { force?: boolean; where?: string } = {}): Promise<RootKey> {
  const where = opts.where ?? 'root key';
  const root = await rootFromJwk(rootJwk, where);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, STORE_DIR_MODE); // whatever the umask: the kiosk's service user reads the store
  return withLock(dir, async () => {
    const existing = await readRoot(dir).catch((err: unknown) => {
      if (err instanceof TrustError && err.code === 'STORE_SYMLINK') throw err;
      return 'damaged' as const;
    });
    if (existing && !opts.force) {
      const what = existing === 'damaged' ? 'a damaged root' : `root ${existing.thumbprint.slice(0, 12)}…`;
      throw new TrustError(
        'ROOT_EXISTS',
        `store ${dir} already pins ${what}; use --force to replace it (this drops the active bundle and status lists)`,
      );
    }
    const statusDir = statusFolder(dir); // refuses a planted link before anything is removed through it
    if (existing && existing !== 'damaged') await refuseActiveIssuerAsRoot(dir, root, where);
    if (existing && opts.force) {
      // A new root starts a new trust history: the old bundle and lists cannot verify under it.
      unlinkQuiet(join(dir, BUNDLE_FILE));
      if (statusDir !== null) for (const name of statusEntries(statusDir)) unlinkQuiet(join(statusDir, name));
      writeState(dir, EMPTY_STATE());
    } else if (!present(join(dir, STATE_FILE))) {
      writeState(dir, EMPTY_STATE()); // from now on a missing state.json means it was deleted
    }
    writeFileAtomic(join(dir, ROOT_FILE), `${JSON.stringify(root.jwk, null, 2)}\n`, { mode: STORE_FILE_MODE });
    return root;
  });
}

/** A new root that is an issuer key of the bundle in force is an issuer key, not a root (ISSUER_KEY_AS_ROOT). */
async function refuseActiveIssuerAsRoot(dir: string, root: RootKey, where: string): Promise<void> {
  const snap = await readStore(dir, { now: Math.floor(Date.now() / 1000) }).catch(() => null);
  for (const k of snap?.bundle?.keys ?? []) {
    if ((await thumbprintOf(k)) === root.thumbprint) {
      throw new TrustError(
        'ISSUER_KEY_AS_ROOT',
        `${where} is issuer key${k.kid === undefined ? '' : ` "${k.kid}"`} of the active bundle in ${dir}: an issuer key must never be the root; pin the root's public key (ROOT.public.jwk)`,
      );
    }
  }
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
    } catch (err) {
      if (err instanceof TrustError && err.code === 'NESTED_TOO_DEEP') throw err; // not worth guessing a kind for
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
    throw new TrustError(
      'WRONG_TYPE',
      kind === 'bundle'
        ? 'this file is a trust bundle, not a status list (use `proofdesk trust import`)'
        : 'this file is a status list, not a trust bundle',
    );
  }
  if (kind === 'bundle' && bytes.length > MAX_BUNDLE_FILE_BYTES)
    throw new TrustError('FILE_TOO_LARGE', `bundle is ${bytes.length} bytes; the limit is ${MAX_BUNDLE_FILE_BYTES}`);
  const skewSeconds = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (!storePresent(dir) || !present(join(dir, ROOT_FILE)))
    throw new TrustError('NO_ROOT', `no root is pinned in ${dir}: run \`proofdesk trust init --root ROOT.public.jwk\` first`);
  return withLock(dir, async () => {
    const root = await readRoot(dir);
    if (!root) throw new TrustError('NO_ROOT', `no root is pinned in ${dir}`);
    const current = await readStore(dir, { now: opts.now, skewSeconds });
    const state = readState(dir, current.bundle !== null || present(join(dir, BUNDLE_FILE)));
    // Every import records the newest iat of each list in force, so marks exist for lists imported before marks did.
    const lists = { ...state.lists };
    for (const t of current.statusLists) lists[t.uri] = Math.max(lists[t.uri] ?? 0, t.iat);
    if (kind === 'bundle') {
      const highestSeq = Math.max(state.highestSeq, current.highestSeq);
      const bundle = await verifyBundle(bytes, root, { now: opts.now, skewSeconds, highestSeq, refuseExpired: true });
      writeFileAtomic(join(dir, BUNDLE_FILE), `${bundle.text}\n`, {
        mode: STORE_FILE_MODE,
        ...(opts.beforeCommit ? { beforeRename: opts.beforeCommit } : {}),
      });
      writeState(dir, { v: 1, highestSeq: bundle.seq, highestIat: Math.max(state.highestIat, current.highestIat, bundle.iat), lists });
      return { kind, seq: bundle.seq, previousSeq: current.bundle?.seq ?? 0 };
    }
    if (!current.bundle) throw new TrustError('NO_ACTIVE_BUNDLE', 'no active trust bundle: import a bundle before its status lists');
    const token = await verifyStatusListToken(bytes, await issuerKeyRefs(current.bundle.keys), { now: opts.now, skewSeconds });
    const existing = current.statusLists.find((t) => t.uri === token.uri);
    const mark = lists[token.uri] ?? 0;
    // The same list again is a replay, unless the store lost its copy or holds an older one (then it restores it).
    if (existing && token.iat <= existing.iat) {
      throw new TrustError(
        'ROLLBACK',
        token.iat === existing.iat
          ? `status list for ${token.uri} issued at the same time is already installed (replay refused)`
          : `status list for ${token.uri} is older than the installed one: rollback refused`,
      );
    }
    if (token.iat < mark)
      throw new TrustError(
        'ROLLBACK',
        `status list for ${token.uri} is older than the newest already accepted (${isoOf(mark)}): rollback refused`,
      );
    if (existing && existing.signerThumbprint !== token.signerThumbprint && token.signerStatusLists === undefined) {
      throw new TrustError(
        'STATUS_LIST_NOT_ALLOWED',
        `status list for ${token.uri} is signed by key "${token.signer}", but the list in force was signed by "${existing.signer}": a key may take over another key's list only when the bundle names the list for it ("statusLists")`,
      );
    }
    const statusDir = statusFolder(dir) ?? join(dir, STATUS_DIR);
    mkdirSync(statusDir, { recursive: true, mode: 0o755 });
    chmodFolder(statusDir); // whatever the umask: the kiosk's service user reads the store
    const name = statusListFileName(token.uri, token.format);
    writeFileAtomic(join(statusDir, name), token.raw, {
      mode: STORE_FILE_MODE,
      ...(opts.beforeCommit ? { beforeRename: opts.beforeCommit } : {}),
    });
    // The list file first, then its mark: a crash between the two leaves a list newer than its mark, which loads.
    writeState(dir, {
      v: 1,
      highestSeq: Math.max(state.highestSeq, current.highestSeq),
      highestIat: Math.max(state.highestIat, current.highestIat),
      lists: { ...lists, [token.uri]: token.iat },
    });
    // A list that changed form (JWS ↔ CWT) leaves an older twin behind; remove it after the commit.
    const twin = statusListFileName(token.uri, token.format === 'jwt' ? 'cwt' : 'jwt');
    if (existsSync(join(statusDir, twin))) {
      unlinkSync(join(statusDir, twin));
      fsyncDir(statusDir);
    }
    return { kind, uri: token.uri, iat: token.iat, entries: token.list.size };
  });
}

/** chmod a store folder through a descriptor opened without following links, so a link swapped in is not followed. */
function chmodFolder(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') throw symlinkRefused(path);
    throw err;
  }
  try {
    fchmodSync(fd, STORE_DIR_MODE);
  } finally {
    closeSync(fd);
  }
}

/* ------------------------------------------------------------------ lock */

/**
 * Runs `fn` holding the store's import lock (`.lock`, holding the holder's pid). A lock left by a dead process is
 * taken over, and only ever by one contender (under `.lock.takeover`; the reasoning is in src/storage/pid-lock.ts).
 */
export async function withLock<T>(
  dir: string,
  fn: () => Promise<T>,
  timeoutMs = 10_000,
  hooks: { afterStaleSeen?: () => Promise<void> } = {},
): Promise<T> {
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
    if (Date.now() > deadline)
      throw new TrustError('STORE_BUSY', `store ${dir} is locked by another import (pid ${holder.pid ?? 'unknown'}); try again`);
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
    throw new TrustError('FILE_UNWRITABLE', `cannot write to store ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
