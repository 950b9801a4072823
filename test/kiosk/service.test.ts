/**
 * hardware/systemd/: the unit a desk installs to run `proofdesk run` as a system service, its example config and
 * its sysusers file, checked against what they rely on — the udev rules' group, the real `proofdesk run` options,
 * the config loader, the paths and modes the docs give, BENCHMARKS.md's memory settings — and by systemd's own
 * tools where the machine has them. Then the kiosk is started the way the unit starts it (its command line,
 * environment and umask, as an unprivileged user when the test runs as root) on the example config moved into a
 * temporary root: it must come up on a root-owned trust store, keep its records owner-only, survive the reload
 * signal and stop in time.
 *
 * Not covered (no systemd as PID 1 here): the sandbox itself (IPAddressDeny, DeviceAllow, ProtectSystem) at run time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/kiosk/config.js';
import { SYSTEM_STORE_DIR } from '../../src/trust/store.js';
import { ROOT, tempDir } from './helpers.js';

const MAIN = path.join(ROOT, 'dist/cli/main.js');
const UNIT_FILE = path.join(ROOT, 'hardware/systemd/proofdesk.service');
const EXAMPLE = path.join(ROOT, 'hardware/systemd/kiosk.example.yaml');
const SYSUSERS = path.join(ROOT, 'hardware/systemd/proofdesk.sysusers');
const read = (p: string): string => readFileSync(path.join(ROOT, p), 'utf8');

/** A unit file as systemd reads it: sections of `Key=value`, a key given again adds a value; `#` / `;` comments. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    expect(line, `line ${i + 1}: no continuation lines`).not.toMatch(/\\$/);
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1} is not Key=value inside a section: ${raw}`);
    current.set(kv[1]!, [...(current.get(kv[1]!) ?? []), kv[2]!]);
  }
  return sections;
}

const unit = parseUnit(readFileSync(UNIT_FILE, 'utf8'));
const PURGE_FILE = path.join(ROOT, 'hardware/systemd/proofdesk-purge.service');
const TIMER_FILE = path.join(ROOT, 'hardware/systemd/proofdesk-purge.timer');
const purge = parseUnit(readFileSync(PURGE_FILE, 'utf8')).get('Service')!;
const timer = parseUnit(readFileSync(TIMER_FILE, 'utf8'));
const service = unit.get('Service')!;
/** The one value of a key (the test fails if it is absent or given twice). */
function one(key: string, section = service): string {
  const v = section.get(key);
  expect(v, `${key}= given exactly once`).toHaveLength(1);
  return v![0]!;
}
const all = (key: string, section = service): string[] => (section.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);

/** ExecStart split into the program and the `proofdesk run` arguments. */
function execStart(): { program: string[]; args: string[] } {
  const words = one('ExecStart').split(/\s+/);
  const run = words.indexOf('run');
  expect(run, 'ExecStart runs `proofdesk run`').toBeGreaterThan(0);
  expect(words[run - 1]).toBe('proofdesk');
  return { program: words.slice(0, run), args: words.slice(run + 1) };
}
const configPath = (): string => {
  const { args } = execStart();
  return args[args.indexOf('--config') + 1]!;
};

/** The group the udev rules give the devices (one group for all of them). */
function udevGroup(): string {
  const groups = new Set<string>();
  for (const f of readdirSync(path.join(ROOT, 'hardware/udev')).filter((n) => n.endsWith('.rules'))) {
    for (const m of read(`hardware/udev/${f}`).matchAll(/GROUP="([^"]+)"/g)) groups.add(m[1]!);
  }
  expect(groups.size).toBe(1);
  return [...groups][0]!;
}

/** Whether a systemd tool is on PATH. With CI=true a missing one fails the run (npm run setup installs systemd). */
function onPath(cmd: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!found && process.env.CI === 'true') {
    it(`${cmd} is required (CI=true)`, () => {
      throw new Error(`CI=true and ${cmd} is missing (Debian package systemd: npm run setup installs it)`);
    });
  }
  return found;
}

const temps: Array<{ remove(): void }> = [];
afterEach(() =>
  temps.splice(0).forEach((t) => {
    t.remove();
  }),
);
function tmp(prefix: string): string {
  const t = tempDir(prefix);
  temps.push(t);
  return t.dir;
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` first (npm test does)`);
});

