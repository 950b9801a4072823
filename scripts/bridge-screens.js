#!/usr/bin/env node
/**
 * The bridge's TFT screens for docs/screens/ (called by scripts/screens.js, i.e. `npm run screens`): the DEMO codes
 * verified by the built code, drawn by the host's BridgeDisplay through the firmware's posix port — the real core and
 * ILI9341 driver into its framebuffer — and that framebuffer saved as PNG (240×320, what the panel's glass shows).
 * Needs `npm run build` and `make -C firmware-bridge posix`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bridge } from '../dist/bridge/bridge.js';
import { photoBytes, preparePhoto } from '../dist/screen/photo.js';
import { idleScreen, resultScreen } from '../dist/screen/state.js';
import { loadKeySet } from '../dist/trust/keyset.js';
import { verify } from '../dist/verify/verify.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'docs', 'screens');
const bin = path.join(root, 'firmware-bridge/build/posix/proofdesk-bridge');
if (!existsSync(bin)) {
  process.stderr.write('bridge-screens: firmware-bridge/build/posix/proofdesk-bridge missing: run make -C firmware-bridge posix\n');
  process.exit(1);
}

const desk = { purpose: 'work', demo: true, worth: 'Supporting evidence only: an offline QR check is not a statutory excuse.' };
const keys = await loadKeySet(path.join(root, 'examples/demo-issuer.jwks'));
async function stateFor(name) {
  const text = readFileSync(path.join(root, 'examples', `${name}.txt`), 'utf8').trim();
  const now = Date.now();
  const verdict = verify(text, { keys, now, purpose: desk.purpose });
  const bytes = verdict.verifiedBy !== null ? photoBytes(verdict.identity) : null;
  return resultScreen({ verdict, desk, checkedAt: new Date(now), checkId: name, photo: bytes ? await preparePhoto(bytes) : null });
}

const valid = await stateFor('demo-valid');
const SHOTS = [
  { file: 'bridge-idle.png', state: idleScreen(desk) },
  { file: 'bridge-valid.png', state: valid },
  { file: 'bridge-check-manually.png', state: await stateFor('demo-pending') },
  { file: 'bridge-not-valid.png', state: await stateFor('demo-tampered') },
  { file: 'bridge-not-valid-expired.png', state: await stateFor('demo-expired') },
  // The same VALID screen with names in other scripts, to show the host's Pango text shaping on the panel.
  { file: 'bridge-valid-arabic-name.png', state: { ...valid, checkId: 'ar', person: { ...valid.person, name: 'محمد عبد الله' } } },
  { file: 'bridge-valid-polish-name.png', state: { ...valid, checkId: 'pl', person: { ...valid.person, name: 'Zażółć Gęślą' } } },
];

mkdirSync(outDir, { recursive: true });
const dir = mkdtempSync(path.join(tmpdir(), 'proofdesk-bridge-screens-'));
const framebuffer = path.join(dir, 'panel.png');
const child = spawn(bin, ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', framebuffer, '--quiet'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const hostLink = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^host-link (\S+)$/m.exec(out);
      if (m && /^ready pid/m.test(out)) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`posix port exited with ${code}`)));
  });
  const bridge = new Bridge({ path: hostLink, session: { heartbeatMs: 0 } });
  bridge.on('error', (err) => process.stderr.write(`bridge-screens: ${err.code}: ${err.message}\n`));
  await bridge.acquire();
  for (const shot of SHOTS) {
    const report = await bridge.display.draw(shot.state);
    if (!report) throw new Error(`${shot.file}: not drawn`);
    // The posix port writes the framebuffer after SCREEN_END, before its ACK: the file shows this screen now.
    copyFileSync(framebuffer, path.join(outDir, shot.file));
    process.stdout.write(`docs/screens/${shot.file}\n`);
  }
  await bridge.release();
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  rmSync(dir, { recursive: true, force: true });
}
