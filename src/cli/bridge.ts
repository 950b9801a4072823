/**
 * `proofdesk bridge probe` — is there a bridge box, and what firmware does it run? (auto: ST-LINK USB id + HELLO).
 * `proofdesk bridge test` — the installer's view of one box: its panel shows a test screen, and every scan, drop and
 * YES / NO key press prints one line until Ctrl-C (scan text only with --show-text: it may be personal data).
 */
import type { Command } from 'commander';
import { safeJson, safeText } from '../text/safe.js';
import { CommandFailed, UsageError } from './usage-error.js';

interface LinkOptions {
  port: string;
  baud: string;
  json?: boolean;
}

const BAUDS = [115200, 921600];
const CAP_NAMES = ['display', 'scanner', 'buttons', 'buzzer', 'leds', 'grey8', 'rgb565'];

function parseLink(opts: LinkOptions): { port: string; baud: number } {
  const baud = Number(opts.baud);
  if (!BAUDS.includes(baud)) throw new UsageError(`--baud must be ${BAUDS.join(' or ')}, got "${opts.baud}"`);
  if (opts.port !== 'auto' && !opts.port.startsWith('/')) throw new UsageError(`--port must be a device path or auto, got "${opts.port}"`);
  return { port: opts.port, baud };
}

function capsText(caps: number): string {
  return CAP_NAMES.filter((_, bit) => (caps & (1 << bit)) !== 0).join(' ') || 'none';
}

export function register(program: Command): void {
  const group = program.command('bridge').description('find and try out a firmware bridge box (scanner + screen + YES/NO keys)');

  group
    .command('probe')
    .description('say HELLO to the bridge and print its firmware, protocol and panel (exit 1 if none answers)')
    .option('--port <path>', 'serial device of the bridge, or auto (ST-LINK USB id 0483:374b + handshake)', 'auto')
    .option('--baud <n>', 'host link rate of the firmware (HOST_BAUD)', '921600')
    .option('--json', 'print one JSON object')
    .action(async (opts: LinkOptions) => {
      const { port, baud } = parseLink(opts);
      const { detectBridge, probeBridge, BridgeError } = await import('../bridge/index.js');
      try {
        const found =
          port === 'auto' ? await detectBridge() : { path: port, firmware: await probeBridge(port, { baudRate: baud }), notes: [] };
        const fw = found.firmware;
        if (opts.json) process.stdout.write(`${safeJson({ path: found.path, ...fw, capsText: capsText(fw.caps) })}\n`);
        else {
          process.stdout.write(
            `bridge at ${safeText(found.path)}: firmware ${safeText(fw.version || '(unnamed)')}, protocol ${fw.protocol}, panel ${fw.width}×${fw.height}, ` +
              `can: ${capsText(fw.caps)}, receive window ${fw.windowFrames} frames / ${fw.windowBytes} bytes\n`,
          );
        }
      } catch (err) {
        const code = err instanceof BridgeError ? err.code : 'ERROR';
        throw new CommandFailed(`no bridge: ${code}: ${(err as Error).message}`, { cause: err });
      }
    });

  group
    .command('test')
    .description('show a test screen on the bridge and print one line per scan / drop / key press until Ctrl-C')
    .requiredOption('--port <path>', 'serial device of the bridge, or auto')
    .option('--baud <n>', 'host link rate of the firmware (HOST_BAUD)', '921600')
    .option('--json', 'one JSON object per line')
    .option('--show-text', 'also print the scanned text (may contain personal data)')
    .action(async (opts: LinkOptions & { showText?: boolean }) => {
      const { port, baud } = parseLink(opts);
      await runTest(port, baud, opts);
    });
}

async function runTest(port: string, baud: number, opts: { json?: boolean; showText?: boolean }): Promise<void> {
  const { Bridge, detectBridge } = await import('../bridge/index.js');
  const { idleScreen } = await import('../screen/state.js');
  const path = port === 'auto' ? (await detectBridge()).path : port;
  const bridge = new Bridge({ path, baudRate: baud, name: 'bridge-test' });
  const line = (event: string, fields: Record<string, unknown>): void => {
    const at = new Date().toISOString();
    // Scan text and firmware strings come from the box: JSON escapes, or one safe field each, never raw bytes.
    if (opts.json) process.stdout.write(`${safeJson({ at, event, ...fields })}\n`);
    else
      process.stdout.write(
        `${at} ${event} ${Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? safeText(v) : safeJson(v)}`)
          .join(' ')}\n`,
      );
  };
  const testScreen = idleScreen({ purpose: 'other', demo: true, worth: 'Bridge test: not a check.', id: 'bridge-test' });
  bridge.on('ready', (fw) => {
    line('connected', { path, firmware: fw.version, protocol: fw.protocol, caps: capsText(fw.caps) });
    bridge.display.show({ ...testScreen, headline: 'Bridge test', message: 'Scan any code, press YES or NO.' });
  });
  bridge.on('state', (state) => state !== 'connected' && line('state', { state }));
  bridge.on('error', (err) => line('error', { code: err.code, message: err.message }));
  bridge.on('likeness', (answer) => line('key', { key: answer === 'yes' ? 'YES' : 'NO' }));
  bridge.on('firmwareError', (m) => line('firmware-error', { code: m.code }));
  bridge.scanner.on('scan', (scan: { data: Buffer; symbology: string; text: string }) =>
    line('scan', { symbology: scan.symbology, bytes: scan.data.length, ...(opts.showText ? { text: scan.text } : {}) }),
  );
  bridge.scanner.on('dropped', (drop: { reason: string }) => line('dropped', { reason: drop.reason }));
  await bridge.scanner.open();
  bridge.scanner.enable();
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await bridge.display.blank();
  await bridge.scanner.close();
}
