/**
 * README's first code block against what CI runs and what `npm run setup` does: the install-and-start command
 * first, the test command second; `.ci/run` runs exactly that test command (and installs nothing itself); setup
 * lists what a bare machine lacks, with the reason, and the one command that installs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SETUP = path.join(ROOT, 'scripts/setup.sh');

function firstBlock(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README.md starts with a sh block').toBeDefined();
  return block!
    .trim()
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim());
}

describe("README's two commands", () => {
  it('install and start first, then the tests', () => {
    const [start, test, ...rest] = firstBlock();
    expect(rest).toEqual([]);
    expect(start).toBe('npm ci && npm start');
    expect(test).toMatch(/^npm ci && npm run setup && npm test$/);
  });

  it('.ci/run runs exactly the test command, with CI=true, and installs nothing else', () => {
    const test = firstBlock()[1]!;
    const lines = readFileSync(path.join(ROOT, '.ci/run'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    const code = lines.filter((l) => l !== '' && !l.startsWith('#'));
    expect(code).toContain(test);
    expect(code).toContain('export CI=true');
    expect(code.indexOf('export CI=true')).toBeLessThan(code.indexOf(test));
    expect(code.filter((l) => /apt-get|apt |dpkg|npm (ci|install|i) /.test(l) && l !== test)).toEqual([]);
  });

  it('package.json runs scripts/setup.sh as `npm run setup`', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.setup).toBe('bash scripts/setup.sh');
  });
});

describe('npm run setup', () => {
  // A PATH with only bash and node on it: every tool looks missing, as on a bare machine.
  const bare = mkdtempSync(path.join(tmpdir(), 'proofdesk-setup-'));
  afterAll(() => rmSync(bare, { recursive: true, force: true }));
  for (const tool of ['bash', 'node']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, path.join(bare, tool));
  }

  it('--check on a bare PATH lists the missing packages with the reason, and the command to install them', () => {
    const r = spawnSync(path.join(bare, 'bash'), [SETUP, '--check'], { encoding: 'utf8', env: { PATH: bare } });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^setup: missing on this machine \(Debian packages\):$/m);
    expect(r.stdout).toMatch(/^ {2}socat +serial scanner and bridge tests: real pseudo-terminal pairs$/m);
    expect(r.stdout).toMatch(/^ {2}qemu-system-arm +firmware: /m);
    expect(r.stdout).toMatch(/^ {2}chromium +web screen tests/m);
    const install = /^setup: to install them: sudo apt-get update && sudo apt-get install -y -q --no-install-recommends (.+)$/m.exec(
      r.stdout,
    );
    expect(install, r.stdout).not.toBeNull();
    expect(install![1]!.split(' ')).toEqual(
      expect.arrayContaining(['socat', 'gcc-arm-none-eabi', 'qemu-system-arm', 'chromium', 'strace', 'poppler-utils']),
    );
  });

  const here = spawnSync('bash', [SETUP, '--check'], { encoding: 'utf8' });
  const lacking = here.status !== 0 && process.env.CI !== 'true';
  it.skipIf(lacking)(
    `on this machine: nothing to install (with CI=true, after setup ran, there must be nothing)${lacking ? ' (SKIPPED: this machine lacks test packages: npm run setup)' : ''}`,
    () => {
      expect(here.stdout + here.stderr).toBe('setup: nothing to install (every package the tests need is present)\n');
      expect(here.status).toBe(0);
    },
  );

  it('refuses an unknown argument', () => {
    const r = spawnSync('bash', [SETUP, '--yes'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run setup/);
  });
});
