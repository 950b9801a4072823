/** The Desk pipeline with the real verifier, DEMO keys and real photos; displays and recorder are recording sinks. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { deflateSync } from 'node:zlib';
import { pino, type Logger } from 'pino';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Desk, type CheckRecorder } from '../../src/kiosk/desk.js';
import { DEMO_KEYS_FILE } from '../../src/kiosk/kiosk.js';
import { base45Decode, base45Encode } from '../../src/credential/base45.js';
import { encodeCbor } from '../../src/credential/cbor.js';
import { zlibInflate } from '../../src/credential/compress.js';
import { parseSign1 } from '../../src/credential/cose.js';
import { ScanHub } from '../../src/scan/hub.js';
import type { Scanner } from '../../src/scan/scanner.js';
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

/** A scanner the test drives by emitting its events. */
class FakeScanner extends EventEmitter implements Scanner {
  readonly name = 'fake';
  readonly transport = 'stdin' as const;
  async open(): Promise<void> {}
  enable(): void {}
  disable(): void {}
  async close(): Promise<void> {}
}

/** The same signed parts in another envelope: untagged, another zlib level. */
function reEnveloped(text: string): string {
  const cose = parseSign1(zlibInflate(base45Decode(text)));
  return base45Encode(deflateSync(encodeCbor([cose.protectedBytes, new Map(), cose.payload, cose.signature]), { level: 1 }));
}

function makeDesk(o: { clearAfterMs?: number; recorder?: CheckRecorder; maxQueued?: number; log?: Logger } = {}) {
  const shown: ScreenState[] = [];
  const checks: string[] = [];
  const likeness: Array<[string, string]> = [];
  let n = 0;
  const recorder: CheckRecorder = o.recorder ?? {
    recordCheck: ({ checkId }) => void checks.push(checkId),
    recordLikeness: (id, a) => void likeness.push([id, a]),
  };
  const desk = new Desk({
    desk: { purpose: 'work', demo: true, worth: DEFAULT_WORTH, id: 'desk-t' },
    check: (text, now) => verify(text, { keys, now, purpose: 'work' }),
    newCheckId: () => `check-${++n}`,
    displays: [{ name: 'sink', show: (s) => void shown.push(s), close: async () => {} }],
    recorder,
    clearAfterMs: o.clearAfterMs ?? 60_000,
    log: o.log ?? pino({ level: 'silent' }),
    ...(o.maxQueued !== undefined ? { maxQueued: o.maxQueued } : {}),
  });
  return { desk, shown, checks, likeness };
}

