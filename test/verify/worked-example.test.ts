/** docs/credential-format.md's worked example is real: its text verifies and re-encodes to the same COSE bytes. */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { base45Decode } from '../../src/credential/base45.js';
import { zlibInflate } from '../../src/credential/compress.js';
import { encodeCredential } from '../../src/credential/encode.js';
import { keySetFromJwks } from '../../src/trust/keyset.js';
import { verify } from '../../src/verify/verify.js';

const doc = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/credential-format.md'), 'utf8');
const example = doc.slice(doc.indexOf('## Worked example'));
const text = /```text\n([^\n]+)\n```/.exec(example)?.[1];

// RFC 8032 §7.1 TEST 1 (a published test key).
const D = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const X = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const b64u = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

describe('worked example in docs/credential-format.md', () => {
  it('verifies, at a rent desk, with the documented fields', async () => {
    expect(text).toBeDefined();
    expect(text!.length).toBe(377);
    const keys = await keySetFromJwks({ kty: 'OKP', crv: 'Ed25519', x: b64u(X), kid: 'example-2026' });
    const v = verify(text!, { keys, now: Date.UTC(2026, 2, 1), purpose: 'rent' });
    expect(v).toMatchObject({
      verdict: 'VALID',
      verifiedBy: 'example-2026',
      cwt: { iss: 'https://issuer.example', iat: 1767225600, exp: 1782864000 },
      identity: { id: 'EX-0001', fullName: 'Sam Example', dateOfBirth: '19900101' },
      status: {
        scheme: 'EUSS',
        statusType: 'indefinite',
        validFrom: '2021-06-30',
        work: { kind: 'unrestricted' },
        rent: true,
        publicFunds: true,
        purpose: 'rent',
        holderRef: 'HR-1',
        document: { type: 'passport', reference: '…4821' },
      },
      statusList: { idx: 7, uri: 'https://status.example/1' },
    });
  });

  it('is what encodeCredential makes from the documented claims (Ed25519 is deterministic)', () => {
    const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64u(D), x: b64u(X) }, format: 'jwk' });
    const made = encodeCredential(
      {
        identity: { id: 'EX-0001', fullName: 'Sam Example', dateOfBirth: '19900101' },
        status: {
          scheme: 'EUSS',
          statusType: 'indefinite',
          validFrom: '2021-06-30',
          work: { kind: 'unrestricted' },
          rent: true,
          publicFunds: true,
          purpose: 'rent',
          holderRef: 'HR-1',
          document: { type: 'passport', reference: '…4821' },
        },
        statusList: { idx: 7, uri: 'https://status.example/1' },
        cwt: { iss: 'https://issuer.example', iat: 1767225600, exp: 1782864000 },
      },
      { key, alg: 'EdDSA', kid: 'example-2026' },
    );
    const cose = Buffer.from(zlibInflate(base45Decode(made)));
    expect(cose).toEqual(Buffer.from(zlibInflate(base45Decode(text!))));
    expect(cose.toString('hex')).toContain('8cc48f79b28d89d766c8996dbc43aa4edf73f3ac8c8b1d90140bb437b70a4d0b');
  });
});
