/** Named defaults of the scanner layer (one place, so docs and code agree). */
import { QR_MAX_CHARS } from './types.js';

/** Longest scan accepted unless configured lower: the most a QR symbol holds. */
export const DEFAULT_MAX_LENGTH = QR_MAX_CHARS;
/** Same text again within this window is the same scan (a presentation scanner re-reading a code). */
export const DEFAULT_DEDUPE_WINDOW_MS = 1500;
/** Serial with a terminator: silence this long inside a scan means it was cut off (9600 baud moves ~1 byte/ms). */
export const DEFAULT_SERIAL_IDLE_MS = 1000;
/** Serial without a terminator: silence this long ends the scan. */
export const DEFAULT_SERIAL_GAP_MS = 100;
/** HID POS: silence this long between the reports of one multi-report scan means it was cut off. */
export const DEFAULT_HID_POS_IDLE_MS = 1000;
/** Keyboard wedge: silence this long ends (suffix 'none') or cuts off (with a suffix) a scan; wedges type slowly. */
export const DEFAULT_KEYBOARD_IDLE_MS = 300;
/**
 * A lone key (the clerk's y / n / x, at the kiosk's terminal or on the status page) has no other key this long before
 * it and after it. A wedge scanner types a character every 1–20 ms (USB keyboard reports); a person's separate
 * keystrokes are 100 ms or more apart.
 */
export const LONE_KEY_QUIET_MS = 40;
/** Room for an AIM symbology identifier (`]Q1`) on top of the data limit while framing. */
export const AIM_ID_LENGTH = 3;
/** Reconnect back-off after an unplug: first retry, growth factor, ceiling. */
export const RECONNECT_FIRST_MS = 250;
export const RECONNECT_MAX_MS = 5000;
