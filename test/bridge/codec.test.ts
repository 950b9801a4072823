import { readFileSync } from 'node:fs';
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
import { decodeMessage, encodeMessage, type Message } from '../../src/bridge/messages.js';

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

const golden = JSON.parse(
  readFileSync(new URL('../../firmware-bridge/protocol/golden.json', import.meta.url), 'utf8'),
) as Golden;
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
