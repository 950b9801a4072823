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
