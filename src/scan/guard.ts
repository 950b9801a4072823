/**
 * The last framing stage: AIM id off, then the checks that decide whether a frame can be a scan at all.
 * Anything printable (and any byte ≥ 0x80, e.g. UTF-8 text) is a scan, even if it is not a credential: the verifier
 * tells the clerk why. Only line noise and oversize input are dropped.
 */
import { stripAimId } from './aim.js';
import type { FrameOut } from './frame.js';
import type { DropReason, Symbology } from './types.js';

/**
 * Control bytes a real scan may carry: HT, LF, CR (multi-line text), EOT/FS/GS/RS (GS1 and ISO 15434 formats).
 * SUB (0x1A) is what the keyboard decoder writes for a key it cannot map, so it counts as noise.
 */
function isNoiseByte(b: number): boolean {
  if (b === 0x7f) return true;
  if (b >= 0x20) return false;
  return !(b === 0x09 || b === 0x0a || b === 0x0d || b === 0x04 || b === 0x1c || b === 0x1d || b === 0x1e);
}

export type Finished = { kind: 'scan'; data: Buffer; symbology: Symbology } | { kind: 'drop'; reason: DropReason } | { kind: 'empty' };

export function finishFrame(out: FrameOut, maxLength: number): Finished {
  if (out.kind === 'drop') return out;
  const { data, symbology } = stripAimId(out.data, out.symbology ?? 'unknown');
  if (data.length === 0) return { kind: 'empty' };
  if (data.length > maxLength) return { kind: 'drop', reason: 'SCAN_TOO_LONG' };
  for (const b of data) if (isNoiseByte(b)) return { kind: 'drop', reason: 'SCAN_NOISE' };
  return { kind: 'scan', data, symbology };
}
