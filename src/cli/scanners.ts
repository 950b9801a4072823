/**
 * `proofdesk scanners list` — what serial and HID devices are here, and which could be scanners.
 * `proofdesk scanners test` — the installer's view: one line per event as it happens, across unplug / replug,
 * until Ctrl-C. Scan text is shown only with --show-text (it may hold a name or a date of birth).
 * Test mode shows every scan, including repeats the kiosk's duplicate filter would fold.
 */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { safeJson, safeText } from '../text/safe.js';
import { ProofdeskError } from '../errors.js';
import { UsageError } from './usage-error.js';
import type { DeviceEntry, DroppedScan, Scan, ScannerConfig, ScannerState } from '../scan/index.js';

const EOLS = ['cr', 'lf', 'crlf', 'tab', 'none'] as const;
type EolOption = (typeof EOLS)[number];

const DROP_TEXT: Record<string, string> = {
  SCAN_TOO_LONG: 'longer than any QR code can be: dropped, waiting for the next terminator',
  SCAN_INCOMPLETE: 'cut off (unplugged, or silence before the terminator): dropped',
  SCAN_NOISE: 'line noise (control bytes): dropped — check the baud rate and cable',
};

const SUFFIXES = ['enter', 'tab', 'none'] as const;
type SuffixOption = (typeof SUFFIXES)[number];

interface TestOptions {
  serial?: string;
  baud?: string;
  eol?: string;
  hid?: string;
  layout?: string;
  suffix?: string;
  stdin?: boolean;
  json?: boolean;
  showText?: boolean;
}

export function register(program: Command): void {
  const group = program.command('scanners').description('find scanners and watch what they send');

  group
    .command('list')
    .description('list serial ports and HID devices, marking known scanner makers and the transport that fits')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const { listDevices } = await import('../scan/index.js');
      const { devices, notes } = await listDevices();
      for (const note of notes) process.stderr.write(`note: ${safeText(note)}\n`);
      if (opts.json) {
        process.stdout.write(`${safeJson(devices.map(withUsbId), 2)}\n`);
        return;
      }
      if (devices.length === 0) process.stdout.write('no serial ports or HID devices found\n');
      for (const d of devices) process.stdout.write(`${describeDevice(d)}\n`);
    });

  group
    .command('test')
    .description('print one line per scan / state / dropped event until interrupted (Ctrl-C)')
    .option('--serial <path>', 'serial or USB-CDC device (prefer /dev/serial/by-id/…)')
    .option('--baud <n>', 'baud rate for RS-232 scanners (USB-CDC ignores it)', '9600')
    .option('--eol <eol>', `what ends a scan: ${EOLS.join(', ')} (none = an idle gap)`, 'cr')
    .option('--hid <path>', '/dev/hidrawN of a HID POS or keyboard-wedge scanner')
    .option('--layout <layout>', 'keyboard layout of a keyboard-wedge scanner: us or uk', 'us')
    .option('--suffix <key>', `what a keyboard-wedge scanner types after each scan: ${SUFFIXES.join(', ')} (none = an idle gap)`, 'enter')
    .option('--stdin', 'read scans from standard input, one per line')
    .option('--json', 'one JSON object per line')
    .option('--show-text', 'also print the scanned text (may contain personal data)')
    .action(async (opts: TestOptions, cmd: Command) => {
      const cfg = await configFrom(opts, cmd);
      await runTest(cfg, opts);
    });
}

async function configFrom(opts: TestOptions, cmd: Command): Promise<ScannerConfig> {
  const chosen = [opts.serial !== undefined, opts.hid !== undefined, opts.stdin === true].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('scanners test needs exactly one of --serial PATH, --hid PATH or --stdin');
  const explicit = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  if (opts.serial === undefined && (explicit('baud') || explicit('eol'))) throw new UsageError('--baud and --eol apply to --serial only');
  if (opts.hid === undefined && (explicit('layout') || explicit('suffix')))
    throw new UsageError('--layout and --suffix apply to --hid only');
  if (opts.serial !== undefined) {
    const baud = Number(opts.baud);
    if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`--baud must be a positive whole number, got "${opts.baud}"`);
    if (!EOLS.includes(opts.eol as EolOption)) throw new UsageError(`--eol must be one of ${EOLS.join(', ')}, got "${opts.eol}"`);
    return { type: 'serial', path: opts.serial, baud, eol: opts.eol as EolOption };
  }
  if (opts.hid !== undefined) {
    if (opts.layout !== 'us' && opts.layout !== 'uk') throw new UsageError(`--layout must be us or uk, got "${opts.layout}"`);
    if (!SUFFIXES.includes(opts.suffix as SuffixOption))
      throw new UsageError(`--suffix must be one of ${SUFFIXES.join(', ')}, got "${opts.suffix}"`);
    const cfg = await hidConfig(opts.hid, opts.layout, opts.suffix as SuffixOption);
    const what =
      cfg.type === 'hid-pos'
        ? 'a HID POS scanner (its descriptor has a Decoded Data report)'
        : `a keyboard wedge (layout ${opts.layout}, suffix ${opts.suffix})`;
    process.stderr.write(`proofdesk: reading ${opts.hid} as ${what}\n`);
    if (cfg.type === 'hid-pos' && (explicit('layout') || explicit('suffix'))) {
      process.stderr.write('proofdesk: --layout and --suffix are ignored: they apply to keyboard wedges only\n');
    }
    return cfg;
  }
  return { type: 'stdin' };
}

