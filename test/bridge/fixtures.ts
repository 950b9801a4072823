/** Screen states for bridge display tests, made by the real screen model (src/screen/state.ts) from verdicts. */
import sharp from 'sharp';
import { factsFromVerdict } from '../../src/check/index.js';
import { resultScreen, type ScreenState } from '../../src/screen/state.js';
import type { Verdict, VerdictKind } from '../../src/verify/verdict.js';

/** A face-like test photo: a dark head on a light background, 96×120. */
export async function testPhotoPng(): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="120"><rect width="96" height="120" fill="#e0d0c0"/><circle cx="48" cy="48" r="28" fill="#402010"/><rect x="16" y="84" width="64" height="36" fill="#203040"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function resultState(kind: VerdictKind, name = 'Zażółć Gęślą'): Promise<ScreenState> {
  const trusted = kind !== 'NOT VALID';
  const verdict: Verdict = {
    verdict: kind,
    valid: kind === 'VALID',
    reason: kind === 'VALID' ? null : kind === 'NOT VALID' ? 'SIGNATURE_INVALID' : 'PENDING_APPLICATION',
    message: '',
    alg: 'EdDSA',
    kid: 'test-key',
    verifiedBy: trusted ? 'test-key' : null,
    cwt: null,
    identity: { fullName: name, dateOfBirth: '1990-02-03' },
    status: trusted
      ? {
          scheme: 'EUSS',
          statusType: kind === 'VALID' ? 'indefinite' : 'pending',
          work: { kind: 'unrestricted' },
          rent: true,
          publicFunds: true,
          purpose: 'all',
        }
      : null,
    statusList: null,
    credentialId: null,
  };
  const png = await testPhotoPng();
  return resultScreen({
    facts: factsFromVerdict(verdict, { purpose: 'work', checkedAt: new Date('2026-11-23T12:00:00Z'), likeness: 'ask', demo: false }),
    desk: { purpose: 'work', demo: false, worth: 'Supporting evidence only.', id: 'desk-test' },
    checkId: `check-${kind}`,
    photo: trusted ? { mime: 'image/png', base64: png.toString('base64'), width: 96, height: 120 } : null,
  });
}
