/**
 * The status page in real headless Chromium against a real kiosk: it fits the screen at four sizes (boxes measured,
 * no scrolling), the keys Y / N / X answer under the terminal's lone-key rule, the countdown and the desk show, and
 * the checker's name and reference reach the sealed personal copy and the evidence PDF but never the record log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type KioskConfig } from '../../src/kiosk/config.js';
import { DEMO_KEYS_FILE } from '../../src/kiosk/kiosk.js';
import { evidencePdf } from '../../src/records/evidence-pdf.js';
import { RecordStore } from '../../src/records/store.js';
import { demoCode, records, request, startTestKiosk, tempDir, type TestKiosk } from '../kiosk/helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, guardTool } from '../kiosk/tools.js';
import { pdfText, pdfToolsPresent } from '../records/pdf-tools.js';

const why = guardTool('chromium');
const SIZES: Array<[number, number]> = [
  [800, 480],
  [1024, 600],
  [1280, 800],
  [1920, 1080],
];

/** A configured desk on the DEMO keys: optionally an unplugged scanner, and the details the page asks for. */
function deskConfig(o: { unplugged?: boolean; askFor?: boolean; keyFile?: string } = {}): KioskConfig {
  return parseConfig({
    desk: {
      id: 'lettings-front-desk',
      purpose: 'rent',
      ...(o.askFor ? { askFor: ['checkerName', 'reference'], referenceLabel: 'Tenancy reference' } : {}),
    },
    trust: { keys: DEMO_KEYS_FILE },
    scanners: {
      stdin: true,
      discover: false,
      devices: o.unplugged ? [{ type: 'serial', path: '/dev/ttyPROOFDESK-TEST-UNPLUGGED', name: 'front scanner' }] : [],
    },
    ...(o.keyFile ? { records: { personalCopy: { keyFile: o.keyFile } } } : {}),
  });
}

