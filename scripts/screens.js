#!/usr/bin/env node
/**
 * `npm run screens`: screenshots of the status page, one per screen kind at each of four screen sizes, into
 * docs/screens/<width>x<height>/. Runs the built kiosk (DEMO keys) in-process on a free port, scans the DEMO codes,
 * answers on the page as a clerk would, and photographs it in headless Chromium at 800×480 (a 7" kiosk panel),
 * 1024×600, 1280×800 and 1920×1080 at once (every page open on a kiosk shows the same screen). Whole-page shots: a
 * page that scrolled would show it. Records go to a temporary folder that is removed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { parseConfig } from '../dist/kiosk/config.js';
import { DEMO_KEYS_FILE, startKiosk } from '../dist/kiosk/kiosk.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'docs', 'screens');
const code = (name) => readFileSync(path.join(root, 'examples', `${name}.txt`), 'utf8').trim();
export const SIZES = [
  [800, 480],
  [1024, 600],
  [1280, 800],
  [1920, 1080],
];

const store = mkdtempSync(path.join(tmpdir(), 'proofdesk-screens-'));

/** A configured desk on the DEMO keys (so its screens say DEMO), for the shots the built-in desk cannot make. */
function demoConfig(extra) {
  return parseConfig({
    desk: { id: 'lettings-front-desk', purpose: 'rent', ...extra.desk },
    trust: { keys: DEMO_KEYS_FILE },
    scanners: { stdin: true, discover: false, devices: extra.devices ?? [] },
    ...(extra.personalCopy ? { records: { personalCopy: { keyFile: path.join(store, 'records.key') } } } : {}),
  });
}

const SHOTS = [
  { file: 'idle', purpose: 'work', scan: null, headline: 'Ready to scan' },
  { file: 'valid', purpose: 'work', scan: code('demo-valid'), headline: 'VALID' },
  { file: 'confirmed', purpose: 'work', scan: code('demo-valid'), click: '#likeness-yes', headline: 'VALID', outcome: 'CONFIRMED' },
  { file: 'photo-mismatch', purpose: 'work', scan: code('demo-valid'), click: '#likeness-no', headline: 'PHOTO DOES NOT MATCH' },
  { file: 'photo-not-checked', purpose: 'work', scan: code('demo-valid'), click: '#likeness-skip', headline: 'PHOTO NOT CHECKED' },
  { file: 'valid-restricted-work', purpose: 'work', scan: code('demo-student'), headline: 'VALID' },
  { file: 'not-valid', purpose: 'work', scan: code('demo-tampered'), headline: 'NOT VALID' },
  { file: 'not-valid-expired', purpose: 'work', scan: code('demo-expired'), headline: 'NOT VALID' },
  { file: 'check-manually-pending', purpose: 'work', scan: code('demo-pending'), headline: 'CHECK MANUALLY' },
  { file: 'check-manually-housing', purpose: 'housing', scan: code('demo-pre-settled'), headline: 'CHECK MANUALLY' },
  { file: 'scan-again', purpose: 'work', scan: code('demo-valid').slice(0, 300), headline: 'SCAN AGAIN' },
  { file: 'not-a-status-code', purpose: 'work', scan: 'https://example.org/menu?table=12', headline: 'NOT A STATUS CODE' },
  {
    file: 'scanner-not-connected',
    headline: 'Ready to scan',
    scan: null,
    alert: 'Scanner not connected',
    config: demoConfig({ devices: [{ type: 'serial', path: '/dev/ttyPROOFDESK-UNPLUGGED', name: 'front-desk scanner' }] }),
  },
  {
    file: 'valid-scanner-not-connected',
    headline: 'VALID',
    scan: code('demo-valid'),
    alert: 'Scanner not connected',
    config: demoConfig({ devices: [{ type: 'serial', path: '/dev/ttyPROOFDESK-UNPLUGGED', name: 'front-desk scanner' }] }),
  },
  {
    file: 'details-asked',
    headline: 'VALID',
    scan: code('demo-valid'),
    personalCopy: true,
    type: { '#checker-name': 'A. Clerk', '#reference': 'TEN-2026-0042' },
    config: demoConfig({ desk: { askFor: ['checkerName', 'reference'], referenceLabel: 'Tenancy reference' }, personalCopy: true }),
  },
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const [w, h] of SIZES) mkdirSync(path.join(outDir, `${w}x${h}`), { recursive: true });
  for (const shot of SHOTS) {
    const input = new PassThrough();
    const kiosk = await startKiosk({
      config: shot.config ?? null,
      port: 0,
      stdin: true,
      input,
      output: new PassThrough(),
      discover: false,
      ...(shot.purpose ? { purpose: shot.purpose } : {}),
      records: path.join(store, shot.file),
      log: pino({ level: 'silent' }),
    });
    const pages = await Promise.all(SIZES.map(([width, height]) => browser.newPage({ viewport: { width, height } })));
    try {
      for (const page of pages) {
        await page.goto(kiosk.url);
        await page.waitForFunction(() => document.body.dataset.kind === 'idle');
      }
      if (shot.type) for (const [sel, value] of Object.entries(shot.type)) for (const page of pages) await page.fill(sel, value);
      if (shot.scan !== null) input.write(`${shot.scan}\n`);
      const shows = (hl) =>
        Promise.all(
          pages.map((page) => page.waitForFunction((x) => document.getElementById('headline')?.textContent === x, hl, { timeout: 20_000 })),
        );
      await shows(shot.click ? 'VALID' : shot.headline);
      if (shot.click) {
        await pages[0].click(shot.click);
        for (const page of pages) await page.waitForFunction(() => document.getElementById('likeness')?.hidden === true);
        await shows(shot.headline);
      }
      if (shot.alert)
        for (const page of pages) await page.waitForFunction((a) => document.getElementById('alerts')?.textContent.includes(a), shot.alert);
      if (shot.type)
        for (const page of pages)
          await page.waitForFunction(() => /^Saved/.test(document.getElementById('details-status')?.textContent ?? ''));
      for (const [i, page] of pages.entries()) {
        await page.waitForFunction(() => {
          const img = document.getElementById('photo');
          return img.hidden || img.complete;
        });
        await page.evaluate(() => document.activeElement?.blur());
        const over = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
        if (over > 0) process.stderr.write(`OVERFLOW ${shot.file} at ${SIZES[i].join('x')}: ${over} px below the screen\n`);
        const [w, h] = SIZES[i];
        const file = path.join('docs', 'screens', `${w}x${h}`, `${shot.file}.png`);
        await page.screenshot({ path: path.join(root, file), fullPage: true, caret: 'hide' });
        process.stdout.write(`${file}\n`);
      }
    } finally {
      for (const page of pages) await page.close();
      await kiosk.close();
    }
  }
} finally {
  await browser.close();
  rmSync(store, { recursive: true, force: true });
}

// The bridge's TFT screens (docs/screens/bridge-*.png), drawn through the firmware's posix port.
if (!process.argv.includes('--web-only')) await import('./bridge-screens.js');
