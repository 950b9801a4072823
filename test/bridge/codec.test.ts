import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode } from '../../src/bridge/cobs.js';
import {
  FrameDecoder,
  MAX_ENCODED,
  MAX_PAYLOAD,
  NakCode,
  T,
  crc16,
  decodeFrame,
  encodeFrame,
  type DecodeResult,
} from '../../src/bridge/codec.js';
import { decodeMessage, encodeMessage, MAX_SCAN_LENGTH, type Message } from '../../src/bridge/messages.js';
import { QR_MAX_CHARS } from '../../src/scan/types.js';
import { PANEL_SPI_HZ } from '../../src/bridge/panel.js';
import { DEFAULT_SESSION_OPTIONS } from '../../src/bridge/session.js';

interface GoodVector {
  name: string;
  direction: string;
  type: number;
  seq: number;
  payloadHex: string;
  frameHex: string;
  fields: Record<string, number | string>;
}
interface BadVector {
  name: string;
  frameHex: string;
  bad: { layer: 'frame' | 'message' | 'link'; nakSeq: number; nakCode: number; nakFrameHex: string };
}
interface Golden {
  protocol: number;
  crcCheck: { asciiInput: string; crc: number };
  maxPayload: number;
  vectors: (GoodVector | BadVector)[];
}

const golden = JSON.parse(readFileSync(new URL('../../firmware-bridge/protocol/golden.json', import.meta.url), 'utf8')) as Golden;
const good = golden.vectors.filter((v): v is GoodVector => !('bad' in v));
const bad = golden.vectors.filter((v): v is BadVector => 'bad' in v);
const PANEL = { width: 240, height: 320 };

/** golden `fields` → the Message the payload must decode to (…Hex fields become Buffers). */
function expectedMessage(v: GoodVector): Message {
  const entries = Object.entries(v.fields).map(([k, value]) =>
    k.endsWith('Hex') ? [k.slice(0, -3), Buffer.from(value as string, 'hex')] : [k, value],
  );
  const name = Object.entries(T).find(([, code]) => code === v.type)![0];
  return { type: name, ...Object.fromEntries(entries) } as Message;
}

/** Strip the trailing delimiter. */
function body(hex: string): Buffer {
  const wire = Buffer.from(hex, 'hex');
  expect(wire[wire.length - 1]).toBe(0);
  return wire.subarray(0, wire.length - 1);
}

describe('bridge codec against the shared golden vectors', () => {
  it('uses the protocol version and limits of the vectors', () => {
    expect(golden.protocol).toBe(1);
    expect(golden.maxPayload).toBe(MAX_PAYLOAD);
    expect(good.length).toBeGreaterThanOrEqual(20);
    expect(bad.length).toBeGreaterThanOrEqual(8);
  });

  it('computes the CRC-16/CCITT-FALSE check value', () => {
    expect(crc16(Buffer.from(golden.crcCheck.asciiInput, 'latin1'))).toBe(golden.crcCheck.crc);
  });

  it('covers every frame type', () => {
    const covered = new Set(good.map((v) => v.type));
    for (const [name, code] of Object.entries(T)) expect(covered.has(code), name).toBe(true);
  });

  for (const v of good) {
    it(`encodes and decodes ${v.name}`, () => {
      const payload = Buffer.from(v.payloadHex, 'hex');
      expect(encodeFrame({ type: v.type, seq: v.seq, payload }).toString('hex')).toBe(v.frameHex);
      const decoded = decodeFrame(body(v.frameHex));
      expect(decoded).toEqual({ ok: true, frame: { type: v.type, seq: v.seq, payload } });
      const message = decodeMessage(v.type, payload, PANEL);
      expect(message).toEqual({ ok: true, message: expectedMessage(v) });
      const encoded = encodeMessage(expectedMessage(v));
      expect(encoded.type).toBe(v.type);
      expect(encoded.payload.toString('hex')).toBe(v.payloadHex);
    });
  }

  for (const v of bad) {
    it(`refuses ${v.name} with NAK ${v.bad.nakCode}`, () => {
      expect(encodeFrame({ type: T.NAK, seq: v.bad.nakSeq, payload: Buffer.from([v.bad.nakCode]) }).toString('hex')).toBe(
        v.bad.nakFrameHex,
      );
      const results: DecodeResult[] = [];
      new FrameDecoder((r) => results.push(r)).push(Buffer.from(v.frameHex, 'hex'));
      expect(results).toHaveLength(1);
      const result = results[0]!;
      if (v.bad.layer === 'frame') {
        expect(result).toEqual({ ok: false, nak: v.bad.nakCode });
        return;
      }
      // message and link faults are in CRC-valid frames
      if (!result.ok) throw new Error(`frame layer refused ${v.name}`);
      const message = decodeMessage(result.frame.type, result.frame.payload, PANEL);
      if (v.bad.layer === 'message') {
        expect(message.ok).toBe(false);
        if (!message.ok) expect(message.nak).toBe(v.bad.nakCode);
      } else {
        // the link layer (sequence numbers) is the session's: here the frame itself is fine
        expect(message.ok).toBe(true);
        expect(v.bad.nakCode).toBe(NakCode.OUT_OF_WINDOW);
        expect(result.frame.seq).not.toBe(v.bad.nakSeq);
      }
    });
  }
});

