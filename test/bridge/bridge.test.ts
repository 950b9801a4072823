import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { T } from '../../src/bridge/codec.js';
import { COLOURS, REGIONS } from '../../src/bridge/layout.js';
import { FLOOD_BURST, FLOOD_PER_SECOND, FloodLimit } from '../../src/bridge/scanner.js';
import { BuzzerPattern, Caps, LedPattern, decodeMessage, encodeMessage, type Message } from '../../src/bridge/messages.js';
import type { DroppedScan, Scan } from '../../src/scan/types.js';
import { idleScreen } from '../../src/screen/state.js';
import { FakeFirmware } from './fake-firmware.js';
import { resultState } from './fixtures.js';
import { Framebuffer } from './framebuffer.js';
import { openPtyPair, ptySkipReason } from './pty-pair.js';

const skip = ptySkipReason();
if (skip) console.warn(`SKIP bridge box tests: ${skip}`);

async function waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function messages(fw: FakeFirmware): Message[] {
  return fw.received.map((f) => {
    const d = decodeMessage(f.type, f.payload, { width: 240, height: 320 });
    if (!d.ok) throw new Error(`host sent a bad ${f.type}: ${d.why}`);
    return d.message;
  });
}

function rgb565Of([r, g, b]: [number, number, number]): string {
  return `${r},${g},${b}`;
}

