/**
 * stdin: a wedge scanner typing into the kiosk's own terminal, or text piped in. One scan per line (LF or CR LF).
 * No idle timer: a pipe may pause mid-line. At end of input a last unterminated line is still a scan.
 */
import { ScanError } from './errors.js';
import { TerminatorFramer } from './frame.js';
import { AIM_ID_LENGTH, DEFAULT_MAX_LENGTH } from './limits.js';
import { BaseScanner } from './scanner.js';

export interface StdinScannerConfig {
  type: 'stdin';
  name?: string;
  maxLength?: number;
  /** Defaults to process.stdin. */
  input?: NodeJS.ReadableStream;
}

export class StdinScanner extends BaseScanner {
  readonly transport = 'stdin' as const;
  private readonly stream: NodeJS.ReadableStream;
  private readonly onData = (chunk: Buffer | string) => this.input(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  private readonly onEnd = () => {
    this.input(Buffer.from('\n'));
    this.setState('disconnected');
  };
  /** A read error (EIO when the kiosk's terminal hangs up): the line in progress is cut off; never a crash. */
  private readonly onError = (err: Error) => {
    this.cutInput();
    this.setState('disconnected');
    this.report(new ScanError('DEVICE_LOST', `standard input: ${err.message}`, { cause: err }));
  };

  constructor(private readonly cfg: StdinScannerConfig) {
    super(cfg.name ?? 'stdin');
    this.stream = cfg.input ?? process.stdin;
  }

  async open(): Promise<void> {
    const maxLength = this.cfg.maxLength ?? DEFAULT_MAX_LENGTH;
    this.startFraming(new TerminatorFramer('lf', maxLength + AIM_ID_LENGTH + 1), { maxLength, idleMs: 0 });
    this.stream.on('data', this.onData);
    this.stream.once('end', this.onEnd);
    this.stream.on('error', this.onError);
    this.stream.resume();
    this.setState('connected');
  }

  async close(): Promise<void> {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onError);
    this.stream.pause();
    this.stopFraming();
    this.setState('disconnected');
  }
}
