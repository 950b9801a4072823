/**
 * External tools the kiosk tests drive (Chromium, strace, unshare). Without CI=true a missing tool skips its test
 * with the reason shown; with CI=true a missing tool FAILS the test loudly.
 */
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** null when present; else why it is missing. */
export type Tool = 'chromium' | 'strace' | 'unshare' | 'script';

export function missing(tool: Tool): string | null {
  if (tool === 'chromium') return executable(CHROMIUM) ? null : `${CHROMIUM} not found (install chromium)`;
  if (onPath(tool) === null) return `${tool} not found on PATH`;
  if (tool === 'unshare') {
    const probe = spawnSync('unshare', ['-n', 'true']);
    if (probe.status !== 0) return 'unshare -n is not permitted here (needs root or user namespaces)';
  }
  return null;
}

/**
 * Returns null when the tool is present. When it is missing: under CI=true registers a test that FAILS with the
 * reason (loud); otherwise returns the reason so the caller can skip with it in the test title.
 */
export function guardTool(tool: Tool): string | null {
  const why = missing(tool);
  if (why !== null && process.env.CI === 'true') {
    it(`${tool} is required (CI=true)`, () => {
      throw new Error(`CI=true and a required tool is missing: ${why}`);
    });
  }
  return why;
}

/**
 * The connect() lines of an strace trace, those that leave the machine (`offending`: anything but a Unix socket,
 * netlink, a UDP disconnect or loopback), and the bind() lines (a live trace shows the page's).
 */
export function parseConnects(trace: string): { lines: string[]; offending: string[]; binds: string[] } {
  const lines = trace.split('\n').filter((l) => /\bconnect\(/.test(l));
  const local = (l: string) =>
    /sa_family=AF_UNIX/.test(l) ||
    /sa_family=AF_NETLINK/.test(l) || // kernel messages (udev), not a network
    /inet_addr\("127\.\d+\.\d+\.\d+"\)/.test(l) ||
    /inet_pton\(AF_INET6, "::1"/.test(l) ||
    /sa_family=AF_UNSPEC/.test(l); // disconnect of a UDP socket
  return { lines, offending: lines.filter((l) => !local(l)), binds: trace.split('\n').filter((l) => /\bbind\(/.test(l)) };
}
