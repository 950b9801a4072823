/** The terminal display and terminal likeness keys: pure rendering, the key filter, and the real thing through a pty. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { likenessKeyFilter } from '../../src/kiosk/terminal-input.js';
import { DEFAULT_WORTH, idleScreen, resultScreen } from '../../src/screen/state.js';
import { renderTerminal } from '../../src/screen/terminal.js';
import type { LikenessAnswer } from '../../src/screen/state.js';
import type { Verdict } from '../../src/verify/verdict.js';
import { demoCode, ROOT, tempDir } from './helpers.js';
import { guardTool } from './tools.js';
import { describeUnsafe } from '../text/unsafe.js';

const desk = { purpose: 'work' as const, demo: true, worth: DEFAULT_WORTH, id: 'desk-t' };

function verdict(name: string): Verdict {
  return {
    verdict: 'VALID',
    valid: true,
    reason: null,
    message: '',
    alg: 'EdDSA',
    kid: 'k',
    verifiedBy: 'k',
    cwt: null,
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
    expect(plain).toMatch(/Name: +Ada Example/);
    expect(plain).toMatch(/Date of birth: +31 January 1990/);
    expect(plain).toMatch(/Checked for: +Right to work/);
    expect(plain).toContain('✔ Work: may work, no restriction');
    expect(plain).toContain('Press y (yes), n (no) or x (not checked)');
    expect(plain).toContain(DEFAULT_WORTH);
    expect(plain).not.toContain('\x1b[');
    expect(renderTerminal(s, { colour: true, likenessKeys: false })).toContain('\x1b[1;97;42m');
    expect(renderTerminal(idleScreen(desk), { colour: false, likenessKeys: false })).toContain('Ready to scan');
    // Without a web screen the terminal does not send the checker to one.
    const withPhoto = resultScreen({
      verdict: verdict('Ada Example'),
      desk,
      checkedAt: new Date('2026-11-23T10:00:00Z'),
      checkId: 'c1',
      photo: { mime: 'image/png', base64: 'iVBORw0K', width: 1, height: 1 },
    });
    expect(renderTerminal(withPhoto, { colour: false, likenessKeys: false })).toMatch(/Photo: +shown on the web screen/);
    const noWeb = renderTerminal(withPhoto, { colour: false, likenessKeys: false, web: false });
    expect(noWeb).not.toContain('web screen');
    expect(noWeb).toMatch(/compare the person with their identity document/);
  });

  it('asks for typed keys only when the terminal takes them; says where else the answer can be given', () => {
    const s = resultScreen({ verdict: verdict('Ada Example'), desk, checkedAt: new Date(), checkId: 'c1' });
    expect(renderTerminal(s, { colour: false, likenessKeys: false })).toMatch(/Answer on the web screen\./);
    expect(renderTerminal(s, { colour: false, likenessKeys: false, web: false, bridgeKeys: true })).toMatch(
      /Answer with the bridge box's YES \/ NO keys/,
    );
    const nowhere = renderTerminal(s, { colour: false, likenessKeys: false, web: false });
    expect(nowhere).not.toMatch(/type|press/i);
    expect(nowhere).toMatch(/recorded as "not checked"/);
  });

  it('"No, not them", NOT VALID rights and the desk\'s alerts', () => {
    const no = resultScreen({ verdict: verdict('Ada Example'), desk, checkedAt: new Date(), checkId: 'c1', likeness: 'no' });
    const out = renderTerminal(no, { colour: false, likenessKeys: true });
    expect(out).toContain('== [≠] PHOTO DOES NOT MATCH ==');
    expect(out).not.toContain('✔');
    expect(out).toMatch(/Photo check: +NO/);
    const revoked = resultScreen(
      {
        verdict: { ...verdict('Ada Example'), verdict: 'NOT VALID', valid: false, reason: 'REVOKED' },
        desk,
        checkedAt: new Date(),
        checkId: 'c2',
      },
      {
        alerts: [{ code: 'SCANNER_NOT_CONNECTED', text: 'Scanner not connected: serial:/dev/ttyACM0' }],
      },
    );
    const r = renderTerminal(revoked, { colour: false, likenessKeys: true });
    expect(r).not.toContain('✔');
    expect(r).toContain('– Right to work: not established by this check');
    expect(r).toContain('!! Scanner not connected: serial:/dev/ttyACM0');
  });

  it('text from a code cannot drive the terminal or reorder it (control and bidi characters are replaced)', () => {
    const s = resultScreen({
      verdict: verdict('Eve\x1b[2J\x07Mallory\u202eyraM\u2066\x9b1m\nStatus: fake'),
      desk,
      checkedAt: new Date(),
      checkId: 'c2',
    });
    const out = renderTerminal(s, { colour: false, likenessKeys: false });
    expect(out).toContain('Eve\uFFFD[2J\uFFFDMallory\uFFFDyraM\uFFFD\uFFFD1m\uFFFDStatus: fake');
    expect(describeUnsafe(out, true)).toEqual([]);
    expect(out).not.toMatch(/^Status: fake/m);
  });
});

describe("likeness keys at the terminal: a lone key press answers, a scanner's burst never does", () => {
  afterEach(() => vi.useRealTimers());

  /** Feed timed chunks ([ms after the previous, text]) through the filter on a fake clock. */
  async function typed(chunks: Array<[number, string]>): Promise<{ out: string; answers: LikenessAnswer[] }> {
    vi.useFakeTimers();
    const answers: LikenessAnswer[] = [];
    const filter = likenessKeyFilter({ onAnswer: (a) => answers.push(a), clock: () => Date.now() });
    let out = '';
    filter.on('data', (c: Buffer) => (out += c.toString('latin1')));
    for (const [after, text] of chunks) {
      await vi.advanceTimersByTimeAsync(after);
      filter.write(Buffer.from(text, 'latin1'));
    }
    await vi.advanceTimersByTimeAsync(1000);
    filter.end();
    return { out, answers };
  }

  it('a y, n or x typed on its own answers, and is not passed on as a scan', async () => {
    const { out, answers } = await typed([
      [500, 'y'],
      [300, '\r'],
      [2000, 'n'],
      [2000, 'X'],
    ]);
    expect(answers).toEqual(['yes', 'no', 'not-asked']);
    expect(out).toBe('\n'); // the Enter after an answer is an empty line, which the scanner ignores
  });

  it('a QR holding "y" (y and the scanner\'s Enter in one burst) is a scan, not an answer', async () => {
    const { out, answers } = await typed([
      [500, 'y'],
      [3, '\r'],
    ]);
    expect(answers).toEqual([]);
    expect(out).toBe('y\n');
  });

  it('a credential, a line break and a "y" typed by a wedge in one burst never answer', async () => {
    const burst = 'NCFOXN%TS3DH\ry\r'.split('').map((c): [number, string] => [4, c]);
    const { out, answers } = await typed([[500, 'N'], ...burst.slice(1)]);
    expect(answers).toEqual([]);
    expect(out).toBe('NCFOXN%TS3DH\ny\n');
  });

  it('a paste arrives in one chunk and passes through; a key in the middle of a line is text', async () => {
    const { out, answers } = await typed([
      [500, 'HC1:ABC\r\nyes\r\n'],
      [500, 'AB'],
      [500, 'y'],
      [500, '\r'],
    ]);
    expect(answers).toEqual([]);
    expect(out).toBe('HC1:ABC\n\nyes\n\nABy\n');
  });

  it('a long line is never held back', async () => {
    const long = 'A'.repeat(10_000);
    const { out, answers } = await typed([
      [0, long.slice(0, 5000)],
      [1, long.slice(5000)],
      [1, '\r'],
    ]);
    expect(out).toBe(`${long}\n`);
    expect(answers).toEqual([]);
  });

  it('Ctrl-C is reported (raw mode does not make it a signal)', () => {
    let interrupted = 0;
    const filter = likenessKeyFilter({ onAnswer: () => undefined, onInterrupt: () => interrupted++ });
    filter.write('\x03');
    expect(interrupted).toBe(1);
  });
});