/** HID POS when the descriptor has a scanned-data report, a keyboard wedge when it types, else refused. */
async function hidConfig(path: string, layout: 'us' | 'uk', suffix: SuffixOption): Promise<ScannerConfig> {
  const { readReportDescriptor } = await import('../scan/hid.js');
  const { parseReportDescriptor, findHidPosLayout, hasKeyboardInput } = await import('../scan/hid-descriptor.js');
  let fields;
  try {
    fields = parseReportDescriptor(readReportDescriptor(path));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (findHidPosLayout(fields)) return { type: 'hid-pos', path };
  if (hasKeyboardInput(fields)) return { type: 'hid-keyboard', path, layout, suffix };
  throw new UsageError(`${path} is neither a HID POS scanner nor a keyboard (its report descriptor has neither input)`);
}

async function runTest(cfg: ScannerConfig, opts: TestOptions): Promise<void> {
  const { createScanner } = await import('../scan/index.js');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const emit = (obj: Record<string, unknown>, human: string) => out(opts.json ? safeJson(obj) : human);

  const scanner = createScanner(cfg);
  scanner.on('scan', (scan: Scan) => {
    const sha256 = createHash('sha256').update(scan.data).digest('hex');
    const event: Record<string, unknown> = {
      event: 'scan',
      transport: scan.transport,
      symbology: scan.symbology,
      length: scan.text.length,
      sha256,
    };
    if (opts.showText) event.text = scan.text;
    const human = `scan     ${scan.symbology.padEnd(10)} ${String(scan.text.length).padStart(5)} chars  sha256 ${sha256}`;
    emit(event, opts.showText ? `${human}\n         ${safeJson(scan.text)}` : human);
  });
  scanner.on('state', (state: ScannerState) => emit({ event: 'state', state }, `state    ${state}`));
  scanner.on('dropped', (d: DroppedScan) =>
    emit({ event: 'dropped', reason: d.reason }, `dropped  ${d.reason}: ${DROP_TEXT[d.reason] ?? ''}`),
  );
  scanner.on('error', (err: Error & { code?: string }) => {
    if (opts.json) out(safeJson({ event: 'error', code: err.code ?? 'ERROR', message: err.message }));
    process.stderr.write(`proofdesk: ${err.code ?? 'ERROR'}: ${safeText(err.message)}\n`);
  });

  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    // Piped input that ends is finished too.
    if (cfg.type === 'stdin') scanner.on('state', (s: ScannerState) => s === 'disconnected' && resolve());
  });
  try {
    await scanner.open();
  } catch (err) {
    // A ScanError (device missing, busy, no permission) goes to main as it is: exit 2, one line (src/cli/exit.ts).
    throw err instanceof ProofdeskError ? err : new UsageError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  scanner.enable();
  await stopped;
  await scanner.close();
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(0);
}

const hex4 = (n: number | undefined) => (n === undefined ? undefined : n.toString(16).padStart(4, '0'));

function withUsbId(d: DeviceEntry): DeviceEntry & { usbId?: string } {
  return d.vendorId === undefined ? d : { ...d, usbId: `${hex4(d.vendorId)}:${hex4(d.productId)}` };
}

function describeDevice(d: DeviceEntry): string {
  const id = d.vendorId === undefined ? '         ' : `${hex4(d.vendorId)}:${hex4(d.productId)}`;
  const what = [d.manufacturer, d.product].filter(Boolean).join(' ');
  const page = d.usagePage === undefined ? '' : ` usage page 0x${d.usagePage.toString(16)}`;
  const verdict = d.autoDiscovered
    ? `scanner (${d.scannerVendor ?? 'HID POS'}): used automatically as ${d.fits}`
    : d.fits === 'hid-keyboard'
      ? `keyboard-wedge scanner (${d.scannerVendor}): used only if configured; prefer HID POS or serial mode`
      : d.kind === 'serial'
        ? 'serial port: used only if configured'
        : 'not a scanner interface';
  // Manufacturer and product strings are whatever the USB device says; paths are names from udev.
  return safeText(`${d.kind.padEnd(6)} ${d.path}  ${id}  ${what}${page}  — ${verdict}`);
}
