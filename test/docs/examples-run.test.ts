/**
 * README's promise that the `proofdesk …` examples run as written: `npx proofdesk` from the checkout, and
 * `npm link` (here into a temporary npm prefix) putting `proofdesk` on PATH; then docs/trust.md's two sh blocks
 * run line by line through a shell, exactly as a reader would paste them. Needs dist/ (npm test builds it first).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'dist/cli/main.js');
const built = existsSync(MAIN);
if (!built && process.env.CI === 'true') throw new Error('CI=true but dist/cli/main.js is missing: run npm run build first');

/** The sh blocks under a heading of a markdown file, each as its lines. */
function shBlocks(file: string, heading: string): string[][] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  expect(at, `${file} has a "## ${heading}" section`).toBeGreaterThan(-1);
  const section = text.slice(at + 1).split(/\n## /)[0]!;
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trimEnd().split('\n'));
}

describe.skipIf(!built)(`README and docs examples, run as written${built ? '' : ' (SKIPPED: dist/ not built, npm run build)'}`, () => {
  const home = mkdtempSync(path.join(tmpdir(), 'proofdesk-examples-'));
  const prefix = path.join(home, 'npm-prefix');
  const PATH = `${path.join(prefix, 'bin')}:${process.env.PATH ?? ''}`;
  const npmEnv = { ...process.env, PATH, npm_config_prefix: prefix, npm_config_offline: 'true' };
  /** A reader's own machine: their home and XDG folders (the trust store lands there), one per test. */
  const reader = (name: string) => {
    const dir = path.join(home, name);
    mkdirSync(dir);
    const env = { ...npmEnv, HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config') };
    return {
      dir,
      sh: (line: string, cwd: string): SpawnSyncReturns<string> =>
        spawnSync('sh', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 120_000 }),
    };
  };

  beforeAll(() => {
    const link = spawnSync('npm', ['link', '--no-fund', '--no-audit'], { cwd: ROOT, env: npmEnv, encoding: 'utf8', timeout: 120_000 });
    expect(link.status, link.stderr).toBe(0);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("`npx proofdesk` runs this checkout's CLI from its folder", () => {
    const { sh } = reader('npx');
    const r = sh('npx proofdesk verify --keys examples/demo-issuer.jwks examples/demo-valid.txt', ROOT);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VALID: /);
  });

  it('`npm link` puts `proofdesk` on PATH, pointing at this checkout', () => {
    const { sh } = reader('link');
    const which = sh('command -v proofdesk', ROOT);
    expect(which.stdout.trim()).toBe(path.join(prefix, 'bin', 'proofdesk'));
    const r = sh('proofdesk inspect examples/demo-valid.txt', ROOT);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^UNVERIFIED: /);
  });

  it('docs/trust.md quick start: pin the DEMO root, import its bundle, verify through the store, show the status', () => {
    const [quick] = shBlocks('docs/trust.md', 'Quick start (DEMO keys — never on a real kiosk)');
    const { sh } = reader('quick-start');
    const results = quick!.map((line) => ({ line, r: sh(line, ROOT) }));
    expect(results.map(({ line, r }) => `${r.status} ${line}`)).toEqual(quick!.map((line) => `0 ${line}`));
    expect(results[2]!.r.stdout).toMatch(/^VALID: /);
    expect(results[3]!.r.stdout).toMatch(/^bundle: +seq 1,/m);
  });

  it('docs/trust.md real deployment, issuer side: root and issuer keys, then a bundle signed by the root', () => {
    const [, issuer] = shBlocks('docs/trust.md', 'Quick start (DEMO keys — never on a real kiosk)');
    const { dir: work, sh } = reader('issuer');
    const ran: string[] = [];
    for (const line of issuer!) {
      if (line.startsWith('# issuers.jwks =')) {
        // the one step the doc writes as a comment: wrap the issuer's public key in a JWKS
        const pub = JSON.parse(readFileSync(path.join(work, 'issuer-2026.public.jwk'), 'utf8')) as object;
        writeFileSync(path.join(work, 'issuers.jwks'), JSON.stringify({ keys: [{ ...pub, purposes: ['all'] }] }));
        continue;
      }
      const r = sh(line, work);
      ran.push(`${r.status} ${line}${r.status === 0 ? '' : `: ${r.stderr}`}`);
    }
    expect(ran).toEqual(issuer!.filter((l) => !l.startsWith('#')).map((l) => `0 ${l}`));
    // the bundle it made is one a kiosk takes, against the root it made
    for (const line of ['proofdesk trust init --root root.public.jwk', 'proofdesk trust import bundle-0001.jws']) {
      const r = sh(line, work);
      expect(r.status, `${line}: ${r.stderr}`).toBe(0);
    }
  });
});
