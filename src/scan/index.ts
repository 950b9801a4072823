/**
 * The scanner layer: devices → Scan events. It knows nothing of credentials.
 * A scanner opens, is enabled, and emits 'scan' / 'dropped' / 'state' / 'error'; a ScanHub merges several and
 * folds duplicates. Framing stages (terminator, AIM id, guard, HID POS reports, keyboard reports) are exported for
 * the bridge and for tests.
 */
import type { ScannerConfig } from './config.js';
import { ScanError } from './errors.js';
import { HidKeyboardScanner } from './hid-keyboard.js';
import { HidPosScanner } from './hid-pos.js';
import type { Scanner } from './scanner.js';
import { SerialScanner } from './serial.js';
import { StdinScanner } from './stdin.js';

export type { Scan, DroppedScan, DropReason, Transport, Symbology, ScannerState } from './types.js';
export { QR_MAX_CHARS } from './types.js';
export type { Scanner } from './scanner.js';
export { BaseScanner } from './scanner.js';
export { ScanError, type ScanErrorCode } from './errors.js';
export { ScanHub, Deduper, type ScannerStateEvent } from './hub.js';
export { discoverScanners, listDevices, type DeviceEntry, type DeviceList } from './discover.js';
export { TerminatorFramer, type Eol, type Framer, type FrameOut } from './frame.js';
export { finishFrame } from './guard.js';
export { stripAimId } from './aim.js';
export { parseReportDescriptor, findHidPosLayout, type HidPosLayout, type InputField } from './hid-descriptor.js';
export { HidPosReassembler } from './hid-pos-reports.js';
export { BootKeyboardDecoder, KeyboardFramer, type KeyboardLayout, type KeyboardSuffix } from './keyboard.js';
export { ScanAssembler } from './assembler.js';
export { treatEofAsDisconnect } from './serial-eof.js';
export { SerialScanner, HidPosScanner, HidKeyboardScanner, StdinScanner };
export * as limits from './limits.js';

export type { ScannerConfig } from './config.js';

export function createScanner(cfg: ScannerConfig): Scanner {
  switch (cfg.type) {
    case 'serial':
      return new SerialScanner(cfg);
    case 'hid-pos':
      return new HidPosScanner(cfg);
    case 'hid-keyboard':
      return new HidKeyboardScanner(cfg);
    case 'stdin':
      return new StdinScanner(cfg);
    default:
      throw new ScanError('BAD_CONFIG', `unknown scanner type ${JSON.stringify((cfg as { type?: unknown }).type)}`);
  }
}
