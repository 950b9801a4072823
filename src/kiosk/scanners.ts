/**
 * The kiosk's scanners: one hub (src/scan/) fed by standard input (when it can carry scans), the configured devices
 * and, unless turned off, the known scanners discovery finds; and the desk alerts their states make. The hub is
 * built here and started last (src/kiosk/kiosk.ts), so no scan arrives before the screens exist.
 */
import { fstatSync, realpathSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Logger } from 'pino';
import type { LikenessAnswer } from '../check/outcome.js';
import { createScanner, discoverScanners, ScanHub, StdinScanner } from '../scan/index.js';
import type { ScannerStateEvent } from '../scan/hub.js';
import type { DeskAlert } from '../screen/state.js';
import type { KioskConfig } from './config.js';
import { DEFAULT_DUPLICATE_WINDOW_MS } from './defaults.js';
import { likenessKeyFilter } from './terminal-input.js';

/** The kiosk's options a hub is built from (KioskOptions, src/kiosk/kiosk.ts). */
export interface ScannerSettings {
  config: KioskConfig | null;
  /** Read scans from standard input (`run` without --no-stdin); the config's scanners.stdin can still turn it off. */
  stdin: boolean;
  /** Tests: a stream instead of the process's own standard input (read even when that could not carry scans). */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** false: no device discovery (tests); the config's scanners.discover can turn it off too. */
  discover?: boolean;
  log: Logger;
}

/** Where the hub's own inputs go: a likeness key typed at the kiosk's terminal, and what to undo at close. */
export interface ScannerHooks {
  /** src/kiosk/likeness-routing.ts */
  onKey(answer: LikenessAnswer): void;
  /** The terminal's raw mode, restored at close (in start order with the kiosk's other cleanups). */
  atClose(undo: () => void): void;
}

export interface ScannerHub {
  hub: ScanHub;
  /** Keys typed at the kiosk's own terminal answer the likeness question (standard input is that terminal, read). */
  typing: boolean;
}

export async function buildScannerHub(opts: ScannerSettings, hooks: ScannerHooks): Promise<ScannerHub> {
  const { config, log } = opts;
  const input = opts.input ?? process.stdin;
  const hub = new ScanHub({ dedupeWindowMs: config?.scanners.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS });
  // Scanner errors are about devices (paths, permissions), never scan data, so their words are logged. A wedge
  // that types into other windows as well is a privacy problem at the desk: logged as an error, not a warning.
  hub.on('error', (err: Error & { code?: string }) => {
    const level = err.code === 'NOT_EXCLUSIVE' ? 'error' : 'warn';
    log[level]({ event: 'scanner-error', code: err.code }, err.message);
  });
  hub.on('state', (e: ScannerStateEvent) =>
    log.info({ event: 'scanner-state', scanner: e.name, transport: e.transport, state: e.state }, 'scanner state'),
  );
  const stdinWanted = opts.stdin && (config?.scanners.stdin ?? true);
  const stdinRead = stdinWanted && (opts.input !== undefined || stdinCanScan());
  // Keys typed at the kiosk's own terminal answer the likeness question only where standard input is read.
  const typing = stdinRead && input.isTTY === true;
  if (stdinWanted && !stdinRead) {
    log.info({ event: 'stdin-not-read', why: 'standard input is not a terminal, pipe or socket' }, 'not reading scans from standard input');
  } else if (stdinWanted) {
    // At its own terminal the clerk answers with one key press; the terminal goes to raw mode so each key arrives
    // with its timing (terminal-input.ts tells a key press from a scanner's burst). Restored at close.
    let stdinInput: NodeJS.ReadableStream = input;
    if (typing) {
      const tty = input as NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => unknown };
      if (typeof tty.setRawMode === 'function') {
        tty.setRawMode(true);
        hooks.atClose(() => void tty.setRawMode?.(false));
      }
      stdinInput = input.pipe(
        likenessKeyFilter({
          onAnswer: hooks.onKey,
          onInterrupt: () => process.kill(process.pid, 'SIGINT'),
        }),
      );
    }
    hub.add(new StdinScanner({ type: 'stdin', input: stdinInput }));
  }
  for (const dev of config?.scanners.devices ?? []) hub.add(createScanner(dev));
  if ((opts.discover ?? true) && (config?.scanners.discover ?? true)) {
    const found = await discoverScanners().catch((err: Error) => ({ configs: [], notes: [`discovery failed: ${err.message}`] }));
    for (const note of found.notes) log.info({ event: 'discovery-note', note }, 'scanner discovery');
    // Compare real device nodes: a config naming /dev/ttyACM0 and discovery finding /dev/serial/by-id/… is one
    // scanner, and opening it twice would leave the second open retrying against the port lock for ever.
    const named = new Set((config?.scanners.devices ?? []).map((d) => realDevice(d.path)));
    for (const c of found.configs) if (!('path' in c) || !named.has(realDevice(c.path))) hub.add(createScanner(c));
  }
  return { hub, typing };
}

/**
 * The desk's own problems from the scanners' states: each configured scanner that is not connected, by name, and
 * "no scanner" when none at all can be read (a desk started with none, or every one unplugged).
 */
export function scannerAlerts(scanners: ReadonlyArray<{ name: string; state: string }>): DeskAlert[] {
  const missing = scanners.filter((s) => s.state !== 'connected');
  const alerts: DeskAlert[] = missing.map((s) => ({ code: 'SCANNER_NOT_CONNECTED', text: `Scanner not connected: ${s.name}` }));
  if (missing.length === scanners.length) {
    alerts.unshift({
      code: 'NO_SCANNER',
      text:
        scanners.length === 0
          ? 'No scanner is set up on this desk: no code can be scanned.'
          : 'No scanner is connected: no code can be scanned.',
    });
  }
  return alerts;
}

/**
 * Can scans arrive on the process's standard input? A terminal, a pipe or a socket: yes. /dev/null, a regular
 * file or a closed descriptor: no — and reading one is harmful: Node closes fd 0 at its end of file, and the number
 * is then reused by the next file or pipe the process opens (device discovery spawns udevadm), whose bytes would
 * arrive as "scans".
 */
function stdinCanScan(): boolean {
  try {
    if (isatty(0)) return true;
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/** The device node a path leads to (udev links followed); the path itself when it does not exist now. */
function realDevice(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
