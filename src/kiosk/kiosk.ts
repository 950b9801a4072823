/**
 * The kiosk: the wiring that starts a desk (src/kiosk/desk.ts is the desk itself: scan → verify → screens → record),
 * reloads its trust, and shuts it down. startKiosk is the list of steps, in order: choose and open the trust (and
 * central, when configured), open the records, make the desk, route the likeness answers to it, build the scanner
 * hub (scanners.ts), start the displays (displays.ts), then connect the hub to the desk and start it.
 *
 * Two ways to start:
 * - built-in default (no config): web screen + stdin + discovered known scanners, trusting ONLY the DEMO key set
 *   from examples/, with DEMO on every screen;
 * - a config file: only its keys (`trust.keys`) or its trust store (`trust.store`) count.
 * `--keys FILE` (exactly those keys) and `--store DIR` (that trust store) override the config's trust, and either one
 * also replaces the DEMO keys of the built-in default.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { CentralDesk } from '../central/desk.js';
import { ProofdeskError } from '../errors.js';
import { defaultDemoStoreDir, defaultStoreDir as defaultRecordsDir, newCheckId, RecordStore } from '../records/index.js';
import type { DroppedScan, Scan, ScanHub } from '../scan/index.js';
import type { ScreenDisplay } from '../screen/display.js';
import { DEFAULT_WORTH, type DeskView } from '../screen/state.js';
import type { WebDisplay } from '../screen/web/server.js';
import { loadKeySet } from '../trust/keyset.js';
import { chooseTrust, describeTrust, openTrust, trustKind, type TrustChoice, type TrustSource } from '../trust/source.js';
import type { Verdict } from '../verify/verdict.js';
import { verify } from '../verify/verify.js';
import type { KioskConfig } from './config.js';
import {
  DEFAULT_CLEAR_AFTER_SECONDS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_MAX_STATUS_AGE_DAYS,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SKEW_SECONDS,
  deskPurposeOf,
  type ConfigPurpose,
} from './defaults.js';
import { Desk } from './desk.js';
import { startDisplays } from './displays.js';
import { likenessRouting } from './likeness-routing.js';
import { pageAddress } from './page-link.js';
import { buildScannerHub, scannerAlerts } from './scanners.js';
import { storeRecorder } from './store-recorder.js';

export const DEMO_KEYS_FILE = fileURLToPath(new URL('../../examples/demo-issuer.jwks', import.meta.url));

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface KioskOptions {
  /** null = the built-in DEMO default. */
  config: KioskConfig | null;
  port?: number;
  keysFile?: string;
  purpose?: ConfigPurpose;
  stdin: boolean;
  /** A trust store folder (`--store`): overrides the config's trust; without a config, replaces the DEMO keys. */
  trustStore?: string;
  /** The per-user trust store, used when it holds a bundle and neither an option nor the config's trust.store names one. */
  perUserStore?: string;
  /** Check-record folder (`--records`; overrides the config's `records.dir`). */
  records?: string;
  log: Logger;
  /** For tests: streams instead of the process's own. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Skip device discovery (tests). */
  discover?: boolean;
  /** Replace the status page's lasting token (`--new-token`): every page holding the old one is refused. */
  newToken?: boolean;
}

export interface Kiosk {
  /** The status page's link, with its token (never printed where a journal keeps it: see pageLink). */
  readonly url: string;
  /** The page's address without the token. */
  readonly address: string;
  /** The owner-only file in the record folder that holds the link (src/kiosk/page-link.ts); null without a web page. */
  readonly pageLink: string | null;
  readonly port: number;
  /** The desk trusts the DEMO keys (the built-in desk, or a config naming them): its screens say DEMO. */
  readonly demo: boolean;
  /** The built-in DEMO desk (no config, no --keys / --store). */
  readonly builtInDemo: boolean;
  readonly desk: Desk;
  readonly web: WebDisplay | null;
  /** Where the desk's trust came from (src/trust/source.ts) and that in words. */
  readonly trust: TrustChoice;
  readonly trustDescription: string;
  /** Re-read the keys file or trust store now (SIGHUP). */
  reloadTrust(): Promise<void>;
  close(): Promise<void>;
}