describe('docs/bridge-protocol.md', () => {
  const doc = readFileSync(new URL('../../docs/bridge-protocol.md', import.meta.url), 'utf8');
  const spaced = (hex: string): string => (hex.toUpperCase().match(/../g) ?? []).join(' ');

  it('shows every short golden frame byte for byte in its appendix', () => {
    let shown = 0;
    for (const v of golden.vectors) {
      const hex = v.frameHex;
      if (hex.length > 128 || ('bad' in v && hex.length > 64)) continue;
      expect(doc, v.name).toContain(`\`${spaced(hex)}\``);
      if ('bad' in v) expect(doc, v.name).toContain(`\`${spaced(v.bad.nakFrameHex)}\``);
      shown++;
    }
    expect(shown).toBeGreaterThanOrEqual(25);
  });
});

describe('docs/bridge-protocol.md against the firmware source (proto.h, the stm32f4 port) and the host defaults', () => {
  const doc = readFileSync(new URL('../../docs/bridge-protocol.md', import.meta.url), 'utf8');
  const proto = readFileSync(new URL('../../firmware-bridge/core/proto.h', import.meta.url), 'utf8');
  const portDir = new URL('../../firmware-bridge/ports/stm32f4/', import.meta.url);
  // every source file of the port (clock, USART rings, SPI…), one text
  const stm32 = readdirSync(portDir)
    .filter((f) => /\.[ch]$/.test(f))
    .sort()
    .map((f) => readFileSync(new URL(f, portDir), 'utf8'))
    .join('\n');
  const define = (src: string, name: string): number => {
    const m = new RegExp(`^#define ${name} (\\d+)u?\\b`, 'm').exec(src);
    if (!m) throw new Error(`#define ${name} not found`);
    return Number(m[1]);
  };
  const fw = {
    maxPayload: define(proto, 'MAX_PAYLOAD'),
    windowFrames: define(proto, 'WINDOW_FRAMES'),
    windowBytes: define(proto, 'WINDOW_BYTES'),
    retryMs: define(proto, 'TX_RETRY_MS'),
    resends: define(proto, 'TX_MAX_RESENDS'),
    watchdogMs: define(proto, 'HOST_WATCHDOG_MS'),
    scanMax: define(proto, 'SCAN_MAX_LEN'),
    hostRing: define(stm32, 'HOST_RING'),
  };

  it('states the firmware limits proto.h compiles in: payload, frame sizes, window, resends, watchdog, scan length', () => {
    expect(fw.maxPayload).toBe(MAX_PAYLOAD);
    expect(fw.maxPayload).toBe(golden.maxPayload);
    expect(doc).toContain(`payload (0..${fw.maxPayload} B)`);
    const frame = fw.maxPayload + 4;
    expect(doc).toContain(`1 + 1 + ${fw.maxPayload} + 2 = **${frame} bytes**`);
    expect(doc).toContain(`**${MAX_ENCODED} bytes**`);
    expect(MAX_ENCODED).toBe(frame + Math.floor(frame / 254) + 1);
    expect(doc).toContain(`at most **${fw.windowFrames} frames and at most ${fw.windowBytes} wire bytes**`);
    expect(doc).toContain(`(${fw.windowFrames} / ${fw.windowBytes} / ${fw.maxPayload})`);
    expect(doc).toContain(`A frame is at most ${MAX_ENCODED + 1} wire bytes, so three maximal frames fit`);
    expect(3 * (MAX_ENCODED + 1)).toBeLessThanOrEqual(fw.windowBytes);
    expect(doc).toContain(`${fw.hostRing}-byte receive ring`);
    expect(fw.hostRing).toBeGreaterThanOrEqual(2 * fw.windowBytes);
    expect(doc).toContain(`Firmware: ${fw.retryMs} ms, ${fw.resends} resends`);
    expect(doc).toContain(`after ${fw.watchdogMs} ms without a valid frame`);
    expect(doc).toContain(`\`maxLen\` 1..${fw.scanMax}`);
    // the host's SCAN limit is the firmware's, and both are a whole QR symbol
    expect(fw.scanMax).toBe(MAX_SCAN_LENGTH);
    expect(MAX_SCAN_LENGTH).toBe(QR_MAX_CHARS);
  });

  it('states the host defaults session.ts uses, and they fit the firmware window', () => {
    const host = DEFAULT_SESSION_OPTIONS;
    expect(doc).toContain(`Host: ${host.retryMs} ms, ${host.maxRetries} resends of one frame`);
    expect(doc).toContain(`whenever it has sent nothing for ${host.heartbeatMs} ms`);
    expect(host.windowFrames).toBe(fw.windowFrames);
    expect(host.windowBytes).toBe(fw.windowBytes);
    expect(host.heartbeatMs * 2).toBeLessThan(fw.watchdogMs); // a lost heartbeat is resent before the firmware gives up
    // the host's panel-time allowance assumes the firmware's SPI clock: SYSCLK (= APB2) / 16
    expect(stm32).toMatch(/SPI_CR1 = SPI_CR1_MSTR \| SPI_CR1_BR_DIV16/);
    expect(define(stm32, 'PLL_SYSCLK_HZ') / 16).toBe(PANEL_SPI_HZ);
  });

  it('has the same frame types and NAK codes as proto.h and the TypeScript codec', () => {
    const types = [...proto.matchAll(/^\s+T_([A-Z0-9_]+) = (0x[0-9A-F]{2})/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(types)).toEqual(T);
    const naks = [...proto.matchAll(/^\s+NAK_([A-Z_]+) = (\d)/gm)].filter((m) => m[1] !== 'NONE').map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(naks)).toEqual(NakCode);
    for (const [name, value] of Object.entries(T)) {
      expect(doc, name).toMatch(new RegExp(`\\| 0x${value.toString(16).toUpperCase().padStart(2, '0')} \\| ${name} \\|`));
    }
  });

  it('walks through a session (section 5) in frames that decode, with HELLO_OK and BANNER exactly as the vectors have them', () => {
    const section = doc.slice(doc.indexOf('## 5. A session'), doc.indexOf('## 6.'));
    const lines = section.split('\n').filter((l) => /^(fw|host) → /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(8);
    let checked = 0;
    for (const line of lines) {
      // "fw → host  NAME [n]  hex bytes …  (comment)": the tokens after the name up to the first that is not hex
      const tokens = line.replace(/^(?:fw|host) → (?:fw|host)\s+/, '').split(/\s+/);
      const flush = tokens[0] === '00';
      const name = tokens[flush ? 1 : 0]!;
      const rest = tokens.slice(flush ? 2 : 1);
      if (name === 'ACK') rest.shift(); // "ACK 0": the seq it acknowledges
      const hexTokens: string[] = [];
      for (const t of rest) {
        if (!/^([0-9A-F]{2}|…)$/.test(t)) break;
        hexTokens.push(t);
      }
      expect(name, line).toMatch(/^[A-Z_]+$/);
      if (hexTokens.includes('…')) continue; // elided: the appendix has it whole
      const bytes = Buffer.from(hexTokens.join(''), 'hex');
      const wire = flush ? bytes.subarray(1) : bytes; // the flush byte before HELLO is shown with the frame
      expect(wire.at(-1), line).toBe(0);
      const decoded = decodeFrame(wire.subarray(0, -1));
      expect(decoded.ok, line).toBe(true);
      if (!decoded.ok) continue;
      expect(decoded.frame.type, line).toBe(T[name as keyof typeof T]);
      const vector = golden.vectors.find((v) => !('bad' in v) && v.type === decoded.frame.type && v.seq === decoded.frame.seq);
      if (vector) expect(wire.toString('hex'), line).toBe(vector.frameHex);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
    const helloOk = golden.vectors.find((v) => !('bad' in v) && v.type === T.HELLO_OK)!;
    expect(section).toContain((helloOk.frameHex.toUpperCase().match(/../g) ?? []).join(' '));
  });
});

describe('bridge codec properties', () => {
  it('round-trips any frame', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: MAX_PAYLOAD }),
        (type, seq, bytes) => {
          const payload = Buffer.from(bytes);
          const wire = encodeFrame({ type, seq, payload });
          expect(wire.indexOf(0)).toBe(wire.length - 1);
          expect(wire.length - 1).toBeLessThanOrEqual(MAX_ENCODED);
          expect(decodeFrame(wire.subarray(0, -1))).toEqual({ ok: true, frame: { type, seq, payload } });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('COBS decodes what it encodes, including 254-byte runs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1100 }), (bytes) => {
        const encoded = cobsEncode(bytes);
        expect(encoded.includes(0)).toBe(false);
        expect(cobsDecode(encoded)).toEqual(Buffer.from(bytes));
      }),
    );
    const run = Buffer.alloc(254, 7);
    expect(cobsEncode(run)).toEqual(Buffer.concat([Buffer.from([0xff]), run, Buffer.from([1])]));
  });

  it('turns noise into NAK results or nothing, never a throw, with a bounded buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 5 }), (chunks) => {
        const results: DecodeResult[] = [];
        const decoder = new FrameDecoder((r) => results.push(r));
        for (const chunk of chunks) decoder.push(chunk);
        for (const r of results) if (!r.ok) expect([NakCode.CRC, NakCode.TOO_LONG]).toContain(r.nak);
      }),
    );
  });

  it('reports an over-long run as TOO_LONG and then finds the next good frame', () => {
    const results: DecodeResult[] = [];
    const decoder = new FrameDecoder((r) => results.push(r));
    decoder.push(Buffer.alloc(5000, 0x41));
    decoder.push(Buffer.from([0]));
    decoder.push(encodeFrame({ type: T.HEARTBEAT, seq: 3, payload: Buffer.alloc(0) }));
    expect(results).toEqual([
      { ok: false, nak: NakCode.TOO_LONG },
      { ok: true, frame: { type: T.HEARTBEAT, seq: 3, payload: Buffer.alloc(0) } },
    ]);
  });

  it('refuses to encode a payload over the maximum', () => {
    expect(() => encodeFrame({ type: T.IMAGE_GREY8, seq: 0, payload: Buffer.alloc(MAX_PAYLOAD + 1) })).toThrow(/exceeds 1024/);
  });
});
