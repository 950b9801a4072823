/**
 * A small HID report descriptor parser (HID 1.11 §6.2.2): enough to find where a HID POS scanner puts its data,
 * so offsets come from the device itself rather than from one vendor's manual.
 */
import { ScanError } from './errors.js';

/** Linux caps report descriptors at 4 KiB (HID_MAX_DESCRIPTOR_SIZE). */
const MAX_DESCRIPTOR_BYTES = 4096;
/** A report longer than this is not a scanner report (keeps usage expansion and offsets bounded). */
const MAX_REPORT_BITS = 8 * 1024 * 8;

export interface InputField {
  reportId: number;
  /** Bit offset inside the report, not counting the report id byte. */
  bitOffset: number;
  bitSize: number;
  count: number;
  /** Input item flags: bit 0 constant, bit 1 variable. */
  flags: number;
  /** Full usages (page << 16 | id) for each element; the last one repeats when there are fewer usages than elements. */
  usages: number[];
}

interface Globals {
  usagePage: number;
  reportSize: number;
  reportCount: number;
  reportId: number;
}

export function parseReportDescriptor(desc: Uint8Array): InputField[] {
  if (desc.length === 0 || desc.length > MAX_DESCRIPTOR_BYTES) {
    throw new ScanError('BAD_DESCRIPTOR', `report descriptor has ${desc.length} bytes (expected 1…${MAX_DESCRIPTOR_BYTES})`);
  }
  const fields: InputField[] = [];
  const inputBits = new Map<number, number>();
  let g: Globals = { usagePage: 0, reportSize: 0, reportCount: 0, reportId: 0 };
  const stack: Globals[] = [];
  let usages: number[] = [];
  let usageMin: number | null = null;
  let depth = 0;

  let i = 0;
  while (i < desc.length) {
    const prefix = desc[i]!;
    if (prefix === 0xfe) {
      // Long item: skip its data (none are defined for use).
      const size = desc[i + 1] ?? 0;
      i += 3 + size;
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 3]!;
    if (i + 1 + size > desc.length) throw new ScanError('BAD_DESCRIPTOR', `report descriptor item at byte ${i} runs past the end`);
    let value = 0;
    for (let k = 0; k < size; k++) value |= desc[i + 1 + k]! << (8 * k);
    value >>>= 0;
    const type = (prefix >> 2) & 3;
    const tag = prefix >> 4;
    i += 1 + size;

    const fullUsage = (v: number) => (size === 4 ? v : ((g.usagePage << 16) | v) >>> 0);
    if (type === 1) {
      // Global items.
      if (tag === 0x0) g.usagePage = value;
      else if (tag === 0x7) g.reportSize = value;
      else if (tag === 0x8) g.reportId = value;
      else if (tag === 0x9) g.reportCount = value;
      else if (tag === 0xa) stack.push({ ...g });
      else if (tag === 0xb) g = stack.pop() ?? g;
    } else if (type === 2) {
      // Local items.
      if (tag === 0x0) usages.push(fullUsage(value));
      else if (tag === 0x1) usageMin = fullUsage(value);
      else if (tag === 0x2 && usageMin !== null) {
        const max = fullUsage(value);
        if (max < usageMin || max - usageMin > 0xffff) throw new ScanError('BAD_DESCRIPTOR', 'usage range out of bounds');
        for (let u = usageMin; u <= max && usages.length < 4096; u++) usages.push(u);
        usageMin = null;
      }
    } else if (type === 0) {
      // Main items.
      if (tag === 0x8) {
        const bits = g.reportSize * g.reportCount;
        const at = inputBits.get(g.reportId) ?? 0;
        if (at + bits > MAX_REPORT_BITS) throw new ScanError('BAD_DESCRIPTOR', `input report ${g.reportId} is implausibly long`);
        fields.push({ reportId: g.reportId, bitOffset: at, bitSize: g.reportSize, count: g.reportCount, flags: value, usages });
        inputBits.set(g.reportId, at + bits);
      } else if (tag === 0xa) depth++;
      else if (tag === 0xc) {
        if (--depth < 0) throw new ScanError('BAD_DESCRIPTOR', 'unbalanced End Collection');
      }
      // Every main item clears the local state.
      usages = [];
      usageMin = null;
    }
  }
  return fields;
}

