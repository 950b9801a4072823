import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyBundle } from '../../src/trust/bundle.js';
import { rootFromJwk } from '../../src/trust/jwk.js';
import { keySetFromJwks } from '../../src/trust/keyset.js';
import { verify } from '../../src/verify/index.js';
import { ROOT } from './helpers.js';

const ex = (name: string) => readFileSync(join(ROOT, 'examples', name));

describe('examples/demo-root + demo-bundle', () => {
  it('the demo bundle verifies against the demo root, carries the demo issuer keys, and the demo code verifies through it', async () => {
    const root = await rootFromJwk(JSON.parse(ex('demo-root.public.jwk').toString()));
    expect(root.jwk.kid).toMatch(/^DEMO/);
    const bundle = await verifyBundle(ex('demo-bundle.jws'), root, { now: Math.floor(Date.now() / 1000) });
    const issuers = JSON.parse(ex('demo-issuer.jwks').toString()) as { keys: Array<{ x: string; kid: string }> };
    expect(bundle.keys.map((k) => [k.kid, k.x])).toEqual(issuers.keys.map((k) => [k.kid, k.x]));
    const keys = await keySetFromJwks({ keys: bundle.keys });
    expect(verify(ex('demo-valid.txt').toString().trim(), { keys }).verdict).toBe('VALID');
  });

  it('the demo private root matches the public one', async () => {
    const { signingKeyFromJwk } = await import('../../src/trust/jwk.js');
    const signer = await signingKeyFromJwk(JSON.parse(ex('demo-root.private.jwk').toString()));
    const root = await rootFromJwk(JSON.parse(ex('demo-root.public.jwk').toString()));
    expect(signer.thumbprint).toBe(root.thumbprint);
  });
});
