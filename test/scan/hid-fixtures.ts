/**
 * HID POS fixtures.
 *
 * Report layout (Honeywell, input report 0x02, 64 bytes): [0]=0x02, [1]=data byte count (≤56), [2..4]=AIM id repeated
 * in every report, [5..60]=data, [61]=Honeywell code id, [62]=reserved, [63] bit 0 = Decode Data Continued.
 * Sources, independent of each other (re-checked 2026-11, session 2):
 *   - HenkVanAsselt/python_hon_usbhid README (reports recorded from a Honeywell Voyager 1602g; REVINF_REPORTS below
 *     are copied from it byte for byte: [63] is 1 in all but the last report of each message),
 *   - Access-IS LSR116/LSR118/ATR110 product manuals, appendix "HID reports" (same layout; their example is a 60-byte
 *     boarding pass in two reports, `]Q0`, code id `s` at [61], [63] = 1 then 0),
 *   - NielsLeenheer/WebHidBarcodeScanner src/main.js, written for a Honeywell Voyager 1400g (0c2e:0b8f): reads the
 *     length, AIM, data, code id and "final" flag at the same offsets (WebHID strips the report id, so one less).
 * The real Honeywell report DESCRIPTOR bytes were not available to us: HONEYWELL_DESCRIPTOR is built from the HID
 * POS Usage Tables 1.02 (usage page 0x8C: 0xFB–0xFD Symbology Identifier 1–3, 0xFE Decoded Data, 0xFF Decode Data
 * Continued) so that it describes exactly the documented report; the length and code-id bytes get vendor usages.
 * The parser must derive the documented offsets from it — that is what the test checks.
 *
 * Other vendors (Newland FM430: [1]=len, [2..57]=data, [62]=symbology; Zebra, Datalogic): UNCONFIRMED and partly
 * contradictory. No fixture is built from them, because a fixture built from a guess proves nothing. On such a
 * device the descriptor decides; if it has no Decoded Data usage, the scanner refuses with UNSUPPORTED_LAYOUT.
 */

export const HONEYWELL_DESCRIPTOR = Buffer.from([
  0x05,
  0x8c, //       Usage Page (Bar Code Scanner)
  0x09,
  0x02, //       Usage (Bar Code Scanner)
  0xa1,
  0x01, //       Collection (Application)
  0x09,
  0x12, //         Usage (Scanned Data Report)
  0xa1,
  0x02, //         Collection (Logical)
  0x85,
  0x02, //           Report ID (2)
  0x15,
  0x00, //           Logical Minimum (0)
  0x26,
  0xff,
  0x00, //     Logical Maximum (255)
  0x75,
  0x08, //           Report Size (8)
  0x06,
  0x66,
  0xff, //     Usage Page (vendor 0xFF66)
  0x09,
  0x01, //           Usage (data length)
  0x95,
  0x01, //           Report Count (1)
  0x81,
  0x02, //           Input (Data,Var,Abs)                      byte 1
  0x05,
  0x8c, //           Usage Page (Bar Code Scanner)
  0x09,
  0xfb,
  0x09,
  0xfc,
  0x09,
  0xfd, // Usage (Symbology Identifier 1, 2, 3)
  0x95,
  0x03, //           Report Count (3)
  0x81,
  0x02, //           Input (Data,Var,Abs)                      bytes 2–4
  0x09,
  0xfe, //           Usage (Decoded Data)
  0x95,
  0x38, //           Report Count (56)
  0x82,
  0x02,
  0x01, //     Input (Data,Var,Abs,Buffered Bytes)      bytes 5–60
  0x06,
  0x66,
  0xff, //     Usage Page (vendor 0xFF66)
  0x09,
  0x02,
  0x09,
  0x03, // Usage (code id), Usage (reserved)
  0x95,
  0x02, //           Report Count (2)
  0x81,
  0x02, //           Input (Data,Var,Abs)                      bytes 61–62
  0x05,
  0x8c, //           Usage Page (Bar Code Scanner)
  0x09,
  0xff, //           Usage (Decode Data Continued)
  0x25,
  0x01, //           Logical Maximum (1)
  0x75,
  0x01, //           Report Size (1)
  0x95,
  0x01, //           Report Count (1)
  0x81,
  0x02, //           Input (Data,Var,Abs)                      byte 63 bit 0
  0x75,
  0x07, //           Report Size (7)
  0x81,
  0x03, //           Input (Const)                             byte 63 bits 1–7
  0xc0, //               End Collection
  0x09,
  0x14, //         Usage (Trigger Report)
  0xa1,
  0x02, //         Collection (Logical)
  0x85,
  0x04, //           Report ID (4)
  0x06,
  0x66,
  0xff, //     Usage Page (vendor)
  0x19,
  0x01,
  0x29,
  0x08, // Usage Minimum (1), Usage Maximum (8)
  0x95,
  0x08, //           Report Count (8)
  0x91,
  0x02, //           Output (Data,Var,Abs)   trigger/beep bits: outputs must not disturb input offsets
  0xc0, //               End Collection
  0xc0, //             End Collection
]);

