import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectUsageError, requireBuiltCli, runCli, tempDir } from './run-cli.js';

// Each case spawns the CLI several times; a loaded 2-core machine can take seconds per spawn.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });
const tmp = tempDir();
beforeAll(requireBuiltCli);
afterAll(tmp.cleanup);

describe('proofdesk keys generate', () => {
  it('writes PREFIX.private.jwk with mode 0600 and PREFIX.public.jwk without private members (EdDSA default)', async () => {
    const prefix = join(tmp.dir, 'issuer');
    const r = await runCli(['keys', 'generate', '--out', prefix]);
    expect(r.code).toBe(0);
    expect(statSync(`${prefix}.private.jwk`).mode & 0o777).toBe(0o600);
    expect(statSync(`${prefix}.public.jwk`).mode & 0o777).toBe(0o644);
    const priv = JSON.parse(readFileSync(`${prefix}.private.jwk`, 'utf8'));
    const pub = JSON.parse(readFileSync(`${prefix}.public.jwk`, 'utf8'));
    expect(priv).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(typeof priv.d).toBe('string');
    expect(pub.d).toBeUndefined();
    expect(pub.x).toBe(priv.x);
    expect(pub.kid).toBe(priv.kid);
    expect(pub.kid).toHaveLength(11);
    expect(r.stdout).toContain(pub.kid);
  });

  it('makes ES256 (P-256) keys with a chosen kid', async () => {
    const prefix = join(tmp.dir, 'p256');
    const r = await runCli(['keys', 'generate', '--alg', 'ES256', '--kid', 'issuer-2026-a', '--out', prefix]);
    expect(r.code).toBe(0);
    const pub = JSON.parse(readFileSync(`${prefix}.public.jwk`, 'utf8'));
    expect(pub).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: 'issuer-2026-a' });
    expect(typeof pub.y).toBe('string');
    expect(statSync(`${prefix}.private.jwk`).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace an existing key (exit 2, one line) and replaces it with --force, still 0600', async () => {
    const prefix = join(tmp.dir, 'again');
    expect((await runCli(['keys', 'generate', '--out', prefix])).code).toBe(0);
    const before = readFileSync(`${prefix}.private.jwk`, 'utf8');
    expectUsageError(await runCli(['keys', 'generate', '--out', prefix]), /already exists/);
    expect(readFileSync(`${prefix}.private.jwk`, 'utf8')).toBe(before);
    expect((await runCli(['keys', 'generate', '--out', prefix, '--force'])).code).toBe(0);
    expect(readFileSync(`${prefix}.private.jwk`, 'utf8')).not.toBe(before);
    expect(statSync(`${prefix}.private.jwk`).mode & 0o777).toBe(0o600);
  });

  it('rejects an unknown algorithm, a bad kid and a missing --out as usage errors', async () => {
    expectUsageError(await runCli(['keys', 'generate', '--alg', 'RS256', '--out', join(tmp.dir, 'x')]), /RS256|alg/);
    expectUsageError(await runCli(['keys', 'generate', '--kid', 'has space', '--out', join(tmp.dir, 'y')]), /kid/);
    expectUsageError(await runCli(['keys', 'generate']), /--out/);
    expectUsageError(await runCli(['keys', 'generate', '--out', join(tmp.dir, 'no-such-dir', 'k')]), /cannot create/);
  });
});
