/** The Desk pipeline with the real verifier, DEMO keys and real photos; displays and recorder are recording sinks. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { Desk, type CheckRecorder } from '../../src/kiosk/wiring.js';
import { DEMO_KEYS_FILE } from '../../src/kiosk/kiosk.js';
import type { Scan } from '../../src/scan/types.js';
import { PHOTO_UNREADABLE, PHOTO_UNSUPPORTED_JPEG2000, preparePhoto } from '../../src/screen/photo.js';
import { DEFAULT_WORTH, type ScreenState } from '../../src/screen/state.js';
import { loadKeySet, type KeySet } from '../../src/trust/keyset.js';
import { verify } from '../../src/verify/verify.js';
import { demoCode, EXAMPLES } from './helpers.js';

let keys: KeySet;
beforeAll(async () => {
  keys = await loadKeySet(DEMO_KEYS_FILE);
});

function scanOf(text: string, at = Date.now()): Scan {
  return { data: Buffer.from(text, 'latin1'), text, symbology: 'qr', transport: 'stdin', source: 'stdin', at };
}

function makeDesk(o: { clearAfterMs?: number; recorder?: CheckRecorder; maxQueued?: number } = {}) {
  const shown: ScreenState[] = [];
  const checks: string[] = [];
  const likeness: Array<[string, string]> = [];
  let n = 0;
  const recorder: CheckRecorder = o.recorder ?? {
    recordCheck: ({ checkId }) => void checks.push(checkId),
    recordLikeness: (id, a) => void likeness.push([id, a]),
  };
  const desk = new Desk({
    desk: { purpose: 'work', demo: true, worth: DEFAULT_WORTH },
    check: (text, now) => verify(text, { keys, now, purpose: 'work' }),
    newCheckId: () => `check-${++n}`,
    displays: [{ name: 'sink', show: (s) => void shown.push(s), close: async () => {} }],
    recorder,
    clearAfterMs: o.clearAfterMs ?? 60_000,
    log: pino({ level: 'silent' }),
    ...(o.maxQueued !== undefined ? { maxQueued: o.maxQueued } : {}),
  });
  return { desk, shown, checks, likeness };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Desk pipeline', () => {
  it('a duplicate after auto-clear re-shows the same check without a second record', async () => {
    const { desk, shown, checks } = makeDesk({ clearAfterMs: 50 });
    const code = demoCode('demo-valid');
    await desk.onScan(scanOf(code));
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1' });
    await sleep(150);
    expect(shown.at(-1)?.kind).toBe('idle');
    desk.onDuplicate(scanOf(code));
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1', verdict: 'VALID' });
    desk.onDuplicate(scanOf(demoCode('demo-student'))); // a different code is not a duplicate of this check
    expect(shown.at(-1)?.checkId).toBe('check-1');
    expect(checks).toEqual(['check-1']);
    desk.close();
  });

  it('a duplicate of a check whose screen was replaced (another code, scan again) re-shows that check, no new record', async () => {
    const { desk, shown, checks, likeness } = makeDesk();
    const a = demoCode('demo-valid');
    await desk.onScan(scanOf(a));
    await desk.onScan(scanOf(demoCode('demo-student')));
    expect(shown.at(-1)).toMatchObject({ checkId: 'check-2' });
    desk.onDuplicate(scanOf(a));
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1', verdict: 'VALID', likeness: 'not-asked' });
    expect(shown.at(-1)?.person?.name).toBe('Jordan Specimen');
    const count = shown.length;
    desk.onDuplicate(scanOf(a)); // already on screen: nothing changes
    expect(shown.length).toBe(count);
    desk.onDropped({ reason: 'SCAN_TOO_LONG', transport: 'serial', source: '/dev/ttyACM0', at: Date.now() });
    desk.onDuplicate(scanOf(a));
    expect(shown.at(-1)).toMatchObject({ checkId: 'check-1' });
    expect(checks).toEqual(['check-1', 'check-2']);
    // Each check left unanswered is recorded "not asked" once, not once per re-show.
    expect(likeness).toEqual([['check-1', 'not-asked'], ['check-2', 'not-asked']]);
    desk.close();
  });

  it('close() blanks every display: nothing personal stays on a screen after shutdown', async () => {
    const { desk, shown } = makeDesk();
    await desk.onScan(scanOf(demoCode('demo-valid')));
    expect(shown.at(-1)?.person).not.toBeNull();
    desk.close();
    expect(shown.at(-1)).toMatchObject({ kind: 'idle', person: null, checkId: null });
    desk.onDuplicate(scanOf(demoCode('demo-valid')));
    expect(shown.at(-1)?.kind).toBe('idle');
  });

  it('a dropped scan shows SCAN AGAIN and makes no record', () => {
    const { desk, shown, checks } = makeDesk();
    desk.onDropped({ reason: 'SCAN_TOO_LONG', transport: 'serial', source: '/dev/ttyACM0', at: Date.now() });
    expect(shown.at(-1)).toMatchObject({ kind: 'scan-again', headline: 'SCAN AGAIN', icon: 'warning' });
    expect(checks).toEqual([]);
    desk.close();
  });

  it('handles scans in arrival order and refuses, not queues, a flood beyond the bound', async () => {
    const { desk, shown, checks } = makeDesk({ maxQueued: 3 });
    const codes = ['demo-valid', 'demo-student', 'demo-pending', 'demo-expired', 'demo-tampered'].map(demoCode);
    await Promise.all(codes.map((c) => desk.onScan(scanOf(c))));
    expect(checks).toEqual(['check-1', 'check-2', 'check-3']);
    expect(shown.filter((s) => s.kind === 'result').map((s) => s.person?.name ?? null).length).toBe(3);
    desk.close();
  });

  it('a record that cannot be written leaves the verdict on screen (and the next scan still works)', async () => {
    let fail = true;
    const ok: string[] = [];
    const { desk, shown } = makeDesk({
      recorder: {
        recordCheck: ({ checkId }) => {
          if (fail) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
          ok.push(checkId);
        },
        recordLikeness: () => {},
      },
    });
    await desk.onScan(scanOf(demoCode('demo-valid')));
    expect(shown.at(-1)?.verdict).toBe('VALID');
    fail = false;
    await desk.onScan(scanOf(demoCode('demo-student')));
    expect(ok).toEqual(['check-2']);
    desk.close();
  });

  it('likeness: only the check on screen that asks can be answered; leaving unanswered records not-asked', async () => {
    const { desk, likeness } = makeDesk();
    await desk.onScan(scanOf(demoCode('demo-valid')));
    expect(desk.answerLikeness('check-9', 'yes', 'test')).toBe(false);
    expect(desk.answerLikeness('check-1', 'no', 'test')).toBe(true);
    expect(desk.state.likeness).toBe('no');
    await desk.onScan(scanOf(demoCode('demo-student')));
    await desk.onScan(scanOf('not a code'));
    expect(likeness).toEqual([['check-1', 'no'], ['check-2', 'not-asked']]);
    desk.close();
  });
});

describe('photos', () => {
  const face = readFileSync(path.join(EXAMPLES, 'demo-face.jpg'));

  it.each([['jpeg', 'image/jpeg'], ['png', 'image/png'], ['webp', 'image/webp'], ['avif', 'image/avif']] as const)('passes %s to the page as the signed bytes themselves, typed and sized', async (format, mime) => {
    const bytes = await sharp(face).toFormat(format).toBuffer();
    const meta = await sharp(bytes).metadata();
    const view = preparePhoto(bytes);
    expect(view).toEqual({ mime, base64: bytes.toString('base64'), width: meta.width, height: meta.height });
    expect(meta.width).toBeGreaterThan(16);
  });

  it('gives the size as drawn when EXIF turns the picture a quarter (orientation 6)', async () => {
    const bytes = await sharp(face).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const meta = await sharp(bytes).metadata();
    const view = preparePhoto(bytes);
    if (!('base64' in view)) throw new Error(`not passed: ${view.unsupported}`);
    expect(meta.width).not.toBe(meta.height);
    expect([view.width, view.height]).toEqual([meta.height, meta.width]);
  });

  it('formats the desk\'s browser does not show are refused with a plain line (GIF, TIFF)', async () => {
    for (const format of ['gif', 'tiff'] as const) {
      expect(preparePhoto(await sharp(face).toFormat(format).toBuffer())).toEqual({ unsupported: PHOTO_UNREADABLE });
    }
  });

  it('JPEG 2000 (jp2 box and raw codestream) gets the "photo format not supported" line', async () => {
    const jp2 = Buffer.concat([Buffer.from('0000000c6a5020200d0a870a', 'hex'), Buffer.alloc(64)]);
    const j2k = Buffer.concat([Buffer.from('ff4fff51', 'hex'), Buffer.alloc(64)]);
    expect(preparePhoto(jp2)).toEqual({ unsupported: PHOTO_UNSUPPORTED_JPEG2000 });
    expect(preparePhoto(j2k)).toEqual({ unsupported: PHOTO_UNSUPPORTED_JPEG2000 });
    expect(PHOTO_UNSUPPORTED_JPEG2000).toMatch(/photo format not supported/i);
  });

  it('garbage and decompression bombs are refused with a plain line, not an exception', async () => {
    expect(preparePhoto(Buffer.from('not an image at all'))).toEqual({ unsupported: PHOTO_UNREADABLE });
    expect(preparePhoto(new Uint8Array(0))).toEqual({ unsupported: PHOTO_UNREADABLE });
    const huge = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(huge.length).toBeLessThan(300_000);
    expect(preparePhoto(huge)).toEqual({ unsupported: PHOTO_UNREADABLE });
  });
});
