/** fast-check: no input makes verify throw, or return valid without the right key. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from '../../src/credential/base45.js';
import { zlibInflate } from '../../src/credential/compress.js';
import type { KeySet } from '../../src/trust/keyset.js';
import { inspect } from '../../src/verify/inspect.js';
import { decodedToJson, toJson } from '../../src/verify/json.js';
import { REASON_CODES } from '../../src/verify/verdict.js';
import { verify } from '../../src/verify/verify.js';
import { daysToIso } from '../../src/credential/status.js';
import type { DeskPurpose, StatusClaim } from '../../src/credential/types.js';
import { permissionEndSeconds } from '../../src/issue/issue.js';
import { issue, keySetOf, makeKey, NOW_MS, STATUS, wrap, type TestKey } from './helpers.js';

const stripUndefined = (s: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as StatusClaim;

let signer: TestKey;
let stranger: TestKey;
let trusted: KeySet;
let valid: string;
beforeAll(async () => {
  signer = makeKey('EdDSA', 'prop-signer');
  stranger = makeKey('EdDSA', 'prop-stranger');
  trusted = await keySetOf(signer);
  valid = issue(signer);
});

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function checkShape(text: string): void {
  const v = verify(text, { keys: trusted, now: NOW_MS });
  expect(typeof v.valid).toBe('boolean');
  if (!v.valid) {
    expect(REASON_CODES).toContain(v.reason);
    expect(v.identity).toBeNull();
  }
  expect(() => JSON.stringify(toJson(v))).not.toThrow();
  expect(() => JSON.stringify(decodedToJson(inspect(text)))).not.toThrow();
}

describe('verify never throws and never accepts without the right key', () => {
  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        checkShape(s);
        expect(verify(s, { keys: trusted, now: NOW_MS }).valid).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary Base45-alphabet strings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: 400 }).map((a) => a.join('')),
        (s) => {
          checkShape(s);
          expect(verify(s, { keys: trusted, now: NOW_MS }).valid).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('arbitrary bytes compressed and Base45-encoded (reach the CBOR/COSE layers)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = wrap(bytes);
        checkShape(text);
        expect(verify(text, { keys: trusted, now: NOW_MS }).valid).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('random edits of a valid code never verify unless the signed bytes are unchanged', () => {
    const cose = zlibInflate(base45Decode(valid));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(cose.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const changed = Uint8Array.from(cose);
          for (const [i, x] of edits) changed[i]! ^= x;
          const same = Buffer.from(changed).equals(Buffer.from(cose));
          const v = verify(wrap(changed), { keys: trusted, now: NOW_MS });
          expect(v.valid).toBe(same);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('random text edits of a valid code never verify', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.constantFrom(...ALPHABET), (i, c) => {
        const text = valid.slice(0, i) + c + valid.slice(i + 1);
        checkShape(text);
        expect(verify(text, { keys: trusted, now: NOW_MS }).valid).toBe(text === valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('codes signed by an untrusted key never verify, whatever their kid', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(signer.kid), fc.string({ maxLength: 20 }), fc.constant(undefined)), (kid) => {
        const text = kid === undefined ? issue(stranger, {}, false) : issue({ ...stranger, kid }, {}, true);
        expect(verify(text, { keys: trusted, now: NOW_MS }).valid).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary now / skew / purpose, signed codes with arbitrary permission dates: never throws, never an internal error', () => {
    const day = fc.integer({ min: 0, max: 2_932_896 });
    fc.assert(
      fc.property(
        fc.option(day, { nil: undefined }),
        fc.option(day, { nil: undefined }),
        fc.oneof(fc.double(), fc.integer({ min: -8.7e15, max: 8.7e15 })),
        fc.option(fc.double(), { nil: undefined }),
        fc.option(fc.constantFrom('work', 'rent', 'housing', 'other', 'bank'), { nil: undefined }),
        (from, until, now, skewSeconds, purpose) => {
          const status = {
            ...STATUS,
            validFrom: from === undefined ? undefined : daysToIso(from),
            validUntil: until === undefined ? undefined : daysToIso(until),
          };
          const text = issue(signer, { status: stripUndefined(status), cwt: {} });
          const v = verify(text, {
            keys: trusted,
            now,
            ...(skewSeconds !== undefined ? { skewSeconds } : {}),
            ...(purpose ? { purpose: purpose as DeskPurpose } : {}),
          });
          expect(v.details?.error).not.toBe('internal');
          expect(REASON_CODES).toContain(v.reason ?? 'PERMISSION_EXPIRED');
        },
      ),
      { numRuns: 500 },
    );
  });

  it("VALID only while the permission is in force: London days with the 300 s skew (cross-checked with the issuer's date code)", () => {
    const DAY_MS = 86_400_000;
    const start = (d: number) => permissionEndSeconds(daysToIso(d - 1)) * 1000; // London midnight starting day d
    const end = (d: number) => permissionEndSeconds(daysToIso(d)) * 1000; // London midnight after day d
    const days2000to2040 = fc.integer({ min: 10_957, max: 25_567 });
    fc.assert(
      fc.property(
        fc.option(days2000to2040, { nil: undefined }),
        fc.option(days2000to2040, { nil: undefined }),
        fc.oneof(
          fc.integer({ min: 10_957 * DAY_MS, max: 25_567 * DAY_MS }),
          days2000to2040.chain((d) => fc.integer({ min: -600_000, max: 600_000 }).map((o) => d * DAY_MS + o)),
        ),
        (from, until, now) => {
          const status = stripUndefined({
            ...STATUS,
            validFrom: from === undefined ? undefined : daysToIso(from),
            validUntil: until === undefined ? undefined : daysToIso(until),
          });
          const text = issue(signer, { status, cwt: {} });
          const inForce = (from === undefined || now + 300_000 >= start(from)) && (until === undefined || now - 300_000 < end(until));
          const v = verify(text, { keys: trusted, now });
          expect(v.valid).toBe(inForce);
          if (!inForce) expect(['PERMISSION_NOT_STARTED', 'PERMISSION_EXPIRED']).toContain(v.reason);
          expect(verify(text, { keys: trusted, now, purpose: 'rent' }).valid).toBe(inForce); // STATUS has the right to rent
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the valid code itself verifies (the properties above are not vacuous)', () => {
    expect(verify(valid, { keys: trusted, now: NOW_MS }).valid).toBe(true);
    expect(base45Encode(base45Decode(valid))).toBe(valid);
  });
});
