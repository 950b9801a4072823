/**
 * Which keys a desk or a `verify` trusts, decided in one place. `chooseTrust` is the rule (pure, no file read but
 * one existence check); `openTrust` loads the choice as a key set with its revocation context, and can reload and
 * close it. The kiosk (`run`) and `verify` both go through here, so they can never disagree about where trust
 * comes from.
 *
 * The order, first match wins:
 *   1. `--keys FILE`: exactly those public keys (no status lists, no clock floor);
 *   2. `--store DIR`: that trust store;
 *   3. the config's `trust.store`;
 *   4. the per-user trust store, once a bundle has been imported into it (so an administrator's `trust import`
 *      reaches a desk whose config names `trust.keys`);
 *   5. the config's `trust.keys`;
 *   6. only when nothing at all names trust and the caller allows it (the built-in DEMO desk): the DEMO keys.
 * Nothing else is implicit: no match is "no trusted keys".
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadKeySet, type KeySet } from './keyset.js';
import { loadTrustState, watchTrustStore, type TrustWatcher } from './state.js';
import { BUNDLE_FILE } from './store.js';
import type { TrustContext } from '../verify/options.js';

export type TrustChoice =
  | { kind: 'keys'; file: string; why: 'option' | 'config' | 'demo' }
  | { kind: 'store'; dir: string; why: 'option' | 'config' | 'per-user' };

export interface TrustRequest {
  /** `--keys FILE`. */
  keysFile?: string;
  /** `--store DIR`. */
  store?: string;
  /** The config's trust section, when there is a config. */
  config?: { keys?: string; store?: string };
  /** The DEMO key set, allowed as the last resort (the built-in desk only). */
  demoKeysFile?: string;
  /** The per-user store to use when it holds a bundle (the CLI passes defaultStoreDir()); absent = not consulted. */
  perUserStore?: string;
}

export function chooseTrust(req: TrustRequest): TrustChoice | null {
  if (req.keysFile !== undefined) return { kind: 'keys', file: req.keysFile, why: 'option' };
  if (req.store !== undefined) return { kind: 'store', dir: resolve(req.store), why: 'option' };
  if (req.config?.store !== undefined) return { kind: 'store', dir: resolve(req.config.store), why: 'config' };
  if (req.perUserStore !== undefined && existsSync(join(req.perUserStore, BUNDLE_FILE)))
    return { kind: 'store', dir: resolve(req.perUserStore), why: 'per-user' };
  if (req.config?.keys !== undefined) return { kind: 'keys', file: req.config.keys, why: 'config' };
  if (req.config === undefined && req.demoKeysFile !== undefined) return { kind: 'keys', file: req.demoKeysFile, why: 'demo' };
  return null;
}

/** A stable word for logs: 'keys file', 'trust store' or 'DEMO keys' (no path: operators filter on it). */
export function trustKind(choice: TrustChoice): 'keys file' | 'trust store' | 'DEMO keys' {
  return choice.kind === 'store' ? 'trust store' : choice.why === 'demo' ? 'DEMO keys' : 'keys file';
}

/** One line for people: where the trust came from. */
export function describeTrust(choice: TrustChoice): string {
  if (choice.kind === 'keys') return choice.why === 'demo' ? 'DEMO keys' : `keys file ${choice.file}`;
  return `trust store ${choice.dir}${choice.why === 'per-user' ? ' (the per-user store)' : ''}`;
}

export interface TrustSource {
  readonly choice: TrustChoice;
  /** One line for people (logs, banners). */
  readonly describe: string;
  /** The key set in force (replaced as a whole on reload). */
  readonly keys: KeySet;
  /** Revocation lists and clock floor: a store only (a keys file has neither). */
  readonly context: TrustContext | undefined;
  /** The store's active bundle sequence number, when trust is a store. */
  readonly bundleSeq: number | undefined;
  /** Re-read now (SIGHUP). A reload that fails keeps the previous trust in force and reports through onError. */
  reload(): Promise<void>;
  close(): void;
}

export interface OpenTrustOptions {
  /** Keep a store watched and swap its state when the files change (the kiosk); false = read once (verify). */
  watch?: boolean;
  skewSeconds?: number;
  maxStatusAgeSeconds?: number;
  /** A store reading as of this time (ms), for a one-off read. */
  now?: number;
  onReload?(source: TrustSource): void;
  /** A reload was refused: the previous trust stays in force. */
  onError?(err: Error): void;
  /** Watch the folder this returns instead of the chosen store (the central step's fleet copy of it). */
  follow?(dir: string): Promise<string>;
}

export async function openTrust(choice: TrustChoice, opts: OpenTrustOptions = {}): Promise<TrustSource> {
  const describe = describeTrust(choice) + (choice.kind === 'store' && opts.follow ? ' + published trust data' : '');
  const limits = {
    ...(opts.skewSeconds !== undefined ? { skewSeconds: opts.skewSeconds } : {}),
    ...(opts.maxStatusAgeSeconds !== undefined ? { maxStatusAgeSeconds: opts.maxStatusAgeSeconds } : {}),
  };
  if (choice.kind === 'keys') {
    let keys = await loadKeySet(choice.file);
    const source: TrustSource = {
      choice,
      describe,
      get keys() {
        return keys;
      },
      context: undefined,
      bundleSeq: undefined,
      async reload() {
        try {
          keys = await loadKeySet(choice.file);
          opts.onReload?.(source);
        } catch (err) {
          opts.onError?.(err as Error);
        }
      },
      close() {},
    };
    return source;
  }
  if (!opts.watch) {
    const state = await loadTrustState({ storeDir: choice.dir, ...limits, ...(opts.now !== undefined ? { now: opts.now } : {}) });
    return { choice, describe, keys: state.keys, context: state.context, bundleSeq: state.bundleSeq, reload: async () => {}, close() {} };
  }
  let source: TrustSource | null = null;
  const watched = opts.follow ? await opts.follow(choice.dir) : choice.dir;
  const watcher: TrustWatcher = await watchTrustStore(
    watched,
    () => {
      if (source) opts.onReload?.(source);
    },
    { ...limits, ...(opts.onError ? { onError: opts.onError } : {}) },
  );
  source = {
    choice,
    describe,
    get keys() {
      return watcher.current.keys;
    },
    get context() {
      return watcher.current.context;
    },
    get bundleSeq() {
      return watcher.current.bundleSeq;
    },
    async reload() {
      await watcher.reload();
    },
    close: () => watcher.close(),
  };
  return source;
}
