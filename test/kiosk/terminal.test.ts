/** The terminal display and terminal likeness keys: pure rendering, the key filter, and the real thing through a pty. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { likenessKeyFilter } from '../../src/kiosk/terminal-input.js';
import { DEFAULT_WORTH, idleScreen, resultScreen } from '../../src/screen/state.js';
import { renderTerminal } from '../../src/screen/terminal.js';
import type { LikenessAnswer } from '../../src/screen/state.js';
import type { Verdict } from '../../src/verify/verdict.js';
import { demoCode, ROOT, tempDir } from './helpers.js';
import { guardTool } from './tools.js';
import { describeUnsafe } from '../text/unsafe.js';

const desk = { purpose: 'work' as const, demo: true, worth: DEFAULT_WORTH };

function verdict(name: string): Verdict {
  return {
    verdict: 'VALID', valid: true, reason: null, message: '', alg: 'EdDSA', kid: 'k', verifiedBy: 'k', cwt: null,
    identity: { fullName: name, dateOfBirth: '19900131' },
    status: { scheme: 'EUSS', statusType: 'indefinite', work: { kind: 'unrestricted' }, rent: true, publicFunds: true, purpose: 'all' },
    statusList: null,
    credentialId: null,
  };
}

describe('terminal display', () => {
  it('words and a symbol carry the verdict; colour only on a TTY; DEMO and the worth statement shown', () => {
    const s = resultScreen({ verdict: verdict('Ada Example'), desk, checkedAt: new Date('2026-11-23T10:00:00Z'), checkId: 'c1' });
    const plain = renderTerminal(s, { colour: false, likenessKeys: true });
    expect(plain).toContain('== [✔] VALID ==');
    expect(plain).toContain('DEMO');
    expect(plain).toContain('Name:          Ada Example');
    expect(plain).toContain('Date of birth: 1990-01-31');
    expect(plain).toContain('Type y (yes), n (no) or x (not checked)');
    expect(plain).toContain(DEFAULT_WORTH);
    expect(plain).not.toContain('\x1b[');
    expect(renderTerminal(s, { colour: true, likenessKeys: false })).toContain('\x1b[1;97;42m');
    expect(renderTerminal(idleScreen(desk), { colour: false, likenessKeys: false })).toContain('Ready to scan');
    // Without a web screen the terminal does not send the checker to one.
    const withPhoto = resultScreen({ verdict: verdict('Ada Example'), desk, checkedAt: new Date('2026-11-23T10:00:00Z'), checkId: 'c1', photo: { mime: 'image/png', base64: 'iVBORw0K', width: 1, height: 1 } });
    expect(renderTerminal(withPhoto, { colour: false, likenessKeys: false })).toContain('Photo:         shown on the web screen');
    const noWeb = renderTerminal(withPhoto, { colour: false, likenessKeys: false, web: false });
    expect(noWeb).not.toContain('web screen');
    expect(noWeb).toMatch(/compare the person with their identity document/);
  });

  it('text from a code cannot drive the terminal or reorder it (control and bidi characters are replaced)', () => {
    const s = resultScreen({ verdict: verdict('Eve\x1b[2J\x07Mallory\u202eyraM\u2066\x9b1m\nStatus: fake'), desk, checkedAt: new Date(), checkId: 'c2' });
    const out = renderTerminal(s, { colour: false, likenessKeys: false });
    expect(out).toContain('Eve\uFFFD[2J\uFFFDMallory\uFFFDyraM\uFFFD\uFFFD1m\uFFFDStatus: fake');
    expect(describeUnsafe(out, true)).toEqual([]);
    expect(out).not.toMatch(/^Status: fake/m);
  });
});

describe('likeness keys at the terminal', () => {
  async function through(input: string[]): Promise<{ out: string; answers: LikenessAnswer[] }> {
    const answers: LikenessAnswer[] = [];
    const filter = likenessKeyFilter((a) => answers.push(a));
    const src = new PassThrough();
    let out = '';
    src.pipe(filter).on('data', (c: Buffer) => (out += c.toString('latin1')));
    for (const chunk of input) src.write(chunk);
    src.end();
    await new Promise((r) => filter.on('end', r));
    return { out, answers };
  }

  it('a line that is exactly y, n or x answers; every other line passes through unchanged, across chunk borders', async () => {
    const { out, answers } = await through(['HC1:ABC\ny\n', 'n', '\nYES\n x \nxx\n', 'NCF', 'OX\r\nx\r\n', 'LAST']);
    expect(answers).toEqual(['yes', 'no', 'not-asked', 'not-asked']);
    expect(out).toBe('HC1:ABC\nYES\nxx\nNCFOX\r\nLAST');
  });

  it('a long line is never held back (it streams on after a few characters)', async () => {
    const long = 'A'.repeat(10_000);
    const { out, answers } = await through([long.slice(0, 5000), long.slice(5000), '\n']);
    expect(out).toBe(`${long}\n`);
    expect(answers).toEqual([]);
  });
});

const why = guardTool('script');
describe.skipIf(why !== null)(`typing at the kiosk's own terminal (a real pty via script(1))${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  const temps: Array<{ remove(): void }> = [];
  afterEach(() => temps.splice(0).forEach((t) => t.remove()));

  it('a pasted code shows on the terminal screen; typing y answers the likeness question into the record', async () => {
    const tmp = tempDir('tty');
    temps.push(tmp);
    const store = path.join(tmp.dir, 'records');
    const main = path.join(ROOT, 'dist/cli/main.js');
    const child = spawn('script', ['-qfec', `exec node '${main}' run --port 0 --records '${store}' 2>/dev/null`, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let screen = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString('utf8').replaceAll('\r', '')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const until = async (what: string, ok: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen so far:\n${screen}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      await until('ready', () => /proofdesk ready: http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(screen));
      child.stdin.write(`${demoCode('demo-valid')}\n`);
      await until('the verdict', () => screen.includes('Type y (yes), n (no) or x (not checked)'));
      expect(screen).toMatch(/\[✔\] VALID/);
      expect(screen).toContain('Jordan Specimen');
      child.stdin.write('y\n');
      await until('the answer', () => screen.includes('Likeness: yes'));
      const lines = readFileSync(path.join(store, 'checks.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.type)).toEqual(['check', 'likeness']);
      expect(lines[1]).toMatchObject({ checkId: lines[0]!.checkId, likeness: 'yes' });
    } finally {
      const pid = existsSync(`/proc/${child.pid}/task/${child.pid}/children`) ? readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0] : '';
      if (pid) process.kill(Number(pid), 'SIGTERM');
      else child.kill('SIGKILL');
    }
    expect(await exited).toBe(0);
  });
});
