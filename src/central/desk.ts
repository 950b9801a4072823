/**
 * The kiosk's central step, for a desk with `records.central`: ships its record log (shipper.ts) and keeps its
 * fleet trust copy (fleet-trust.ts). The kiosk loads this module only when the config asks for it, so other desks
 * never load `pg`.
 *
 * Nothing here can stop or slow a scan: connecting happens in the background, the first time there is something to
 * ship or to ask. Only a setting that cannot work (an unreadable password file or key) stops the kiosk at start,
 * with the reason, as any other config error does.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { RecordStore } from '../records/store.js';
import { TrustError } from '../trust/errors.js';
import { openPool, type CentralPool } from './connect.js';
import { FleetTrust, type FleetTrustHealth } from './fleet-trust.js';
import { loadOrgPublicKey } from './seal.js';
import { DEFAULT_FLEET_TRUST_DIR, type CentralSettings } from './settings.js';
import { Shipper, type ShipperHealth, type ShipperOptions } from './shipper.js';

export interface CentralDeskOptions {
  settings: CentralSettings;
  deskId: string;
  /** Does this desk keep personal copies (records.personalCopy)? Only then can copies ship. */
  personalCopies: boolean;
  log: Logger;
  /** Tests and benchmarks: the shipper's back-off and batch size. */
  shipper?: Pick<ShipperOptions, 'retry' | 'batchSize' | 'pollMs' | 'onShipped'>;
}

/** The `central` part of the kiosk's /health: counts, times and codes, never personal data. */
export interface CentralHealth {
  /** role@host:port/database (no password). */
  server: string;
  records: ShipperHealth | null;
  trust: FleetTrustHealth | null;
}

export interface CentralDesk {
  /**
   * The trust store the kiosk should follow: the fleet copy of `adminDir` (kept up to date from it and from what the
   * organisation publishes). Without a bundle in either, one wait for the server (10 s at most) before giving up.
   */
  trustStore(adminDir: string, recordsDir: string, skewSeconds: number): Promise<string>;
  /** Start shipping this store's log; returns the function that stops it (before the store closes). */
  ship(store: RecordStore): () => Promise<void>;
  health(): CentralHealth;
  readonly shipper: Shipper | null;
  close(): Promise<void>;
}

const FIRST_BUNDLE_WAIT_MS = 10_000;

export async function openCentralDesk(opts: CentralDeskOptions): Promise<CentralDesk> {
  const { settings, log } = opts;
  const recordsKey = settings.recordsKey !== undefined ? await loadOrgPublicKey(settings.recordsKey) : null;
  const db: CentralPool = await openPool(settings, {
    max: 1, // one connection per desk: 2,000 desks are 2,000 connections (docs/central.md: the plan)
    applicationName: `proofdesk desk ${opts.deskId}`.slice(0, 63),
    connectTimeoutMs: 10_000,
    queryTimeoutMs: 30_000,
    idleTimeoutMs: 0,
  });
  log.info(
    {
      event: 'central-configured',
      server: db.target.describe,
      personalCopies:
        recordsKey && opts.personalCopies
          ? 'shipped, sealed to the organisation key'
          : opts.personalCopies
            ? 'kept on this desk only (no records.central.recordsKey)'
            : 'off',
    },
    'central records and trust data configured',
  );
  let shipper: Shipper | null = null;
  let fleet: FleetTrust | null = null;

  return {
    get shipper() {
      return shipper;
    },
    async trustStore(adminDir, recordsDir, skewSeconds) {
      let fleetDir = settings.trustDir;
      if (fleetDir === undefined) {
        mkdirSync(resolve(recordsDir), { recursive: true, mode: 0o700 }); // as the record store would make it
        fleetDir = join(resolve(recordsDir), DEFAULT_FLEET_TRUST_DIR);
      }
      fleet = await FleetTrust.prepare({ db, adminDir, fleetDir, pollMs: settings.trustPollSeconds * 1000, skewSeconds, log });
      if (!(await fleet.hasBundle())) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([fleet.refresh(), new Promise((r) => (timer = setTimeout(r, FIRST_BUNDLE_WAIT_MS)))]);
        clearTimeout(timer);
        if (!(await fleet.hasBundle())) {
          const why = fleet.health().error?.message ?? 'none is published';
          fleet.close();
          throw new TrustError(
            'NO_ACTIVE_BUNDLE',
            `no trust bundle in ${adminDir}, and none from the central database (${why}): import one there (proofdesk trust import) or publish one (proofdesk central publish)`,
          );
        }
      }
      fleet.start();
      return fleetDir;
    },
    ship(store) {
      shipper = new Shipper({ store, deskId: opts.deskId, db, recordsKey: opts.personalCopies ? recordsKey : null, log, ...opts.shipper });
      shipper.start();
      const s = shipper;
      return () => s.close();
    },
    health() {
      return { server: db.target.describe, records: shipper?.health() ?? null, trust: fleet?.health() ?? null };
    },
    async close() {
      await shipper?.close();
      fleet?.close();
      await db.close();
    },
  };
}
