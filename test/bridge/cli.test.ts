/**
 * `proofdesk bridge probe` and `proofdesk bridge test` as real processes (the built CLI) against the firmware's posix
 * port: what an installer sees after flashing a box.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { describeUnsafe } from '../text/unsafe.js';
import { ROOT, posixPortSkipReason, startPosixBridge, type PosixBridge } from './posix-port.js';

const MAIN = join(ROOT, 'dist/cli/main.js');

function skipReason(): string | null {
  if (!existsSync(MAIN)) {
    if (process.env.CI === 'true') throw new Error('CI=true but dist/cli/main.js is missing: run npm run build first');
    return 'dist/cli/main.js not built (npm run build)';
  }
  return posixPortSkipReason();
}
const skip = skipReason();
if (skip) console.warn(`SKIP bridge CLI tests: ${skip}`);

describe.skipIf(skip !== null)('proofdesk bridge (CLI)', () => {
  let fw: PosixBridge | undefined;
  afterEach(async () => {
    await fw?.stop();
    fw = undefined;
  });

  it('probe: prints the firmware, protocol and panel of a bridge, exit 0', async () => {
    fw = await startPosixBridge();
    const r = spawnSync('node', [MAIN, 'bridge', 'probe', '--port', fw.hostLink], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^bridge at ${fw.hostLink}: firmware \\S+, protocol 1, panel 240×320, can: display scanner buttons buzzer leds grey8 rgb565`,
      ),
    );
    const json = spawnSync('node', [MAIN, 'bridge', 'probe', '--port', fw.hostLink, '--json'], { encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(json.stdout)).toMatchObject({ path: fw.hostLink, protocol: 1, width: 240, height: 320 });
  });

  it('probe: exit 1 with the reason when nothing answers; exit 2 for a bad option', () => {
    const none = spawnSync('node', [MAIN, 'bridge', 'probe', '--port', '/dev/nonexistent-bridge'], { encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^proofdesk: no bridge: PORT_OPEN_FAILED: .*nonexistent-bridge/);
    const bad = spawnSync('node', [MAIN, 'bridge', 'probe', '--baud', '9600'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('proofdesk: --baud must be 115200 or 921600, got "9600"\n');
  });

  it('test: one line per scan and key press, without the scanned text unless asked; clean exit on SIGTERM', async () => {
    fw = await startPosixBridge();
    const child = spawn('node', [MAIN, 'bridge', 'test', '--port', fw.hostLink, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (re: RegExp): Promise<void> => {
      const started = Date.now();
      while (!re.test(out)) {
        if (Date.now() - started > 20_000) throw new Error(`no ${re} in: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(/"event":"connected"/);
    const open = async (path: string): Promise<SerialPort> => {
      const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      return port;
    };
    const scanner = await open(fw.scanner);
    const buttons = await open(fw.buttons);
    scanner.write(']Q1SECRET-NAME-1990\r\n');
    await until(/"event":"scan"/);
    buttons.write('n');
    await until(/"event":"key","key":"NO"/);
    for (const p of [scanner, buttons]) await new Promise<void>((r) => p.close(() => r()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const scan = out
      .split('\n')
      .map((l) => (l ? JSON.parse(l) : null))
      .find((e) => e?.event === 'scan');
    expect(scan).toMatchObject({ symbology: 'qr', bytes: 16 });
    expect(out).not.toContain('SECRET');
  });

  it('test --show-text: scanned bytes that are terminal controls (8-bit CSI, NEL, UTF-8 of a bidi override) print neutralised', async () => {
    fw = await startPosixBridge();
    const child = spawn('node', [MAIN, 'bridge', 'test', '--port', fw.hostLink, '--show-text'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const until = (re: RegExp): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!re.test(out)) return;
          child.stdout.off('data', check);
          child.off('exit', gone);
          resolve();
        };
        const gone = (): void => reject(new Error(`bridge test exited before ${re}: ${out}`));
        child.stdout.on('data', check);
        child.once('exit', gone);
        check();
      });
    await until(/ connected /);
    const scanner = new SerialPort({ path: fw.scanner, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => scanner.open((err) => (err ? reject(err) : resolve())));
    scanner.write(Buffer.concat([Buffer.from(']Q1A'), Buffer.from([0x9b, 0x32, 0x4a, 0x85, 0xe2, 0x80, 0xae]), Buffer.from('B\r\n')]));
    await until(/ scan .*\n/);
    await new Promise<void>((r) => scanner.close(() => r()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(describeUnsafe(out, true)).toEqual([]);
    expect(out).toMatch(/ scan symbology=qr bytes=9 text=A\uFFFD2J\uFFFD\u00e2\uFFFD\u00aeB\n/);
  });
});
