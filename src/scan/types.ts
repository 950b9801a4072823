/** What the scanner layer hands on. It knows nothing of credentials: a scan is just bytes a scanner read. */

export type Transport = 'serial' | 'hid-pos' | 'hid-keyboard' | 'stdin' | 'bridge';
export type Symbology = 'qr' | 'datamatrix' | 'pdf417' | 'aztec' | 'code128' | 'other' | 'unknown';

/**
 * The most characters a QR symbol can hold: 4,296, version 40 at error correction level L in alphanumeric mode
 * (ISO/IEC 18004, table 7, data capacity). The one definition: the scanners' default and the config's ceiling for
 * `maxLength`, the bridge protocol's SCAN limit (src/bridge/messages.ts) and the CLI's input bound refer to it.
 */
export const QR_MAX_CHARS = 4296;

export interface Scan {
  /** Exactly the bytes the scanner delivered, minus framing (terminator, AIM id, transport headers). */
  data: Buffer;
  /** `data` as text, one char per byte (latin1), so nothing is lost or invented by a UTF-8 decode. */
  text: string;
  symbology: Symbology;
  transport: Transport;
  /** Which scanner (its configured name or device path). */
  source: string;
  /** When the scan completed (ms since epoch). */
  at: number;
}

export type DropReason = 'SCAN_TOO_LONG' | 'SCAN_INCOMPLETE' | 'SCAN_NOISE';

export interface DroppedScan {
  reason: DropReason;
  transport: Transport;
  source: string;
  at: number;
}

export type ScannerState = 'connected' | 'disconnected' | 'reconnecting';
