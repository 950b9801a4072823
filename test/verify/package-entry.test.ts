/**
 * The library API as README shows it: `import { loadKeySet, verify, inspect } from 'proofdesk'`, from another
 * project that has proofdesk in its node_modules — run by Node (ESM, the package's "exports") and type-checked by
 * tsc against the shipped declarations (strict, NodeNext). Needs the build (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let app: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'index.js')) || !existsSync(join(ROOT, 'dist', 'index.d.ts'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does it)');
  }
  // A consumer project: its own package.json, proofdesk linked into its node_modules as an installed package.
  app = mkdtempSync(join(tmpdir(), 'proofdesk-consumer-'));
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(app, 'node_modules', 'proofdesk'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
});
afterAll(() => rmSync(app, { recursive: true, force: true }));

/** README's example, with its types pinned: it must compile strict and run. */
const CONSUMER = `
import { readFileSync } from 'node:fs';
import { loadKeySet, verify, inspect, REASON_TEXT, type KeySet, type Verdict, type Decoded, type ReasonCode, type VerdictKind } from 'proofdesk';

const [jwksPath, codePath] = process.argv.slice(2) as [string, string];
const scannedText = readFileSync(codePath, 'utf8').trim();
const fromPath: KeySet = await loadKeySet(jwksPath);
const jwks = JSON.parse(readFileSync(jwksPath, 'utf8')) as { keys: object[] };
const fromObject: KeySet = await loadKeySet(jwks);
const fromJwk: KeySet = await loadKeySet(jwks.keys[0]!);

// verify is synchronous: a Verdict, not a Promise
const verdict: Verdict = verify(scannedText, { keys: fromPath, purpose: 'rent' });
const kind: VerdictKind = verdict.verdict;
const reason: ReasonCode | null = verdict.reason;
const words: string = reason === null ? 'valid' : REASON_TEXT[reason].message;
const decoded: Decoded = inspect(scannedText);
let threw = false;
try {
  verify(undefined as unknown as string, { keys: fromJwk });
  verify('HTTPS://EXAMPLE.COM', { keys: fromObject, now: 0, skewSeconds: 0 });
} catch {
  threw = true;
}
console.log(JSON.stringify({
  kind, valid: verdict.valid, reason, words, name: verdict.identity?.fullName ?? null, purpose: verdict.status?.purpose ?? null,
  verifiedBy: verdict.verifiedBy, objectKeys: fromObject.keys.length, jwkKeys: fromJwk.keys.length,
  decoded: decoded.decoded, threw,
}));
`;

describe("package entry ('proofdesk')", () => {
  it('README example type-checks (strict, NodeNext) against the shipped declarations, and runs', async () => {
    writeFileSync(join(app, 'main.ts'), CONSUMER);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        types: ['node'],
        skipLibCheck: false,
        outDir: 'out',
      },
      files: ['main.ts'],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    const compiled = await run(process.execPath, [TSC, '-p', app], { cwd: app }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(compiled).toBe(''); // no type errors

    const main = join(app, 'out', 'main.js');
    const { stdout } = await run(process.execPath, [main, join(EXAMPLES, 'demo-issuer.jwks'), join(EXAMPLES, 'demo-valid.txt')], {
      cwd: app,
    });
    expect(JSON.parse(stdout)).toEqual({
      kind: 'VALID',
      valid: true,
      reason: null,
      words: 'valid',
      name: 'Jordan Specimen',
      purpose: 'all',
      verifiedBy: 'DEMO-issuer-1',
      objectKeys: 1,
      jwkKeys: 1,
      decoded: true,
      threw: false,
    });
    const tampered = await run(process.execPath, [main, join(EXAMPLES, 'demo-issuer.jwks'), join(EXAMPLES, 'demo-tampered.txt')], {
      cwd: app,
    });
    expect(JSON.parse(tampered.stdout)).toMatchObject({
      kind: 'NOT VALID',
      valid: false,
      reason: 'SIGNATURE_INVALID',
      name: null,
      decoded: true,
    });
  }, 120_000);

  it('package.json points its main entry and types at the built index', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('proofdesk');
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
  });
});
