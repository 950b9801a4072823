#!/usr/bin/env node
/**
 * Bridge screens from the host's side: what the real layout (src/bridge/layout.ts) sends for the DEMO codes.
 *   node bench/bridge-screens.mjs [--rounds 20]        (after npm run build; the posix part needs make -C firmware-bridge posix)
 * For each code: verify → screen model → layout, then
 *   - wire bytes (COBS frames with CRC and delimiter) of the verdict part (SCREEN_BEGIN … LED, BUZZER) and the photo
 *     part (IMAGE_GREY8 rows, SCREEN_END), counted from the frames the display really sends;
 *   - what those bytes take on a real UART at 115200 and 921600 baud, 8N1 (10 bits per byte, no gaps, ACKs travel the
 *     other way and are not counted) — wire time only, not the MCU's SPI time;
 *   - host rendering time (layout: Pango text → bitmaps, photo → grey rows), median of --rounds;
 *   - measured through the firmware's posix port over ptys with BridgeDisplay: show() → verdict ACKed, → SCREEN_END ACKed
 *     (median of --rounds), if the posix binary exists.
 * Prints one JSON object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arch, cpus, platform, release } from 'node:os';
import { layoutScreen } from '../dist/bridge/layout.js';
import { encodeFrame } from '../dist/bridge/codec.js';
import { encodeMessage } from '../dist/bridge/messages.js';
import { Bridge } from '../dist/bridge/bridge.js';
import { preparePhoto, photoBytes } from '../dist/screen/photo.js';
import { resultScreen } from '../dist/screen/state.js';
import { loadKeySet } from '../dist/trust/keyset.js';
import { verify } from '../dist/verify/verify.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 20;
const CODES = [
  ['demo-valid', 'work'],
  ['demo-pending', 'work'],
  ['demo-expired', 'work'],
  ['demo-tampered', 'work'],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r2 = (x) => Math.round(x * 100) / 100;
const wire = (m) => {
  const { type, payload } = encodeMessage(m);
  return encodeFrame({ type, seq: 0, payload }).length;
};
const linkMs = (bytes, baud) => r2((bytes * 10 * 1000) / baud);

const keys = await loadKeySet(join(root, 'examples/demo-issuer.jwks'));
const now = Date.now();
const states = [];
for (const [name, purpose] of CODES) {
  const text = readFileSync(join(root, 'examples', `${name}.txt`), 'utf8').trim();
  const verdict = verify(text, { keys, now, purpose });
  const bytes = verdict.verifiedBy !== null ? photoBytes(verdict.identity) : null;
  const photo = bytes ? await preparePhoto(bytes) : null;
  const state = resultScreen({
    verdict,
    desk: { purpose, demo: true, worth: 'Supporting evidence only.' },
    checkedAt: new Date(now),
    checkId: name,
    photo,
  });
  states.push({ name, state });
}

const result = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: `${platform()} ${release()} ${arch()}`, node: process.version },
  date: new Date().toISOString(),
  rounds: ROUNDS,
  screens: [],
};

for (const { name, state } of states) {
  const times = [];
  let plan;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    plan = await layoutScreen(state);
    times.push(performance.now() - t0);
  }
  const verdictMsgs = [
    { type: 'SCREEN_BEGIN', screen: 1 },
    ...plan.verdict,
    { type: 'LED', green: plan.signals.green, red: plan.signals.red },
  ];
  if (plan.signals.buzzer !== null) verdictMsgs.push({ type: 'BUZZER', pattern: plan.signals.buzzer });
  const photoMsgs = [...plan.photo, { type: 'SCREEN_END', screen: 1 }];
  const verdictBytes = verdictMsgs.reduce((n, m) => n + wire(m), 0);
  const photoBytes_ = photoMsgs.reduce((n, m) => n + wire(m), 0);
  const photoPx = plan.photo.reduce((n, m) => n + m.w * m.h, 0);
  const colour = await layoutScreen(state, { photoFormat: 'rgb565' });
  const photoBytesRgb565 = [...colour.photo, { type: 'SCREEN_END', screen: 1 }].reduce((n, m) => n + wire(m), 0);
  result.screens.push({
    code: name,
    verdict: state.verdict,
    verdictFrames: verdictMsgs.length,
    verdictBytes,
    photoFrames: photoMsgs.length,
    photoBytes: photoBytes_,
    photoPixels: photoPx,
    photoBytesRgb565,
    at921600Rgb565TotalMs: linkMs(verdictBytes + photoBytesRgb565, 921600),
    at115200Rgb565TotalMs: linkMs(verdictBytes + photoBytesRgb565, 115200),
    totalBytes: verdictBytes + photoBytes_,
    layoutMsMedian: r2(median(times)),
    at115200: { verdictMs: linkMs(verdictBytes, 115200), totalMs: linkMs(verdictBytes + photoBytes_, 115200) },
    at921600: { verdictMs: linkMs(verdictBytes, 921600), totalMs: linkMs(verdictBytes + photoBytes_, 921600) },
  });
}

// Through the posix port (ptys: no baud limit) with the real display code.
const bin = join(root, 'firmware-bridge/build/posix/proofdesk-bridge');
if (existsSync(bin)) {
  const child = spawn(bin, ['--host-link', 'pty', '--scanner', 'pty', '--buttons', 'pty', '--framebuffer', '/dev/null', '--quiet'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const hostLink = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^host-link (\S+)$/m.exec(out);
      if (m && /^ready pid/m.test(out)) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error(`posix port exited ${c}`)));
  });
  const bridge = new Bridge({ path: hostLink, session: { heartbeatMs: 0 } });
  bridge.on('error', () => undefined);
  await bridge.acquire();
  result.posix = [];
  for (const { name, state } of states) {
    const verdictMs = [];
    const totalMs = [];
    for (let r = 0; r < ROUNDS; r++) {
      // a fresh checkId each round, so every round is a new check (as at the desk)
      const report = await bridge.display.draw({ ...state, checkId: `${name}-${r}` });
      verdictMs.push(report.verdictMs);
      totalMs.push(report.totalMs);
    }
    result.posix.push({ code: name, verdictDrawnMsMedian: r2(median(verdictMs)), screenDrawnMsMedian: r2(median(totalMs)) });
  }
  await bridge.release();
  child.kill('SIGTERM');
}

process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
