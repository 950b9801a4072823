/**
 * The kiosk's displays, started once the desk exists (it draws on the list they join): the status page (with its
 * lasting token and the owner-only link file), each bridge box in the config, and the kiosk's own terminal. Each
 * display's input goes to the desk: likeness answers through the routing, the page's details and /health directly.
 */
import type { Logger } from 'pino';
import type { CentralDesk } from '../central/desk.js';
import type { ScanHub } from '../scan/hub.js';
import type { ScreenDisplay } from '../screen/display.js';
import { DEFAULT_REFERENCE_LABEL, type DeskView } from '../screen/state.js';
import { terminalDisplay } from '../screen/terminal.js';
import { startWebDisplay, type WebDisplay } from '../screen/web/server.js';
import type { KioskConfig } from './config.js';
import { DEFAULT_PORT } from './defaults.js';
import type { Desk } from './desk.js';
import type { LikenessRouting } from './likeness-routing.js';
import { deskToken, writePageLink } from './page-link.js';
import { scannerAlerts } from './scanners.js';

/** The kiosk's options the displays are started from (KioskOptions, src/kiosk/kiosk.ts). */
export interface DisplaySettings {
  config: KioskConfig | null;
  /** --port; else the config's, else DEFAULT_PORT. */
  port?: number;
  /** --new-token: replace the page's lasting token. */
  newToken?: boolean;
  /** Tests: a stream instead of the process's own standard output. */
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  log: Logger;
}

/** What the displays are wired to. */
export interface DisplayParts {
  view: DeskView;
  desk: Desk;
  /** The list the desk draws on: every display started here joins it. */
  displays: ScreenDisplay[];
  likeness: LikenessRouting;
  hub: ScanHub;
  central: CentralDesk | null;
  /** The record folder, which keeps the page's token. */
  recordsDir: string;
  /** Likeness keys are read at the kiosk's own terminal (src/kiosk/scanners.ts): its screen says so. */
  typing: boolean;
  version: string;
  /** Something to close at shutdown, in start order with the kiosk's other cleanups. */
  atClose(close: () => Promise<void>): void;
}

export interface StartedDisplays {
  web: WebDisplay | null;
  /** The owner-only file holding the page's link; null without a web page. */
  pageLink: string | null;
}

export async function startDisplays(opts: DisplaySettings, parts: DisplayParts): Promise<StartedDisplays> {
  const { config } = opts;
  const page = await startWebPage(opts, parts);
  await attachBridges(opts, parts);
  const output = opts.output ?? process.stdout;
  const terminalMode = config?.displays.terminal ?? 'auto';
  if (terminalMode === 'on' || (terminalMode === 'auto' && output.isTTY === true))
    parts.displays.push(terminalDisplay(output, parts.typing, page !== null, (config?.bridges.length ?? 0) > 0));
  return page ?? { web: null, pageLink: null };
}

/** The status page, unless the config turns it off. */
async function startWebPage(opts: DisplaySettings, parts: DisplayParts): Promise<{ web: WebDisplay; pageLink: string } | null> {
  const { config, log } = opts;
  const { view, desk, hub, central } = parts;
  // The page's token lasts across restarts (kept in the record folder): an open page reconnects by itself.
  const pageToken = (config?.displays.web.enabled ?? true) ? deskToken(parts.recordsDir, opts.newToken === true) : null;
  if (!pageToken) return null;
  const { token } = pageToken;
  const web = await startWebDisplay({
    port: opts.port ?? config?.displays.web.port ?? DEFAULT_PORT,
    token,
    version: parts.version,
    initial: desk.state,
    health: () => {
      const scanners = hub.scanners();
      const problems = scannerAlerts(scanners).map((a) => a.text);
      return {
        ok: problems.length === 0,
        problems,
        scanners,
        counters: { ...desk.counters },
        ...(central && { central: central.health() }),
      };
    },
    onLikeness: parts.likeness.web,
    askFor: view.askFor ?? [],
    onDetails: (checkId, details) =>
      desk.addDetails(
        checkId,
        { ...details, ...(details.reference !== undefined ? { referenceLabel: view.referenceLabel ?? DEFAULT_REFERENCE_LABEL } : {}) },
        'web',
      ),
  });
  parts.displays.push(web);
  parts.atClose(() => web.close());
  writePageLink(pageToken.file, web.port, token);
  const level = pageToken.origin === 'replaced' ? 'warn' : 'info';
  log[level](
    { event: 'page-token', origin: pageToken.origin, file: pageToken.file, ...(pageToken.why ? { why: pageToken.why } : {}) },
    pageToken.origin === 'replaced' ? 'the status page link file was not usable: a new token replaces it' : 'status page token',
  );
  return { web, pageLink: pageToken.file };
}

/** Each bridge box in the config (src/bridge/attach.ts: scanner → hub, TFT → displays, YES/NO → likeness). */
async function attachBridges(opts: DisplaySettings, parts: DisplayParts): Promise<void> {
  const bridges = opts.config?.bridges ?? [];
  // The bridge code (and its text rendering) is loaded only for a desk that has a bridge box.
  if (bridges.length === 0) return;
  const { attachBridge } = await import('../bridge/attach.js');
  for (const b of bridges) {
    // path 'auto' = detect; blanks at close.
    const attached = await attachBridge(b, {
      hub: parts.hub,
      displays: parts.displays,
      log: opts.log,
      onLikeness: parts.likeness.bridge,
      // A box plugged in after start shows the desk's screen at once, not a waiting message until the next scan.
      current: () => parts.desk.state,
    });
    parts.atClose(() => attached.close());
  }
}