describe.skipIf(why !== null)(`status page layout, keys and details in headless Chromium${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  let browser: Browser;
  const kiosks: TestKiosk[] = [];
  const pages: Page[] = [];
  const temps: Array<{ remove(): void }> = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
    for (const k of kiosks.splice(0)) await k.stop();
    for (const t of temps.splice(0)) t.remove();
  });

  async function kiosk(opts: Parameters<typeof startTestKiosk>[0] = {}): Promise<TestKiosk> {
    const k = await startTestKiosk(opts);
    kiosks.push(k);
    return k;
  }

  async function open(k: TestKiosk, width = 800, height = 480): Promise<Page> {
    const p = await browser.newPage({ viewport: { width, height } });
    pages.push(p);
    await p.goto(k.kiosk.url);
    await p.waitForFunction(() => document.body.dataset.kind === 'idle');
    return p;
  }

  const shows = (p: Page, headline: string) =>
    p.waitForFunction((h) => document.getElementById('headline')?.textContent === h, headline, { timeout: 15_000 });
  /**
   * A person's pause between keys. The rule under test is about time itself (a lone key has 40 ms of quiet before
   * it), so this is the input, not a wait for the page: a key pressed straight after a burst is not lone.
   */
  const humanPause = (p: Page) => p.waitForTimeout(250);
  const photoLoaded = (p: Page) => p.waitForFunction(() => (document.getElementById('photo') as HTMLImageElement).complete);

  /** Every element named is drawn, wholly inside the viewport, and the document does not scroll. */
  async function fitsScreen(p: Page, width: number, height: number, selectors: string[]): Promise<void> {
    const scroll = await p.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
    expect(scroll.h, `document height at ${width}x${height}`).toBeLessThanOrEqual(height);
    expect(scroll.w, `document width at ${width}x${height}`).toBeLessThanOrEqual(width);
    for (const sel of selectors) {
      const box = await p.locator(sel).boundingBox();
      expect(box, `${sel} is drawn at ${width}x${height}`).not.toBeNull();
      expect(box!.width * box!.height, `${sel} has an area`).toBeGreaterThan(0);
      expect(box!.x, `${sel} left`).toBeGreaterThanOrEqual(0);
      expect(box!.y, `${sel} top`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${sel} right at ${width}x${height}`).toBeLessThanOrEqual(width);
      expect(box!.y + box!.height, `${sel} bottom at ${width}x${height}`).toBeLessThanOrEqual(height);
    }
  }

  const ASKING = ['#headline', '#photo', '#name', '#dob', '#status-label', '#likeness-yes', '#likeness-no', '#likeness-skip', '#clears'];

  it.each(SIZES)(
    'fits %ix%i: VALID asking, the longest words (pending), and a desk with an alert and details to give',
    async (width, height) => {
      const demo = await kiosk({ purpose: 'work' });
      const p = await open(demo, width, height);
      demo.scan(demoCode('demo-valid'));
      await shows(p, 'VALID');
      await photoLoaded(p);
      await fitsScreen(p, width, height, ASKING);
      // The type and the photo scale with the screen: the same share of its height at every size.
      const photo = (await p.locator('#photo').boundingBox())!;
      expect(photo.height / height).toBeGreaterThan(0.38);
      const headline = await p.$eval('#headline', (h) => parseFloat(getComputedStyle(h).fontSize));
      expect(headline / height).toBeGreaterThan(0.06);
      // The result fills the screen: the buttons sit in its lower half, not under a result in the top tenth.
      const buttons = (await p.locator('#likeness').boundingBox())!;
      expect(buttons.y + buttons.height).toBeGreaterThan(height * 0.55);

      demo.scan(demoCode('demo-pending'));
      await shows(p, 'CHECK MANUALLY');
      await photoLoaded(p);
      await fitsScreen(p, width, height, [...ASKING, '#next-step', '#rights', '#follow-up']);

      await p.click('#likeness-no');
      await shows(p, 'PHOTO DOES NOT MATCH');
      await fitsScreen(p, width, height, ['#headline', '#photo', '#likeness-answer', '#next-step']);

      const tmp = tempDir('page-fit');
      temps.push(tmp);
      const desk = await kiosk({ config: deskConfig({ unplugged: true, askFor: true, keyFile: path.join(tmp.dir, 'records.key') }) });
      const q = await open(desk, width, height);
      await q.waitForFunction(() => document.getElementById('alerts')!.textContent!.includes('Scanner not connected: front scanner'));
      desk.scan(demoCode('demo-valid'));
      await shows(q, 'VALID');
      await photoLoaded(q);
      await fitsScreen(q, width, height, [
        ...ASKING,
        '#alerts',
        '#demo',
        '#checker-name',
        '#reference',
        '#details-save',
        '#purpose',
        '#desk',
      ]);
    },
  );

  it('NOT VALID, SCAN AGAIN and NOT A STATUS CODE fit at 800x480 with their words', async () => {
    const k = await kiosk({ purpose: 'work' });
    const p = await open(k);
    for (const [scan, headline] of [
      [demoCode('demo-tampered'), 'NOT VALID'],
      [demoCode('demo-valid').slice(0, 300), 'SCAN AGAIN'],
      ['https://example.org/menu', 'NOT A STATUS CODE'],
    ] as const) {
      k.scan(scan);
      await shows(p, headline);
      await fitsScreen(p, 800, 480, ['#headline', '#message', '#next-step', '#clears']);
    }
  });

  it('shows the desk purpose and id, and counts down to the auto-clear', async () => {
    const k = await kiosk({ config: deskConfig() });
    const p = await open(k);
    expect(await p.textContent('#purpose')).toBe('Right to rent in England');
    expect(await p.textContent('#desk')).toBe('Desk lettings-front-desk');
    expect(await p.textContent('#clears')).toBe('');
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    const first = await p.textContent('#clears');
    expect(first).toMatch(/^This screen clears itself in (30|29) s$/);
    const seconds = Number(/(\d+) s$/.exec(first!)![1]);
    // It counts: wait for the next second to be drawn (an event of the page, not a sleep).
    await p.waitForFunction((s) => document.getElementById('clears')!.textContent === `This screen clears itself in ${s - 1} s`, seconds, {
      timeout: 5000,
    });
  });

  it('a lone y after a pause answers "yes"', async () => {
    const k = await kiosk({ purpose: 'work' });
    const p = await open(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    await p.keyboard.press('y');
    await p.waitForFunction(() => document.getElementById('likeness')!.hidden);
    expect(await p.textContent('#headline')).toBe('VALID');
    expect(await p.getAttribute('body', 'data-outcome')).toBe('CONFIRMED');
    expect(records(k.dir).find((l) => l.type === 'likeness')).toMatchObject({ likeness: 'yes', outcome: 'CONFIRMED' });
  });

  it("a y inside a scanner's burst never answers; the lone key typed after it does", async () => {
    const k = await kiosk({ purpose: 'work' });
    const p = await open(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    // A keyboard-wedge scanner typing into the browser: a code with a "y" in it and its Enter, no delay between keys.
    await p.keyboard.type('HC1:6BFOXNy3Ay\n', { delay: 0 });
    // A code holding just "y" and its Enter, both delivered before the page could run a timer.
    await p.evaluate(() => {
      for (const key of ['y', 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    });
    expect(await p.isVisible('#likeness')).toBe(true);
    // The clerk's own key afterwards is the answer: had a "y" of the bursts answered, this one would be refused.
    await humanPause(p);
    await p.keyboard.press('x');
    await shows(p, 'PHOTO NOT CHECKED');
    const likeness = records(k.dir).filter((l) => l.type === 'likeness');
    expect(likeness).toHaveLength(1);
    expect(likeness[0]).toMatchObject({ likeness: 'not-asked', outcome: 'PHOTO_NOT_CHECKED' });
  });

  it('keys typed into a text field are typing, not answers; Enter on a focused button does not answer', async () => {
    const tmp = tempDir('page-keys');
    temps.push(tmp);
    const k = await kiosk({ config: deskConfig({ askFor: true, keyFile: path.join(tmp.dir, 'records.key') }) });
    const p = await open(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    await p.click('#checker-name');
    await p.keyboard.press('y');
    await p.keyboard.press('n');
    expect(await p.inputValue('#checker-name')).toBe('yn');
    await p.focus('#likeness-yes');
    await p.keyboard.press(' ');
    await p.keyboard.press('Enter');
    expect(await p.isVisible('#likeness')).toBe(true);
    await p.click('#check-id'); // focus leaves the field: now a lone key answers
    await humanPause(p);
    await p.keyboard.press('n');
    await shows(p, 'PHOTO DOES NOT MATCH');
    const likeness = records(k.dir).filter((l) => l.type === 'likeness');
    expect(likeness.map((l) => l.likeness)).toEqual(['no']);
  });

  it.runIf(pdfToolsPresent)(
    'checker name and reference: typed before and after a check, kept in the sealed copy and the PDF, never in checks.jsonl',
    async () => {
      const tmp = tempDir('page-details');
      temps.push(tmp);
      const keyFile = path.join(tmp.dir, 'records.key');
      const k = await kiosk({ config: deskConfig({ askFor: true, keyFile }) });
      const p = await open(k);
      expect(await p.isVisible('#checker-name')).toBe(true);
      expect(await p.textContent('#reference-label')).toBe('Tenancy reference');
      // Before the check: the clerk's name, typed once, goes with the next check.
      await p.fill('#checker-name', 'Alex Clerkson');
      k.scan(demoCode('demo-valid'));
      await shows(p, 'VALID');
      await p.waitForFunction(() => /^Saved with check/.test(document.getElementById('details-status')!.textContent!));
      // After it: the tenancy reference, saved with Enter.
      await p.fill('#reference', 'TEN-2026-0042');
      await p.press('#reference', 'Enter');
      await p.waitForFunction(() => /^Saved with check/.test(document.getElementById('details-status')!.textContent!));
      const checkId = (await p.textContent('#check-id'))!.replace('Check ', '');
      await p.click('#likeness-yes');
      await p.waitForFunction(() => document.getElementById('likeness')!.hidden);

      // The local API: the token and the Host check as /likeness; only the fields the desk asks for.
      const post = (body: unknown, headers: Record<string, string> = {}) =>
        request(k.kiosk.port, `/details?token=${k.token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      expect(
        (
          await request(k.kiosk.port, '/details', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ checkId, reference: 'x' }),
          })
        ).status,
      ).toBe(401);
      expect((await post({ checkId, reference: 'x' }, { host: 'evil.example:80' })).status).toBe(421);
      expect((await post({ checkId, employeeNumber: '7' })).status).toBe(400);
      expect((await post({ checkId, reference: 'line\nbreak' })).status).toBe(400);
      expect((await post({ checkId, reference: 'r'.repeat(101) })).status).toBe(400);
      expect((await post({ checkId: 'no-such-check', reference: 'x' })).status).toBe(409);

      const logText = readFileSync(path.join(k.dir, 'records', 'checks.jsonl'), 'utf8');
      expect(logText).toContain(checkId);
      for (const secret of ['Alex Clerkson', 'TEN-2026-0042', 'Tenancy reference']) {
        expect(logText).not.toContain(secret);
        expect(k.logs.join('')).not.toContain(secret);
      }
      await k.kiosk.close();

      const store = await RecordStore.open({
        dir: path.join(k.dir, 'records'),
        deskId: 'lettings-front-desk',
        retentionDays: 30,
        personalCopy: { keyFile },
      });
      const copy = store.readPersonal(checkId);
      const check = store.get(checkId)!;
      store.close();
      expect(copy).toMatchObject({ checkerName: 'Alex Clerkson', reference: 'TEN-2026-0042', referenceLabel: 'Tenancy reference' });
      const pdf = path.join(tmp.dir, 'evidence.pdf');
      writeFileSync(pdf, await evidencePdf(check, copy));
      const text = pdfText(pdf);
      expect(text).toMatch(/Checked by\s+Alex Clerkson/);
      expect(text).toMatch(/Tenancy reference\s+TEN-2026-0042/);
    },
  );

  it('a NOT VALID check (no personal copy) offers no details fields', async () => {
    const tmp = tempDir('page-details-nv');
    temps.push(tmp);
    const k = await kiosk({ config: deskConfig({ askFor: true, keyFile: path.join(tmp.dir, 'records.key') }) });
    const p = await open(k);
    k.scan(demoCode('demo-tampered'));
    await shows(p, 'NOT VALID');
    expect(await p.isVisible('#details')).toBe(false);
  });
});