/** Splits data into Honeywell-layout input reports of 56 data bytes each. */
export function honeywellReports(data: Buffer | string, aim = ']Q1', codeId = 's'): Buffer[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const reports: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 56) {
    const piece = bytes.subarray(i, i + 56);
    const r = Buffer.alloc(64);
    r[0] = 0x02;
    r[1] = piece.length;
    r.write(aim, 2, 'latin1');
    piece.copy(r, 5);
    r[61] = codeId.charCodeAt(0);
    r[63] = i + 56 < bytes.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}

/** Recorded from a Honeywell Voyager 1602g answering REVINF (python_hon_usbhid README), verbatim. */
export const REVINF_REPORTS: number[][] = [
  [
    2, 56, 93, 88, 48, 80, 114, 111, 100, 117, 99, 116, 32, 78, 97, 109, 101, 58, 32, 86, 111, 121, 97, 103, 101, 114, 32, 49, 54, 48, 50,
    103, 13, 10, 66, 111, 111, 116, 32, 82, 101, 118, 105, 115, 105, 111, 110, 58, 32, 58, 32, 56, 57, 57, 50, 13, 10, 83, 111, 102, 116,
    63, 0, 1,
  ],
  [
    2, 56, 93, 88, 48, 119, 97, 114, 101, 32, 80, 97, 114, 116, 32, 78, 117, 109, 98, 101, 114, 58, 32, 67, 87, 48, 48, 48, 48, 56, 50, 66,
    66, 65, 13, 10, 83, 111, 102, 116, 119, 97, 114, 101, 32, 82, 101, 118, 105, 115, 105, 111, 110, 58, 32, 36, 80, 114, 111, 106, 101, 63,
    0, 1,
  ],
  [
    2, 56, 93, 88, 48, 99, 116, 82, 101, 118, 105, 115, 105, 111, 110, 58, 32, 49, 54, 51, 52, 53, 32, 13, 10, 83, 101, 114, 105, 97, 108,
    32, 78, 117, 109, 98, 101, 114, 58, 32, 49, 53, 50, 51, 50, 66, 49, 70, 48, 67, 13, 10, 83, 117, 112, 112, 111, 114, 116, 101, 100, 63,
    0, 1,
  ],
  [
    2, 56, 93, 88, 48, 32, 73, 70, 58, 32, 66, 108, 117, 101, 116, 111, 111, 116, 104, 13, 10, 80, 67, 66, 32, 65, 115, 115, 101, 109, 98,
    108, 121, 32, 73, 68, 58, 32, 48, 48, 48, 48, 48, 48, 13, 10, 69, 110, 103, 105, 110, 101, 32, 70, 105, 114, 109, 119, 97, 114, 101, 63,
    0, 1,
  ],
  [
    2, 56, 93, 88, 48, 32, 84, 121, 112, 101, 58, 32, 78, 47, 65, 32, 32, 32, 82, 101, 118, 105, 115, 105, 111, 110, 58, 32, 78, 47, 65, 32,
    32, 32, 83, 101, 114, 105, 97, 108, 32, 78, 117, 109, 98, 101, 114, 58, 32, 78, 47, 65, 32, 32, 32, 67, 104, 101, 99, 107, 115, 63, 0,
    1,
  ],
  [
    2, 9, 93, 88, 48, 117, 109, 58, 32, 78, 47, 65, 13, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 63, 0, 0,
  ],
  [
    2, 8, 93, 90, 54, 82, 69, 86, 73, 78, 70, 6, 46, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0,
  ],
];
