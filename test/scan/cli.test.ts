/** The installer's commands, run as a real process against the compiled CLI and a real pty. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base45Text } from './fixtures.js';
import { PtyPair, ScannerEmulator, socatMissing } from './pty.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');

/** The CLI runs compiled code: rebuild when dist is missing or older than the sources (tsc emits despite others' type errors). */
function ensureBuilt(): void {
  const outputs = ['dist/cli/main.js', 'dist/cli/scanners.js', 'dist/scan/index.js'].map((p) => join(ROOT, p));
  const sources = [
    join(ROOT, 'src/cli/main.ts'),
    join(ROOT, 'src/cli/scanners.ts'),
    ...readdirSync(join(ROOT, 'src/scan')).map((f) => join(ROOT, 'src/scan', f)),
  ];
  const newest = Math.max(...sources.map((s) => statSync(s).mtimeMs));
  if (outputs.every((o) => existsSync(o) && statSync(o).mtimeMs >= newest)) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  for (const o of outputs) if (!existsSync(o)) throw new Error(`build did not produce ${o}; run npm run build and read its errors`);
}

/** node-hid as it behaves without libusb-1.0-0: the module loads, its native binding does not (lazily, on first use). */
const FAKE_NODE_HID = `const fail = () => { throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory'); };
export const setDriverType = () => undefined;
export const getHidapiVersion = fail;
export const devicesAsync = async () => fail();
export default { setDriverType, getHidapiVersion, devicesAsync };`;

const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });

beforeAll(() => ensureBuilt(), 120_000);

describe('proofdesk scanners list', () => {
  // The discovery rules themselves are checked on hand-made listings in devices.test.ts: this machine has no USB.
  it('--json prints a JSON array of devices', () => {
    const r = run('scanners', 'list', '--json');
    expect(r.status).toBe(0);
    const devices = JSON.parse(r.stdout) as Array<{ kind: string; path: string; autoDiscovered: boolean; scannerVendor?: string }>;
    expect(Array.isArray(devices)).toBe(true);
    for (const d of devices) {
      expect(['serial', 'hid']).toContain(d.kind);
      expect(typeof d.path).toBe('string');
      if (d.kind === 'serial' && !d.scannerVendor) expect(d.autoDiscovered).toBe(false);
    }
  });

  it('still works without udevadm, saying what is missing', () => {
    // An empty PATH hides udevadm from SerialPort.list(); node itself is started by absolute path.
    const r = spawnSync(process.execPath, [CLI, 'scanners', 'list', '--json'], { encoding: 'utf8', env: { ...process.env, PATH: '' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/serial ports not listed: udevadm is missing \(Debian package "udev"\)/);
    const devices = JSON.parse(r.stdout) as Array<{ kind: string }>;
    expect(devices.every((d) => d.kind === 'hid')).toBe(true);
  });

  it('still works without libusb (node-hid cannot load its binding), saying what is missing', () => {
    // A loader hook stands in for a machine without libusb-1.0-0: node-hid's binding fails to load the way dlopen
    // does there. The real module cannot be made to fail here, because the library is installed.
    const dir = mkdtempSync(join(tmpdir(), 'proofdesk-nolibusb-'));
    const hook = `export async function resolve(s, c, next) {
      if (s === 'node-hid') return { url: 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(FAKE_NODE_HID)}), shortCircuit: true };
      return next(s, c);
    }`;
    writeFileSync(join(dir, 'hook.mjs'), hook);
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});`,
    );
    try {
      for (const env of [process.env, { ...process.env, PATH: '' }]) {
        const r = spawnSync(
          process.execPath,
          ['--import', pathToFileURL(join(dir, 'register.mjs')).href, CLI, 'scanners', 'list', '--json'],
          { encoding: 'utf8', env },
        );
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toMatch(
          /HID devices not listed: node-hid could not load \(libusb-1\.0\.so\.0: cannot open shared object file.*\); on Debian install libusb-1\.0-0/,
        );
        const devices = JSON.parse(r.stdout) as Array<{ kind: string }>;
        expect(Array.isArray(devices)).toBe(true);
        expect(devices.every((d) => d.kind === 'serial')).toBe(true);
        if (env.PATH === '') {
          expect(devices).toEqual([]);
          expect(r.stderr).toMatch(/serial ports not listed: udevadm is missing/);
        }
      }
      const human = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, CLI, 'scanners', 'list'], {
        encoding: 'utf8',
        env: { ...process.env, PATH: '' },
      });
      expect(human.status).toBe(0);
      expect(human.stdout).toBe('no serial ports or HID devices found\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without --json prints one line per device (or says there are none)', () => {
    const r = run('scanners', 'list');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
  });
});

describe('proofdesk scanners test: usage errors', () => {
  it.each([
    [['scanners', 'test'], /exactly one of --serial/],
    [['scanners', 'test', '--stdin', '--serial', '/dev/null'], /exactly one of/],
    [['scanners', 'test', '--serial', '/dev/null', '--eol', 'semicolon'], /--eol must be one of/],
    [['scanners', 'test', '--serial', '/dev/null', '--baud', 'fast'], /--baud must be/],
    [['scanners', 'test', '--stdin', '--baud', '9600'], /apply to --serial only/],
    [['scanners', 'test', '--hid', '/dev/ttyS0'], /not a \/dev\/hidrawN/],
    [['scanners', 'test', '--stdin', '--layout', 'uk'], /--layout and --suffix apply to --hid only/],
    [['scanners', 'test', '--serial', '/dev/null', '--suffix', 'none'], /--layout and --suffix apply to --hid only/],
    [['scanners', 'test', '--hid', '/dev/hidraw0', '--suffix', 'space'], /--suffix must be one of enter, tab, none/],
    [['scanners', 'test', '--hid', '/dev/hidraw0', '--layout', 'de'], /--layout must be us or uk/],
  ])('%j exits 2 with one line', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--stdin --json prints scan events for piped lines and exits 0 at end of input', () => {
    const r = spawnSync(process.execPath, [CLI, 'scanners', 'test', '--stdin', '--json'], { input: 'HC1:PIPED\n', encoding: 'utf8' });
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toEqual([
      { event: 'state', state: 'connected' },
      {
        event: 'scan',
        transport: 'stdin',
        symbology: 'unknown',
        length: 9,
        sha256: createHash('sha256').update('HC1:PIPED').digest('hex'),
      },
      { event: 'state', state: 'disconnected' },
    ]);
  });
});

const skip = socatMissing();
if (skip) console.warn(`SKIP scanners test --serial CLI tests: ${skip}`);

/** A running `scanners test` process and its JSON lines as they come. */
class Watch {
  readonly events: Array<Record<string, unknown>> = [];
  stderr = '';
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        for (const w of this.waiters.splice(0)) w();
      }
    });
    child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  until(pred: (e: Array<Record<string, unknown>>) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(this.events)} ${this.stderr}`)),
        30_000,
      );
      const check = () => (pred(this.events) ? (clearTimeout(timer), resolve()) : this.waiters.push(check));
      check();
    });
  }

  count(event: string, n: number, extra: (e: Record<string, unknown>) => boolean = () => true): Promise<void> {
    return this.until((es) => es.filter((e) => e.event === event && extra(e)).length >= n, `${n} ${event}`);
  }
}

