#!/usr/bin/env node
/**
 * `npm run screens`: one screenshot of the status page per screen kind, into docs/screens/.
 * Runs the built kiosk (DEMO keys) in-process on a free port, scans the DEMO codes, and photographs the page in
 * headless Chromium at a small kiosk screen's size (800×480). Records go to a temporary folder that is removed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { startKiosk } from '../dist/kiosk/kiosk.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'docs', 'screens');
const code = (name) => readFileSync(path.join(root, 'examples', `${name}.txt`), 'utf8').trim();

const SHOTS = [
  { file: 'idle.png', purpose: 'work', scan: null, headline: 'Ready to scan' },
  { file: 'valid.png', purpose: 'work', scan: code('demo-valid'), headline: 'VALID' },
  { file: 'valid-restricted-work.png', purpose: 'work', scan: code('demo-student'), headline: 'VALID' },
  { file: 'not-valid.png', purpose: 'work', scan: code('demo-tampered'), headline: 'NOT VALID' },
  { file: 'not-valid-expired.png', purpose: 'work', scan: code('demo-expired'), headline: 'NOT VALID' },
  { file: 'check-manually-pending.png', purpose: 'work', scan: code('demo-pending'), headline: 'CHECK MANUALLY' },
  { file: 'check-manually-housing.png', purpose: 'housing', scan: code('demo-pre-settled'), headline: 'CHECK MANUALLY' },
  { file: 'scan-again.png', purpose: 'work', scan: 'A'.repeat(5000), headline: 'SCAN AGAIN' },
];

mkdirSync(outDir, { recursive: true });
const store = mkdtempSync(path.join(tmpdir(), 'proofdesk-screens-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const shot of SHOTS) {
    const input = new PassThrough();
    const kiosk = await startKiosk({
      config: null, port: 0, stdin: true, input, output: new PassThrough(), discover: false,
      purpose: shot.purpose, records: path.join(store, shot.file), log: pino({ level: 'silent' }),
    });
    const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    try {
      await page.goto(kiosk.url);
      await page.waitForFunction(() => document.body.dataset.kind === 'idle');
      if (shot.scan !== null) input.write(`${shot.scan}\n`);
      await page.waitForFunction((h) => document.getElementById('headline')?.textContent === h, shot.headline, { timeout: 20_000 });
      await page.waitForFunction(() => {
        const img = document.getElementById('photo');
        return img.hidden || img.complete;
      });
      await page.screenshot({ path: path.join(outDir, shot.file), fullPage: true });
      process.stdout.write(`docs/screens/${shot.file}\n`);
    } finally {
      await page.close();
      await kiosk.close();
    }
  }
} finally {
  await browser.close();
  rmSync(store, { recursive: true, force: true });
}

// The bridge's TFT screens (docs/screens/bridge-*.png), drawn through the firmware's posix port.
await import('./bridge-screens.js');
