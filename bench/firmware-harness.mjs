/**
 * The firmware test harness (test/bridge/firmware-harness.ts: QEMU with QMP and ptys, the posix port), compiled
 * once for a benchmark, so benchmarks and the boot test drive the firmware the same way. Compiled inside
 * node_modules/.cache so the output still resolves serialport from node_modules; `dispose()` removes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function loadFirmwareHarness(tag) {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const out = mkdtempSync(join(root, `node_modules/.cache/proofdesk-${tag}-`));
  process.env.PROOFDESK_FIRMWARE_DIR = join(root, 'firmware-bridge');
  execFileSync(join(root, 'node_modules/.bin/tsc'), [
    '--outDir',
    out,
    '--rootDir',
    root,
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--target',
    'es2022',
    '--strict',
    '--skipLibCheck',
    '--types',
    'node',
    join(root, 'test/bridge/firmware-harness.ts'),
  ]);
  return {
    harness: await import(join(out, 'test/bridge/firmware-harness.js')),
    /** A module of the compiled tree, e.g. 'src/bridge/codec.js'. */
    load: (rel) => import(join(out, rel)),
    dispose: () => rmSync(out, { recursive: true, force: true }),
  };
}