describe.skipIf(skip !== null)('bridge box over a real pty pair (scanner, buttons, display)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  async function setUp(fwOptions: { caps?: number } = {}, photoFormat?: 'grey8' | 'rgb565'): Promise<{ fw: FakeFirmware; bridge: Bridge }> {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const fw = await FakeFirmware.open(pty.b, fwOptions);
    cleanups.push(() => fw.close());
    const bridge = new Bridge({ path: pty.a, name: 'desk-bridge', session: { heartbeatMs: 0 }, ...(photoFormat ? { photoFormat } : {}) });
    cleanups.push(() => bridge.scanner.close());
    await bridge.scanner.open();
    expect(bridge.scanner.state).toBe('connected');
    return { fw, bridge };
  }

  it('delivers a SCAN frame as a Scan, joins a scan sent in pieces, reports DROPPED, and ignores all while disabled', async () => {
    const { fw, bridge } = await setUp();
    const scans: Scan[] = [];
    const drops: DroppedScan[] = [];
    bridge.scanner.on('scan', (s: Scan) => scans.push(s));
    bridge.scanner.on('dropped', (d: DroppedScan) => drops.push(d));

    const send = (m: Message): void => {
      const { type, payload } = encodeMessage(m);
      fw.sendData(type, payload);
    };
    // Before enable(): delivered nothing (UnifiedPOS).
    send({ type: 'SCAN', scanId: 1, symbology: 1, total: 5, offset: 0, data: Buffer.from('EARLY') });
    await new Promise((r) => setTimeout(r, 200));
    bridge.scanner.enable();

    send({ type: 'SCAN', scanId: 2, symbology: 1, total: 8, offset: 0, data: Buffer.from('HC1:ABC\xff', 'latin1') });
    const long = Buffer.from(`6BF${'X'.repeat(2497)}`);
    send({ type: 'SCAN', scanId: 3, symbology: 1, total: long.length, offset: 0, data: long.subarray(0, 1018) });
    send({ type: 'SCAN', scanId: 3, symbology: 1, total: long.length, offset: 1018, data: long.subarray(1018, 2036) });
    send({ type: 'SCAN', scanId: 3, symbology: 1, total: long.length, offset: 2036, data: long.subarray(2036) });
    send({ type: 'DROPPED', reason: 1, length: 5000 });
    send({ type: 'SCAN', scanId: 4, symbology: 0, total: 3000, offset: 0, data: Buffer.alloc(1018, 0x41) }); // never finished…
    send({ type: 'SCAN', scanId: 5, symbology: 2, total: 2, offset: 0, data: Buffer.from('OK') }); // …so this drops it
    await waitFor(() => scans.length >= 3 && drops.length >= 2);

    expect(scans.map((s) => [s.text.slice(0, 8), s.data.length, s.symbology, s.transport, s.source])).toEqual([
      ['HC1:ABC\xff', 8, 'qr', 'bridge', 'desk-bridge'],
      ['6BFXXXXX', 2500, 'qr', 'bridge', 'desk-bridge'],
      ['OK', 2, 'datamatrix', 'bridge', 'desk-bridge'],
    ]);
    expect(scans[1]!.data.equals(long)).toBe(true);
    expect(drops.map((d) => d.reason)).toEqual(['SCAN_TOO_LONG', 'SCAN_INCOMPLETE']);
  });

  it('a box flooding SCAN frames is limited (burst, then a steady rate), reported once; repeats of the latest code all pass', async () => {
    const { fw, bridge } = await setUp();
    const scans: Scan[] = [];
    const errors: Array<{ code: string; message: string }> = [];
    bridge.scanner.on('scan', (s: Scan) => scans.push(s));
    bridge.scanner.on('error', (e: { code: string; message: string }) => errors.push(e));
    bridge.scanner.enable();
    const send = (text: string, id: number): void => {
      const { type, payload } = encodeMessage({
        type: 'SCAN',
        scanId: id & 0xffff,
        symbology: 1,
        total: text.length,
        offset: 0,
        data: Buffer.from(text),
      });
      fw.sendData(type, payload);
    };
    const acks = (): number => fw.receptions.filter((r) => r.frame.type === T.ACK).length;
    const before = acks();
    const started = Date.now();
    for (let i = 0; i < 200; i++) send('SAME-CODE-ON-THE-GLASS', i);
    for (let i = 0; i < 300; i++) send(`DISTINCT-${i}`, 1000 + i);
    await waitFor(() => acks() - before >= 500, 60_000); // the host has read every frame
    const elapsedS = (Date.now() - started) / 1000;
    const distinct = scans.filter((s) => s.text.startsWith('DISTINCT-'));
    expect(scans.filter((s) => s.text === 'SAME-CODE-ON-THE-GLASS')).toHaveLength(200);
    expect(distinct.length).toBeGreaterThanOrEqual(FLOOD_BURST - 1);
    expect(distinct.length).toBeLessThanOrEqual(FLOOD_BURST + Math.ceil(FLOOD_PER_SECOND * elapsedS) + 1);
    expect(errors.filter((e) => e.code === 'SCAN_FLOOD' && /ignoring/.test(e.message))).toHaveLength(1);
  });

  it('turns the YES and NO buttons into likeness answers', async () => {
    const { fw, bridge } = await setUp();
    const answers: string[] = [];
    bridge.on('likeness', (a) => answers.push(a));
    fw.sendData(T.BUTTON, Buffer.from([1]));
    fw.sendData(T.BUTTON, Buffer.from([2]));
    await waitFor(() => answers.length === 2);
    expect(answers).toEqual(['yes', 'no']);
  });

  for (const [kind, colour, led, buzzer] of [
    ['VALID', COLOURS.green, { green: LedPattern.ON, red: LedPattern.OFF }, BuzzerPattern.OK],
    ['CHECK MANUALLY', COLOURS.amber, { green: LedPattern.OFF, red: LedPattern.SLOW }, BuzzerPattern.ATTENTION],
    ['NOT VALID', COLOURS.red, { green: LedPattern.OFF, red: LedPattern.ON }, BuzzerPattern.ERROR],
  ] as const) {
    it(`draws ${kind}: banner colour, LEDs and beep before any photo row, every command valid for the panel`, async () => {
      const { fw, bridge } = await setUp();
      const state = await resultState(kind);
      const drawn = new Promise((r) => bridge.display.once('drawn', r));
      bridge.display.show(state);
      await drawn;
      const sent = messages(fw).filter((m) => m.type !== 'HELLO' && m.type !== 'HEARTBEAT');
      expect(sent[0]).toMatchObject({ type: 'SCREEN_BEGIN' });
      expect(sent.at(-1)).toMatchObject({ type: 'SCREEN_END', screen: (sent[0] as { screen: number }).screen });
      const firstPhotoRow = sent.findIndex((m) => m.type === 'IMAGE_GREY8');
      const ledAt = sent.findIndex((m) => m.type === 'LED');
      expect(sent[ledAt]).toMatchObject(led);
      expect(sent.find((m) => m.type === 'BUZZER')).toMatchObject({ pattern: buzzer });
      if (kind === 'NOT VALID')
        expect(firstPhotoRow).toBe(-1); // an unverified code never shows a person
      else {
        expect(firstPhotoRow).toBeGreaterThan(ledAt); // verdict first, photo after
        expect(sent.slice(firstPhotoRow, -1).every((m) => m.type === 'IMAGE_GREY8')).toBe(true);
      }

      const fb = new Framebuffer();
      for (const m of sent) if (m.type === 'FILL_RECT' || m.type === 'BITMAP1' || m.type === 'IMAGE_GREY8') fb.apply(m);
      const expected = new Framebuffer();
      expected.apply({ type: 'FILL_RECT', x: 0, y: 0, w: 1, h: 1, colour });
      expect(rgb565Of(fb.pixel(2, 2))).toBe(rgb565Of(expected.pixel(0, 0))); // banner corner
      if (kind !== 'NOT VALID') {
        const { x, y, w, h } = REGIONS.photo;
        const greys = new Set<string>();
        for (let py = y; py < y + h; py += 3) for (let px = x; px < x + w; px += 3) greys.add(rgb565Of(fb.pixel(px, py)));
        expect(greys.size).toBeGreaterThan(5); // the photo region is not blank
      }
    });
  }

  it('beeps once per check: redrawing the same check (likeness answered) stays quiet', async () => {
    const { fw, bridge } = await setUp();
    const state = await resultState('VALID');
    let drawn = new Promise((r) => bridge.display.once('drawn', r));
    bridge.display.show(state);
    await drawn;
    drawn = new Promise((r) => bridge.display.once('drawn', r));
    bridge.display.show({ ...state, likeness: 'yes' });
    await drawn;
    expect(messages(fw).filter((m) => m.type === 'BUZZER')).toHaveLength(1);
    expect(messages(fw).filter((m) => m.type === 'SCREEN_END')).toHaveLength(2);
  });

  it('a newer screen cancels the rest of an older one', async () => {
    const { fw, bridge } = await setUp();
    const valid = await resultState('VALID');
    const drawn: number[] = [];
    bridge.display.on('drawn', (r) => drawn.push(r.screen));
    fw.options.holdAcksFrom = (frame) => frame.type === T.IMAGE_GREY8; // the photo is still on its way…
    bridge.display.show(valid);
    await waitFor(() => messages(fw).some((m) => m.type === 'IMAGE_GREY8'));
    bridge.display.show(idleScreen({ purpose: 'work', demo: false, worth: '', id: 'desk-test' })); // …when the next screen comes
    fw.options.holdAcksFrom = undefined;
    fw.options.holdAcks = false;
    fw.releaseAcks();
    await waitFor(() => drawn.length === 1);
    const ends = messages(fw).filter((m) => m.type === 'SCREEN_END');
    expect(ends).toHaveLength(1); // only the idle screen finished
    expect(drawn).toEqual([(ends[0] as { screen: number }).screen]);
  });

  it('draws the current screen again after the box comes back, without beeping twice for the same check', async () => {
    const first = await openPtyPair();
    cleanups.push(() => first.close());
    let fw = await FakeFirmware.open(first.b);
    const bridge = new Bridge({ path: first.a, name: 'desk-bridge', reconnectMs: 100, session: { heartbeatMs: 100 } });
    bridge.on('error', () => undefined);
    cleanups.push(() => bridge.scanner.close());
    await bridge.scanner.open();
    const state = await resultState('VALID');
    const drawn = new Promise((r) => bridge.display.once('drawn', r));
    bridge.display.show(state);
    await drawn;

    await fw.close();
    await first.close(); // unplugged
    await waitFor(() => bridge.scanner.state === 'reconnecting');
    const second = await openPtyPair(first);
    cleanups.push(() => second.close());
    fw = await FakeFirmware.open(second.b);
    const fw2 = fw;
    cleanups.push(() => fw2.close());
    await waitFor(() => messages(fw2).some((m) => m.type === 'SCREEN_END'));
    const again = messages(fw2);
    expect(again.filter((m) => m.type === 'IMAGE_GREY8').length).toBeGreaterThan(0); // the photo too
    expect(again.find((m) => m.type === 'LED')).toMatchObject({ green: LedPattern.ON }); // LEDs restored
    expect(again.some((m) => m.type === 'BUZZER')).toBe(false); // same check: no second beep
  });

  for (const [what, caps, format, expected] of [
    ['colour when asked for', 0x7f, 'rgb565', 'IMAGE_RGB565'],
    ['colour when the firmware cannot draw grey', 0x7f & ~Caps.GREY8, 'grey8', 'IMAGE_RGB565'],
    ['no photo rows when the firmware can draw no images', 0x1f, 'grey8', null],
  ] as const) {
    it(`sends the photo in ${what}`, async () => {
      const { fw, bridge } = await setUp({ caps }, format);
      const drawn = new Promise((r) => bridge.display.once('drawn', r));
      bridge.display.show(await resultState('VALID'));
      await drawn;
      const sent = messages(fw);
      const rows = sent.filter((m) => m.type === 'IMAGE_GREY8' || m.type === 'IMAGE_RGB565');
      if (expected === null) expect(rows).toEqual([]);
      else {
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((m) => m.type === expected)).toBe(true);
        const fb = new Framebuffer();
        for (const m of sent)
          if (m.type === 'FILL_RECT' || m.type === 'BITMAP1' || m.type === 'IMAGE_GREY8' || m.type === 'IMAGE_RGB565') fb.apply(m);
        const { x, y, w, h } = REGIONS.photo;
        let coloured = 0;
        for (let py = y; py < y + h; py += 3)
          for (let px = x; px < x + w; px += 3) {
            const [r, g, b] = fb.pixel(px, py);
            if (Math.max(r, g, b) - Math.min(r, g, b) > 20) coloured++;
          }
        expect(coloured).toBeGreaterThan(20); // the test photo's skin tone and blue shirt survive in colour
      }
    });
  }
});

describe('FloodLimit', () => {
  it('lets a burst through, then one per 1/rate; says once when a flood starts and, with the count, when it ends', () => {
    const limit = new FloodLimit(3, 2);
    const at = (ms: number) => limit.take(ms);
    expect([at(0), at(1), at(2)].map((v) => v.pass)).toEqual([true, true, true]);
    expect(at(3)).toEqual({ pass: false, floodStarted: true, floodEnded: null });
    expect(at(4)).toEqual({ pass: false, floodStarted: false, floodEnded: null });
    expect(at(100)).toEqual({ pass: false, floodStarted: false, floodEnded: null });
    expect(at(600)).toEqual({ pass: true, floodStarted: false, floodEnded: 3 }); // 0.6 s: one more token
    expect(at(601).pass).toBe(false);
    expect(at(60_000)).toEqual({ pass: true, floodStarted: false, floodEnded: 1 }); // refilled, capped at the burst
    expect([at(60_001), at(60_002), at(60_003)].map((v) => v.pass)).toEqual([true, true, false]);
  });
});
