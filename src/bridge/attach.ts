/**
 * The bridge's hook into `proofdesk run`: given the config's `bridge` section, find or open the bridge, add its
 * scanner to the hub, its display to the displays, and route its YES/NO buttons to the likeness answer.
 * Logs carry codes, versions and byte counts only — never scan text or anything drawn.
 */
import type { Logger } from 'pino';
import type { ScanHub } from '../scan/hub.js';
import type { ScreenDisplay } from '../screen/display.js';
import { Bridge } from './bridge.js';
import { detectBridge } from './detect.js';
import { BridgeError } from './errors.js';

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
}

export interface AttachedBridge {
  readonly bridge: Bridge | null;
  /** Clear the panel and LEDs, then let the link go. */
  close(): Promise<void>;
}

export async function attachBridge(cfg: BridgeConfig, opts: AttachOptions): Promise<AttachedBridge> {
  const { log } = opts;
  let path = cfg.path;
  if (path === 'auto') {
    try {
      const found = await detectBridge();
      path = found.path;
      log.info({ event: 'bridge-detected', path, firmware: found.firmware.version, notes: found.notes }, 'bridge found');
    } catch (err) {
      const code = err instanceof BridgeError ? err.code : 'ERROR';
      log.warn({ event: 'bridge-not-found', code, why: (err as Error).message }, 'no bridge: running without it');
      return { bridge: null, close: async () => undefined };
    }
  }
  const bridge = new Bridge({ path, ...(cfg.baud ? { baudRate: cfg.baud } : {}), name: cfg.name ?? `bridge:${path}` });
  bridge.on('ready', (fw) => log.info({ event: 'bridge-ready', path, firmware: fw.version, protocol: fw.protocol, caps: fw.caps }, 'bridge connected'));
  bridge.on('error', (err) => log.warn({ event: 'bridge-error', code: err.code, why: err.message }, 'bridge problem'));
  bridge.on('firmwareError', (m) => log.warn({ event: 'bridge-firmware-error', code: m.code }, 'bridge firmware reported a problem'));
  bridge.on('malformed', (why) => log.warn({ event: 'bridge-malformed-frame', why }, 'bridge sent a frame this host cannot read'));
  bridge.on('likeness', (answer) => opts.onLikeness(answer));
  bridge.display.on('verdict', (r) => log.debug({ event: 'bridge-verdict-drawn', screen: r.screen, bytes: r.verdictBytes, ms: Math.round(r.verdictMs) }, 'verdict on the bridge'));
  bridge.display.on('drawn', (r) => log.debug({ event: 'bridge-screen-drawn', screen: r.screen, photoBytes: r.photoBytes, ms: Math.round(r.totalMs) }, 'screen on the bridge'));
  bridge.display.on('error', (err) => log.warn({ event: 'bridge-draw-failed', code: (err as BridgeError).code }, 'bridge screen not drawn; redrawn on reconnect'));
  opts.hub.add(bridge.scanner);
  opts.displays.push(bridge.display);
  // The display is a user of the link too: it must outlive the scanner long enough to clear the glass.
  await bridge.acquire();
  return {
    bridge,
    async close() {
      await bridge.display.blank();
      await bridge.display.close();
      await bridge.release();
    },
  };
}