describe('Desk pipeline', () => {
  afterEach(() => vi.useRealTimers());

  it('a duplicate after auto-clear re-shows the same check without a second record', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { desk, shown, checks } = makeDesk({ clearAfterMs: 50 });
    const code = demoCode('demo-valid');
    await desk.onScan(scanOf(code));
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1' });
    vi.advanceTimersByTime(49);
    expect(shown.at(-1)?.kind).toBe('result');
    vi.advanceTimersByTime(1);
    expect(shown.at(-1)?.kind).toBe('idle');
    desk.onDuplicate(scanOf(code));
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1', verdict: 'VALID' });
    desk.onDuplicate(scanOf(demoCode('demo-student'))); // a different code is not a duplicate of this check
    expect(shown.at(-1)?.checkId).toBe('check-1');
    expect(checks).toEqual(['check-1']);
    desk.close();
  });

  it('a duplicate of the latest check after "scan again" re-shows that check, no new record', async () => {
    const { desk, shown, checks, likeness } = makeDesk();
    const a = demoCode('demo-valid');
    await desk.onScan(scanOf(a));
    const count = shown.length;
    desk.onDuplicate(scanOf(a)); // already on screen: nothing changes
    expect(shown.length).toBe(count);
    desk.onDropped({ reason: 'SCAN_TOO_LONG', transport: 'serial', source: '/dev/ttyACM0', at: Date.now() });
    expect(shown.at(-1)?.kind).toBe('scan-again');
    desk.onDuplicate(scanOf(a));
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1', verdict: 'VALID', likeness: 'not-asked' });
    expect(shown.at(-1)?.person?.name).toBe('Jordan Specimen');
    desk.onDuplicate(scanOf(a));
    expect(checks).toEqual(['check-1']);
    // A check left unanswered is recorded "not asked" once, not once per re-show.
    expect(likeness).toEqual([['check-1', 'not-asked']]);
    desk.close();
  });

  it("a code scanned again after four other codes within the window is checked again: its verdict replaces the other person's", async () => {
    // As the kiosk wires it: hub → desk.
    const { desk, shown, checks } = makeDesk();
    const hub = new ScanHub({ dedupeWindowMs: 1500 });
    const scanner = new FakeScanner();
    hub.add(scanner);
    hub.on('scan', (scan: Scan) => void desk.onScan(scan));
    hub.on('duplicate', (scan: Scan) => desk.onDuplicate(scan));
    await hub.start();
    const names = ['demo-valid', 'demo-student', 'demo-pending', 'demo-expired', 'demo-pre-settled', 'demo-valid'];
    const t0 = Date.now();
    names.forEach((n, i) => {
      scanner.emit('scan', scanOf(demoCode(n), t0 + i * 100));
    });
    await desk.onScan(scanOf(demoCode('demo-rent-only'), t0 + 700)).catch(() => undefined); // queued behind the six
    expect(checks).toEqual(['check-1', 'check-2', 'check-3', 'check-4', 'check-5', 'check-6', 'check-7']);
    const sixth = shown.filter((s) => s.kind === 'result')[5]!;
    expect(sixth).toMatchObject({ checkId: 'check-6', verdict: 'VALID' });
    expect(sixth.person?.name).toBe('Jordan Specimen');
    await hub.close();
    desk.close();
  });

  it("another text of the latest check's credential (untagged, other zlib) within the window is that check; after another code, a new one", async () => {
    const { desk, shown, checks } = makeDesk();
    const a = demoCode('demo-valid');
    const again = reEnveloped(a);
    expect(again).not.toBe(a);
    const t0 = Date.now();
    await desk.onScan(scanOf(a, t0));
    await desk.onScan(scanOf(again, t0 + 500));
    await desk.onScan(scanOf(again, t0 + 1800)); // the window slides: 1.3 s after the last sighting
    expect(checks).toEqual(['check-1']);
    expect(shown.at(-1)?.checkId).toBe('check-1');
    await desk.onScan(scanOf(demoCode('demo-student'), t0 + 1900));
    await desk.onScan(scanOf(again, t0 + 2000));
    expect(checks).toEqual(['check-1', 'check-2', 'check-3']);
    await desk.onScan(scanOf(again, t0 + 9000)); // outside the window: a new check
    expect(checks).toHaveLength(4);
    desk.close();
  });

  it('a code left on the glass is logged once per burst, not once per read; every check keeps its `check` line', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const { desk } = makeDesk({ log });
    const a = demoCode('demo-valid');
    const t0 = Date.now();
    await desk.onScan(scanOf(a, t0));
    for (let i = 1; i <= 50; i++) desk.onDuplicate(scanOf(a, t0 + i * 100));
    await desk.onScan(scanOf(demoCode('demo-student'), t0 + 6000));
    const events = lines.map((l) => l.event);
    expect(events.filter((e) => e === 'check')).toHaveLength(2);
    expect(events.filter((e) => e === 'duplicate')).toHaveLength(1);
    expect(lines.find((l) => l.event === 'duplicates')).toMatchObject({ checkId: 'check-1', repeats: 50 });
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
    expect(shown.at(-1)).toMatchObject({ kind: 'scan-again', headline: 'SCAN AGAIN', icon: 'rescan', colour: 'blue' });
    expect(checks).toEqual([]);
    expect(desk.counters.dropped).toBe(1);
    desk.close();
  });

  it('text that is not a check (a web link, half a code) shows its own screen, is counted, and makes no record', async () => {
    const { desk, shown, checks } = makeDesk();
    await desk.onScan(scanOf('https://example.org/menu'));
    expect(shown.at(-1)).toMatchObject({ kind: 'not-a-code', headline: 'NOT A STATUS CODE', checkId: null });
    await desk.onScan(scanOf(demoCode('demo-valid').slice(0, 300)));
    expect(shown.at(-1)).toMatchObject({ kind: 'scan-again', headline: 'SCAN AGAIN', checkId: null });
    await desk.onScan(scanOf(`\r\n ${demoCode('demo-valid')} \n`)); // stray line breaks and spaces around a code
    expect(shown.at(-1)).toMatchObject({ kind: 'result', verdict: 'VALID' });
    expect(checks).toEqual(['check-1']);
    expect(desk.counters).toMatchObject({ checks: 1, notAStatusCode: 1, scanAgain: 1 });
    desk.close();
  });

  it('"No, not them" turns VALID into PHOTO DOES NOT MATCH, and the record carries the outcome', async () => {
    const outcomes: string[] = [];
    const { desk, shown } = makeDesk({
      recorder: {
        recordCheck: ({ description }) => void outcomes.push(description.outcome),
        recordLikeness: (_id, _a, _at, d) => void outcomes.push(d.outcome),
      },
    });
    await desk.onScan(scanOf(demoCode('demo-valid')));
    expect(shown.at(-1)).toMatchObject({ headline: 'VALID', outcome: 'PHOTO_PENDING' });
    expect(desk.answerLikeness('check-1', 'no', 'test')).toBe(true);
    expect(shown.at(-1)).toMatchObject({
      headline: 'PHOTO DOES NOT MATCH',
      colour: 'red',
      icon: 'mismatch',
      outcome: 'PHOTO_MISMATCH',
      verdict: 'VALID',
    });
    expect(shown.at(-1)?.rights.some((r) => r.answer === 'yes' || r.answer === 'restricted')).toBe(false);
    expect(shown.at(-1)?.nextStep).not.toMatch(/Check the photo/);
    expect(outcomes).toEqual(['PHOTO_PENDING', 'PHOTO_MISMATCH']);
    desk.close();
  });

  it("the desk's alerts reach every display at once, on whatever screen is showing, and clear again", async () => {
    const { desk, shown } = makeDesk();
    await desk.onScan(scanOf(demoCode('demo-valid')));
    const alert = { code: 'SCANNER_NOT_CONNECTED' as const, text: 'Scanner not connected: serial:/dev/ttyACM0' };
    desk.setAlerts([alert]);
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1', alerts: [alert] });
    desk.setAlerts([]);
    expect(shown.at(-1)).toMatchObject({ kind: 'result', checkId: 'check-1', alerts: [] });
    expect(shown.at(-1)?.clearsAt).not.toBeNull();
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
    expect(likeness).toEqual([
      ['check-1', 'no'],
      ['check-2', 'not-asked'],
    ]);
    expect(desk.state.kind).toBe('not-a-code');
    desk.close();
  });
});

describe('photos', () => {
  const face = readFileSync(path.join(EXAMPLES, 'demo-face.jpg'));

  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
    ['avif', 'image/avif'],
  ] as const)('passes %s to the page as the signed bytes themselves, typed and sized', async (format, mime) => {
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

  it("formats the desk's browser does not show are refused with a plain line (GIF, TIFF)", async () => {
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
    const huge = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(huge.length).toBeLessThan(300_000);
    expect(preparePhoto(huge)).toEqual({ unsupported: PHOTO_UNREADABLE });
  });
});
