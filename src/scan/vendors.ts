/**
 * USB vendor ids of barcode-scanner makers (the usb.ids list, 2025-07). Product ids change
 * with the interface mode the scanner is set to, so we match the vendor and then look at what the interface is.
 * Generic USB-serial chips (FTDI, CH34x, PL2303) are deliberately absent: a port behind one could be anything.
 */
export const SCANNER_VENDORS: ReadonlyMap<number, string> = new Map([
  [0x0c2e, 'Honeywell (Metrologic)'],
  [0x0536, 'Honeywell (Hand Held Products)'],
  [0x05e0, 'Zebra (Symbol)'],
  [0x05f9, 'Datalogic'],
  [0x1eab, 'Newland'],
  [0x065a, 'Opticon'],
  [0x23d0, 'Youjie'],
]);

export function scannerVendor(vendorId: number | undefined): string | undefined {
  return vendorId === undefined ? undefined : SCANNER_VENDORS.get(vendorId);
}