describe.skipIf(skip !== null)('proofdesk scanners test --serial through a real pty', () => {
  let pty: PtyPair;
  let emu: ScannerEmulator | undefined;
  let watch: Watch | undefined;

  afterEach(async () => {
    if (watch && watch.child.exitCode === null) {
      watch.child.kill('SIGKILL');
      await watch.exited;
    }
    await emu?.close();
    await pty.dispose();
    emu = undefined;
    watch = undefined;
  });

  it('prints scan / dropped / state events across unplug and replug, hides the text, and exits 0 on SIGINT', async () => {
    pty = new PtyPair();
    await pty.plug();
    watch = new Watch(
      spawn(process.execPath, [CLI, 'scanners', 'test', '--serial', pty.host, '--baud', '115200', '--eol', 'cr', '--json']),
    );
    await watch.count('state', 1);
    emu = await ScannerEmulator.open(pty.scanner);
    const text = base45Text(1500, 31);
    await emu.send(`]Q1${text}\r`, { chunk: 64, baud: 115200 });
    await emu.send(Buffer.from([0x00, 0x13, 0xff, 0x0d]));
    await watch.count('dropped', 1);
    expect(watch.events.slice(0, 3)).toEqual([
      { event: 'state', state: 'connected' },
      { event: 'scan', transport: 'serial', symbology: 'qr', length: 1500, sha256: createHash('sha256').update(text).digest('hex') },
      { event: 'dropped', reason: 'SCAN_NOISE' },
    ]);

    await emu.close();
    await pty.unplug();
    await watch.count('state', 1, (e) => e.state === 'reconnecting');
    await pty.plug();
    await watch.count('state', 2, (e) => e.state === 'connected');
    emu = await ScannerEmulator.open(pty.scanner);
    await emu.send('AFTER\r');
    await watch.count('scan', 2);
    expect(watch.events.slice(3).map((e) => (e.event === 'state' ? e.state : e.event))).toEqual([
      'disconnected',
      'reconnecting',
      'connected',
      'scan',
    ]);
    expect(watch.events.some((e) => 'text' in e)).toBe(false);

    watch.child.kill('SIGINT');
    expect(await watch.exited).toBe(0);
  });

  it('--show-text adds the scanned text', async () => {
    pty = new PtyPair();
    await pty.plug();
    watch = new Watch(spawn(process.execPath, [CLI, 'scanners', 'test', '--serial', pty.host, '--json', '--show-text']));
    await watch.count('state', 1);
    emu = await ScannerEmulator.open(pty.scanner);
    await emu.send('HC1:VISIBLE\r\n');
    await watch.count('scan', 1);
    expect(watch.events[1]).toMatchObject({ event: 'scan', length: 11, text: 'HC1:VISIBLE' });
    watch.child.kill('SIGINT');
    expect(await watch.exited).toBe(0);
  });
});
