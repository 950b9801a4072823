/**
 * The status page in real headless Chromium (playwright-core), against a real kiosk: each verdict kind renders its
 * words, icon and photo; DEMO shows; JPEG 2000 says "not supported"; the likeness button reaches the record.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_UNREADABLE } from '../../src/screen/photo.js';
import { demoCode, demoSigned, EXAMPLES, records, startTestKiosk, type TestKiosk } from './helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, guardTool } from './tools.js';

const why = guardTool('chromium');

describe.skipIf(why !== null)(`status page in headless Chromium${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  let browser: Browser;
  let k: TestKiosk | null = null;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await page?.close();
    await k?.stop();
    k = null;
  });

  async function openPage(kiosk: TestKiosk): Promise<Page> {
    page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await page.goto(kiosk.kiosk.url);
    await page.waitForFunction(() => document.body.dataset.kind === 'idle');
    return page;
  }

  async function shows(p: Page, headline: string): Promise<void> {
    await p.waitForFunction((h) => document.getElementById('headline')?.textContent === h, headline, { timeout: 15_000 });
  }

  const photoWidth = (p: Page) =>
    p.$eval('#photo', (img) => ((img as HTMLImageElement).hidden ? 0 : (img as HTMLImageElement).naturalWidth));

  it('idle: the token leaves the address bar, DEMO is shown, no verdict', async () => {
    k = await startTestKiosk();
    const p = await openPage(k);
    expect(new URL(p.url()).search).toBe('');
    expect(await p.textContent('#headline')).toBe('Ready to scan');
    expect(await p.isVisible('#demo')).toBe(true);
    expect(await p.isVisible('#person')).toBe(false);
  });

  it('VALID: words, tick icon, green, photo, name, rights, worth statement, likeness question', async () => {
    k = await startTestKiosk();
    const p = await openPage(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    expect(await p.getAttribute('body', 'data-colour')).toBe('green');
    expect(await p.getAttribute('#icon', 'data-icon')).toBe('tick');
    expect(await p.getAttribute('#icon svg', 'aria-label')).toBe('tick');
    expect(await p.textContent('#message')).toBe('Signed by a trusted issuer and current.');
    expect(await p.textContent('#name')).toBe('Jordan Specimen');
    expect(await p.textContent('#dob')).toBe('31 Jan 1990');
    expect(await photoWidth(p)).toBeGreaterThan(16);
    expect(await p.isVisible('#photo')).toBe(true);
    expect(await p.textContent('#rights')).toContain('Work: may work, no restriction');
    expect(await p.textContent('#worth')).toMatch(/not a statutory excuse/);
    expect(await p.isVisible('#likeness')).toBe(true);
    expect(await p.isVisible('#demo')).toBe(true);
    // A screen without a person leaves nothing of this one in the page, not even hidden.
    k.scan('not a status code');
    await shows(p, 'NOT A STATUS CODE');
    expect(await p.content()).not.toContain('Specimen');
    expect(await p.getAttribute('#photo', 'src')).toBeNull();
  });

  it('"No, not them": the VALID screen becomes PHOTO DOES NOT MATCH, red, its own icon, no tick anywhere', async () => {
    k = await startTestKiosk({ purpose: 'rent' });
    const p = await openPage(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    expect(await p.$$eval('#likeness button', (bs) => bs.map((b) => `${b.tagName}:${b.textContent}`))).toEqual([
      'BUTTON:Yes, it is them',
      'BUTTON:No, not them',
      'BUTTON:Not checked',
    ]);
    await p.click('#likeness-no');
    await shows(p, 'PHOTO DOES NOT MATCH');
    expect(await p.getAttribute('body', 'data-colour')).toBe('red');
    expect(await p.getAttribute('#icon', 'data-icon')).toBe('mismatch');
    expect(await p.textContent('#message')).toMatch(/Do not accept this code for this person/);
    expect(await p.textContent('#next-step')).not.toMatch(/Check the photo/);
    // No tick in the text or drawn by CSS.
    const marks = await p.$$eval('#rights li', (lis) => lis.map((li) => `${getComputedStyle(li, '::before').content} ${li.textContent}`));
    expect(marks.join(' ')).not.toContain('✔');
    expect(await p.textContent('body')).not.toContain('✔');
    const lines = records(k.dir);
    expect(lines.find((l) => l.type === 'likeness')).toMatchObject({ likeness: 'no', outcome: 'PHOTO_MISMATCH' });
  });

  it('NOT VALID: words, cross icon, red, no person from an unverified code', async () => {
    k = await startTestKiosk();
    const p = await openPage(k);
    k.scan(demoCode('demo-tampered'));
    await shows(p, 'NOT VALID');
    expect(await p.getAttribute('body', 'data-colour')).toBe('red');
    expect(await p.getAttribute('#icon', 'data-icon')).toBe('cross');
    expect(await p.textContent('#message')).toMatch(/altered or is forged/);
    expect(await p.textContent('#next-step')).toMatch(/online service/);
    expect(await p.isVisible('#person')).toBe(false);
    expect(await p.isVisible('#likeness')).toBe(false);
  });

  it('CHECK MANUALLY: words, warning icon, amber, photo, checking-service pointer', async () => {
    k = await startTestKiosk({ purpose: 'work' });
    const p = await openPage(k);
    k.scan(demoCode('demo-pending'));
    await shows(p, 'CHECK MANUALLY');
    expect(await p.getAttribute('body', 'data-colour')).toBe('amber');
    expect(await p.getAttribute('#icon', 'data-icon')).toBe('warning');
    expect(await p.textContent('#message')).toMatch(/certificate of application/);
    expect(await p.textContent('#next-step')).toMatch(/Employer Checking Service/);
    expect(await p.content()).not.toMatch(/Landlord Checking Service|no time limit/);
    expect(await photoWidth(p)).toBeGreaterThan(16);
  });

  it('CHECK MANUALLY at a housing desk: right-to-reside assessment, never "ineligible"', async () => {
    k = await startTestKiosk({ purpose: 'housing' });
    const p = await openPage(k);
    k.scan(demoCode('demo-pre-settled'));
    await shows(p, 'CHECK MANUALLY');
    expect(await p.textContent('#rights')).toMatch(/right-to-reside assessment needed/);
    expect(await p.getAttribute('#rights li[data-right=public-funds]', 'data-answer')).toBe('assess');
    expect(await p.textContent('#message')).toMatch(/does not mean ineligible/);
  });

  it('SCAN AGAIN for a dropped scan: words and warning icon', async () => {
    k = await startTestKiosk();
    const p = await openPage(k);
    k.scan('A'.repeat(5000)); // longer than any QR: the scanner drops it
    await shows(p, 'SCAN AGAIN');
    expect(await p.getAttribute('#icon', 'data-icon')).toBe('rescan');
    expect(await p.getAttribute('body', 'data-colour')).toBe('blue');
    expect(await p.textContent('#message')).toMatch(/more than a QR code can hold/);
  });

  /** A VALID code for `name` whose photo is `photo` (signed with the DEMO key). */
  function withPhoto(name: string, photo: Uint8Array, photoFormat: number): string {
    const now = Math.floor(Date.now() / 1000);
    return demoSigned({
      identity: { fullName: name, dateOfBirth: '19800101', photo, photoFormat },
      status: { scheme: 'EUSS', statusType: 'indefinite', work: { kind: 'unrestricted' }, rent: true, publicFunds: true, purpose: 'all' },
      cwt: { iss: 'DEMO', iat: now - 60, nbf: now - 60, exp: now + 86_400 },
    });
  }

  it('a JPEG 2000 photo shows the "photo format not supported" line instead of an image', async () => {
    k = await startTestKiosk({ purpose: 'work' });
    const p = await openPage(k);
    const jp2 = Buffer.concat([Buffer.from('0000000c6a5020200d0a870a', 'hex'), Buffer.alloc(40, 7)]);
    k.scan(withPhoto('Jay Two', jp2, 2));
    await shows(p, 'VALID');
    expect(await p.isVisible('#photo')).toBe(false);
    expect(await p.textContent('#photo-note')).toMatch(/Photo format not supported \(JPEG 2000\)/);
  });

  it('a JPEG photo is drawn from the signed bytes themselves, at its own size', async () => {
    k = await startTestKiosk({ purpose: 'work' });
    const p = await openPage(k);
    const jpeg = await sharp(readFileSync(path.join(EXAMPLES, 'demo-face.jpg')))
      .resize(60, 75)
      .jpeg({ quality: 40 })
      .toBuffer();
    k.scan(withPhoto('Jo Peg', jpeg, 1));
    await shows(p, 'VALID');
    await p.waitForFunction(() => (document.getElementById('photo') as HTMLImageElement).complete);
    expect(await photoWidth(p)).toBe(60);
    expect(await p.getAttribute('#photo', 'src')).toBe(`data:image/jpeg;base64,${jpeg.toString('base64')}`);
  });

  it('a photo whose header reads but whose pixels do not decode says so instead of a broken image', async () => {
    k = await startTestKiosk({ purpose: 'work' });
    const p = await openPage(k);
    const png = await sharp({ create: { width: 40, height: 50, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    const broken = Buffer.concat([png.subarray(0, 33), Buffer.alloc(64, 0x5a)]); // signature + IHDR, then junk
    k.scan(withPhoto('Bro Ken', broken, 1));
    await shows(p, 'VALID');
    await p.waitForFunction(() => !document.getElementById('photo-note')!.hidden);
    expect(await p.isVisible('#photo')).toBe(false);
    expect(await p.textContent('#photo-note')).toBe(PHOTO_UNREADABLE);
  });

  it('a lost connection clears the page itself: nobody stays on a screen the kiosk can no longer clear', async () => {
    k = await startTestKiosk();
    const p = await openPage(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    expect(await p.content()).toContain('Specimen');
    await k.kiosk.web!.close(); // the page's server goes away while the desk still shows the person (as in a crash)
    await p.waitForFunction(() => document.body.dataset.connection === 'lost');
    expect(await p.textContent('#headline')).toBe('Waiting for proofdesk…');
    expect(await p.content()).not.toContain('Specimen');
    expect(await p.getAttribute('#photo', 'src')).toBeNull();
    expect(await p.isVisible('#likeness')).toBe(false);
  });

  it("an old or wrong token (one replaced by --new-token) says to open the desk's link again", async () => {
    k = await startTestKiosk();
    page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await page.goto(`http://127.0.0.1:${k.kiosk.port}/?token=not-the-token`);
    await shows(page, 'Not connected');
    expect(await page.textContent('#message')).toMatch(/open the desk's link again/);
  });

  it('the likeness button answers the question on screen and the answer goes into the record', async () => {
    k = await startTestKiosk();
    const p = await openPage(k);
    k.scan(demoCode('demo-valid'));
    await shows(p, 'VALID');
    const checkId = (await p.textContent('#check-id'))?.replace('Check ', '');
    await p.click('#likeness-yes');
    await p.waitForFunction(() => document.getElementById('likeness')?.hidden === true);
    expect(await p.textContent('#likeness-answer')).toMatch(/confirmed/);
    const log = readFileSync(path.join(k.dir, 'records', 'checks.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.find((r) => r.type === 'likeness')).toMatchObject({ checkId, likeness: 'yes' });
  });
});
