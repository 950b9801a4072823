/** The trust hooks verify() applies: revocation, stale status data, clock floor, key windows and key purposes. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatusListRef } from '../../src/credential/types.js';
import type { KeySet } from '../../src/trust/keyset.js';
import type { TrustContext } from '../../src/verify/options.js';
import { verify } from '../../src/verify/verify.js';
import { issue, keySetOf, makeKey, NOW, NOW_MS, STATUS, type TestKey } from './helpers.js';

const LIST: StatusListRef = { idx: 17, uri: 'https://status.example/lists/3' };
const DAY = 86400;

let key: TestKey;
let keys: KeySet;
let text: string;
beforeAll(async () => {
  key = makeKey('ES256', 'trust-hooks');
  keys = await keySetOf(key);
  text = issue(key, { statusList: LIST });
});

function lists(status: 'VALID' | 'INVALID' | 'SUSPENDED', listIssuedAt: number, maxStatusAgeSeconds?: number): TrustContext {
  return {
    statusOf: (ref) => {
      expect(ref).toEqual(LIST);
      return { status, listIssuedAt };
    },
    ...(maxStatusAgeSeconds === undefined ? {} : { maxStatusAgeSeconds }),
  };
}

describe('revocation', () => {
  it('a revoked code is NOT VALID REVOKED, a suspended one NOT VALID SUSPENDED', () => {
    expect(verify(text, { keys, now: NOW_MS, trust: lists('INVALID', NOW) })).toMatchObject({ verdict: 'NOT VALID', reason: 'REVOKED' });
    expect(verify(text, { keys, now: NOW_MS, trust: lists('SUSPENDED', NOW) })).toMatchObject({
      verdict: 'NOT VALID',
      reason: 'SUSPENDED',
    });
    expect(verify(text, { keys, now: NOW_MS, trust: lists('VALID', NOW) })).toMatchObject({ verdict: 'VALID', reason: null });
  });

  it('revocation beats a desk that would otherwise check manually, and beats purpose policy', () => {
    const pending = issue(key, { statusList: LIST, status: { ...STATUS, statusType: 'pending' } });
    expect(verify(pending, { keys, now: NOW_MS, purpose: 'work', trust: lists('INVALID', NOW) }).reason).toBe('REVOKED');
    expect(verify(pending, { keys, now: NOW_MS, purpose: 'work', trust: lists('VALID', NOW) }).reason).toBe('PENDING_APPLICATION');
  });

  it('status data older than maxStatusAgeSeconds turns VALID into CHECK MANUALLY (boundary inclusive)', () => {
    const max = 7 * DAY;
    expect(verify(text, { keys, now: NOW_MS, trust: lists('VALID', NOW - max, max) }).verdict).toBe('VALID');
    const stale = verify(text, { keys, now: NOW_MS, trust: lists('VALID', NOW - max - 1, max) });
    expect(stale).toMatchObject({ verdict: 'CHECK MANUALLY', reason: 'REVOCATION_DATA_STALE', valid: false, details: { ageDays: 7 } });
    expect(verify(text, { keys, now: NOW_MS, trust: lists('VALID', NOW - 30 * DAY, max) }).details).toEqual({ ageDays: 30 });
  });

  it('stale data never hides a NOT VALID policy outcome', () => {
    const noRent = issue(key, { statusList: LIST, status: { ...STATUS, rent: false } });
    expect(verify(noRent, { keys, now: NOW_MS, purpose: 'rent', trust: lists('VALID', NOW - 99 * DAY, DAY) }).reason).toBe(
      'RIGHT_NOT_GRANTED',
    );
  });

  it('no list for the code’s uri, with revocation checking on, is CHECK MANUALLY', () => {
    const v = verify(text, { keys, now: NOW_MS, trust: { statusOf: () => undefined } });
    expect(v).toMatchObject({ verdict: 'CHECK MANUALLY', reason: 'REVOCATION_DATA_STALE', details: { listUri: LIST.uri } });
  });

  it('a lookup that throws gives CHECK MANUALLY, never VALID and never a throw', () => {
    const v = verify(text, {
      keys,
      now: NOW_MS,
      trust: {
        statusOf: () => {
          throw new Error('disk gone');
        },
      },
    });
    expect(v).toMatchObject({ verdict: 'CHECK MANUALLY', reason: 'REVOCATION_DATA_STALE' });
  });

  it('a code without a status-list reference is not looked up', () => {
    let calls = 0;
    const v = verify(issue(key), { keys, now: NOW_MS, trust: { statusOf: () => (calls++, { status: 'INVALID', listIssuedAt: NOW }) } });
    expect(v.verdict).toBe('VALID');
    expect(calls).toBe(0);
  });

  it('an unsigned or forged code is not looked up at all', () => {
    let calls = 0;
    const other = makeKey('ES256', key.kid);
    verify(issue(other, { statusList: LIST }), { keys, now: NOW_MS, trust: { statusOf: () => (calls++, undefined) } });
    expect(calls).toBe(0);
  });
});

describe('clock floor', () => {
  it('now earlier than the newest bundle minus skew is CHECK MANUALLY CLOCK_SUSPECT', () => {
    const floor = NOW + 3600;
    expect(verify(text, { keys, now: NOW_MS, trust: { clockFloor: floor } })).toMatchObject({
      verdict: 'CHECK MANUALLY',
      reason: 'CLOCK_SUSPECT',
    });
    expect(verify(text, { keys, now: (floor - 300) * 1000, trust: { clockFloor: floor } }).verdict).toBe('VALID');
    expect(verify(text, { keys, now: (floor - 301) * 1000, trust: { clockFloor: floor } }).reason).toBe('CLOCK_SUSPECT');
    expect(verify(text, { keys, now: (floor - 30) * 1000, skewSeconds: 10, trust: { clockFloor: floor } }).reason).toBe('CLOCK_SUSPECT');
  });

  it('a bad signature is NOT VALID whatever the clock', async () => {
    const other = await keySetOf(makeKey('ES256', key.kid));
    expect(verify(text, { keys: other, now: 0, trust: { clockFloor: NOW } }).reason).toBe('SIGNATURE_INVALID');
  });
});

describe('key windows and purposes', () => {
  const iat = NOW - DAY; // what issue() puts in the credential

  async function windowed(notBefore?: number, notAfter?: number, purposes?: string[]) {
    const k = makeKey('EdDSA', 'windowed', {
      ...(notBefore === undefined ? {} : { notBefore }),
      ...(notAfter === undefined ? {} : { notAfter }),
      ...(purposes ? { purposes } : {}),
    });
    return { k, keys: await keySetOf(k) };
  }

  it.each([
    ['iat == notBefore (included)', iat, iat + 10, null],
    ['iat == notAfter (excluded)', iat - 10, iat, 'KEY_NOT_VALID_AT_ISSUE'],
    ['iat one second before notBefore', iat + 1, undefined, 'KEY_NOT_VALID_AT_ISSUE'],
    ['iat one second before notAfter', undefined, iat + 1, null],
    ['open window', undefined, undefined, null],
  ])('%s', async (_label, notBefore, notAfter, reason) => {
    const { k, keys: set } = await windowed(notBefore, notAfter);
    expect(verify(issue(k), { keys: set, now: NOW_MS }).reason).toBe(reason);
  });

  it('a windowed key and a credential without iat: KEY_NOT_VALID_AT_ISSUE', async () => {
    const { k, keys: set } = await windowed(0, undefined);
    expect(verify(issue(k, { cwt: { exp: NOW + DAY } }), { keys: set, now: NOW_MS }).reason).toBe('KEY_NOT_VALID_AT_ISSUE');
  });

  it('key purposes must cover the code purpose', async () => {
    const { k, keys: set } = await windowed(undefined, undefined, ['work', 'rent']);
    expect(verify(issue(k, { status: { ...STATUS, purpose: 'work' } }), { keys: set, now: NOW_MS }).valid).toBe(true);
    expect(verify(issue(k, { status: { ...STATUS, purpose: 'all' } }), { keys: set, now: NOW_MS }).reason).toBe('KEY_PURPOSE_NOT_ALLOWED');
    expect(verify(issue(k, { status: undefined }), { keys: set, now: NOW_MS }).reason).toBe('KEY_PURPOSE_NOT_ALLOWED');
  });
});