export class KioskError extends ProofdeskError {
  constructor(
    override readonly code: 'TRUST_UNAVAILABLE' | 'RECORDS_UNAVAILABLE' | 'SCANNERS_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** RFC 7638 thumbprints of the bundled DEMO issuer keys. */
async function demoThumbprints(): Promise<ReadonlySet<string>> {
  const set = await loadKeySet(DEMO_KEYS_FILE);
  return new Set(set.keys.map((k) => k.thumbprint));
}

/** What a kiosk undoes at close: in reverse order of start, once however often it is asked. */
class Cleanups {
  private readonly undo: Array<() => Promise<void> | void> = [];
  private closing: Promise<void> | null = null;
  readonly add = (step: () => Promise<void> | void): void => {
    this.undo.push(step);
  };
  readonly run = (): Promise<void> => {
    this.closing ??= (async () => {
      for (const c of this.undo.reverse()) await c();
    })();
    return this.closing;
  };
}

export async function startKiosk(opts: KioskOptions): Promise<Kiosk> {
  const { config, log } = opts;
  const skewSeconds = config?.trust.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  // Undone in reverse order of start: scanners stop, the desk blanks every display, then the displays close.
  const cleanups = new Cleanups();
  try {
    const choice = chooseDeskTrust(opts);
    const builtInDemo = choice.why === 'demo';
    // The built-in DEMO desk keeps its own folder: demonstration checks never mix into a real desk's records.
    const recordsDir = opts.records ?? config?.records.dir ?? (builtInDemo ? defaultDemoStoreDir() : defaultRecordsDir());
    // Central (records.central, docs/central.md): ships the records, brings published trust data. Loaded only then.
    const central = config?.records.central ? await startCentral(config, log) : null;
    if (central) cleanups.add(() => central.close());
    const trust = await openDeskTrust(choice, { config, log, skewSeconds, central, recordsDir });
    cleanups.add(() => trust.close());
    const { demo, isDemoSigned } = await demoTrust(trust, choice, log);
    const view = deskViewOf(opts, builtInDemo, demo);
    const store = await openRecords(recordsDir, view.id, config);
    cleanups.add(() => store.close());
    if (central) cleanups.add(central.ship(store)); // stops before the store closes
    // The desk comes first, drawing on a list each display joins as it starts, so every screen's input has it.
    const displays: ScreenDisplay[] = [];
    const desk = makeDesk({ view, trust, isDemoSigned, store, displays, config, skewSeconds, log });
    const likeness = likenessRouting(desk);
    // Scanners: built now, started last so no scan arrives before the screens exist.
    const { hub, typing } = await buildScannerHub(opts, { onKey: likeness.terminal, atClose: cleanups.add });
    const parts = { view, desk, displays, likeness, hub, central, recordsDir: store.dir, typing, version: packageVersion() };
    const { web, pageLink } = await startDisplays(opts, { ...parts, atClose: cleanups.add });
    cleanups.add(() => desk.close());
    await startScanning(hub, desk, log);
    cleanups.add(() => hub.close());
    logReady(log, { demo, view, choice, trust, hub, displays, web });
    return {
      url: web?.url ?? '',
      address: web ? pageAddress(web.port) : '',
      pageLink,
      port: web?.port ?? 0,
      demo,
      builtInDemo,
      trust: choice,
      trustDescription: trust.describe,
      desk,
      web,
      reloadTrust: () => trust.reload(),
      close: cleanups.run,
    };
  } catch (err) {
    await cleanups.run();
    throw err;
  }
}

/** Trust: one rule (src/trust/source.ts) for the kiosk and verify. */
function chooseDeskTrust(opts: KioskOptions): TrustChoice {
  const choice = chooseTrust({
    ...(opts.keysFile !== undefined ? { keysFile: opts.keysFile } : {}),
    ...(opts.trustStore !== undefined ? { store: opts.trustStore } : {}),
    ...(opts.config ? { config: opts.config.trust } : {}),
    ...(opts.perUserStore !== undefined ? { perUserStore: opts.perUserStore } : {}),
    demoKeysFile: DEMO_KEYS_FILE,
  });
  if (choice === null) throw new KioskError('TRUST_UNAVAILABLE', 'no trusted keys: the config names neither trust.keys nor trust.store');
  return choice;
}

interface TrustSetting {
  config: KioskConfig | null;
  log: Logger;
  skewSeconds: number;
  /** Follows the trust data central publishes (a trust store only). */
  central: CentralDesk | null;
  recordsDir: string;
}

/** The chosen keys file or trust store, watched and reloaded (SIGHUP too); a reload that fails keeps the old one. */
async function openDeskTrust(choice: TrustChoice, s: TrustSetting): Promise<TrustSource> {
  const { config, log, central } = s;
  try {
    return await openTrust(choice, {
      watch: true,
      skewSeconds: s.skewSeconds,
      maxStatusAgeSeconds: Math.round((config?.trust.maxStatusAgeDays ?? DEFAULT_MAX_STATUS_AGE_DAYS) * 86_400),
      onReload: (t) =>
        log.info(
          {
            event: 'trust-reloaded',
            source: trustKind(t.choice),
            keys: t.keys.keys.length,
            ...(t.bundleSeq !== undefined ? { bundleSeq: t.bundleSeq } : {}),
          },
          'trust reloaded',
        ),
      ...(central ? { follow: (dir: string) => central.trustStore(dir, s.recordsDir, s.skewSeconds) } : {}),
      onError: (err) =>
        log.error(
          { event: 'trust-reload-failed', err: { message: err.message, code: (err as { code?: string }).code } },
          'trust NOT reloaded; the previous trust stays in force',
        ),
    });
  } catch (err) {
    // The loaders' messages mostly name the file already: say it once.
    const why = (err as Error).message;
    const where = choice.kind === 'store' ? choice.dir : choice.file;
    throw new KioskError(
      'TRUST_UNAVAILABLE',
      why.includes(where)
        ? `no trusted keys (${trustKind(choice)}): ${why}`
        : `cannot load ${choice.kind === 'store' ? 'the ' : ''}${describeTrust(choice)}: ${why}`,
    );
  }
}

/**
 * A desk that trusts the DEMO keys (the built-in desk, or a config naming them) says DEMO on every screen, and
 * every check a DEMO key signed is marked DEMO in its record, export row and PDF.
 */
async function demoTrust(
  trust: TrustSource,
  choice: TrustChoice,
  log: Logger,
): Promise<{ demo: boolean; isDemoSigned: (v: Verdict) => boolean }> {
  const demoKeys = await demoThumbprints();
  const isDemoSigned = (v: Verdict): boolean =>
    v.verifiedBy !== null && trust.keys.keys.some((k) => (k.kid ?? k.thumbprint) === v.verifiedBy && demoKeys.has(k.thumbprint));
  const builtInDemo = choice.why === 'demo';
  const demo = builtInDemo || trust.keys.keys.some((k) => demoKeys.has(k.thumbprint));
  if (demo && !builtInDemo)
    log.warn(
      { event: 'demo-keys-trusted', trust: trustKind(choice) },
      'this desk trusts the DEMO keys: anyone can make codes they accept; checks they sign are marked DEMO',
    );
  return { demo, isDemoSigned };
}

/** What every screen says about the desk: its purpose, DEMO or not, its id and what it asks the checker for. */
function deskViewOf(opts: KioskOptions, builtInDemo: boolean, demo: boolean): DeskView {
  const { config } = opts;
  const purposeName: ConfigPurpose = opts.purpose ?? config?.desk.purpose ?? 'any';
  return {
    purpose: deskPurposeOf(purposeName),
    demo,
    worth: config?.screen.worth ?? DEFAULT_WORTH,
    id: config?.desk.id ?? (builtInDemo ? 'demo-desk' : 'desk'),
    askFor: config?.desk.askFor ?? [],
    ...(config?.desk.referenceLabel !== undefined ? { referenceLabel: config.desk.referenceLabel } : {}),
  };
}

/** Records: the desk's own record store. */
async function openRecords(dir: string, deskId: string, config: KioskConfig | null): Promise<RecordStore> {
  try {
    return await RecordStore.open({
      dir,
      deskId,
      retentionDays: config?.records.retentionDays ?? DEFAULT_RETENTION_DAYS,
      ...(config?.records.personalCopy ? { personalCopy: config.records.personalCopy } : {}),
    });
  } catch (err) {
    throw new KioskError('RECORDS_UNAVAILABLE', `cannot open the record store ${dir}: ${(err as Error).message}`);
  }
}

interface DeskParts {
  view: DeskView;
  trust: TrustSource;
  isDemoSigned(v: Verdict): boolean;
  store: RecordStore;
  displays: ScreenDisplay[];
  config: KioskConfig | null;
  skewSeconds: number;
  log: Logger;
}

/** The desk (src/kiosk/desk.ts): verifies with the trust in force at each scan, records into the store. */
function makeDesk(p: DeskParts): Desk {
  const { view, trust, config, skewSeconds } = p;
  return new Desk({
    desk: view,
    check: (text, now) =>
      verify(text, { keys: trust.keys, now, purpose: view.purpose, skewSeconds, ...(trust.context ? { trust: trust.context } : {}) }),
    newCheckId,
    hasStatusLists: () => trust.context?.statusOf !== undefined,
    isDemoSigned: p.isDemoSigned,
    displays: p.displays,
    recorder: storeRecorder(p.store, config?.records.personalCopy !== undefined),
    clearAfterMs: (config?.screen.clearAfterSeconds ?? DEFAULT_CLEAR_AFTER_SECONDS) * 1000,
    duplicateWindowMs: config?.scanners.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS,
    log: p.log,
  });
}

/** The hub's scans go to the desk, and its scanners' states to every screen; then the scanners start. */
async function startScanning(hub: ScanHub, desk: Desk, log: Logger): Promise<void> {
  hub.on('scan', (scan: Scan) => void desk.onScan(scan));
  hub.on('duplicate', (scan: Scan) => desk.onDuplicate(scan));
  hub.on('dropped', (drop: DroppedScan) => desk.onDropped(drop));
  // Every screen says which scanner is not connected, until it is again.
  hub.on('state', () => desk.setAlerts(scannerAlerts(hub.scanners())));
  try {
    await hub.start();
  } catch (err) {
    throw new KioskError('SCANNERS_FAILED', `cannot start scanners: ${(err as Error).message}`);
  }
  const alerts = scannerAlerts(hub.scanners());
  desk.setAlerts(alerts);
  for (const alert of alerts) log.warn({ event: 'desk-alert', code: alert.code }, alert.text);
}

interface Ready {
  demo: boolean;
  view: DeskView;
  choice: TrustChoice;
  trust: TrustSource;
  hub: ScanHub;
  displays: ScreenDisplay[];
  web: WebDisplay | null;
}

function logReady(log: Logger, r: Ready): void {
  log.info(
    {
      event: 'ready',
      demo: r.demo,
      purpose: r.view.purpose,
      trust: trustKind(r.choice),
      keys: r.trust.keys.keys.length,
      scanners: r.hub.scanners().map((s: { name: string; transport: string }) => ({ name: s.name, transport: s.transport })),
      displays: r.displays.map((d) => d.name),
      port: r.web?.port ?? null,
    },
    'kiosk ready',
  );
}

/** The central step, for a desk with records.central (src/central/desk.ts, and `pg`, are loaded only then). */
async function startCentral(config: KioskConfig, log: Logger): Promise<CentralDesk> {
  const { openCentralDesk } = await import('../central/desk.js');
  try {
    return await openCentralDesk({
      settings: config.records.central!,
      deskId: config.desk.id,
      personalCopies: config.records.personalCopy !== undefined,
      log,
    });
  } catch (err) {
    throw new KioskError('RECORDS_UNAVAILABLE', `records.central: ${(err as Error).message}`);
  }
}