export const POS_PAGE = 0x8c;
const posUsage = (id: number) => ((POS_PAGE << 16) | id) >>> 0;
export const USAGE_SYMBOLOGY_ID_1 = posUsage(0xfb);
export const USAGE_SYMBOLOGY_ID_3 = posUsage(0xfd);
export const USAGE_DECODED_DATA = posUsage(0xfe);
export const USAGE_DATA_CONTINUED = posUsage(0xff);

/** Byte offsets are into the report as node-hid hands it over: the report id byte first when the device uses ids. */
export interface HidPosLayout {
  reportId: number;
  /** Bytes of one input report including the report id byte (if any). */
  reportBytes: number;
  data: { byte: number; count: number };
  /** A single byte before the data giving how many data bytes are valid (Honeywell and others put it first). */
  length?: { byte: number };
  /** The AIM id: three bytes (Symbology Identifier 1–3). */
  aim?: { byte: number };
  /** A vendor byte right after the data (Honeywell's own code id). */
  codeId?: { byte: number };
  /** The Decode Data Continued flag: set when more reports of the same scan follow. */
  continued?: { bit: number; bits: number };
}

const usageAt = (f: InputField, k: number) => f.usages[Math.min(k, f.usages.length - 1)];
const hasUsage = (f: InputField, u: number) => f.usages.includes(u);

/** Finds the HID POS scanned-data fields; null when the descriptor has none this code understands. */
export function findHidPosLayout(fields: InputField[]): HidPosLayout | null {
  const data = fields.find((f) => hasUsage(f, USAGE_DECODED_DATA) && f.bitSize === 8 && f.bitOffset % 8 === 0);
  if (!data) return null;
  const id = data.reportId;
  const idBytes = id === 0 ? 0 : 1;
  const same = fields.filter((f) => f.reportId === id);
  const byteOf = (bit: number) => idBytes + bit / 8;
  const totalBits = same.reduce((n, f) => Math.max(n, f.bitOffset + f.bitSize * f.count), 0);
  const layout: HidPosLayout = {
    reportId: id,
    reportBytes: idBytes + Math.ceil(totalBits / 8),
    data: { byte: byteOf(data.bitOffset), count: data.count },
  };

  const aim = same.find((f) => usageAt(f, 0) === USAGE_SYMBOLOGY_ID_1 && f.bitSize === 8 && f.bitOffset % 8 === 0);
  if (aim && aim.count >= 3 && usageAt(aim, 2) === USAGE_SYMBOLOGY_ID_3) layout.aim = { byte: byteOf(aim.bitOffset) };

  const isKnown = (f: InputField) => f.usages.some((u) => u >= USAGE_SYMBOLOGY_ID_1 && u <= USAGE_DATA_CONTINUED);
  const byteField = (f: InputField) => f.bitSize === 8 && f.bitOffset % 8 === 0 && (f.flags & 1) === 0 && !isKnown(f);
  // The length byte: a data byte field of its own before the AIM id / data, with no POS usage.
  const firstKnownBit = Math.min(data.bitOffset, aim?.bitOffset ?? Infinity);
  const length = same.find((f) => byteField(f) && f.count === 1 && f.bitOffset < firstKnownBit);
  if (length) layout.length = { byte: byteOf(length.bitOffset) };
  // The vendor code id: the data byte field that starts right after the decoded data.
  const dataEnd = data.bitOffset + 8 * data.count;
  const code = same.find((f) => byteField(f) && f.bitOffset === dataEnd);
  if (code) layout.codeId = { byte: byteOf(code.bitOffset) };

  for (const f of same) {
    for (let k = 0; k < f.count; k++) {
      if (usageAt(f, k) === USAGE_DATA_CONTINUED && f.bitSize <= 8) {
        layout.continued = { bit: 8 * idBytes + f.bitOffset + k * f.bitSize, bits: f.bitSize };
      }
    }
  }
  return layout;
}

const KEYBOARD_PAGE = 0x07;

/** Whether the device sends keyboard input (usages on the Keyboard/Keypad page): what a keyboard wedge must do. */
export function hasKeyboardInput(fields: InputField[]): boolean {
  return fields.some((f) => f.usages.some((u) => u >>> 16 === KEYBOARD_PAGE));
}
