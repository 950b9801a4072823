/**
 * One scanner's settings, any transport. Its own file so the discovery code can name it without importing the
 * barrel (src/scan/index.ts), which imports discovery: no cycle within src/scan.
 */
import type { HidKeyboardScannerConfig } from './hid-keyboard.js';
import type { HidPosScannerConfig } from './hid-pos.js';
import type { SerialScannerConfig } from './serial.js';
import type { StdinScannerConfig } from './stdin.js';

export type ScannerConfig = SerialScannerConfig | HidPosScannerConfig | HidKeyboardScannerConfig | StdinScannerConfig;
