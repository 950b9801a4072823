/** The --json shape the CLI prints (toJson / decodedToJson). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeySet } from '../../src/trust/keyset.js';
import { inspect } from '../../src/verify/inspect.js';
import { decodedToJson, toJson } from '../../src/verify/json.js';
import { verify } from '../../src/verify/verify.js';
import { claims, issue, keySetOf, makeKey, NOW_MS, STATUS, type TestKey } from './helpers.js';

let key: TestKey;
let keys: KeySet;
beforeAll(async () => {
  key = makeKey('EdDSA', 'json-kid');
  keys = await keySetOf(key);
});

const identity = {
  id: 'ID-1',
  fullName: 'Jo Example',
  dateOfBirth: '1975-04-04',
  photo: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0),
  photoFormat: 1,
  rightThumb: [{ data: Uint8Array.of(1, 2, 3), format: 1, subFormat: 1, issuer: 'lab' }],
  face: [{ data: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), format: 0, subFormat: 1 }],
  unknown: { '99': true, '70': Uint8Array.of(1, 2, 3) },
};

describe('toJson', () => {
  it('prints the issue’s shape: keys in order, NumericDates, padded base64, biometrics, unknown keys', () => {
    const v = verify(issue(key, { identity, statusList: { idx: 3, uri: 'https://s.example/1' } }), { keys, now: NOW_MS });
    const json = toJson(v);
    expect(Object.keys(json)).toEqual([
      'valid',
      'verdict',
      'reason',
      'message',
      'alg',
      'kid',
      'cwt',
      'identity',
      'status',
      'verifiedBy',
      'statusList',
      'credentialId',
    ]);
    expect(json).toMatchObject({
      valid: true,
      verdict: 'VALID',
      reason: null,
      alg: 'EdDSA',
      kid: 'json-kid',
      verifiedBy: 'json-kid',
      statusList: { idx: 3, uri: 'https://s.example/1' },
    });
    expect(json.cwt).toEqual(claims().cwt);
    expect(json.identity).toEqual({
      id: 'ID-1',
      fullName: 'Jo Example',
      dateOfBirth: '1975-04-04',
      photo: '/9j/4A==',
      photoFormat: 1,
      rightThumb: [{ data: 'AQID', format: 1, subFormat: 1, issuer: 'lab' }],
      face: [{ data: '/9j/4AAQ', format: 0, subFormat: 1 }],
      unknown: { '70': 'AQID', '99': true },
    });
    expect(json.status).toEqual(JSON.parse(JSON.stringify(STATUS)));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('a failure carries reason, message and null data', () => {
    const json = toJson(verify('https://example.org', { keys, now: NOW_MS }));
    expect(json).toMatchObject({
      valid: false,
      verdict: 'NOT VALID',
      reason: 'NOT_A_CREDENTIAL',
      message: 'This is not a status QR code.',
      identity: null,
      status: null,
      cwt: null,
    });
  });

  it('details appear when a reason has them', () => {
    const v = verify(issue(key, { statusList: { idx: 1, uri: 'u' } }), {
      keys,
      now: NOW_MS,
      trust: { statusOf: () => ({ status: 'VALID', listIssuedAt: NOW_MS / 1000 - 10 * 86400 }), maxStatusAgeSeconds: 86400 },
    });
    expect(toJson(v).details).toEqual({ ageDays: 10 });
  });
});

describe('decodedToJson (inspect)', () => {
  it('is the same object, marked unverified and never valid', () => {
    const json = decodedToJson(inspect(issue(key, { identity })));
    expect(json).toMatchObject({
      unverified: true,
      valid: false,
      verdict: null,
      reason: null,
      alg: 'EdDSA',
      kid: 'json-kid',
      stage: null,
      signed: true,
    });
    expect((json.identity as { face: unknown }).face).toEqual([{ data: '/9j/4AAQ', format: 0, subFormat: 1 }]);
  });

  it('has every key of the verify JSON, in the same order (a tool can read both), plus unverified, stage, signed', () => {
    const text = issue(key, { identity });
    const verified = Object.keys(toJson(verify(text, { keys, now: NOW_MS })));
    const inspected = Object.keys(decodedToJson(inspect(text)));
    expect(inspected).toEqual(['unverified', ...verified, 'stage', 'signed']);
    expect(decodedToJson(inspect(text)).verifiedBy).toBeNull();
  });

  it('reports where decoding stopped', () => {
    expect(decodedToJson(inspect('AAAA'))).toMatchObject({ reason: 'BASE45_INVALID', stage: 'base45', identity: null });
  });

  it('decodes codes it could never verify (for support staff) — and says so', () => {
    const stranger = makeKey('ES256', 'not-trusted');
    const d = inspect(issue(stranger));
    expect(d).toMatchObject({ decoded: true, kid: 'not-trusted', alg: 'ES256' });
    expect(d.message).toMatch(/UNVERIFIED/);
  });
});
