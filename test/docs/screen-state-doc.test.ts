/**
 * docs/kiosk-config.md's example screen state against a real one from resultScreen: the same field names at every
 * level (both ways), so the page's event data that others build against is documented as it is.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultScreen } from '../../src/screen/state.js';
import type { Verdict } from '../../src/verify/verdict.js';

const DOC = readFileSync(path.resolve(import.meta.dirname, '../../docs/kiosk-config.md'), 'utf8');

function documentedState(): Record<string, unknown> {
  const from = DOC.indexOf('A screen state (`src/screen/state.ts`, `ScreenState`):');
  expect(from).toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)```/.exec(DOC.slice(from));
  expect(block).not.toBeNull();
  return JSON.parse(block![1]!) as Record<string, unknown>;
}

/** Dotted key paths of an object (arrays: their first element, as `name[]`). */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) return v.length > 0 ? keyPaths(v[0], `${prefix}[]`) : [];
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, child]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return [p, ...keyPaths(child, p)];
  });
}

const verdict: Verdict = {
  verdict: 'VALID',
  reason: null,
  message: 'Signed by a trusted issuer and current.',
  kid: 'issuer-1',
  verifiedBy: 'issuer-1',
  identity: { fullName: 'Ada Example', dateOfBirth: '19900102' },
  status: {
    scheme: 'points-based',
    statusType: 'limited',
    validUntil: '2027-06-30',
    work: { kind: 'restricted', condition: '20 hours a week' },
    rent: true,
    publicFunds: false,
    purpose: 'all',
    document: { type: 'passport', reference: 'X1234567' },
  },
} as unknown as Verdict;

describe('docs/kiosk-config.md: the screen state', () => {
  it('names every field a real result screen has, at every level, and no other', () => {
    const real = resultScreen(
      {
        desk: { purpose: 'rent', demo: false, worth: 'Supporting evidence only', id: 'front-desk-1' },
        checkId: '20261123-100000-9f3a1c2e',
        photo: { mime: 'image/avif', base64: 'AAAA', width: 64, height: 80 },
        verdict,
        checkedAt: new Date('2026-11-23T10:00:00Z'),
      },
      { clearsAt: new Date('2026-11-23T10:00:30Z') },
    );
    const doc = documentedState();
    expect(keyPaths(doc).sort()).toEqual(keyPaths(real).sort());
    expect(doc).toMatchObject({ kind: real.kind, outcome: real.outcome, headline: real.headline, status: { label: real.status?.label } });
  });
});
