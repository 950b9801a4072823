/** Errors of the scanner layer. Each has a stable `code`; messages are for the person setting up the desk. */
import { ProofdeskError } from '../errors.js';

export type ScanErrorCode =
  /** The scanner's device could not be opened (missing, busy, or no permission); the scanner keeps retrying. */
  | 'OPEN_FAILED'
  /** The device went away (unplugged, powered off); the scanner keeps retrying. */
  | 'DEVICE_LOST'
  /** A keyboard-wedge scanner could not be taken exclusively: its keystrokes also reach whatever has focus. */
  | 'NOT_EXCLUSIVE'
  /** The HID report descriptor could not be read or parsed. */
  | 'BAD_DESCRIPTOR'
  /** The HID device has no HID POS scanned-data report this code understands. */
  | 'UNSUPPORTED_LAYOUT'
  /** node-hid (USB HID) could not be loaded, usually because libusb-1.0 is missing. */
  | 'HID_UNAVAILABLE'
  /** The scanner configuration is invalid. */
  | 'BAD_CONFIG'
  /** A bridge box sends scans faster than people can present codes: the excess is ignored (start and end reported). */
  | 'SCAN_FLOOD';

export class ScanError extends ProofdeskError {
  constructor(
    override readonly code: ScanErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
