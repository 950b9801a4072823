/**
 * Where the kiosk's logs go. A service (standard error not a terminal): JSON lines on standard error, for the
 * journal. The kiosk's own interactive terminal — standard output is a terminal showing the terminal screen and
 * standard error is that same terminal — would get log lines mixed into the screen all day: there they go to
 * `$XDG_STATE_HOME/proofdesk/kiosk.log` (else `~/.local/state/proofdesk/kiosk.log`), owner-only, and the kiosk
 * says so once. The same JSON lines either way (no personal data: docs/kiosk-config.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isatty } from 'node:tty';
import { pino, type Logger } from 'pino';
import { xdgHome } from '../storage/paths.js';

/** A log file past this size at start is kept as `kiosk.log.1` (one generation) and a new one begun. */
const ROTATE_AT_BYTES = 8 * 1024 * 1024;

function defaultLogFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(xdgHome('state', env), 'proofdesk', 'kiosk.log');
}

/** Are standard output and standard error one and the same terminal? */
function sameTerminal(): boolean {
  if (!isatty(1) || !isatty(2)) return false;
  try {
    const out = fs.fstatSync(1);
    const err = fs.fstatSync(2);
    return out.rdev === err.rdev;
  } catch {
    return false;
  }
}

export interface KioskLog {
  log: Logger;
  /** The file the logs go to; null = standard error. */
  file: string | null;
  /** Why the file could not be used (logs then stay on standard error). */
  problem: string | null;
}

function openLogFile(file: string): number {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    if (fs.statSync(file).size > ROTATE_AT_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  fs.fchmodSync(fd, 0o600);
  return fd;
}

/** `terminalScreen`: the terminal display will draw on standard output (config `displays.terminal`, else auto). */
export function kioskLogger(terminalScreen: 'auto' | 'on' | 'off', env: NodeJS.ProcessEnv = process.env): KioskLog {
  const opts = { level: env.PROOFDESK_LOG_LEVEL ?? 'info', base: { pid: process.pid } };
  const screenOnTerminal = terminalScreen !== 'off' && isatty(1);
  if (screenOnTerminal && sameTerminal()) {
    const file = defaultLogFile(env);
    try {
      return { log: pino(opts, pino.destination({ dest: openLogFile(file), sync: true })), file, problem: null };
    } catch (err) {
      return {
        log: pino(opts, pino.destination({ dest: 2, sync: true })),
        file: null,
        problem: `cannot write ${file}: ${(err as Error).message}`,
      };
    }
  }
  return { log: pino(opts, pino.destination({ dest: 2, sync: true })), file: null, problem: null };
}
