/**
 * The bridge's hook into `proofdesk run`: given the config's `bridge` section, find or open the bridge, add its
 * scanner to the hub, its display to the displays, and route its YES/NO buttons to the likeness answer.
 * Logs carry codes, versions and byte counts only — never scan text or anything drawn.
 */
import type { Logger } from 'pino';
import type { ScanHub } from '../scan/hub.js';
import type { ScreenDisplay } from '../screen/display.js';
import type { ScreenState } from '../screen/state.js';
import { Bridge } from './bridge.js';
import { BridgeWatcher, type WatchOptions } from './detect.js';
import type { BridgeError } from './errors.js';

export interface BridgeConfig {
  /** A serial device path, or 'auto' (ST-LINK USB id + handshake, see detect.ts). */
  path: string;
  /** Scanner name in scan events and logs. */
  name?: string | undefined;
  /** The firmware's host UART rate (HOST_BAUD); ignored by ptys. */
  baud?: number | undefined;
}

export interface AttachOptions {
  hub: ScanHub;
  displays: ScreenDisplay[];
  /** The clerk pressed YES or NO on the box. */
  onLikeness(answer: 'yes' | 'no'): void;
  log: Logger;
  /** path 'auto': how to look for the box (tests inject a port listing; defaults: detect.ts). */
  watch?: WatchOptions;
  /** The screen the desk shows now: a box found after start draws it at once instead of waiting for the next one. */
  current?: () => ScreenState;
}

export interface AttachedBridge {
  /** The box; null while path 'auto' has not found one yet (it keeps looking until close). */
  readonly bridge: Bridge | null;
  /** Stop looking, clear the panel and LEDs, then let the link go. */
  close(): Promise<void>;
}

/**
 * Named path: the bridge is added at once and reconnects by itself. Path 'auto': one look now; if no box answers,
 * the kiosk runs without it and a watcher keeps looking (detect.ts: bounded polling, ST-LINK/V2-1 ports only), so a
 * box plugged in later is added then — and found again under another ttyACM name after an unplug.
 */
export async function attachBridge(cfg: BridgeConfig, opts: AttachOptions): Promise<AttachedBridge> {
  const { log } = opts;
  let bridge: Bridge | null = null;
  let closing = false;
  let added: Promise<void> | null = null;
  const add = (path: string): Promise<void> => {
    const b = new Bridge({ path, ...(cfg.baud ? { baudRate: cfg.baud } : {}), name: cfg.name ?? `bridge:${path}` });
    bridge = b;
    wire(b, opts);
    opts.hub.add(b.scanner);
    opts.displays.push(b.display);
    if (opts.current) b.display.show(opts.current()); // drawn once the handshake is through
    // The display is a user of the link too: it must outlive the scanner long enough to clear the glass.
    return b.acquire();
  };
  if (cfg.path !== 'auto') {
    await add(cfg.path);
  } else {
    const watcher = new BridgeWatcher({
      ...opts.watch,
      // A box is wanted until one is found, and again whenever ours is not connected (it may be back elsewhere).
      wanted: () => !closing && (bridge === null || bridge.link.state !== 'connected'),
      // Its own port is left to the link while the link retries it; after a refusal (protocol mismatch: the link
      // stops trying) the watcher asks there again now and then, so a re-flashed box is taken without a restart.
      busy: () => (bridge && !bridge.link.refused ? bridge.path : null),
    });
    watcher.on('note', (n) =>
      log.info({ event: 'bridge-candidate-refused', path: n.path, code: n.code, why: n.message }, 'ST-LINK port is not a usable bridge'),
    );
    watcher.on('found', (found) => {
      log.info({ event: 'bridge-detected', path: found.path, firmware: found.firmware.version, notes: found.notes }, 'bridge found');
      if (closing) return;
      if (!bridge) added = add(found.path);
      else if (bridge.link.moveTo(found.path))
        log.info({ event: 'bridge-moved', path: found.path }, 'bridge answers again: reconnecting there');
    });
    const first = await watcher.tick();
    if (!first) {
      log.warn(
        {
          event: 'bridge-not-found',
          code: 'NOT_FOUND',
          why: `No proofdesk bridge found yet (no ST-LINK/V2-1 port, USB id 0483:374b, answered HELLO); watching for one.`,
        },
        'no bridge yet: running without it, watching',
      );
    }
    await added;
    watcher.start();
    return {
      get bridge() {
        return bridge;
      },
      async close() {
        closing = true;
        await watcher.stop();
        await added;
        if (bridge) await shut(bridge);
      },
    };
  }
  return {
    get bridge() {
      return bridge;
    },
    async close() {
      closing = true;
      if (bridge) await shut(bridge);
    },
  };
}

function wire(bridge: Bridge, opts: AttachOptions): void {
  const { log } = opts;
  bridge.on('ready', (fw) =>
    log.info({ event: 'bridge-ready', path: bridge.path, firmware: fw.version, protocol: fw.protocol, caps: fw.caps }, 'bridge connected'),
  );
  bridge.on('error', (err) => log.warn({ event: 'bridge-error', code: err.code, why: err.message }, 'bridge problem'));
  bridge.on('firmwareError', (m) => log.warn({ event: 'bridge-firmware-error', code: m.code }, 'bridge firmware reported a problem'));
  bridge.on('malformed', (why) => log.warn({ event: 'bridge-malformed-frame', why }, 'bridge sent a frame this host cannot read'));
  bridge.on('likeness', (answer) => opts.onLikeness(answer));
  bridge.display.on('verdict', (r) =>
    log.debug(
      { event: 'bridge-verdict-drawn', screen: r.screen, bytes: r.verdictBytes, ms: Math.round(r.verdictMs) },
      'verdict on the bridge',
    ),
  );
  bridge.display.on('drawn', (r) =>
    log.debug(
      { event: 'bridge-screen-drawn', screen: r.screen, photoBytes: r.photoBytes, ms: Math.round(r.totalMs) },
      'screen on the bridge',
    ),
  );
  bridge.display.on('error', (err) =>
    log.warn({ event: 'bridge-draw-failed', code: (err as BridgeError).code }, 'bridge screen not drawn; redrawn on reconnect'),
  );
}

async function shut(bridge: Bridge): Promise<void> {
  await bridge.display.blank();
  await bridge.display.close();
  await bridge.release();
}