const why = guardTool('script');
describe.skipIf(why !== null)(`typing at the kiosk's own terminal (a real pty via script(1))${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  const temps: Array<{ remove(): void }> = [];
  afterEach(() =>
    temps.splice(0).forEach((t) => {
      t.remove();
    }),
  );

  it('a pasted code shows on the terminal screen; typing y answers the likeness question into the record', async () => {
    const tmp = tempDir('tty');
    temps.push(tmp);
    const store = path.join(tmp.dir, 'records');
    const main = path.join(ROOT, 'dist/cli/main.js');
    const child = spawn('script', ['-qfec', `exec node '${main}' run --port 0 --records '${store}' 2>/dev/null`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
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
      child.stdin.write(`${demoCode('demo-valid')}\r`);
      await until('the verdict', () => screen.includes('Press y (yes), n (no) or x (not checked)'));
      expect(screen).toMatch(/\[✔\] VALID/);
      expect(screen).toContain('Jordan Specimen');
      // A scanned "y" and its Enter, in one burst, is a scan (NOT A STATUS CODE), never the clerk's answer…
      child.stdin.write('y\r');
      await until('the scanned y', () => screen.includes('NOT A STATUS CODE'));
      // …and the clerk's own key press, alone, is.
      child.stdin.write(`${demoCode('demo-pre-settled')}\r`);
      await until('the next verdict', () => screen.lastIndexOf('[✔] VALID') > screen.lastIndexOf('NOT A STATUS CODE'));
      // A person reads the screen before pressing a key; the key counts only after a quiet spell with no other input
      // (terminal-input.ts). The kiosk read the code's Enter before it drew the verdict we waited for, so a pause
      // here is at least that long on the kiosk's clock, however busy the machine.
      await new Promise((r) => setTimeout(r, 250));
      child.stdin.write('y');
      await until('the answer', () => /Photo check: +Yes/.test(screen));
      const lines = readFileSync(path.join(store, 'checks.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      // The first check was left unanswered when the scanned "y" replaced it (recorded as not checked); the second
      // was answered by the key press. The scanned "y" made no record at all.
      expect(lines.map((l) => l.type)).toEqual(['check', 'likeness', 'check', 'likeness']);
      expect(lines[1]).toMatchObject({ checkId: lines[0]!.checkId, likeness: 'not-asked', outcome: 'PHOTO_NOT_CHECKED' });
      expect(lines[3]).toMatchObject({ checkId: lines[2]!.checkId, likeness: 'yes', outcome: 'CONFIRMED' });
    } finally {
      const pid = existsSync(`/proc/${child.pid}/task/${child.pid}/children`)
        ? readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]
        : '';
      if (pid) process.kill(Number(pid), 'SIGTERM');
      else child.kill('SIGKILL');
    }
    expect(await exited).toBe(0);
  });

  it('on its own terminal (stdout and stderr one pty) the logs go to a file, said once, never into the screen', async () => {
    const tmp = tempDir('tty-logs');
    temps.push(tmp);
    const store = path.join(tmp.dir, 'records');
    const state = path.join(tmp.dir, 'state');
    const main = path.join(ROOT, 'dist/cli/main.js');
    // No redirection: standard error is the same terminal as the screen. XDG_STATE_HOME says where the log file goes.
    const child = spawn('script', ['-qfec', `exec node '${main}' run --port 0 --records '${store}'`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, XDG_STATE_HOME: state, XDG_DATA_HOME: path.join(tmp.dir, 'data'), PROOFDESK_LOG_LEVEL: 'debug' },
    });
    let screen = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString('utf8').replaceAll('\r', '')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const logFile = path.join(state, 'proofdesk', 'kiosk.log');
    const until = async (what: string, ok: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen so far:\n${screen}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      // On a terminal the clerk gets the link itself (a terminal is not a journal).
      await until('ready', () => /proofdesk ready: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}/.test(screen));
      child.stdin.write(`${demoCode('demo-valid')}\r`);
      await until('the verdict', () => screen.includes('Press y (yes), n (no) or x (not checked)'));
      child.stdin.write('not a code at all\r');
      await until('the next screen', () => screen.includes('NOT A STATUS CODE'));
      await until('the check logged to the file', () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('"event":"check"'));
    } finally {
      const pid = existsSync(`/proc/${child.pid}/task/${child.pid}/children`)
        ? readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]
        : '';
      if (pid) process.kill(Number(pid), 'SIGTERM');
      else child.kill('SIGKILL');
    }
    expect(await exited).toBe(0);
    // Said once, where the logs are; and not one JSON log line on the screen all along, shutdown included.
    expect(screen.split(`proofdesk: logs go to ${logFile}`)).toHaveLength(2);
    expect(screen).not.toMatch(/"level":|"event":/);
    const logs = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event?: string });
    expect(logs.map((l) => l.event)).toEqual(expect.arrayContaining(['ready', 'check', 'stopped']));
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  });
});
