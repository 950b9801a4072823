/**
 * A page opened once keeps working across kiosk restarts, in real headless Chromium against real `proofdesk run`
 * processes on one port and one record folder: the desk's browser opens the link file (as its autostart does, before
 * the kiosk is up), lands on the page, follows the kiosk through a restart without a new link and shows the next
 * scan; `--new-token` then refuses it. The lasting token is in no process's command line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoCode, parseReady, ROOT, tempDir } from './helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, guardTool } from './tools.js';

const MAIN = path.join(ROOT, 'dist/cli/main.js');
const why = guardTool('chromium');

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

describe.skipIf(why !== null)(`the status page across kiosk restarts (Chromium)${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  let browser: Browser;
  const runs: Run[] = [];
  const temps: Array<{ remove(): void }> = [];
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` first (npm test does)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(() => {
    for (const r of runs.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    for (const t of temps.splice(0)) t.remove();
  });

  function start(args: string[], xdg: string): Run {
    const child = spawn('node', [MAIN, 'run', ...args], {
      cwd: ROOT,
      env: { ...process.env, XDG_DATA_HOME: xdg },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const r: Run = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
    child.stdout!.on('data', (c: Buffer) => (r.stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (r.stderr += c.toString()));
    runs.push(r);
    return r;
  }

  async function ready(r: Run): Promise<NonNullable<ReturnType<typeof parseReady>>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = parseReady(r.stdout);
      if (found) return found;
      if (r.child.exitCode !== null) throw new Error(`kiosk exited ${r.child.exitCode}: ${r.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ready line: ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  }

  async function stop(r: Run): Promise<void> {
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  }

  /** Every process on this machine whose command line holds `secret`. */
  function commandLinesWith(secret: string): string[] {
    const hits: string[] = [];
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes(secret)) hits.push(`${pid}: ${cmd.replaceAll('\0', ' ')}`);
      } catch {
        // gone, or not ours to read
      }
    }
    return hits;
  }

  it('the desk browser opens the link file before the kiosk is up, and the page follows two restarts without a new link', async () => {
    const tmp = tempDir('restart');
    temps.push(tmp);
    const records = path.join(tmp.dir, 'records');
    const xdg = path.join(tmp.dir, 'xdg');

    // The first start makes the desk's token and link file; then the kiosk is down (a reboot: the browser is first).
    const first = start(['--port', '0', '--records', records], xdg);
    const { port, token, linkFile } = await ready(first);
    await stop(first);

    const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    try {
      await page.goto(pathToFileURL(linkFile).href);
      expect(await page.textContent('#wait')).toContain(`Waiting for proofdesk at http://127.0.0.1:${port}/`);

      // The kiosk comes up: the launcher opens the page, which takes the token out of the address bar.
      let kiosk = start(['--port', String(port), '--records', records], xdg);
      expect((await ready(kiosk)).token).toBe(token);
      await page.waitForFunction(() => document.body?.dataset.kind === 'idle' && document.body.dataset.connection === 'open', null, {
        timeout: 30_000,
      });
      expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
      const navigations: string[] = [];
      page.on('framenavigated', (f) => navigations.push(f.url()));

      kiosk.child.stdin!.write(`${demoCode('demo-valid')}\n`);
      await page.waitForFunction(() => document.getElementById('headline')?.textContent === 'VALID', null, { timeout: 30_000 });
      const firstCheck = await page.textContent('#check-id');

      for (let restart = 1; restart <= 2; restart++) {
        // systemctl restart: the kiosk stops (the page clears itself and waits) and starts again on the same desk.
        await stop(kiosk);
        await page.waitForFunction(() => document.body.dataset.connection === 'lost', null, { timeout: 30_000 });
        expect(await page.textContent('#headline')).toBe('Waiting for proofdesk…');
        kiosk = start(['--port', String(port), '--records', records], xdg);
        await ready(kiosk);
        await page.waitForFunction(() => document.body.dataset.connection === 'open' && document.body.dataset.kind === 'idle', null, {
          timeout: 30_000,
        });
        kiosk.child.stdin!.write(`${demoCode(restart === 1 ? 'demo-pre-settled' : 'demo-valid')}\n`);
        await page.waitForFunction(
          (before) =>
            document.getElementById('headline')?.textContent === 'VALID' && document.getElementById('check-id')?.textContent !== before,
          firstCheck,
          { timeout: 30_000 },
        );
      }
      // No reload, no new link: the same page all along.
      expect(navigations).toEqual([]);
      // The token is in the link file only: no kiosk's, browser's or any other process's command line holds it.
      expect(commandLinesWith(token)).toEqual([]);
      for (const r of runs) expect(r.stdout + r.stderr).not.toContain(token);

      // --new-token: the open page is refused and says so; the link file holds the new token.
      await stop(kiosk);
      kiosk = start(['--port', String(port), '--records', records, '--new-token'], xdg);
      const renewed = await ready(kiosk);
      expect(renewed.token).not.toBe(token);
      await page.waitForFunction(() => document.getElementById('headline')?.textContent === 'Not connected', null, { timeout: 30_000 });
      expect(await page.textContent('#message')).toMatch(/open the desk's link again/);
      await page.goto(pathToFileURL(linkFile).href);
      await page.waitForFunction(() => document.body?.dataset.kind === 'idle' && document.body.dataset.connection === 'open', null, {
        timeout: 30_000,
      });
      await stop(kiosk);
    } finally {
      await page.close();
    }
  });
});