describe('hardware/systemd/proofdesk.service', () => {
  it("runs as the dedicated user whose group is the udev rules' device group; the sysusers file makes that user", () => {
    const group = udevGroup();
    expect(one('User')).toBe('proofdesk');
    expect(one('Group')).toBe(group);
    expect(read('hardware/systemd/proofdesk.sysusers')).toMatch(/^u\s+proofdesk\s+-\s+"[^"]+"\s+\/nonexistent\s+\/usr\/sbin\/nologin\s*$/m);
    expect(read('docs/scanners.md')).toContain(`groupadd --system ${group}`);
  });

  it('ExecStart is `proofdesk run` with options `proofdesk run --help` lists, and the config path the docs use', () => {
    const { program, args } = execStart();
    expect(program).toEqual(['/usr/bin/env', 'proofdesk']);
    const help = spawnSync('node', [MAIN, 'run', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const options = args.filter((a) => a.startsWith('--'));
    expect(options).toEqual(['--config', '--no-stdin']);
    for (const opt of options) expect(help.stdout, `${opt} in proofdesk run --help`).toMatch(new RegExp(`^\\s+${opt}\\b`, 'm'));
    expect(help.stdout).not.toMatch(/^\s+--not-an-option\b/m); // the check itself can fail
    expect(configPath()).toBe('/etc/proofdesk/kiosk.yaml');
    // docs/kiosk-config.md's example is "/etc/proofdesk/kiosk.yaml"; so is the example's own first line.
    expect(read('docs/kiosk-config.md')).toMatch(/```yaml\n# \/etc\/proofdesk\/kiosk\.yaml /);
    expect(readFileSync(EXAMPLE, 'utf8').split('\n')[0]).toMatch(/^# \/etc\/proofdesk\/kiosk\.yaml /);
    // run.ts handles the reload and stop signals the unit sends.
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(one('KillSignal')).toBe('SIGTERM');
    const runSource = read('src/cli/run.ts');
    expect(runSource).toMatch(/process\.on\('SIGHUP'/);
    expect(runSource).toMatch(/process\.once\('SIGTERM'/);
    expect(one('Restart')).toBe('on-failure');
  });

  it("stops within TimeoutStopSec: the kiosk's own shutdown deadline is well inside it", () => {
    const timeout = Number(one('TimeoutStopSec'));
    const deadlineMs = Number(/const SHUTDOWN_DEADLINE_MS = (\d+);/.exec(read('src/cli/run.ts'))?.[1]);
    expect(deadlineMs).toBeGreaterThan(0);
    expect(timeout * 1000).toBeGreaterThanOrEqual(2 * deadlineMs);
    expect(timeout).toBeLessThanOrEqual(10);
    expect(read('docs/kiosk-config.md')).toMatch(/stop the kiosk within about two\s+seconds/);
  });

  it("records: systemd makes the record folder the docs name, owner-only as docs/records.md requires; the trust store stays root's", () => {
    const cfg = loadConfig(EXAMPLE);
    expect(one('StateDirectory')).toBe('proofdesk/records');
    expect(`/var/lib/${one('StateDirectory')}`).toBe(cfg.records.dir);
    expect(one('StateDirectoryMode')).toBe('0700');
    expect(read('docs/records.md')).toContain('Inside the store folder (mode `0700`)');
    expect(one('UMask')).toBe('0077');
    // The trust store is the parent, the documented system store, written by an administrator and read-only here.
    expect(cfg.trust.store).toBe(SYSTEM_STORE_DIR);
    expect(path.dirname(cfg.records.dir!)).toBe(SYSTEM_STORE_DIR);
    expect(read('docs/trust.md')).toMatch(/\| packaged system service \| `\/var\/lib\/proofdesk` /);
    expect(one('ProtectSystem')).toBe('strict');
    expect(service.has('ReadWritePaths')).toBe(false); // StateDirectory= alone is writable: not the trust store
    // The personal-copy key lives in the config folder, not beside the records (docs/records.md).
    expect(path.dirname(cfg.records.personalCopy!.keyFile)).toBe(path.dirname(configPath()));
    expect(read('docs/records.md')).toMatch(/The key\s+lives in the config folder by default, not beside the records/);
  });

  it('the example config validates with the real loader and suits a service (no stdin, no terminal, web on)', () => {
    const cfg = loadConfig(EXAMPLE);
    expect(cfg.scanners.stdin).toBe(false);
    expect(cfg.displays.terminal).toBe('off');
    expect(cfg.displays.web).toEqual({ enabled: true, port: 7169 });
    expect(cfg.bridges).toEqual([{ path: 'auto', name: 'counter box' }]);
    expect(cfg.trust.keys).toBeUndefined();
    // Every path is absolute: a service does not depend on where the config file was copied from.
    for (const p of [cfg.trust.store, cfg.records.dir, cfg.records.personalCopy?.keyFile])
      expect(readFileSync(EXAMPLE, 'utf8')).toContain(` ${p}`);
  });

  it('offline by design, enforced: loopback IP only, the socket families named, no private network', () => {
    expect(one('IPAddressDeny')).toBe('any');
    expect(one('IPAddressAllow')).toBe('localhost');
    expect(all('RestrictAddressFamilies').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_UNIX']);
    expect(service.has('PrivateNetwork')).toBe(false); // would hide 127.0.0.1:7169 from the desk's browser
    expect(read('src/screen/web/server.ts')).toContain("server.listen(opts.port, '127.0.0.1'");
  });

  it('devices: scanners, bridge and USB nodes the udev rules hand over are allowed; their modules are loaded first', () => {
    expect(service.get('PrivateDevices') ?? ['no']).toEqual(['no']);
    expect(one('DevicePolicy')).toBe('closed');
    const allowed = new Map((service.get('DeviceAllow') ?? []).map((v) => v.split(/\s+/) as [string, string]));
    // What the udev rules give the group: tty (USB-CDC ttyACM, USB-serial ttyUSB), hidraw, the USB device node.
    const rules = readdirSync(path.join(ROOT, 'hardware/udev'))
      .filter((n) => n.endsWith('.rules'))
      .map((f) => read(`hardware/udev/${f}`))
      .join('\n');
    const ruleLines = rules.split('\n').filter((l) => !l.trimStart().startsWith('#') && l.includes('GROUP='));
    const subsystems = new Set(ruleLines.map((l) => /\bSUBSYSTEM=="(\w+)"/.exec(l)![1]!));
    expect([...subsystems].sort()).toEqual(['hidraw', 'tty', 'usb']);
    const groups: Record<string, string[]> = { tty: ['char-ttyACM', 'char-ttyUSB'], hidraw: ['char-hidraw'], usb: ['char-usb_device'] };
    for (const s of subsystems) for (const g of groups[s]!) expect(allowed.get(g), g).toBe('rw');
    expect(allowed.size).toBe(4);
    // Device groups resolve only when the unit starts (systemd.resource-control(5)): their modules must be loaded.
    const unitSection = unit.get('Unit')!;
    for (const mod of ['cdc_acm', 'usbserial']) {
      expect(all('Wants', unitSection)).toContain(`modprobe@${mod}.service`);
      expect(all('After', unitSection)).toContain(`modprobe@${mod}.service`);
    }
  });

  it('hardening: no privileges, read-only system, no home, private /tmp; memory settings from BENCHMARKS.md', () => {
    for (const [k, v] of Object.entries({
      NoNewPrivileges: 'yes',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      CapabilityBoundingSet: '',
      RestrictSUIDSGID: 'yes',
      SystemCallArchitectures: 'native',
    })) {
      expect(one(k), k).toBe(v);
    }
    expect(service.has('MemoryDenyWriteExecute')).toBe(false); // V8's JIT
    const env = service.get('Environment') ?? [];
    expect(env).toEqual([
      'NODE_OPTIONS=--max-semi-space-size=1',
      'MALLOC_ARENA_MAX=2',
      'MALLOC_MMAP_THRESHOLD_=65536',
      'MALLOC_TRIM_THRESHOLD_=131072',
    ]);
    // The figures behind them say so, and `npm start` (the README's first command) runs the kiosk the same way.
    const bench = read('BENCHMARKS.md');
    for (const e of env) expect(bench).toContain(`Environment=${e}`);
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    for (const e of env.filter((x) => x.startsWith('MALLOC_'))) expect(start).toContain(`${e} `);
    expect(start).toContain('node --max-semi-space-size=1 dist/cli/main.js run');
  });

  it('proofdesk-purge.service: the same user, record folder and config; `proofdesk records purge` options that exist; nightly, catching up', () => {
    for (const key of ['User', 'Group', 'StateDirectory', 'StateDirectoryMode', 'UMask']) expect(one(key, purge), key).toBe(one(key));
    const words = one('ExecStart', purge).split(/\s+/);
    expect(words.slice(0, 4)).toEqual(['/usr/bin/env', 'proofdesk', 'records', 'purge']);
    expect(words.slice(4)).toEqual(['--config', configPath()]);
    const help = spawnSync('node', [MAIN, 'records', 'purge', '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/^\s+--config\b/m);
    expect(one('Type', purge)).toBe('oneshot');
    expect(one('PrivateNetwork', purge)).toBe('yes');
    expect(one('OnCalendar', timer.get('Timer')!)).toMatch(/^\*-\*-\* \d\d:\d\d:\d\d$/);
    expect(one('Persistent', timer.get('Timer')!)).toBe('yes');
    expect(one('WantedBy', timer.get('Install')!)).toBe('timers.target');
  });

  it("hardware/README.md's install steps use the files, paths and user the units and the example use", () => {
    const doc = read('hardware/README.md');
    const section = doc.slice(doc.indexOf('## Running as a service'));
    const cfg = loadConfig(EXAMPLE);
    expect(section).toContain(`install -D -m 0644 hardware/systemd/kiosk.example.yaml ${configPath()}`);
    expect(section).toContain(`trust init --root root.public.jwk --store ${cfg.trust.store}`);
    expect(section).toContain(`trust import bundle-0001.jws --store ${cfg.trust.store}`);
    expect(section).toContain(
      `head -c 32 /dev/urandom > ${cfg.records.personalCopy!.keyFile}) && chown ${one('User')}:${one('Group')} ${cfg.records.personalCopy!.keyFile}`,
    );
    expect(section).toContain('cp hardware/systemd/proofdesk.sysusers /etc/sysusers.d/proofdesk.conf');
    for (const f of readdirSync(path.join(ROOT, 'hardware/udev')).filter((n) => n.endsWith('.rules')))
      expect(section).toContain(`hardware/udev/${f}`);
    for (const f of ['proofdesk.service', 'proofdesk-purge.service', 'proofdesk-purge.timer'])
      expect(section).toContain(`hardware/systemd/${f}`);
    expect(section).toContain('systemctl enable --now proofdesk proofdesk-purge.timer');
    expect(section).toContain("journalctl -u proofdesk -o cat | grep 'proofdesk ready'");
  });

  const analyze = onPath('systemd-analyze');
  it.skipIf(!analyze)(
    `systemd-analyze verify finds nothing to say about it, and would about a misspelt key${analyze ? '' : ' (skipped: systemd-analyze not installed)'}`,
    () => {
      const dir = tmp('unit');
      const verify = (text: string) => {
        writeFileSync(path.join(dir, 'proofdesk.service'), text);
        const r = spawnSync('systemd-analyze', ['verify', path.join(dir, 'proofdesk.service')], { encoding: 'utf8' });
        return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
      };
      const text = readFileSync(UNIT_FILE, 'utf8');
      expect(verify(text)).toEqual({ status: 0, out: '' });
      const both = spawnSync('systemd-analyze', ['verify', PURGE_FILE, TIMER_FILE], { encoding: 'utf8' });
      expect({ status: both.status, out: `${both.stdout}${both.stderr}`.trim() }).toEqual({ status: 0, out: '' });
      const typo = verify(text.replace(/^ProtectSystem=strict$/m, 'ProtectSytem=strict'));
      expect(typo.out).toContain("Unknown key 'ProtectSytem'");
    },
  );

  it.skipIf(!analyze)(
    `systemd-analyze security rates its exposure OK (at most 2.0 of 10)${analyze ? '' : ' (skipped: systemd-analyze not installed)'}`,
    () => {
      const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT_FILE], { encoding: 'utf8' });
      const score = /Overall exposure level for proofdesk\.service: ([\d.]+)/.exec(r.stdout)?.[1];
      expect(score, r.stdout + r.stderr).toBeDefined();
      expect(Number(score)).toBeLessThanOrEqual(2.0);
      const p = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', PURGE_FILE], { encoding: 'utf8' });
      expect(Number(/Overall exposure level for proofdesk-purge\.service: ([\d.]+)/.exec(p.stdout)?.[1])).toBeLessThanOrEqual(1.0);
    },
  );

  const sysusers = onPath('systemd-sysusers');
  it.skipIf(!sysusers)(
    `systemd-sysusers makes the proofdesk user and group from proofdesk.sysusers, or reuses a group made by groupadd${sysusers ? '' : ' (skipped: systemd-sysusers not installed)'}`,
    () => {
      for (const group of ['', 'proofdesk:x:990:\n']) {
        const root = tmp('sysusers');
        mkdirSync(path.join(root, 'etc'));
        writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
        writeFileSync(path.join(root, 'etc/group'), `root:x:0:\n${group}`);
        const r = spawnSync('systemd-sysusers', [`--root=${root}`, SYSUSERS], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        const user = readFileSync(path.join(root, 'etc/passwd'), 'utf8')
          .split('\n')
          .find((l) => l.startsWith('proofdesk:'))!
          .split(':');
        const gid = readFileSync(path.join(root, 'etc/group'), 'utf8')
          .split('\n')
          .find((l) => l.startsWith('proofdesk:'))!
          .split(':')[2];
        expect(user[3]).toBe(gid); // primary group = the udev group
        if (group) expect(gid).toBe('990');
        expect(user.slice(5)).toEqual(['/nonexistent', '/usr/sbin/nologin']);
      }
    },
  );
});

describe('the kiosk started as the unit starts it', () => {
  it('comes up on a root-owned trust store as an unprivileged user, records owner-only, survives SIGHUP, takes the nightly purge, stops in time on SIGTERM', async () => {
    const root = tmp('service-root');
    const asRoot = process.getuid?.() === 0;
    // As root without setpriv the kiosk would run as root and the ownership checks below would prove nothing.
    if (asRoot && !onPath('setpriv'))
      throw new Error('running as root but setpriv (util-linux) is missing: cannot run the kiosk as an unprivileged user');
    // Unprivileged as the service is: as root, run as nobody (65534), like `User=` with its own uid.
    const uid = asRoot ? 65534 : process.getuid!();
    const gid = asRoot ? 65534 : process.getgid!();
    const at = (p: string) => path.join(root, p);
    // The example config with its absolute paths moved under the temporary root.
    const config = readFileSync(EXAMPLE, 'utf8')
      .replaceAll('/var/lib/proofdesk', at('var/lib/proofdesk'))
      .replaceAll('/etc/proofdesk', at('etc/proofdesk'));
    mkdirSync(at('etc/proofdesk'), { recursive: true, mode: 0o755 });
    writeFileSync(at('etc/proofdesk/kiosk.yaml'), config, { mode: 0o644 });
    spawnSync('chmod', ['-R', 'a+rX', root]);

    // The administrator's steps (hardware/README.md), as root with the usual umask: trust init and import.
    const store = at('var/lib/proofdesk');
    for (const args of [
      ['trust', 'init', '--root', 'examples/demo-root.public.jwk'],
      ['trust', 'import', 'examples/demo-bundle.jws'],
    ]) {
      const r = spawnSync('sh', ['-c', 'umask 022 && exec "$@"', 'sh', 'node', MAIN, ...args, '--store', store], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
    }
    // The personal-copy key, made as the README says, given to the service user.
    const key = at('etc/proofdesk/records.key');
    expect(spawnSync('sh', ['-c', `umask 077 && head -c 32 /dev/urandom > '${key}'`]).status).toBe(0);
    // What systemd does for StateDirectory=proofdesk/records with StateDirectoryMode=0700 and User=.
    const records = at('var/lib/proofdesk/records');
    mkdirSync(records, { mode: 0o700 });
    if (asRoot) for (const p of [records, key]) chownSync(p, uid, gid);

    // ExecStart, with `proofdesk` = the built CLI and `--port 0` (other tests may hold 7169); the unit's umask and
    // Environment=; stdin /dev/null as systemd gives a service.
    const { args } = execStart();
    const argv = ['node', MAIN, 'run', ...args.map((a) => (a === configPath() ? at('etc/proofdesk/kiosk.yaml') : a)), '--port', '0'];
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' };
    for (const e of service.get('Environment') ?? []) env[e.slice(0, e.indexOf('='))] = e.slice(e.indexOf('=') + 1);
    const wrapped = ['sh', '-c', `umask ${one('UMask')} && exec "$@"`, 'sh', ...argv];
    const cmd = asRoot ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', ...wrapped] : wrapped;
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.on('exit', (code) => resolve({ code, at: Date.now() })),
    );
    try {
      const deadline = Date.now() + 30_000;
      // A service's stdout goes to the journal: the ready line names the link file, and holds no token.
      while (
        !/^proofdesk ready: http:\/\/127\.0\.0\.1:\d+\/ — the page's link \(with its token\) is in .*status-page-link\.html$/m.test(stdout)
      ) {
        if (child.exitCode !== null) throw new Error(`kiosk exited ${child.exitCode}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`no ready line: ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(stdout)![1]);
      // The lasting token is in the record folder's link file (owner-only: checked below), never in the journal.
      const token = /[?&]token=([A-Za-z0-9_-]{32})/.exec(readFileSync(path.join(records, 'status-page-link.html'), 'utf8'))![1]!;
      expect(stdout + stderr).not.toContain(token);
      // Standard error: pino's JSON lines, one plain line naming the trust store in use, and (this store holds the
      // example bundle) one saying the desk trusts the DEMO keys.
      const lines = stderr.split('\n').filter(Boolean);
      expect(lines.filter((l) => !l.startsWith('{'))).toEqual([
        `proofdesk: trusting the trust store ${store}`,
        expect.stringMatching(/^proofdesk: warning: this desk trusts the DEMO keys/),
      ]);
      const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logs.find((l) => l.event === 'ready')).toMatchObject({ demo: true, purpose: 'work', trust: 'trust store' });

      // The record folder and everything in it: owner-only, the service user's.
      for (const name of ['', ...readdirSync(records)]) {
        const st = statSync(path.join(records, name));
        expect(st.mode & 0o077, `${name || 'records'} mode ${(st.mode & 0o777).toString(8)}`).toBe(0);
        expect(st.uid).toBe(uid);
      }
      // The trust store is untouched: still root's (or the tester's), world-readable, nothing written by the kiosk.
      for (const name of readdirSync(store).filter((n) => n !== 'records'))
        expect(statSync(path.join(store, name)).uid).toBe(process.getuid!());

      // ExecReload: SIGHUP re-reads trust; the kiosk must not die of it.
      child.kill('SIGHUP');
      await new Promise((r) => setTimeout(r, 500));
      expect(child.exitCode).toBeNull();
      // It still answers. The example config's bridge box is not plugged in here, so the desk says no scanner is connected.
      const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { ok: boolean; problems: string[] };
      expect(health.ok).toBe(false);
      expect(health.problems.join(' ')).toMatch(/No scanner is connected|No scanner is set up/);

      // proofdesk-purge.service's command, as the same user, while the kiosk holds the store: the kiosk does it.
      const purgeArgv = one('ExecStart', purge)
        .split(/\s+/)
        .slice(2)
        .map((a) => (a === configPath() ? at('etc/proofdesk/kiosk.yaml') : a));
      const purgeCmd = [...(asRoot ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups'] : []), 'node', MAIN, ...purgeArgv];
      const purged = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(purgeCmd[0]!, purgeCmd.slice(1), { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (c: Buffer) => (out += c.toString()));
        p.stderr.on('data', (c: Buffer) => (out += c.toString()));
        p.on('exit', (code) => resolve({ code, out }));
      });
      expect(purged.out).toMatch(
        new RegExp(`^removed 0 expired checks \\(done by process ${child.pid}, the kiosk holding the store\\)\n$`),
      );
      expect(purged.code).toBe(0);

      // KillSignal=SIGTERM: exit 0 well within TimeoutStopSec.
      const sent = Date.now();
      child.kill('SIGTERM');
      const done = await exit;
      expect(done.code).toBe(0);
      // run's shutdown deadline exits 0 too when close() hangs: the kiosk must have stopped by itself.
      expect(stderr).toContain('"event":"stopped"');
      expect(stderr).not.toContain('"event":"stop-deadline"');
      expect(done.at - sent).toBeLessThan(Number(one('TimeoutStopSec')) * 1000);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
